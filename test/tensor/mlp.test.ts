import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { InputError, NumericalError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { activateTfBackend, VelocityMlp } from '../../src/tensor/mlp.js';

function randomBatch(n: number, d: number, seed: number) {
  const rng = new Rng(seed);
  return {
    n,
    inputs: rng.fillNormal(new Float64Array(n * (d + 1))),
    targets: rng.fillNormal(new Float64Array(n * d)),
  };
}

describe('VelocityMlp (tfjs)', () => {
  it('a model with no hidden layer has the closed-form least-squares gradient', async () => {
    await activateTfBackend('tfjs-wasm');
    const d = 2;
    const mlp = new VelocityMlp({ dim: d, hidden: [], seed: 1 });
    const b = randomBatch(64, d, 2);
    const { loss, grads } = mlp.lossAndGradients(b);
    const w = mlp.weights(); // W [(d+1) x d] row-major, then bias [d] (initialised to 0)
    const residual = new Float64Array(b.n * d);
    let expectLoss = 0;
    for (let i = 0; i < b.n; i++)
      for (let c = 0; c < d; c++) {
        let u = w[(d + 1) * d + c];
        for (let k = 0; k <= d; k++) u += b.inputs[i * (d + 1) + k] * w[k * d + c];
        residual[i * d + c] = u - b.targets[i * d + c];
        expectLoss += residual[i * d + c] ** 2 / b.n;
      }
    expect(loss).toBeCloseTo(expectLoss, 4);
    // dL/dW[k, c] = (2/n) sum_i x_ik r_ic, dL/db[c] = (2/n) sum_i r_ic.
    for (let k = 0; k <= d; k++)
      for (let c = 0; c < d; c++) {
        let g = 0;
        for (let i = 0; i < b.n; i++) g += (2 / b.n) * b.inputs[i * (d + 1) + k] * residual[i * d + c];
        expect(grads[0][k * d + c]).toBeCloseTo(g, 4);
      }
    for (let c = 0; c < d; c++) {
      let g = 0;
      for (let i = 0; i < b.n; i++) g += (2 / b.n) * residual[i * d + c];
      expect(grads[1][c]).toBeCloseTo(g, 4);
    }
    mlp.dispose();
  });

  it('training is reproducible for a seed and lowers the loss; another seed gives other weights', async () => {
    await activateTfBackend('tfjs-wasm');
    const train = (seed: number) => {
      const mlp = new VelocityMlp({ dim: 2, hidden: [16, 16], seed });
      const rng = new Rng(7);
      const losses = mlp.train(
        () => {
          const n = 128;
          const inputs = rng.fillNormal(new Float64Array(n * 3));
          const targets = new Float64Array(n * 2);
          for (let i = 0; i < n; i++) {
            targets[i * 2] = Math.sin(inputs[i * 3]) * inputs[i * 3 + 2];
            targets[i * 2 + 1] = inputs[i * 3 + 1] ** 2;
          }
          return { inputs, targets, n };
        },
        { steps: 150, learningRate: 3e-3 },
      );
      const w = mlp.weights();
      mlp.dispose();
      return { losses, w };
    };
    const a = train(3);
    const b = train(3);
    const c = train(4);
    expect(Array.from(a.w)).toEqual(Array.from(b.w));
    expect(Array.from(a.losses)).toEqual(Array.from(b.losses));
    expect(Array.from(a.w)).not.toEqual(Array.from(c.w));
    const mean = (xs: Float64Array) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(a.losses.subarray(130))).toBeLessThan(0.5 * mean(a.losses.subarray(0, 20)));
  });

  it('the cosine learning-rate schedule is applied (decaying to 0 ends elsewhere than a constant rate)', async () => {
    await activateTfBackend('tfjs-wasm');
    const run = (steps: number, finalLearningRate: number) => {
      const mlp = new VelocityMlp({ dim: 1, hidden: [8], seed: 2 });
      const batch = randomBatch(32, 1, 3);
      mlp.train(() => batch, { steps, learningRate: 1e-2, finalLearningRate });
      const w = mlp.weights();
      mlp.dispose();
      return w;
    };
    const decayed = run(40, 0);
    const constant = run(40, 1e-2);
    const gap = decayed.reduce((m, x, i) => Math.max(m, Math.abs(x - constant[i])), 0);
    expect(gap).toBeGreaterThan(1e-4);
  });

  it('velocity(x, t) on a tensor equals predict on rows [x, t]', async () => {
    await activateTfBackend('tfjs-wasm');
    const mlp = new VelocityMlp({ dim: 2, hidden: [8], seed: 5 });
    const x = new Float64Array([0.5, -1, 2, 0.25, -3, 1]);
    const viaTensor = tf.tidy(() => mlp.velocity(tf.tensor2d(new Float32Array(x), [3, 2]), 0.3).arraySync());
    const rows = new Float64Array([0.5, -1, 0.3, 2, 0.25, 0.3, -3, 1, 0.3]);
    const viaRows = mlp.predict(rows, 3);
    expect(
      viaTensor
        .flat()
        .map((v, i) => v - viaRows[i])
        .every((e) => Math.abs(e) < 1e-6),
    ).toBe(true);
    mlp.dispose();
  });

  it('a diverging loss is a NumericalError, a shape mismatch a DomainError, the js backend an InputError', async () => {
    await activateTfBackend('tfjs-wasm');
    const mlp = new VelocityMlp({ dim: 1, hidden: [4], seed: 1 });
    const bad = { n: 2, inputs: new Float64Array([0, 0.5, 1, 0.5]), targets: new Float64Array([NaN, 1]) };
    expect(() => mlp.train(() => bad, { steps: 1, learningRate: 1e-3 })).toThrow(NumericalError);
    expect(() => mlp.lossAndGradients({ ...bad, n: 3 })).toThrow(/inputs.length/);
    mlp.dispose();
    await expect(activateTfBackend('js')).rejects.toThrow(InputError);
  });
});
