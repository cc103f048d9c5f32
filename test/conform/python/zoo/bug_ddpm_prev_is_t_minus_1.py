"""Bug zoo (Python), buggy: the DDPM step takes the previous timestep to be t - 1 even when the sampler
skips timesteps (t_prev is ignored). Expected: step:ddpm fails. Twin of the JS zoo module."""
from ddpm import FLOWPROOF, step as posterior_step  # noqa: F401
from lib_discrete import alphas_cumprod, betas  # noqa: F401


def step(model_output, t, t_prev, x, prediction_type, randn):
    return posterior_step(model_output, t, t - 1, x, prediction_type, randn)
