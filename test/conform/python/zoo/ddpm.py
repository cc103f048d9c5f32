"""Bug zoo (Python), correct: DDPM ancestral sampling with the posterior q(x_prev | x_t, x0), valid when
steps are skipped (alpha_t is abar_t / abar_prev, not 1 - beta_t). Twin of ../../zoo/ddpm.ts."""
import math

from lib_discrete import abar_at, alphas_cumprod, betas, split_prediction  # noqa: F401

FLOWPROOF = {
    "convention": "diffusion",
    "predictionType": "eps",
    "schedule": {"name": "ddpm-linear", "numSteps": 1000},
    "timestepIndexing": "zero-based",
    "sampler": "ddpm",
}


def step(model_output, t, t_prev, x, prediction_type, randn):
    alpha_prod_t, alpha_prod_prev = abar_at(t), abar_at(t_prev)
    current_alpha_t = alpha_prod_t / alpha_prod_prev
    current_beta_t = 1 - current_alpha_t
    x0, _ = split_prediction(model_output, alpha_prod_t, x, prediction_type)
    coef1 = math.sqrt(alpha_prod_prev) * current_beta_t / (1 - alpha_prod_t)
    coef2 = math.sqrt(current_alpha_t) * (1 - alpha_prod_prev) / (1 - alpha_prod_t)
    mean = coef1 * x0 + coef2 * x
    if t_prev < 0:
        return mean
    variance = (1 - alpha_prod_prev) / (1 - alpha_prod_t) * current_beta_t
    return mean + math.sqrt(variance) * randn()
