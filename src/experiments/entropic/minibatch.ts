// Couplings of two 1-D Gaussians mu = N(m0, a) (noise) and nu = N(m1, b) (data), and the velocity of the
// rectified flow each one induces, v(x, t) = E[X1 - X0 | X_t = x] with X_t = (1 - t) X0 + t X1.
//
// Minibatch OT with batch size B (Tong et al. 2024, OT-CFM; Pooladian et al. 2023): draw B points of each law,
// pair them by the optimal plan of the batch (in 1-D: sorted with sorted) and take a pair at random. Its
// law is (1/B) sum_k law(X0_(k)) x law(X1_(k)) (k-th order statistics of independent batches), i.e.
// density f(x0) g(x1) c_B(F(x0), G(x1)) with the Bernstein copula
//   c_B(u, w) = B sum_{j<B} b_j(u) b_j(w),   b_j(u) = C(B-1, j) u^j (1-u)^(B-1-j).
// B = 1 is the independent coupling; B -> infinity tends to the monotone (exact OT) map.
// p_t(x) and the flux are one-dimensional integrals along the line {(1-t) x0 + t x1 = x}: parametrised by
// x1 for t <= 1/2 (by x0 otherwise), the product f g is a Gaussian along the line, so the integrals are
// Gaussian expectations of the copula factor, taken by the trapezoid rule on +-10 standard deviations.
// In 1-D the rectified flow is the monotone transport of p_0 to p_1, so its straightness is
//   S = int_0^1 E[v(X_t, t)^2] dt - W2^2 = int_0^1 E[(v - (m1 - m0))^2] dt - (sqrt(a) - sqrt(b))^2.
import { DomainError } from '../../core/errors.js';
import { logGamma, normalCdf, normalPdf } from '../../stats/index.js';

export interface Ends1d {
  m0: number;
  a: number;
  m1: number;
  b: number;
}

/** The largest batch: sum_j C(B-1, j)^2 = C(2B - 2, B - 1) must stay far from float64 overflow. */
export const MAX_BATCH = 256;

// log Phi(z), the hot spot of the copula: cubic Hermite interpolation of a table of values and slopes
// (d/dz log Phi = phi/Phi) with spacing 1/256, interpolation error below 1e-13; beyond the table, Phi = 1 up
// to rounding on the right and the asymptotic series on the left.
const LOG_PHI_STEP = 1 / 256;
const LOG_PHI_END = 37;
let logPhiTable: { value: Float64Array; slope: Float64Array } | undefined;

function logPhi(z: number): number {
  if (z >= LOG_PHI_END) return 0;
  if (z <= -LOG_PHI_END) {
    const q = 1 / (z * z);
    return (
      -0.5 * z * z - Math.log(-z) - 0.5 * Math.log(2 * Math.PI) + Math.log1p(-q * (1 - 3 * q * (1 - 5 * q)))
    );
  }
  if (!logPhiTable) {
    const size = Math.round((2 * LOG_PHI_END) / LOG_PHI_STEP) + 1;
    const value = new Float64Array(size);
    const slope = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const x = -LOG_PHI_END + i * LOG_PHI_STEP;
      const cdf = normalCdf(x);
      value[i] = Math.log(cdf);
      slope[i] = normalPdf(x, 0, 1) / cdf;
    }
    logPhiTable = { value, slope };
  }
  const { value, slope } = logPhiTable;
  const pos = (z + LOG_PHI_END) / LOG_PHI_STEP;
  const i = Math.min(Math.floor(pos), value.length - 2);
  const u = pos - i;
  const h = LOG_PHI_STEP;
  // Hermite basis on [0, 1].
  const u2 = u * u;
  const u3 = u2 * u;
  return (
    (2 * u3 - 3 * u2 + 1) * value[i] +
    (u3 - 2 * u2 + u) * h * slope[i] +
    (-2 * u3 + 3 * u2) * value[i + 1] +
    (u3 - u2) * h * slope[i + 1]
  );
}

/**
 * The Bernstein copula density of minibatch OT with batch size B at (u, w) = (Phi(z0), Phi(z1)), taking the
 * standard scores so that log u and log(1 - u) stay accurate in both tails.
 */
export function bernsteinCopula(batch: number): (z0: number, z1: number) => number {
  if (!(Number.isInteger(batch) && batch >= 1 && batch <= MAX_BATCH))
    throw new DomainError('bernsteinCopula', 'batch', batch, `must be an integer in [1, ${MAX_BATCH}]`);
  if (batch === 1) return () => 1;
  const coef = Array.from({ length: batch }, (_, j) =>
    Math.exp(2 * (logGamma(batch) - logGamma(j + 1) - logGamma(batch - j))),
  );
  const logB = Math.log(batch);
  // c = B q^(B-1) sum_j C_j^2 rho^j with r = u w, q = (1-u)(1-w), rho = r/q; C_j is symmetric in j, so for
  // rho > 1 the same polynomial in 1/rho times r^(B-1). Horner on positive terms: no cancellation.
  return (z0, z1) => {
    const lr = logPhi(z0) + logPhi(z1);
    const lq = logPhi(-z0) + logPhi(-z1);
    const large = lr <= lq ? lq : lr;
    const rho = Math.exp((lr <= lq ? lr : lq) - large);
    let poly = 0;
    for (let j = batch - 1; j >= 0; j--) poly = poly * rho + coef[j];
    return Math.exp(logB + (batch - 1) * large + Math.log(poly));
  };
}

