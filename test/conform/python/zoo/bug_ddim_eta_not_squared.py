"""Bug zoo (Python), buggy: the DDIM noise variance uses eta * var instead of eta^2 * var.
Expected: step:ddim fails. Twin of the JS zoo module."""
import math

from ddim import ETA, FLOWPROOF  # noqa: F401
from lib_discrete import (abar_at, alphas_cumprod, betas, data_to_eps, eps_to_data,  # noqa: F401
                          eps_to_score, eps_to_v, score_to_eps, split_prediction, v_to_data,
                          v_to_eps)


def step(model_output, t, t_prev, x, prediction_type, randn):
    abar_t, abar_prev = abar_at(t), abar_at(t_prev)
    x0, eps = split_prediction(model_output, abar_t, x, prediction_type)
    variance = (1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)
    var2 = ETA * variance
    return math.sqrt(abar_prev) * x0 + math.sqrt(1 - abar_prev - var2) * eps + math.sqrt(var2) * randn()
