// Checks of a discrete schedule exported as alphasCumprod (and optionally betas), exhaustively over
// every timestep: the declared indexing, monotonicity, the cumulative product, the declared reference.
import { getDiscrete, type DiscreteSchedule } from '../../schedules/index.js';
import type { UserModule } from '../module.js';
import { skip, type CheckResult, type Tolerance } from '../result.js';
import { endpointsResult } from './schedule.js';

export function discreteScheduleChecks(m: UserModule, tol: Tolerance): CheckResult[] {
  return [
    indexingCheck(m),
    monotoneCheck(m),
    cumprodCheck(m, tol),
    referenceCheck(m, tol),
    endpointsCheck(m),
  ];
}

/** snr = abar / (1 - abar) at the first and the last noisy timestep (thresholds: see endpointsResult). */
function endpointsCheck(m: UserModule): CheckResult {
  const a = m.alphasCumprod!;
  const first = oneBased(m) ? 1 : 0;
  const last = a.length - 1;
  const snr = (k: number) => a[k] / (1 - a[k]);
  return endpointsResult(
    `timesteps ${first} (least noisy) to ${last} (noisiest), ${m.meta.timestepIndexing}`,
    { dataEnd: first, noiseEnd: last },
    snr(first),
    snr(last),
    { [`alphasCumprod[${first}]`]: a[first], [`alphasCumprod[${last}]`]: a[last] },
  );
}

const oneBased = (m: UserModule) => m.meta.timestepIndexing === 'one-based';

/** One-based arrays hold abar[0] = 1 (the data); zero-based arrays start at abar of the first noisy step. */
function indexingCheck(m: UserModule): CheckResult {
  const name = 'discrete:indexing';
  const a0 = m.alphasCumprod![0];
  const ok = oneBased(m) ? a0 === 1 : a0 < 1;
  const expected = oneBased(m)
    ? 'alphasCumprod[0] = 1 (timestep 0 is the data in one-based indexing)'
    : 'alphasCumprod[0] < 1 (timestep 0 is the first noisy step in zero-based indexing)';
  if (ok)
    return {
      name,
      status: 'pass',
      summary: `declared ${m.meta.timestepIndexing}: ${expected}`,
      evidence: { pointsTried: 1 },
    };
  return {
    name,
    status: 'fail',
    summary: `the array does not match the declared ${m.meta.timestepIndexing} indexing (off by one?)`,
    evidence: { pointsTried: 1 },
    counterexample: {
      inputs: { index: 0 },
      expected: { 'alphasCumprod[0]': expected },
      got: { 'alphasCumprod[0]': a0 },
    },
  };
}

/** The noisy entries lie in (0, 1) and strictly decrease. */
function monotoneCheck(m: UserModule): CheckResult {
  const name = 'discrete:monotone';
  const a = m.alphasCumprod!;
  const start = oneBased(m) ? 1 : 0;
  for (let k = start; k < a.length; k++) {
    const inRange = a[k] > 0 && a[k] < 1;
    const decreasing = k === start || a[k] < a[k - 1];
    if (!inRange || !decreasing) {
      return {
        name,
        status: 'fail',
        summary: `alphasCumprod must lie in (0, 1) and strictly decrease over the noisy timesteps`,
        evidence: { pointsTried: k - start + 1 },
        counterexample: {
          inputs: { timestep: k },
          expected: {
            [`alphasCumprod[${k}]`]: inRange ? `< alphasCumprod[${k - 1}] = ${a[k - 1]}` : 'in (0, 1)',
          },
          got: { [`alphasCumprod[${k}]`]: a[k] },
        },
      };
    }
  }
  return {
    name,
    status: 'pass',
    summary: `${a.length - start} noisy entries in (0, 1), strictly decreasing`,
    evidence: { pointsTried: a.length - start },
  };
}

