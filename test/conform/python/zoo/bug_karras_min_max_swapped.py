"""Bug zoo (Python), buggy (huggingface/diffusers#5077): the Karras grid is built with sigma_min and
sigma_max swapped (they were read from the ends of an ascending array), so it runs from 0.002 up to 80.
Expected: grid:order and grid:endpoints fail, and grid:reference against the declared grid."""
from np_kdiffusion import get_sigmas_karras, sample_euler

FLOWPROOF = {
    "adapter": "k-diffusion",
    "function": sample_euler,
    "sampler": "euler",
    "sigmas": {"function": get_sigmas_karras, "args": {"n": 20, "sigma_min": 80.0, "sigma_max": 0.002}},
    "grid": {"name": "karras", "numSteps": 20, "sigmaMin": 0.002, "sigmaMax": 80, "rho": 7},
}
