"""torch, k-diffusion style: sample_heun exactly as k-diffusion writes it (x.new_ones, tensors for sigmas,
@torch.no_grad), on a Karras grid built with torch.linspace (float32, as k-diffusion does)."""
import torch

FLOWPROOF = {
    "adapter": "k-diffusion",
    "array": "torch",
    "function": "sample_heun",
    "sampler": "heun",
    "sigmas": {"function": "get_sigmas_karras", "args": {"n": 20, "sigma_min": 0.002, "sigma_max": 80.0}},
    "grid": {"name": "karras", "numSteps": 20, "sigmaMin": 0.002, "sigmaMax": 80, "rho": 7},
}


def append_zero(x):
    return torch.cat([x, x.new_zeros([1])])


def get_sigmas_karras(n, sigma_min, sigma_max, rho=7.0, device="cpu"):
    ramp = torch.linspace(0, 1, n, device=device)
    min_inv_rho = sigma_min ** (1 / rho)
    max_inv_rho = sigma_max ** (1 / rho)
    return append_zero((max_inv_rho + ramp * (min_inv_rho - max_inv_rho)) ** rho)


def to_d(x, sigma, denoised):
    return (x - denoised) / sigma


@torch.no_grad()
def sample_heun(model, x, sigmas, extra_args=None, callback=None, disable=None):
    extra_args = {} if extra_args is None else extra_args
    s_in = x.new_ones([x.shape[0]])
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i] * s_in, **extra_args)
        d = to_d(x, sigmas[i], denoised)
        dt = sigmas[i + 1] - sigmas[i]
        if sigmas[i + 1] == 0:
            x = x + d * dt
        else:
            x_2 = x + d * dt
            denoised_2 = model(x_2, sigmas[i + 1] * s_in, **extra_args)
            d_2 = to_d(x_2, sigmas[i + 1], denoised_2)
            x = x + (d + d_2) / 2 * dt
    return x
