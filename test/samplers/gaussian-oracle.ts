// Test oracle: for a 1-D Gaussian target N(m, v) the exact denoiser is affine, E[data | y] = p + q y with
// q = alpha v / (alpha^2 v + sigma^2), p = m - q alpha m, so every stage output is affine in the state and
// a step program maps N(mu, s2) to N(A mu + B, A^2 s2 + cz^2) exactly. This gives the exact law of a
// sampler's output (its discretisation error included) without Monte Carlo.
import type { StepProgram } from '../../src/tensor/program.js';

export function exactGaussianMoments(
  program: StepProgram,
  m: number,
  v: number,
  mu0: number,
  s20: number,
): [number, number] {
  const S = program.maxStages;
  let mu = mu0;
  let s2 = s20;
  for (let s = 0; s < program.numSteps; s++) {
    const P: number[] = []; // M_i = P_i + Q_i x
    const Q: number[] = [];
    for (let i = 0; i < program.stages[s]; i++) {
      let yP = 0;
      let yQ = program.evalX[s * S + i];
      for (let j = 0; j < i; j++) {
        const a = program.evalM[(s * S + i) * S + j];
        yP += a * P[j];
        yQ += a * Q[j];
      }
      const alpha = program.evalAlpha[s * S + i];
      const sigma = program.evalSigma[s * S + i];
      const q = (alpha * v) / (alpha * alpha * v + sigma * sigma);
      const p = m - q * alpha * m;
      P.push(p + q * yP);
      Q.push(q * yQ);
    }
    let A = program.nextX[s];
    let B = 0;
    for (let i = 0; i < P.length; i++) {
      A += program.nextM[s * S + i] * Q[i];
      B += program.nextM[s * S + i] * P[i];
    }
    mu = A * mu + B;
    s2 = A * A * s2 + program.nextZ[s] ** 2;
  }
  return [mu, s2];
}
