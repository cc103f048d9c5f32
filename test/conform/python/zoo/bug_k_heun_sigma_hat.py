"""Bug zoo (Python), buggy: k-diffusion-style Heun whose second derivative divides by sigma_hat (the
current sigma) instead of sigma_next. Expected: step:heun fails."""
import numpy as np

from np_kdiffusion import to_d


def sample_heun(model, x, sigmas, extra_args=None, callback=None, disable=None):
    s_in = np.ones(x.shape[0])
    for i in range(len(sigmas) - 1):
        sigma_hat = sigmas[i]
        denoised = model(x, sigma_hat * s_in)
        d = to_d(x, sigma_hat, denoised)
        dt = sigmas[i + 1] - sigma_hat
        if sigmas[i + 1] == 0:
            x = x + d * dt
        else:
            x_2 = x + d * dt
            denoised_2 = model(x_2, sigmas[i + 1] * s_in)
            d_2 = to_d(x_2, sigma_hat, denoised_2)
            x = x + (d + d_2) / 2 * dt
    return x


FLOWPROOF = {"adapter": "k-diffusion", "function": sample_heun, "sampler": "heun"}