/** p_t(x) and v(x, t) of the coupling with copula `copula`, by `nodes` trapezoid nodes. */
export function couplingField(e: Ends1d, batch: number, nodes: number) {
  const copula = bernsteinCopula(batch);
  const [sa, sb] = [Math.sqrt(e.a), Math.sqrt(e.b)];
  const span = 10;
  const z = Float64Array.from({ length: nodes }, (_, k) => -span + (2 * span * k) / (nodes - 1));
  const weight = z.map((v) => (Math.exp(-0.5 * v * v) * ((2 * span) / (nodes - 1))) / Math.sqrt(2 * Math.PI));
  return (x: number, t: number): { density: number; velocity: number } => {
    let mass = 0;
    let flux = 0;
    let scale: number;
    if (t <= 0.5) {
      // x0 = alpha - kappa x1; f(x0) g(x1) = N(alpha; m0 + kappa m1, a + kappa^2 b) N(x1; M, 1/P).
      const kappa = t / (1 - t);
      const alpha = x / (1 - t);
      const p = (kappa * kappa) / e.a + 1 / e.b;
      const mean = ((kappa * (alpha - e.m0)) / e.a + e.m1 / e.b) / p;
      const sd = 1 / Math.sqrt(p);
      scale = normalPdf(alpha, e.m0 + kappa * e.m1, e.a + kappa * kappa * e.b) / (1 - t);
      for (let k = 0; k < nodes; k++) {
        const x1 = mean + sd * z[k];
        const x0 = alpha - kappa * x1;
        const m = weight[k] * copula((x0 - e.m0) / sa, (x1 - e.m1) / sb);
        mass += m;
        flux += m * (x1 - x0);
      }
    } else {
      const lambda = (1 - t) / t;
      const beta = x / t;
      const p = (lambda * lambda) / e.b + 1 / e.a;
      const mean = ((lambda * (beta - e.m1)) / e.b + e.m0 / e.a) / p;
      const sd = 1 / Math.sqrt(p);
      scale = normalPdf(beta, e.m1 + lambda * e.m0, e.b + lambda * lambda * e.a) / t;
      for (let k = 0; k < nodes; k++) {
        const x0 = mean + sd * z[k];
        const x1 = beta - lambda * x0;
        const m = weight[k] * copula((x0 - e.m0) / sa, (x1 - e.m1) / sb);
        mass += m;
        flux += m * (x1 - x0);
      }
    }
    return { density: scale * mass, velocity: mass > 0 ? flux / mass : e.m1 - e.m0 };
  };
}

/** The independent coupling's (B = 1) velocity in closed form: linear, E[D | X_t = x]. */
export function independentVelocity(e: Ends1d): (x: number, t: number) => number {
  return (x, t) => {
    const v = (1 - t) ** 2 * e.a + t * t * e.b;
    const cov = t * e.b - (1 - t) * e.a; // Cov(D, X_t)
    return e.m1 - e.m0 + (cov / v) * (x - ((1 - t) * e.m0 + t * e.m1));
  };
}

/** The exact OT (monotone) coupling's velocity: the displacement field of x1 = m1 + sqrt(b/a)(x0 - m0). */
export function monotoneVelocity(e: Ends1d): (x: number, t: number) => number {
  const [sa, sb] = [Math.sqrt(e.a), Math.sqrt(e.b)];
  return (x, t) => e.m1 - e.m0 + ((sb - sa) / ((1 - t) * sa + t * sb)) * (x - ((1 - t) * e.m0 + t * e.m1));
}

/** Gauss-Legendre nodes and weights on [0, 1] (Newton on the Legendre recurrence). */
export function gaussLegendre01(n: number): { x: number[]; w: number[] } {
  const x: number[] = [];
  const w: number[] = [];
  for (let i = 1; i <= n; i++) {
    let r = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let [p0, p1] = [1, r];
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * r * p1 - (k - 1) * p0) / k];
      dp = (n * (r * p1 - p0)) / (r * r - 1);
      const step = p1 / dp;
      r -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    x.push((1 - r) / 2);
    w.push(1 / ((1 - r * r) * dp * dp));
  }
  return { x, w };
}

/**
 * S of the rectified flow of the minibatch coupling with batch size B, by quadrature: Gauss-Legendre in t,
 * the trapezoid rule in x over mu_t +- 10 ((1-t) sqrt(a) + t sqrt(b)) (the widest X_t of any coupling),
 * normalised by the computed mass.
 */
export function minibatchStraightness(
  e: Ends1d,
  batch: number,
  nodes: number,
  tNodes = 24,
  xNodes = 301,
): number {
  const field = couplingField(e, batch, nodes);
  const dm = e.m1 - e.m0;
  const gl = gaussLegendre01(tNodes);
  let integral = 0;
  gl.x.forEach((t, i) => {
    const mu = (1 - t) * e.m0 + t * e.m1;
    const half = 10 * ((1 - t) * Math.sqrt(e.a) + t * Math.sqrt(e.b));
    let mass = 0;
    let energy = 0;
    for (let k = 0; k < xNodes; k++) {
      const x = mu - half + (2 * half * k) / (xNodes - 1);
      const { density, velocity } = field(x, t);
      mass += density;
      energy += density * (velocity - dm) ** 2;
    }
    integral += gl.w[i] * (energy / mass);
  });
  return integral - (Math.sqrt(e.a) - Math.sqrt(e.b)) ** 2;
}
