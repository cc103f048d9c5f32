"""torch, k-diffusion style, declared without FLOWPROOF['array']: the adapter's default is numpy, and the
sampler calls a tensor method (x.new_ones) on what it gets. That is a declaration to fix, not a bug at
every input: the bridge stops with the exception and says to declare 'torch'."""
import torch

FLOWPROOF = {"adapter": "k-diffusion", "function": "sample_euler", "sampler": "euler"}


@torch.no_grad()
def sample_euler(model, x, sigmas, extra_args=None, disable=None):
    ones = x.new_ones([x.shape[0]])
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i] * ones)
        x = x + (x - denoised) / sigmas[i] * (sigmas[i + 1] - sigmas[i])
    return x
