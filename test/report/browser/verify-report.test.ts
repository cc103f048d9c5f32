// `flowproof verify --report` end to end on real derivation files (proved chains, two documented errata,
// an exact-computation experiment, Monte-Carlo experiments with diagnostics), opened in headless
// Chromium: every formula is typeset, each kind of evidence shows its own fields and no other, a
// refutation shows its residual at the counterexample, the plots are drawn, nothing leaves the file.
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { main } from '../../../src/cli/main.js';
import { external, inPage, launchChromium, openFile, type Browser, type OpenedPage } from './chromium.js';

const ARTIFACTS = resolve('test-artifacts');
const FILES = [
  'score-noise.md',
  'score-sde-noise-erratum.md',
  'reflow-straightness.md',
  'ddim-is-euler.md',
  'log-density-fixed-x-erratum.md',
].map((f) => resolve('derivations', f));

/** The fields each kind of evidence shows: all of `has`, none of `never`. */
const KIND_FIELDS: Record<string, { has: string[]; never: string[] }> = {
  symbolic: { has: ['strategy', 'ms'], never: ['p', 'alpha', 'ci', 'samples', 'tolerance', 'points'] },
  numeric: {
    has: ['points', 'digits', 'maxResidual', 'seed', 'ms'],
    never: ['p', 'alpha', 'ci', 'samples', 'tolerance'],
  },
  exact: {
    has: ['check', 'value', 'tolerance', 'within', 'over', 'backend', 'ms'],
    never: ['p', 'alpha', 'ci', 'mde', 'samples', 'estimate'],
  },
  'monte-carlo': {
    has: ['test', 'estimate', 'ci', 'p', 'alpha', 'mde', 'samples', 'seed', 'backend', 'ms'],
    never: ['tolerance', 'within', 'value', 'maxResidual'],
  },
};

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

  it('verifies the five claims as their files expect and says so in green', async () => {
    expect(exitCode).toBe(0);
    const banner = await inPage<{ cls: string; bg: string }>(
      page,
      `(() => { const n = document.getElementById('status'); return { cls: n.className, bg: getComputedStyle(n).backgroundColor }; })()`,
    );
    expect(banner.cls).toBe('banner ok');
    expect(banner.bg).toBe('rgb(230, 244, 234)');
    expect(await page.$$('table.summary tbody tr')).toHaveLength(5);
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
    expect(html).toMatch(/<details class="evidence" data-kind="exact">/);
  });

  it('shows each kind of evidence with its own fields only, visibly', async () => {
    await inPage(page, `document.querySelectorAll('details').forEach((d) => (d.open = true))`);
    const blocks = await inPage<{ kind: string; fields: string[]; visible: boolean }[]>(
      page,
      `[...document.querySelectorAll('.evidence[data-kind]')].map((b) => ({
        kind: b.getAttribute('data-kind'),
        fields: [...new Set([...b.querySelectorAll('[data-field]')].map((f) => f.getAttribute('data-field')))],
        visible: b.getBoundingClientRect().height > 0,
      }))`,
    );
    expect(new Set(blocks.map((b) => b.kind))).toEqual(new Set(Object.keys(KIND_FIELDS)));
    for (const b of blocks) {
      expect(b.visible, b.kind).toBe(true);
      for (const f of KIND_FIELDS[b.kind].has) expect(b.fields, `${b.kind} shows ${f}`).toContain(f);
      for (const f of KIND_FIELDS[b.kind].never)
        expect(b.fields, `${b.kind} never shows ${f}`).not.toContain(f);
    }
  });

  it('grades each step by the evidence it has: exact computations are never called Monte Carlo', async () => {
    const steps = await inPage<{ grade: string; kinds: string[] }[]>(
      page,
      `[...document.querySelectorAll('.step')].map((s) => ({
        grade: s.querySelector('.step-head .grade').className.replace('grade grade-', ''),
        kinds: [...new Set([...s.querySelectorAll(':scope > .evidence[data-kind]')].map((b) => b.getAttribute('data-kind')))],
      }))`,
    );
    const exactOnly = steps.filter((s) => s.grade === 'confirmed-exact');
    expect(exactOnly.length).toBe(3); // ddim-is-euler, reflow-gaussian-exact twice
    for (const s of exactOnly) expect(s.kinds).toEqual(['exact']);
    for (const s of steps.filter((x) => x.grade === 'confirmed-mc')) expect(s.kinds).toContain('monte-carlo');
    const ddim = await inPage<string>(
      page,
      `document.querySelector('#claim-ddim-is-euler h2 .grade').textContent`,
    );
    expect(ddim).toBe('confirmed (exact computation)');
  });

  it('shows a refuted step with the residual at its counterexample, never a zero under it', async () => {
    const refuted = await inPage<{ lhs: string; rhs: string; residual: string; max: string }[]>(
      page,
      `[...document.querySelectorAll('.step.refuted')].map((s) => ({
        lhs: s.querySelector('[data-field="lhs"]').textContent,
        rhs: s.querySelector('[data-field="rhs"]').textContent,
        residual: s.querySelector('.counterexample [data-field="residual"]').textContent,
        max: s.querySelector('.evidence[data-kind="numeric"] [data-field="maxResidual"] b').textContent,
      }))`,
    );
    expect(refuted).toHaveLength(2);
    for (const r of refuted) {
      const [l, rr] = [Number(r.lhs), Number(r.rhs)];
      const expected = Math.abs(l - rr) / Math.max(1, Math.abs(l), Math.abs(rr));
      expect(Number(r.residual)).toBeCloseTo(expected, 2);
      expect(Number(r.max)).toBeGreaterThanOrEqual(Number(r.residual));
    }
    // The erratum of the issue: lhs -6, rhs 2 at t = 0.5, x = 1, x_1 = 0.
    expect(refuted.map((r) => [r.lhs, r.rhs])).toContainEqual(['-6', '2']);
  });

  it("says why each diagnostic does not count (reflow's learned rounds)", async () => {
    const why = await inPage<string[]>(
      page,
      `[...document.querySelectorAll('#claim-reflow-straightness .diagnostics .why')].map((p) => p.textContent)`,
    );
    expect(why.length).toBeGreaterThanOrEqual(1);
    for (const w of why) expect(w).toMatch(/^Not counted: round \d integrates a trained MLP.*learning error/);
  });

  it('loads nothing from the network and logs no error', () => {
    expect(external(opened.requests)).toEqual([]);
    expect(opened.consoleErrors).toEqual([]);
  });
});
