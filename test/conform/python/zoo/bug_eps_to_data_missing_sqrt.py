"""Bug zoo (Python), buggy: x0 = (x - (1 - abar) eps) / sqrt(abar), a missing square root on 1 - abar.
Expected: conversion:epsToData fails. Twin of the JS zoo module."""
import math

from ddim import FLOWPROOF, step  # noqa: F401
from lib_discrete import (alphas_cumprod, betas, data_to_eps, eps_to_score, eps_to_v, score_to_eps,  # noqa: F401
                          v_to_data, v_to_eps)


def eps_to_data(eps, x, t):
    return (x - (1 - alphas_cumprod[t]) * eps) / math.sqrt(alphas_cumprod[t])
