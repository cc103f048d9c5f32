// `npm run docs:screenshots`: regenerates the README's screenshots from a report made now, so they cannot
// go stale. Runs `flowproof verify --report` on the built-in derivations (the full run, Monte Carlo on,
// default seed), opens the report in Debian's Chromium (playwright-core, as test/browser does) and writes
//   docs/report.png            the top of the report: banner and summary table
//   docs/report-evidence.png   one claim's steps: a proof, high-precision numerics, an exact computation
//   docs/report-marginals.png  a Monte-Carlo step's plot: PF-ODE and reverse SDE against p_t
// and docs/screenshots.json (what the pictures show: counts per grade, seed, version, date), which
// screenshots.test.ts beside this script holds against the derivation files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { VerifyReport } from '../../src/report/types.js';
import { inPage, launchChromium, openFile } from '../report/browser/chromium.js';

const DOCS = resolve('docs');

async function run(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'flowproof-docs-'));
  try {
    const report = join(dir, 'report.html');
    const json = join(dir, 'report.json');
    const code = await main(['verify', '--report', report, '--json', json, '--quiet']);
    if (code !== 0) {
      process.stderr.write(`docs:screenshots: verify exited ${code}; not replacing the screenshots\n`);
      return 1;
    }
    const browser = await launchChromium();
    try {
      const { page } = await openFile(browser, report);
      await page.setViewportSize({ width: 1100, height: 1000 });
      await page.screenshot({ path: join(DOCS, 'report.png') });
      // One claim with every layer of evidence on its steps, its derivation prose left collapsed.
      const claim = page.locator('#claim-ddim-is-euler');
      await inPage(page, `document.querySelector('#claim-ddim-is-euler details.checked-as').open = true`);
      await claim.screenshot({ path: join(DOCS, 'report-evidence.png') });
      const plot = page.locator('#claim-pf-ode-drift-vp svg.fp-plot[data-kind="marginals"]');
      await plot.screenshot({ path: join(DOCS, 'report-marginals.png') });
    } finally {
      await browser.close();
    }
    const r = JSON.parse(readFileSync(json, 'utf8')) as VerifyReport;
    const record = {
      generatedBy: 'npm run docs:screenshots',
      date: r.startedAt,
      version: r.tool.version,
      seed: r.seed,
      claims: r.summary.total,
      byGrade: Object.fromEntries(Object.entries(r.summary.byGrade).filter(([, n]) => n > 0)),
    };
    writeFileSync(join(DOCS, 'screenshots.json'), JSON.stringify(record, null, 2) + '\n');
    process.stdout.write(
      `docs:screenshots: wrote docs/report.png, docs/report-evidence.png, docs/report-marginals.png\n`,
    );
    process.stdout.write(`${JSON.stringify(record)}\n`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

run().then((code) => {
  process.exitCode = code;
});
