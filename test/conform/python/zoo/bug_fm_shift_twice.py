"""Bug zoo (Python), buggy: the Euler step shifts the (already shifted) time again when it recovers the
noise level (the double shift of diffusers#13243). Expected: step:euler fails. Twin of the JS zoo module."""
from fm_euler import FLOWPROOF, alpha, d_alpha, d_sigma, euler_step, shifted, sigma  # noqa: F401


def step(data, t, t_prev, x, prediction_type, randn):
    return euler_step(data, t, t_prev, x, level=lambda u: shifted(shifted(u)))
