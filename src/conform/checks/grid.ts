// Checks of an exported sampling grid (`timesteps` of a discrete schedule, or `sigmas` / `timesteps` of
// a continuous path): it runs from the noise end to the data end, it equals the declared grid (Karras
// sigmas, or a diffusers timestep spacing in the module's indexing), and its ends are noise- and
// data-dominated by the module's own schedule (see endpointsResult for the thresholds).
import { karrasSigmas } from '../../schedules/index.js';
import { timeAtLevel, type Axis } from '../axis.js';
import type { GridDeclaration, UserModule } from '../module.js';
import { guard } from '../property.js';
import { fmt, skip, type CheckResult, type Tolerance } from '../result.js';
import { endpointsResult, snrOf } from './schedule.js';
import { snapToDomain } from './step.js';

/** numpy's round (half to even), so grids match diffusers' `np.round` / `.round()` exactly. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The diffusers timestep spacings over T training steps, zero-based, in sampling order
 * (DDIMScheduler / DDPMScheduler.set_timesteps; "Common Diffusion Noise Schedules and Sample Steps are
 * Flawed", Lin et al. 2024, table 2):
 *   linspace: round(linspace(0, T - 1, n)) reversed
 *   leading:  (0..n-1) * (T // n) reversed, + offset
 *   trailing: round(arange(T, 0, -T/n)) - 1
 */
export function spacedTimesteps(
  spacing: 'leading' | 'trailing' | 'linspace',
  T: number,
  n: number,
  offset = 0,
) {
  const out: number[] = [];
  if (spacing === 'linspace') {
    const step = (T - 1) / (n - 1);
    for (let i = n - 1; i >= 0; i--) out.push(i === n - 1 ? T - 1 : roundHalfEven(i * step));
  } else if (spacing === 'leading') {
    const ratio = Math.floor(T / n);
    for (let i = n - 1; i >= 0; i--) out.push(i * ratio + offset);
  } else {
    // np.arange(T, 0, -ratio): ceil(T / ratio) values T - i ratio.
    const ratio = T / n;
    const count = Math.ceil(T / ratio);
    for (let i = 0; i < count; i++) out.push(roundHalfEven(T - i * ratio) - 1);
  }
  return out;
}

/** The declared grid in the module's own numbering (one-based timesteps are zero-based + 1). */
export function referenceGrid(decl: GridDeclaration, m: UserModule): number[] {
  if (decl.name === 'karras')
    return Array.from(karrasSigmas(decl.numSteps, decl.sigmaMin, decl.sigmaMax, decl.rho));
  const oneBased = m.meta.timestepIndexing === 'one-based';
  const T = m.alphasCumprod!.length - (oneBased ? 1 : 0);
  return spacedTimesteps(decl.name, T, decl.numSteps, decl.offset).map((k) => k + (oneBased ? 1 : 0));
}

export function gridChecks(m: UserModule, axis: Axis, tol: Tolerance): CheckResult[] {
  const grid = m.grid!;
  return [orderCheck(grid.name, grid.values, axis), referenceCheck(m, tol), endpointsCheck(m, axis)];
}

/** Where the grid's last entry may lie beyond the data end of the domain: EDM's final sigma = 0. */
const finalDataEntry = (axis: Axis, v: number, last: boolean) =>
  last && axis.kind === 'continuous' && axis.convention === 'diffusion' && v === 0;

/** Strictly from the noise end toward the data end, inside the schedule's domain (up to GRID_SNAP at its ends). */
function orderCheck(name: string, g: Float64Array, axis: Axis): CheckResult {
  const check = 'grid:order';
  const [lo, hi] = axis.kind === 'discrete' ? [axis.clean, axis.first] : [axis.tMin, axis.tMax];
  const towardData = axis.convention === 'diffusion' ? -1 : 1;
  for (let k = 0; k < g.length; k++) {
    const v = axis.kind === 'continuous' ? snapToDomain(axis, g[k]) : g[k];
    const inDomain =
      (v >= lo && v <= hi && (axis.kind === 'continuous' || Number.isInteger(v))) ||
      finalDataEntry(axis, v, k === g.length - 1);
    const ordered = k === 0 || (g[k] - g[k - 1]) * towardData > 0;
    if (!inDomain || !ordered)
      return {
        name: check,
        status: 'fail',
        summary: `${name} must run strictly from the noise end to the data end inside [${lo}, ${hi}]${axis.kind === 'discrete' ? ' (integers)' : ''}`,
        evidence: { pointsTried: k + 1 },
        counterexample: {
          inputs: { index: k },
          expected: {
            [`${name}[${k}]`]: !inDomain
              ? `in [${lo}, ${hi}]`
              : `${towardData < 0 ? '<' : '>'} ${name}[${k - 1}] = ${fmt(g[k - 1])}`,
          },
          got: { [`${name}[${k}]`]: v },
        },
      };
  }
  return {
    name: check,
    status: 'pass',
    summary: `${g.length} entries from the noise end toward the data end (${axis.convention} convention)`,
    evidence: { pointsTried: g.length },
  };
}

