"""Bug zoo (Python), correct: k-diffusion-style sample_euler on EDM (sigma = t) with a 30-step Karras
grid (rho = 7), declared so flowproof compares the grid with its own."""
from np_kdiffusion import get_sigmas_karras, sample_euler

FLOWPROOF = {
    "adapter": "k-diffusion",
    "function": sample_euler,
    "sampler": "euler",
    "sigmas": {"function": get_sigmas_karras, "args": {"n": 30, "sigma_min": 0.002, "sigma_max": 80.0, "rho": 7.0}},
    "grid": {"name": "karras", "numSteps": 30, "sigmaMin": 0.002, "sigmaMax": 80, "rho": 7},
}
