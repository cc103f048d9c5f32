"""Bug zoo (Python), buggy: Heun's second stage divides by sigma_hat (the current sigma) instead of
sigma_next. Expected: step:heun fails. Twin of the JS zoo module."""
from heun_edm import FLOWPROOF, alpha, data_to_eps, derivative, eps_to_data, sigma  # noqa: F401


def step_with_model(model, t, t_prev, x, prediction_type, randn):
    sigma_hat = t
    d = derivative(model, x, sigma_hat)
    dt = t_prev - sigma_hat
    x2 = x + d * dt
    d2 = (x2 - model(x2, t_prev)) / sigma_hat
    return x + (d + d2) / 2 * dt
