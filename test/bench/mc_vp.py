"""The VP-SDE of the Monte-Carlo benchmark's reference engines (mc_numpy.py, mc_torch.py): one definition.

beta(t) = b_min + t (b_max - b_min), log alpha(t) = -t^2 (b_max - b_min)/4 - t b_min/2,
sigma^2 = 1 - alpha^2, drift coefficient f = -beta/2, g^2 = beta.
"""
import math

B_MIN, B_MAX = 0.1, 20.0


def coeffs(t):
    log_alpha = -0.25 * t * t * (B_MAX - B_MIN) - 0.5 * t * B_MIN
    alpha = math.exp(log_alpha)
    sigma2 = -math.expm1(2 * log_alpha)
    beta = B_MIN + t * (B_MAX - B_MIN)
    return alpha, sigma2, -0.5 * beta, beta  # alpha, sigma^2, f, g^2
