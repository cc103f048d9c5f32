"""Bug zoo (Python), buggy: an ancestral step whose sigma_up is the variance sigma_to^2 (sigma_from^2 -
sigma_to^2) / sigma_from^2 without the square root (a variance used as a standard deviation).
Expected: step:ddpm fails."""
import numpy as np

from np_kdiffusion import get_sigmas_karras, to_d


def sample_euler_ancestral(model, x, sigmas, extra_args=None, callback=None, disable=None, noise_sampler=None):
    s_in = np.ones(x.shape[0])
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i] * s_in)
        s, s_next = sigmas[i], sigmas[i + 1]
        sigma_up = min(s_next, s_next ** 2 * (s ** 2 - s_next ** 2) / s ** 2)
        sigma_down = (s_next ** 2 - sigma_up ** 2) ** 0.5
        x = x + to_d(x, s, denoised) * (sigma_down - s)
        if s_next > 0:
            x = x + noise_sampler(s, s_next) * sigma_up
    return x


FLOWPROOF = {
    "adapter": "k-diffusion",
    "function": sample_euler_ancestral,
    "sampler": "ddpm",
    "sigmas": {"function": get_sigmas_karras, "args": {"n": 40, "sigma_min": 0.002, "sigma_max": 80.0}},
}
