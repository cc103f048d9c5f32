"""Bug zoo (Python), buggy: the reverse-SDE drift adds g^2 score instead of subtracting it.
Expected: step:euler-maruyama fails (and the full run drifts away). Twin of the JS zoo module."""
import math

from em_vpsde import FLOWPROOF, alpha, beta, d_alpha, d_sigma, eps_to_score, score_to_eps, sigma  # noqa: F401


def step(score, t, t_prev, x, prediction_type, randn):
    dt = t_prev - t
    drift = -0.5 * beta(t) * x + beta(t) * score
    return x + drift * dt + math.sqrt(beta(t) * -dt) * randn()
