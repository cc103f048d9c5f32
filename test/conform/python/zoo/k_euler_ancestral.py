"""Bug zoo (Python), valid variant: k-diffusion-style sample_euler_ancestral (eta = 1), the DDPM
posterior step written in VE coordinates as sigma_down / sigma_up (noise through noise_sampler):
declared as sampler ddpm on the EDM path, its law must equal the posterior's exactly."""
from np_kdiffusion import get_sigmas_karras, sample_euler_ancestral

FLOWPROOF = {
    "adapter": "k-diffusion",
    "function": sample_euler_ancestral,
    "sampler": "ddpm",
    "sigmas": {"function": get_sigmas_karras, "args": {"n": 40, "sigma_min": 0.002, "sigma_max": 80.0}},
}
