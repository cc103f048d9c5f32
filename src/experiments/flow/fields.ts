// Float64 parametric velocity fields u_theta(x, t) with their exact Jacobian d u / d theta, for the
// finite-law FM/CFM check (tfjs computes in float32, too coarse to show equality "to float precision").
// The Jacobian of the MLP is hand-written backpropagation; test/flow checks it against finite differences.

export interface ParamBlock {
  name: string;
  offset: number;
  size: number;
}

export interface ParametricField {
  readonly name: string;
  /** Dimension of x and of the velocity. */
  readonly dim: number;
  readonly numParams: number;
  readonly blocks: readonly ParamBlock[];
  /** Writes u_theta(x, t) into `out` and, when given, d u_c / d theta_p into jac[c * numParams + p]. */
  evaluate(theta: Float64Array, x: Float64Array, t: number, out: Float64Array, jac?: Float64Array): void;
}

function blocksOf(sizes: [string, number][]): { blocks: ParamBlock[]; numParams: number } {
  let offset = 0;
  const blocks = sizes.map(([name, size]) => {
    const b = { name, offset, size };
    offset += size;
    return b;
  });
  return { blocks, numParams: offset };
}

/**
 * Linear in features: u_c = sum_k theta[c, k] phi_k(x, t), with phi = (1, t, t^2, x_i, t x_i, x_i^2).
 * Rich enough that FM and CFM optima differ from the trivial ones, and exactly differentiable.
 */
export function linearFeatureField(dim: number): ParametricField {
  const numFeatures = 3 + 3 * dim;
  const { blocks, numParams } = blocksOf(
    Array.from({ length: dim }, (_, c): [string, number] => [`weights[${c}]`, numFeatures]),
  );
  const phi = new Float64Array(numFeatures);
  return {
    name: 'linear-features',
    dim,
    numParams,
    blocks,
    evaluate(theta, x, t, out, jac) {
      phi[0] = 1;
      phi[1] = t;
      phi[2] = t * t;
      for (let i = 0; i < dim; i++) {
        phi[3 + i] = x[i];
        phi[3 + dim + i] = t * x[i];
        phi[3 + 2 * dim + i] = x[i] * x[i];
      }
      if (jac) jac.fill(0);
      for (let c = 0; c < dim; c++) {
        let s = 0;
        for (let k = 0; k < numFeatures; k++) {
          s += theta[c * numFeatures + k] * phi[k];
          if (jac) jac[c * numParams + c * numFeatures + k] = phi[k];
        }
        out[c] = s;
      }
    },
  };
}

/** One hidden tanh layer: u = W2 tanh(W1 [x; t] + b1) + b2. */
export function tanhMlpField(dim: number, hidden: number): ParametricField {
  const inDim = dim + 1;
  const { blocks, numParams } = blocksOf([
    ['W1', hidden * inDim],
    ['b1', hidden],
    ['W2', dim * hidden],
    ['b2', dim],
  ]);
  const [oW1, ob1, oW2, ob2] = blocks.map((b) => b.offset);
  const input = new Float64Array(inDim);
  const h = new Float64Array(hidden);
  return {
    name: `tanh-mlp-${hidden}`,
    dim,
    numParams,
    blocks,
    evaluate(theta, x, t, out, jac) {
      input.set(x.subarray(0, dim));
      input[dim] = t;
      for (let k = 0; k < hidden; k++) {
        let a = theta[ob1 + k];
        for (let i = 0; i < inDim; i++) a += theta[oW1 + k * inDim + i] * input[i];
        h[k] = Math.tanh(a);
      }
      for (let c = 0; c < dim; c++) {
        let s = theta[ob2 + c];
        for (let k = 0; k < hidden; k++) s += theta[oW2 + c * hidden + k] * h[k];
        out[c] = s;
      }
      if (!jac) return;
      jac.fill(0);
      for (let c = 0; c < dim; c++) {
        const row = c * numParams;
        jac[row + ob2 + c] = 1;
        for (let k = 0; k < hidden; k++) {
          jac[row + oW2 + c * hidden + k] = h[k];
          // d u_c / d a_k = W2[c, k] (1 - h_k^2), and a_k = b1_k + W1[k, :] . input.
          const back = theta[oW2 + c * hidden + k] * (1 - h[k] * h[k]);
          jac[row + ob1 + k] = back;
          for (let i = 0; i < inDim; i++) jac[row + oW1 + k * inDim + i] = back * input[i];
        }
      }
    },
  };
}
