// Samplers are written as ordinary update formulas over linear combinations of the state x and the model
// outputs M_j of the current step; the builder records the coefficients into a StepProgram that every
// backend executes (see tensor/program.ts).
import { DomainError } from '../core/errors.js';
import { convert, type Parameterization, type PathPoint } from '../params/conversions.js';
import type { StepProgram } from '../tensor/program.js';
import type { Clock, TimePoint } from './clock.js';

/** c.x * x + sum_j c.m[j] * M_j. */
export class LinComb {
  constructor(
    readonly x: number,
    readonly m: readonly number[] = [],
  ) {}
  plus(o: LinComb): LinComb {
    const len = Math.max(this.m.length, o.m.length);
    return new LinComb(
      this.x + o.x,
      [...Array(len).keys()].map((j) => (this.m[j] ?? 0) + (o.m[j] ?? 0)),
    );
  }
  times(c: number): LinComb {
    return new LinComb(
      this.x * c,
      this.m.map((v) => v * c),
    );
  }
}

/** Sum of scalar multiples: lin([a, A], [b, B]) = a A + b B. */
export function lin(...terms: [number, LinComb][]): LinComb {
  return terms.reduce((acc, [c, v]) => acc.plus(v.times(c)), new LinComb(0));
}

export interface Evaluation {
  y: LinComb;
  point: TimePoint;
  /** The raw model output at y, as M_i. */
  output: LinComb;
}

export interface StepContext {
  /** The current state. */
  readonly x: LinComb;
  point(t: number): TimePoint;
  /** Evaluate the model at y, time t (at most S evaluations per step). */
  evaluate(y: LinComb, t: number): Evaluation;
  /** The evaluation's output as parameterization `kind` (affine in y and the output, via src/params). */
  as(kind: Parameterization, ev: Evaluation): LinComb;
  /** Whether the model output converts to `kind` at time t (false where the conversion divides by 0). */
  canConvert(kind: Parameterization, t: number): boolean;
}

export interface StepUpdate {
  next: LinComb;
  /** Scale of the standard normal draw added (0: deterministic). */
  noise: number;
}

export type StepFn = (ctx: StepContext, t: number, tNext: number) => StepUpdate;

function conversionCoefficients(
  from: Parameterization,
  to: Parameterization,
  c: PathPoint,
): [number, number] {
  // convert(from, to, value, x) is linear in (value, x): read off both coefficients.
  return [convert(from, to, 1, 0, c), convert(from, to, 0, 1, c)];
}

/**
 * Record `step` over the grid times[0] -> times[1] -> ... into a program. `output` is what the model
 * returns; the model is called with clock.modelTime(t) (the user's own time convention, or tIndex).
 */
export function buildProgram(
  step: StepFn,
  maxStages: number,
  clock: Clock,
  times: Float64Array,
  output: Parameterization,
  save: Uint8Array,
): StepProgram {
  const numSteps = times.length - 1;
  const S = maxStages;
  const p: StepProgram = {
    numSteps,
    maxStages: S,
    stages: new Int32Array(numSteps),
    evalT: new Float64Array(numSteps * S),
    evalAlpha: new Float64Array(numSteps * S),
    evalSigma: new Float64Array(numSteps * S),
    evalX: new Float64Array(numSteps * S),
    evalM: new Float64Array(numSteps * S * S),
    nextX: new Float64Array(numSteps),
    nextM: new Float64Array(numSteps * S),
    nextZ: new Float64Array(numSteps),
    save,
  };
  for (let s = 0; s < numSteps; s++) {
    let count = 0;
    const ctx: StepContext = {
      x: new LinComb(1),
      point: (t) => clock.point(t),
      evaluate(y, t) {
        if (count === S)
          throw new DomainError('buildProgram', 'evaluations per step', count + 1, `exceed ${S}`);
        const point = clock.point(t);
        const i = count++;
        const row = (s * S + i) * S;
        p.evalT[s * S + i] = clock.modelTime(t);
        p.evalAlpha[s * S + i] = point.alpha;
        p.evalSigma[s * S + i] = point.sigma;
        p.evalX[s * S + i] = y.x;
        y.m.forEach((c, j) => (p.evalM[row + j] = c));
        const m = Array(i + 1).fill(0);
        m[i] = 1;
        return { y, point, output: new LinComb(0, m) };
      },
      as(kind, ev) {
        const [onValue, onX] = conversionCoefficients(output, kind, ev.point);
        return lin([onValue, ev.output], [onX, ev.y]);
      },
      canConvert(kind, t) {
        try {
          conversionCoefficients(output, kind, clock.point(t));
          return true;
        } catch (err) {
          if (err instanceof DomainError) return false;
          throw err;
        }
      },
    };
    const { next, noise } = step(ctx, times[s], times[s + 1]);
    p.stages[s] = count;
    p.nextX[s] = next.x;
    next.m.forEach((c, j) => (p.nextM[s * S + j] = c));
    p.nextZ[s] = noise;
  }
  return p;
}
