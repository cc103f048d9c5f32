"""Bug zoo (Python), correct: the VP-SDE (beta 0.1..20) with a score model and score-SDE's reverse-SDE
Euler-Maruyama predictor: dx = [-beta/2 x - beta score] dt + sqrt(beta) dW backwards in time.
Twin of ../../zoo/em-vpsde.ts."""
import math

FLOWPROOF = {"convention": "diffusion", "path": "vp-sde", "predictionType": "score", "sampler": "euler-maruyama"}
B0, B1 = 0.1, 20.0


def beta(t):
    return B0 + t * (B1 - B0)


def alpha(t):
    return math.exp(-0.25 * t * t * (B1 - B0) - 0.5 * t * B0)


def sigma(t):
    return math.sqrt(1 - alpha(t) ** 2)


def d_alpha(t):
    return -0.5 * beta(t) * alpha(t)


def d_sigma(t):
    return 0.5 * beta(t) * alpha(t) ** 2 / sigma(t)


def score_to_eps(score, x, t):
    return -sigma(t) * score


def eps_to_score(eps, x, t):
    return -eps / sigma(t)


def score_to_data(score, x, t):
    return (x + sigma(t) ** 2 * score) / alpha(t)


def score_to_velocity(score, x, t):
    """The probability-flow velocity f x - g^2 score / 2."""
    return -0.5 * beta(t) * x - 0.5 * beta(t) * score


def step(score, t, t_prev, x, prediction_type, randn):
    dt = t_prev - t
    drift = -0.5 * beta(t) * x - beta(t) * score
    return x + drift * dt + math.sqrt(beta(t) * -dt) * randn()
