// Bug zoo, correct: a flow-matching library in the flow convention (t = 0 noise, t = 1 data) on the
// linear path with an SD3-style time shift 3 baked into its schedule, an x0-predicting model and the
// Euler step on dx/dt in its own time t.
export const meta = {
  convention: 'flow',
  path: 'rectified-flow',
  shift: 3,
  predictionType: 'data',
  sampler: 'euler',
};

export const SHIFT = 3;
/** The shifted noise level s(u) = shift u / (1 + (shift - 1) u) of the unshifted u = 1 - t. */
export const shifted = (u: number) => (SHIFT * u) / (1 + (SHIFT - 1) * u);
export const dShifted = (u: number) => SHIFT / (1 + (SHIFT - 1) * u) ** 2;

export const sigma = (t: number) => shifted(1 - t);
export const alpha = (t: number) => 1 - sigma(t);
export const dSigma = (t: number) => -dShifted(1 - t);
export const dAlpha = (t: number) => dShifted(1 - t);

/** x = (1 - s) data + s noise, so dx/dt = s'(u) (data - noise). */
export const dataToVelocity = (data: number, x: number, t: number) =>
  (dShifted(1 - t) * (data - x)) / sigma(t);
export const velocityToData = (v: number, x: number, t: number) => x + (sigma(t) * v) / dShifted(1 - t);
export const dataToEps = (data: number, x: number, t: number) => (x - alpha(t) * data) / sigma(t);

export function eulerStep(
  data: number,
  t: number,
  tPrev: number,
  x: number,
  level: (u: number) => number = shifted,
): number {
  const s = level(1 - t);
  const noise = (x - (1 - s) * data) / s;
  const velocity = dShifted(1 - t) * (data - noise);
  return x + (tPrev - t) * velocity;
}

export function step(data: number, t: number, tPrev: number, x: number): number {
  return eulerStep(data, t, tPrev, x);
}
