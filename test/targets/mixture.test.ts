import { describe, expect, it } from 'vitest';
import { getPath, toConvention } from '../../src/schedules/index.js';
import { pathPoint } from '../../src/params/index.js';
import { DiscreteLaw, GaussianMixture, getTarget, TARGETS, asMixture } from '../../src/targets/index.js';
import { Rng } from '../../src/core/rng.js';
import { DomainError, InputError } from '../../src/core/errors.js';

const vp = getPath('vp-sde');
const rf = getPath('rectified-flow');
const aniso = new GaussianMixture('aniso-mix', {
  weights: [0.2, 0.5, 0.3],
  means: [
    [1, -1, 0.5],
    [-2, 0.3, 1],
    [0.5, 2, -1.5],
  ],
  variances: [[0.3, 1.2, 0.5], 0.4, [2, 0.1, 0.7]],
});

/** Central difference of f along coordinate j. */
function fd(f: (x: number[]) => number, x: number[], j: number, h = 1e-5): number {
  const up = [...x];
  const dn = [...x];
  up[j] += h;
  dn[j] -= h;
  return (f(up) - f(dn)) / (2 * h);
}

describe('GaussianMixture fields along a path', () => {
  const cases = [
    { path: vp, t: 0.3 },
    { path: vp, t: 0.9 },
    { path: rf, t: 0.4 },
    { path: getPath('ve-sde'), t: 0.5 },
  ];
  for (const { path, t } of cases) {
    it(`score = grad log p, div velocity = trace of its Jacobian (${path.name}, t = ${t})`, () => {
      const c = pathPoint(path, t);
      const rng = new Rng(3);
      for (let trial = 0; trial < 5; trial++) {
        const x = [...rng.fillNormal(new Float64Array(3))].map((z) => 2 * z);
        const f = aniso.fieldsAt(x, c);
        for (let j = 0; j < 3; j++) {
          const num = fd((y) => aniso.fieldsAt(y, c).logDensity, x, j);
          expect(f.score[j]).toBeCloseTo(num, 5);
        }
        let div = 0;
        for (let j = 0; j < 3; j++) div += fd((y) => aniso.fieldsAt(y, c).velocity[j], x, j);
        expect(f.divVelocity).toBeCloseTo(div, 4);
        // Tweedie: alpha E[data|x] = x + sigma^2 score; and x = alpha E[data|x] + sigma E[noise|x].
        for (let j = 0; j < 3; j++) {
          expect(c.alpha * f.data[j]).toBeCloseTo(x[j] + c.sigma ** 2 * f.score[j], 10);
          expect(c.alpha * f.data[j] + c.sigma * f.eps[j]).toBeCloseTo(x[j], 10);
          expect(f.velocity[j]).toBeCloseTo(c.dAlpha * f.data[j] + c.dSigma * f.eps[j], 10);
        }
      }
    });
  }

  it('posterior mean agrees with direct numerical integration over the data (1-D)', () => {
    const m = asMixture(getTarget('gmm-1d-2'));
    const c = pathPoint(vp, 0.35);
    for (const x of [-1.7, 0.2, 1.1]) {
      // E[data | x] = int data p(data) N(x; alpha data, sigma^2) / int p(data) N(...), midpoint rule.
      let num = 0;
      let den = 0;
      for (let u = -8; u < 8; u += 1e-4) {
        const pd = Math.exp(m.fieldsAt([u], { alpha: 1, sigma: 0, dAlpha: 0, dSigma: 0 }).logDensity);
        const lik = Math.exp(-((x - c.alpha * u) ** 2) / (2 * c.sigma ** 2));
        num += u * pd * lik;
        den += pd * lik;
      }
      expect(m.fieldsAt([x], c).data[0]).toBeCloseTo(num / den, 6);
    }
  });

  it('the density integrates to 1 and log-sum-exp keeps far points finite', () => {
    const m = asMixture(getTarget('gmm-1d-2'));
    const c = pathPoint(vp, 0.2);
    let total = 0;
    for (let u = -15; u < 15; u += 1e-3) total += Math.exp(m.fieldsAt([u], c).logDensity) * 1e-3;
    expect(total).toBeCloseTo(1, 6);
    const far = m.fieldsAt([1e4], pathPoint(vp, 0.01));
    expect(
      Number.isFinite(far.logDensity) && Number.isFinite(far.score[0]) && Number.isFinite(far.data[0]),
    ).toBe(true);
    expect(far.logDensity).toBeLessThan(-1e6);
  });

  it('velocity is finite at the data end of the rectified flow (sigma = 0) and equals data velocity', () => {
    const m = asMixture(getTarget('gmm-2d-8'));
    const c = pathPoint(rf, 1);
    expect(c.sigma).toBe(0);
    const f = m.fieldsAt([4.1, 0.2], c);
    // At t = 1, x = data: E[data | x] = x, E[noise | x] = E[noise] = 0, velocity = dAlpha x.
    expect(f.data[0]).toBeCloseTo(4.1, 12);
    expect(f.eps[0]).toBe(0);
    expect(f.velocity[1]).toBeCloseTo(0.2, 12);
  });

  it('flow and diffusion conventions give the same fields at tau = 1 - t (velocity flips sign)', () => {
    const rfd = toConvention(rf, 'diffusion');
    const a = aniso.fieldsAt([0.3, -0.2, 1], pathPoint(rf, 0.7));
    const b = aniso.fieldsAt([0.3, -0.2, 1], pathPoint(rfd, 0.3));
    expect(a.logDensity).toBeCloseTo(b.logDensity, 12);
    expect(a.velocity[2]).toBeCloseTo(-b.velocity[2], 12);
  });
});

