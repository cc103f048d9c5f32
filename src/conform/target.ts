// The data law whose exact model outputs drive the multi-stage step check and the full run: a 1-D
// two-component Gaussian mixture, so every model output along any affine path is known in closed form.
import type { Parameterization } from '../params/conversions.js';
import { GaussianMixture } from '../targets/mixture.js';
import type { Axis } from './axis.js';
import type { ModelFn } from './module.js';

export const CONFORM_TARGET = new GaussianMixture('conform-gmm-1d', {
  weights: [0.3, 0.7],
  means: [[-1.5], [1]],
  variances: [0.09, 0.25],
});

/** The exact model: E[.|x_t = x] of the declared prediction type at time t of the axis. */
export function exactModel(axis: Axis, predictionType: Parameterization, target = CONFORM_TARGET): ModelFn {
  const x1 = new Float64Array(1);
  return (x, t) => {
    const c = axis.point(t);
    x1[0] = x;
    const f = target.fieldsAt(x1, c);
    switch (predictionType) {
      case 'eps':
        return f.eps[0];
      case 'data':
        return f.data[0];
      case 'vPred':
        return c.alpha * f.eps[0] - c.sigma * f.data[0];
      case 'score':
        return f.score[0];
      case 'velocity':
        return f.velocity[0];
    }
  };
}
