"""Bug zoo (Python), buggy: a Karras grid whose final power is 1/rho where rho is meant (the roots are
raised to the root again), so sigma spans only [0.88, 1.09] instead of [0.002, 80]. Sampler and grid
agree with each other and no grid is declared, so only the sanity of the grid's noise end can catch it.
Expected: grid:endpoints fails (snr 0.84 where sampling must start from noise, snr <= 0.01)."""
from np_kdiffusion import append_zero, sample_euler
import numpy as np


def get_sigmas_karras(n, sigma_min, sigma_max, rho=7.0):
    ramp = np.linspace(0, 1, n)
    min_inv_rho = sigma_min ** (1 / rho)
    max_inv_rho = sigma_max ** (1 / rho)
    return append_zero((max_inv_rho + ramp * (min_inv_rho - max_inv_rho)) ** (1 / rho))


FLOWPROOF = {
    "adapter": "k-diffusion",
    "function": sample_euler,
    "sampler": "euler",
    "sigmas": {"function": get_sigmas_karras, "args": {"n": 30, "sigma_min": 0.002, "sigma_max": 80.0}},
}
