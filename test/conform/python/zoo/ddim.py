"""Bug zoo (Python), correct: the discrete DDIM library with eta = 0.5 and its conversions (snake_case
names: eps_to_data is checked as conversion:epsToData). Twin of ../../zoo/ddim.ts."""
from lib_discrete import (alphas_cumprod, betas, data_to_eps, ddim_step, eps_to_data,  # noqa: F401
                          eps_to_score, eps_to_v, score_to_eps, v_to_data, v_to_eps)

FLOWPROOF = {
    "convention": "diffusion",
    "predictionType": "eps",
    "schedule": {"name": "ddpm-linear", "numSteps": 1000},
    "timestepIndexing": "zero-based",
    "sampler": "ddim",
    "eta": 0.5,
}
ETA = 0.5


def step(model_output, t, t_prev, x, prediction_type, randn):
    return ddim_step(model_output, t, t_prev, x, prediction_type, randn, ETA)
