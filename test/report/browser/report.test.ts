// The HTML report in a real browser (Debian's Chromium, headless): the math is typeset with the
// inlined KaTeX fonts, the plots are laid out, nothing is fetched from the network, no console errors.
// The screenshot is kept in test-artifacts/ for a human to look at.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { renderHtmlReport } from '../../../src/report/html.js';
import { fixtureReport } from '../html/fixture.js';
import { external, inPage, launchChromium, openFile, type Browser, type OpenedPage } from './chromium.js';

const ARTIFACTS = resolve('test-artifacts');

describe('HTML report in headless Chromium', () => {
  let browser: Browser;
  let opened: OpenedPage;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = resolve(ARTIFACTS, 'report.html');
    writeFileSync(file, renderHtmlReport(fixtureReport()));
    browser = await launchChromium();
    opened = await openFile(browser, file);
    page = opened.page;
    await page.screenshot({ path: resolve(ARTIFACTS, 'report.png'), fullPage: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('typesets the math: KaTeX nodes with size, no raw $$ or LaTeX commands in the visible text', async () => {
    const math = await page.$$eval(
      '.katex-html',
      (nodes) =>
        nodes.map((n) => n.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0).length,
    );
    expect(math).toBe(6); // prose: 1 inline + 1 display; steps: 3 equations and 1 checked-as form
    const text = await inPage<string>(page, 'document.body.innerText');
    expect(text).not.toContain('$$');
    expect(text).not.toMatch(/\\(frac|sqrt|bar)\b/);
    expect(await page.$$('.math-error')).toHaveLength(0);
  });

  it('uses the inlined KaTeX fonts', async () => {
    const loaded = await inPage<string[]>(
      page,
      `[...document.fonts].filter((f) => f.family.startsWith('KaTeX') && f.status === 'loaded').map((f) => f.family)`,
    );
    // Fonts load on use: the fixture's math needs the upright and the italic math faces.
    expect(new Set(loaded.map((f) => f.replace(/"/g, '')))).toEqual(new Set(['KaTeX_Main', 'KaTeX_Math']));
    const family = await inPage<string>(
      page,
      `getComputedStyle(document.querySelector('.katex .mathnormal')).fontFamily`,
    );
    expect(family).toContain('KaTeX_Math');
  });

  it('lays out every plot with its marks', async () => {
    const plots = await page.$$eval('svg.fp-plot', (svgs) =>
      svgs.map((s) => ({
        kind: s.getAttribute('data-kind'),
        width: s.getBoundingClientRect().width,
        height: s.getBoundingClientRect().height,
        marks: s.querySelectorAll('rect, circle, path').length,
      })),
    );
    expect(plots.map((p) => p.kind)).toEqual([
      'histogram',
      'scatter',
      'marginals',
      'convergence',
      'straightness',
      'lines',
    ]);
    for (const p of plots) {
      expect(p.width).toBeGreaterThan(200);
      expect(p.height).toBeGreaterThan(150);
      expect(p.marks).toBeGreaterThan(5);
    }
  });

  it('shows the failing claim in red at the top', async () => {
    const banner = await inPage<{ cls: string; top: number; bg: string; text: string }>(
      page,
      `(() => {
        const n = document.getElementById('status');
        return { cls: n.className, top: n.getBoundingClientRect().top, bg: getComputedStyle(n).backgroundColor, text: n.innerText };
      })()`,
    );
    expect(banner.cls).toBe('banner fail');
    expect(banner.top).toBeLessThan(300);
    expect(banner.bg).toBe('rgb(253, 231, 233)');
    expect(banner.text).toContain('broken-claim');
  });

  it('loads nothing from the network and logs no error', () => {
    expect(external(opened.requests)).toEqual([]);
    expect(opened.consoleErrors).toEqual([]);
  });
});