describe('GaussianMixture moments and sampling', () => {
  it('mean and covariance are exact (vs a seeded sample within 4.5 standard errors)', () => {
    const n = 200_000;
    const xs = aniso.sample(n, new Rng(9));
    const m = aniso.mean();
    const cov = aniso.covariance();
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += xs[i * 3 + j];
      expect(Math.abs(s / n - m[j])).toBeLessThan(4.5 * Math.sqrt(cov[j * 3 + j] / n));
    }
    // Exact values worked by hand for coordinate 0: mean = 0.2*1 - 0.5*2 + 0.3*0.5 = -0.65.
    expect(m[0]).toBeCloseTo(-0.65, 14);
    expect(cov[0]).toBeCloseTo(0.2 * (0.3 + 1) + 0.5 * (0.4 + 4) + 0.3 * (2 + 0.25) - 0.65 ** 2, 12);
  });

  it('marginal(alpha, sigma) has mean alpha m and covariance alpha^2 C + sigma^2 I', () => {
    const mg = aniso.marginal(0.6, 0.8);
    const c = aniso.covariance();
    const cm = mg.covariance();
    for (let i = 0; i < 9; i++) expect(cm[i]).toBeCloseTo(0.36 * c[i] + (i % 4 === 0 ? 0.64 : 0), 12);
    expect(mg.mean()[1]).toBeCloseTo(0.6 * aniso.mean()[1], 12);
  });

  it('rejects malformed specifications', () => {
    expect(() => new GaussianMixture('bad', { weights: [1, -1], means: [[0], [1]], variances: 1 })).toThrow(
      DomainError,
    );
    expect(() => new GaussianMixture('bad', { weights: [1], means: [[0, 1]], variances: [[1]] })).toThrow(
      /length d = 2/,
    );
    expect(() => new GaussianMixture('bad', { weights: [1], means: [[NaN]], variances: 1 })).toThrow(
      DomainError,
    );
    expect(() => getTarget('nope')).toThrow(InputError);
  });
});

describe('DiscreteLaw', () => {
  const law = getTarget('discrete-1d-3') as DiscreteLaw;
  it('computes exact expectations', () => {
    expect(law.expectation((a) => a[0])).toBeCloseTo(-0.25 + 1, 15);
    expect(law.expectation((a) => a[0] ** 2)).toBeCloseTo(0.25 + 2, 15);
  });
  it('has an exact posterior mean along a path for sigma > 0 and refuses sigma = 0', () => {
    const c = pathPoint(vp, 0.5);
    const x = 0.4;
    const ws = [0.25, 0.25, 0.5].map(
      (w, i) => w * Math.exp(-((x - c.alpha * [-1, 0, 2][i]) ** 2) / (2 * c.sigma ** 2)),
    );
    const expected = (ws[0] * -1 + ws[2] * 2) / (ws[0] + ws[1] + ws[2]);
    expect(law.mixture.fieldsAt([x], c).data[0]).toBeCloseTo(expected, 12);
    expect(() => law.mixture.fieldsAt([x], { alpha: 1, sigma: 0, dAlpha: 0, dSigma: 1 })).toThrow(/atom/);
  });
  it('every built-in target constructs', () => {
    for (const name of Object.keys(TARGETS)) expect(getTarget(name).d).toBeGreaterThan(0);
  });
});
