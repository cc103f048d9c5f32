"""torch, k-diffusion style, buggy: the second Heun derivative divides by the current sigma instead of
sigma_next. Expected: step:heun fails."""
import torch

from torch_k_heun import FLOWPROOF as BASE, to_d

FLOWPROOF = {k: v for k, v in BASE.items() if k not in ("sigmas", "grid")}
FLOWPROOF["function"] = "sample_heun"


@torch.no_grad()
def sample_heun(model, x, sigmas, extra_args=None, callback=None, disable=None):
    s_in = x.new_ones([x.shape[0]])
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i] * s_in)
        d = to_d(x, sigmas[i], denoised)
        dt = sigmas[i + 1] - sigmas[i]
        x_2 = x + d * dt
        d_2 = to_d(x_2, sigmas[i], model(x_2, sigmas[i + 1] * s_in))
        x = x + (d + d_2) / 2 * dt
    return x
