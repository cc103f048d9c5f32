// A tfjs multilayer perceptron u_theta(x, t) for flow matching: input [x, t], SiLU hidden layers, linear
// output of size d. Everything tfjs-specific (tensors, autodiff, Adam) stays here; callers pass and get
// Float64Arrays (tfjs computes in float32). Weights are initialised from the flowproof Rng (Glorot normal), minibatches come from the
// caller, so training is reproducible for a seed on a given backend.
import * as tf from '@tensorflow/tfjs';
import { DomainError, InputError, NumericalError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { loadTf, resolveBackend, type BackendName } from './backends.js';

/**
 * Activates the tfjs backend a model should train on (default tfjs-wasm) and returns its name. The 'js'
 * and 'wasm-simd' backends have no autodiff, so asking for them here is an InputError.
 */
export async function activateTfBackend(
  requested = 'tfjs-wasm',
): Promise<Exclude<BackendName, 'js' | 'wasm-simd'>> {
  const name = await resolveBackend(requested);
  if (name === 'js' || name === 'wasm-simd') {
    throw new InputError(
      `a trained MLP needs a tfjs backend (tfjs-wasm, tfjs-cpu, ...), not '${name}'`,
      {},
      requested,
    );
  }
  await loadTf(name);
  await tf.ready();
  return name;
}

export interface MlpOptions {
  /** Dimension d of x (the input is [x, t], the output has size d). */
  dim: number;
  hidden: readonly number[];
  seed: number;
}

/** A named group of parameters (one weight matrix or bias vector). */
export interface MlpBlock {
  name: string;
  size: number;
}

/** A regression batch: inputs [n x (d + 1)] rows [x, t], targets [n x d]. */
export interface Batch {
  inputs: Float64Array;
  targets: Float64Array;
  n: number;
}

/** Adam whose learning rate can change between steps (tfjs reads it at every update). */
class ScheduledAdam extends tf.AdamOptimizer {
  constructor(rate: number) {
    super(rate, 0.9, 0.999);
  }
  setRate(rate: number): void {
    this.learningRate = rate;
  }
}

export class VelocityMlp {
  readonly dim: number;
  readonly blocks: readonly MlpBlock[];
  private readonly vars: tf.Variable[];
  private readonly layers: { w: tf.Variable; b: tf.Variable }[];

  constructor(opts: MlpOptions) {
    const { dim, hidden } = opts;
    if (!Number.isInteger(dim) || dim < 1) throw new DomainError('VelocityMlp', 'dim', dim, 'must be >= 1');
    hidden.forEach((h, i) => {
      if (!Number.isInteger(h) || h < 1)
        throw new DomainError('VelocityMlp', `hidden[${i}]`, h, 'must be >= 1');
    });
    this.dim = dim;
    const rng = new Rng(opts.seed);
    const sizes = [dim + 1, ...hidden, dim];
    this.layers = sizes.slice(1).map((fanOut, l) => {
      const fanIn = sizes[l];
      // Glorot normal: N(0, 2 / (fanIn + fanOut)).
      const scale = Math.sqrt(2 / (fanIn + fanOut));
      const w = rng.fillNormal(new Float64Array(fanIn * fanOut)).map((z) => z * scale);
      return {
        // tfjs variable names are global: let tfjs name them, and keep our block names apart.
        w: tf.variable(tf.tensor2d(new Float32Array(w), [fanIn, fanOut])),
        b: tf.variable(tf.zeros([fanOut], 'float32')),
      };
    });
    this.vars = this.layers.flatMap(({ w, b }) => [w, b]);
    this.blocks = this.layers.flatMap(({ w, b }, l) => [
      { name: `W${l + 1}`, size: w.size },
      { name: `b${l + 1}`, size: b.size },
    ]);
  }

  /** The symbolic forward pass on a tensor of rows [x, t]. */
  private forward(input: tf.Tensor2D): tf.Tensor2D {
    let h = input;
    this.layers.forEach(({ w, b }, l) => {
      const a = tf.add(tf.matMul(h, w), b) as tf.Tensor2D;
      h = l < this.layers.length - 1 ? (tf.mul(a, tf.sigmoid(a)) as tf.Tensor2D) : a; // SiLU, linear output
    });
    return h;
  }

  private checkBatch(fn: string, b: Batch): void {
    if (b.inputs.length !== b.n * (this.dim + 1)) {
      throw new DomainError(
        fn,
        'inputs.length',
        b.inputs.length,
        `must be n * (d + 1) = ${b.n * (this.dim + 1)}`,
      );
    }
    if (b.targets.length !== b.n * this.dim) {
      throw new DomainError(fn, 'targets.length', b.targets.length, `must be n * d = ${b.n * this.dim}`);
    }
  }

  private meanSquaredError(b: Batch): tf.Scalar {
    const x = tf.tensor2d(new Float32Array(b.inputs), [b.n, this.dim + 1]);
    const y = tf.tensor2d(new Float32Array(b.targets), [b.n, this.dim]);
    // mean over the batch of ||u_theta - target||^2 (sum over coordinates).
    return tf.mul(tf.mean(tf.squaredDifference(this.forward(x), y)), this.dim) as tf.Scalar;
  }

  /** u_theta(x, t) for a batch x [n x d] at one time t, as a tensor (a sampler's tfjs model function). */
  velocity(x: tf.Tensor2D, t: number): tf.Tensor2D {
    return tf.tidy(() => this.forward(tf.concat([x, tf.fill([x.shape[0], 1], t)], 1) as tf.Tensor2D));
  }

  /** u_theta at rows [x, t] of `inputs` ([n x (d + 1)]), as [n x d] float64. */
  predict(inputs: Float64Array, n: number): Float64Array {
    if (inputs.length !== n * (this.dim + 1)) {
      throw new DomainError('VelocityMlp.predict', 'inputs.length', inputs.length, `must be n * (d + 1)`);
    }
    const out = tf.tidy(() => this.forward(tf.tensor2d(new Float32Array(inputs), [n, this.dim + 1])));
    const values = Float64Array.from(out.dataSync());
    out.dispose();
    return values;
  }

  /** The loss E||u_theta - target||^2 on a batch and its gradient, one Float64Array per block. */
  lossAndGradients(b: Batch): { loss: number; grads: Float64Array[] } {
    this.checkBatch('VelocityMlp.lossAndGradients', b);
    const { value, grads } = tf.variableGrads(() => this.meanSquaredError(b), this.vars);
    const out = this.vars.map((v) => {
      const g = grads[v.name];
      const arr = Float64Array.from(g.dataSync());
      g.dispose();
      return arr;
    });
    const loss = value.dataSync()[0];
    value.dispose();
    return { loss, grads: out };
  }

  /**
   * Adam on batches from `nextBatch(step)` (learning rate decaying as a cosine to finalLearningRate when
   * given); returns the loss of each step. A non-finite loss stops
   * training with a NumericalError (diverged), never silently.
   */
  train(
    nextBatch: (step: number) => Batch,
    opts: { steps: number; learningRate: number; finalLearningRate?: number },
  ): Float64Array {
    const optimizer = new ScheduledAdam(opts.learningRate);
    const final = opts.finalLearningRate ?? opts.learningRate;
    const losses = new Float64Array(opts.steps);
    try {
      for (let step = 0; step < opts.steps; step++) {
        // Cosine decay from learningRate to finalLearningRate (constant when they are equal).
        const progress = opts.steps > 1 ? step / (opts.steps - 1) : 0;
        optimizer.setRate(final + 0.5 * (opts.learningRate - final) * (1 + Math.cos(Math.PI * progress)));
        const b = nextBatch(step);
        this.checkBatch('VelocityMlp.train', b);
        const loss = optimizer.minimize(() => this.meanSquaredError(b), true, this.vars);
        losses[step] = loss ? loss.dataSync()[0] : NaN;
        loss?.dispose();
        if (!Number.isFinite(losses[step])) {
          throw new NumericalError(`VelocityMlp.train: loss is ${losses[step]} at step ${step} (diverged)`);
        }
      }
    } finally {
      optimizer.dispose();
    }
    return losses;
  }

  /** All parameters, concatenated in block order (for reproducibility checks and snapshots). */
  weights(): Float64Array {
    return Float64Array.from(this.vars.flatMap((v) => Array.from(v.dataSync())));
  }

  dispose(): void {
    for (const v of this.vars) v.dispose();
  }
}
