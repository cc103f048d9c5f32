// `flowproof verify --report` end to end on real derivation files (one proved chain, one documented
// erratum, one with exact reflow experiments), opened in headless Chromium: every formula the authors
// wrote is typeset, the experiment's plot is drawn, the status is green, nothing leaves the file.
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { main } from '../../src/cli/main.js';
import { external, inPage, launchChromium, openFile, type Browser, type OpenedPage } from './chromium.js';

const ARTIFACTS = resolve('test-artifacts');
const FILES = ['score-noise.md', 'score-sde-noise-erratum.md', 'reflow-straightness.md'].map((f) =>
  resolve('derivations', f),
);

describe('verify --report in headless Chromium', () => {
  let browser: Browser;
  let opened: OpenedPage;
  let page: Page;
  let exitCode: number;
  let html: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = resolve(ARTIFACTS, 'verify-report.html');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      exitCode = await main(['verify', ...FILES, '--report', file, '--quiet']);
    } finally {
      stdout.mockRestore();
    }
    html = readFileSync(file, 'utf8');
    browser = await launchChromium();
    opened = await openFile(browser, file);
    page = opened.page;
    await page.screenshot({ path: resolve(ARTIFACTS, 'verify-report.png') });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('verifies the three claims as their files expect and says so in green', async () => {
    expect(exitCode).toBe(0);
    const banner = await inPage<{ cls: string; bg: string }>(
      page,
      `(() => { const n = document.getElementById('status'); return { cls: n.className, bg: getComputedStyle(n).backgroundColor }; })()`,
    );
    expect(banner.cls).toBe('banner ok');
    expect(banner.bg).toBe('rgb(230, 244, 234)');
    expect(await page.$$('table.summary tbody tr')).toHaveLength(3);
  });

  it('typesets every formula of the derivations (prose and steps), leaving no raw LaTeX', async () => {
    const typeset = await inPage<number>(page, `document.querySelectorAll('.katex').length`);
    expect(typeset).toBeGreaterThan(20);
    expect(await page.$$('.math-error')).toHaveLength(0);
    // Open the collapsed derivation prose so innerText covers it too.
    await inPage(page, `document.querySelectorAll('details').forEach((d) => (d.open = true))`);
    const text = await inPage<string>(page, 'document.body.innerText');
    expect(text).not.toContain('$$');
    expect(text).not.toMatch(/\\(frac|sqrt|mathbb|nabla|int)\b/);
  });

  it("draws the reflow experiment's straightness plot next to its evidence", async () => {
    const kinds = await inPage<string[]>(
      page,
      `[...document.querySelectorAll('#claim-reflow-straightness svg.fp-plot')].map((s) => s.getAttribute('data-kind'))`,
    );
    expect(kinds.length).toBeGreaterThanOrEqual(1);
    expect(new Set(kinds)).toEqual(new Set(['straightness']));
    expect(html).toMatch(/<td>reflow-gaussian-exact\/[a-z-]+: /);
  });

  it('loads nothing from the network and logs no error', () => {
    expect(external(opened.requests)).toEqual([]);
    expect(opened.consoleErrors).toEqual([]);
  });
});
