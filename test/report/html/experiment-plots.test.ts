// The HTML report draws the plots a real Monte-Carlo experiment carries (result.data.plots) as inline
// SVG in the experiment's step: one figure per plot spec, none of them an error box.
import { describe, expect, it } from 'vitest';
import { runExperiment, type ExperimentResult } from '../../../src/experiments/index.js';
import { renderHtmlReport } from '../../../src/report/html.js';
import type { StepResult } from '../../../src/report/types.js';
import { marginalsPlot } from '../../../src/report/plots/index.js';
import { fixtureReport } from './fixture.js';

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

/** The fixture report with its Monte-Carlo step replaced by the given experiment results. */
function reportWith(results: ExperimentResult[]) {
  const report = fixtureReport();
  const claim = report.claims[0];
  const template = claim.steps.find((s) => s.kind === 'experiment')!;
  claim.steps = [
    ...claim.steps.filter((s) => s.kind !== 'experiment'),
    ...results.map((r, i): StepResult => ({
      ...template,
      index: template.index + i,
      lhs: r.name,
      verdict:
        r.outcome === 'passed'
          ? { grade: 'confirmed-mc', evidence: r.evidence }
          : r.outcome === 'rejected'
            ? {
                grade: 'refuted',
                evidence: r.evidence,
                counterexample: { experiment: r.name, seed: 0, failed: r.failed },
              }
            : { grade: 'inconclusive', evidence: r.evidence, reason: r.reason },
      experiment: { name: r.name, params: {}, notes: r.notes, data: r.data },
    })),
  ];
  return report;
}

/** The HTML of each step of the report. */
const steps = (html: string) => html.split('<div class="step ').slice(1);

describe('HTML report: plots of real experiment runs', () => {
  it('draws histograms and scatters of sampler-recovers-data and the marginals of pf-ode-vs-sde', async () => {
    const samplers = await runExperiment(
      'sampler-recovers-data',
      { samples: 300, samplers: ['pf-ode-heun', 'fm-heun'] },
      { seed: 6 },
    );
    const marginals = await runExperiment('pf-ode-vs-sde-marginals', { samples: 300 }, { seed: 6 });
    const html = renderHtmlReport(reportWith([samplers, marginals]));
    expect(html).not.toContain('<div class="plot-error">');
    expect(count(html, /<svg[^>]*data-kind="histogram"/g)).toBe(2); // gmm-1d-2, one per sampler
    expect(count(html, /<svg[^>]*data-kind="scatter"/g)).toBe(2); // gmm-2d-8, one per sampler
    expect(count(html, /<svg[^>]*data-kind="marginals"/g)).toBe(1);
    expect(html).toContain('<title>pf-ode-heun on gmm-1d-2 (vp-sde (diffusion), 100 steps)</title>');
    // The histogram's legend states the run's sample count; the exact law is drawn too.
    expect(html).toContain('pf-ode-heun (n = 300)');
    expect(count(html, /class="fp-exact"/g)).toBeGreaterThanOrEqual(2 + 2 + 4);
    // Each plot sits in the step of the experiment that made it.
    const [step] = steps(html).filter((s) => s.includes('data-kind="marginals"'));
    expect(step).toContain('pf-ode-vs-sde-marginals');
    expect(count(step, /<figure class="wide"><svg/g)).toBe(1); // small multiples take a whole row
    // Single plots are grid cells (the grid puts several on a row).
    expect(count(html, /<figure><svg[^>]*data-kind="histogram"/g)).toBe(2);
  });

  it('draws the tweedie-score estimates against the formula curve', async () => {
    const r = await runExperiment('tweedie-score', { samples: 5000, times: [0.3, 0.6] }, { seed: 3 });
    const html = renderHtmlReport(reportWith([r]));
    expect(html).not.toContain('<div class="plot-error">');
    expect(count(html, /<svg[^>]*data-kind="lines"/g)).toBe(2);
    expect(html).toContain('E[data | x_t = x] at t = 0.3');
  });

  it('draws the entropic-OT and Schrödinger-bridge plots: c against sigma, bridge marginals, variance, coupling, straightness', async () => {
    const sinkhorn = await runExperiment(
      'entropic-ot-sinkhorn',
      { samples: 40, sigmas: [0.5, 2] },
      { seed: 2 },
    );
    const bridge = await runExperiment('sb-sde-marginals', { samples: 2000, times: [0.5, 1] }, { seed: 2 });
    const couplings = await runExperiment(
      'coupling-straightness',
      { draws: 300, batchSizes: [4] },
      { seed: 2 },
    );
    const html = renderHtmlReport(reportWith([sinkhorn, bridge, couplings]));
    expect(html).not.toContain('<div class="plot-error">');
    expect(count(html, /<svg[^>]*data-kind="lines"/g)).toBe(3); // c(sigma), Var(X_t), S(B)
    expect(count(html, /<svg[^>]*data-kind="marginals"/g)).toBe(1);
    expect(count(html, /<svg[^>]*data-kind="scatter"/g)).toBe(1);
    expect(html).toContain('Sinkhorn on samples vs closed form');
    expect(html).toContain('End coupling (X0, X1)');
    expect(html).toContain('against the minibatch size');
  }, 60_000);
});

describe('marginals layout', () => {
  const panel = { label: 't = 1', series: [{ name: 'PF-ODE', edges: [0, 1, 2], counts: [3, 1] }] };
  it('keeps the legend on the title line when both fit, else gives it a line of its own', () => {
    const short = marginalsPlot({ kind: 'marginals', title: 'short', panels: [panel, panel] });
    expect(short).toContain('<g transform="translate(0,22)">');
    const long = marginalsPlot({
      kind: 'marginals',
      title: 'a long title '.repeat(8),
      panels: [panel, panel],
    });
    expect(long).toContain('<g transform="translate(0,40)">');
    expect(long).toContain('<g transform="translate(8,0)" font-size="11" class="fp-legend">');
    expect(long).toContain('lengthAdjust="spacingAndGlyphs"');
  });
});
