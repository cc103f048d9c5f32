"""Bug zoo (Python), buggy: eps from v with the sign of the x term flipped (eps = alpha v - sigma x).
Expected: conversion:vPredToEps fails. Twin of the JS zoo module."""
import math

from ddim import FLOWPROOF, step  # noqa: F401
from lib_discrete import (alphas_cumprod, betas, data_to_eps, eps_to_data, eps_to_score, eps_to_v,  # noqa: F401
                          score_to_eps, v_to_data)


def v_to_eps(v, x, t):
    return math.sqrt(alphas_cumprod[t]) * v - math.sqrt(1 - alphas_cumprod[t]) * x