/** alphasCumprod[k] = prod_{j <= k} (1 - betas[j]) in the module's own indexing. */
function cumprodCheck(m: UserModule, tol: Tolerance): CheckResult {
  const name = 'discrete:cumprod';
  const { alphasCumprod: a, betas } = m;
  if (!betas) return skip(name, 'betas not exported');
  if (betas.length !== a!.length)
    return lengthMismatch(
      name,
      `betas has ${betas.length} entries, alphasCumprod ${a!.length}: they must share the indexing`,
    );
  const start = oneBased(m) ? 1 : 0;
  let prod = 1;
  let maxError = 0;
  // Each product adds at most one rounding of relative size rtol (float32 libraries: pass a larger rtol).
  const rule = `|got - expected| <= ${tol.rtol} k |expected| + ${tol.atol}`;
  for (let k = start; k < a!.length; k++) {
    prod *= 1 - betas[k];
    const err = Math.abs(a![k] - prod);
    const allowed = tol.rtol * (k + 1) * prod + tol.atol;
    if (!(err <= allowed)) {
      return {
        name,
        status: 'fail',
        summary:
          'alphasCumprod is not the cumulative product of (1 - betas) (a single 1 - beta where the product is meant?)',
        evidence: { pointsTried: k - start + 1, maxError, tolerance: rule },
        counterexample: {
          inputs: { timestep: k, [`betas[${k}]`]: betas[k] },
          expected: { [`prod_{j<=${k}} (1 - betas[j])`]: prod },
          got: { [`alphasCumprod[${k}]`]: a![k] },
          ...errorFields(err, allowed),
        },
      };
    }
    maxError = Math.max(maxError, err);
  }
  return {
    name,
    status: 'pass',
    summary: `cumulative product of (1 - betas) at all ${a!.length - start} timesteps`,
    evidence: { pointsTried: a!.length - start, maxError, tolerance: rule },
  };
}

function referenceCheck(m: UserModule, tol: Tolerance): CheckResult {
  const name = 'discrete:reference';
  const decl = m.meta.schedule;
  if (!decl) return skip(name, 'no meta.schedule declared');
  const ref: DiscreteSchedule = getDiscrete(decl.name, decl.numSteps);
  const a = m.alphasCumprod!;
  const start = oneBased(m) ? 1 : 0;
  const expectedLength = decl.numSteps + start;
  if (a.length !== expectedLength)
    return lengthMismatch(
      name,
      `${decl.name} with ${decl.numSteps} steps in ${m.meta.timestepIndexing} indexing has ${expectedLength} entries; alphasCumprod has ${a.length}`,
    );
  let maxError = 0;
  const rule = `|got - expected| <= ${tol.rtol} (1 + |expected|) + ${tol.atol}`;
  for (let k = start; k < a.length; k++) {
    const tIndex = k + 1 - start; // DDPM's 1-based index of this entry
    const e = ref.abar(tIndex);
    const err = Math.abs(a[k] - e);
    const allowed = tol.rtol * (1 + e) + tol.atol;
    if (!(err <= allowed)) {
      return {
        name,
        status: 'fail',
        summary: `alphasCumprod differs from ${decl.name}(${decl.numSteps})`,
        evidence: { pointsTried: k - start + 1, maxError, tolerance: rule },
        counterexample: {
          inputs: { timestep: k, ddpmIndex: tIndex },
          expected: { abar: e },
          got: { [`alphasCumprod[${k}]`]: a[k] },
          ...errorFields(err, allowed),
        },
      };
    }
    maxError = Math.max(maxError, err);
  }
  return {
    name,
    status: 'pass',
    summary: `all ${decl.numSteps} entries match ${decl.name}(${decl.numSteps})`,
    evidence: { pointsTried: decl.numSteps, maxError, tolerance: rule },
  };
}

const errorFields = (error: number, allowed: number) => ({ error, allowed, ratio: error / allowed });

function lengthMismatch(name: string, summary: string): CheckResult {
  return { name, status: 'fail', summary, evidence: {} };
}
