"""Bug zoo (Python), correct: k-diffusion-style sample_heun (Euler on the last step, to sigma = 0) on a
Karras grid of 18 steps with sigma_max = 80, sigma_min = 0.002."""
from np_kdiffusion import get_sigmas_karras, sample_heun  # noqa: F401

FLOWPROOF = {
    "adapter": "k-diffusion",
    "function": "sample_heun",
    "sampler": "heun",
    "sigmas": {"function": get_sigmas_karras, "args": {"n": 18, "sigma_min": 0.002, "sigma_max": 80.0}},
    "grid": {"name": "karras", "numSteps": 18, "sigmaMin": 0.002, "sigmaMax": 80, "rho": 7},
}