function referenceCheck(m: UserModule, tol: Tolerance): CheckResult {
  const check = 'grid:reference';
  const decl = m.meta.grid;
  const { name, values: g } = m.grid!;
  if (!decl) return skip(check, 'no meta.grid declared: only the order and the ends are checked');
  const ref = referenceGrid(decl, m);
  const label =
    decl.name === 'karras'
      ? `karras(numSteps ${decl.numSteps}, sigmaMin ${decl.sigmaMin}, sigmaMax ${decl.sigmaMax}, rho ${decl.rho})`
      : `${decl.name} spacing of ${decl.numSteps} steps${decl.offset ? ` + offset ${decl.offset}` : ''} (${m.meta.timestepIndexing})`;
  // A Karras grid may be given with or without its final 0.
  const lengthOk = g.length === ref.length || (decl.name === 'karras' && g.length === ref.length - 1);
  if (!lengthOk)
    return {
      name: check,
      status: 'fail',
      summary: `${name} has ${g.length} entries; the declared ${label} has ${ref.length}`,
      evidence: {},
    };
  let maxError = 0;
  const rule = `|got - expected| <= ${tol.rtol} (1 + |expected|) + ${tol.atol}`;
  for (let k = 0; k < g.length; k++) {
    const err = Math.abs(g[k] - ref[k]);
    const allowed = decl.name === 'karras' ? tol.rtol * (1 + Math.abs(ref[k])) + tol.atol : 0;
    if (!(err <= allowed))
      return {
        name: check,
        status: 'fail',
        summary: `${name} differs from the declared ${label}`,
        evidence: { pointsTried: k + 1, maxError, tolerance: rule },
        counterexample: {
          inputs: { index: k },
          expected: { [`${name}[${k}]`]: ref[k] },
          got: { [`${name}[${k}]`]: g[k] },
          error: err,
          allowed,
          ratio: allowed > 0 ? err / allowed : Infinity,
        },
      };
    maxError = Math.max(maxError, err);
  }
  return {
    name: check,
    status: 'pass',
    summary: `all ${g.length} entries match the declared ${label}`,
    evidence: { pointsTried: g.length, maxError, tolerance: decl.name === 'karras' ? rule : 'exact' },
  };
}

/**
 * The grid must start noise-dominated by the module's own schedule (snr <= SNR_NOISE_END_MAX, see
 * endpointsResult): sampling starts from pure noise there. Its other end is the data by construction (the
 * last step goes to the data), so a few-step grid whose last entry is still noisy is not flagged.
 */
function endpointsCheck(m: UserModule, axis: Axis): CheckResult {
  const { name, values: g } = m.grid!;
  const first = axis.kind === 'continuous' ? snapToDomain(axis, g[0]) : g[0];
  const a = guard(() => axis.point(first).alpha);
  const s = guard(() => axis.point(first).sigma);
  const final = axis.kind === 'discrete' ? m.meta.finalTimestep : undefined;
  const dataEnd = axis.kind === 'discrete' ? axis.clean : timeAtLevel(axis, 0);
  const lastStep =
    final === undefined
      ? `the last step goes to the data end ${fmt(dataEnd)}`
      : `the last step goes to timestep ${final} (meta.finalTimestep)`;
  const r = endpointsResult(
    `${name}[0] = ${fmt(first)} by ${axis.source}; ${lastStep}`,
    { [`${name}[0]`]: first },
    Infinity,
    snrOf(a, s),
    {},
  );
  return { ...r, name: 'grid:endpoints' };
}
