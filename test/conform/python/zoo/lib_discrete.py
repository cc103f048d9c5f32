"""Bug zoo (Python): a small DDPM/DDIM helper library in the style of common schedulers, written
independently of flowproof: zero-based timesteps 0..T-1, alphas_cumprod[k] = prod_{j<=k} (1 - betas[j]),
timestep -1 = the data. Standard library only (the twin of ../../zoo/lib-discrete.ts)."""
import math

NUM_TRAIN_TIMESTEPS = 1000
betas = [1e-4 + (0.02 - 1e-4) * i / (NUM_TRAIN_TIMESTEPS - 1) for i in range(NUM_TRAIN_TIMESTEPS)]


def cumprod(xs):
    out, p = [], 1.0
    for x in xs:
        p *= x
        out.append(p)
    return out


alphas_cumprod = cumprod([1 - b for b in betas])


def abar_at(t):
    """abar at a zero-based timestep; -1 (the step before the first) is the data, abar = 1."""
    return 1.0 if t < 0 else alphas_cumprod[t]


def split_prediction(model_output, abar, x, prediction_type):
    """(x0, eps) from a model output, as schedulers do it."""
    a, s = math.sqrt(abar), math.sqrt(1 - abar)
    if prediction_type == "eps":
        return (x - s * model_output) / a, model_output
    if prediction_type == "data":
        return model_output, (x - a * model_output) / s
    if prediction_type == "vPred":
        return a * x - s * model_output, a * model_output + s * x
    if prediction_type == "score":
        return (x + s * s * model_output) / a, -s * model_output
    raise ValueError("unsupported prediction type %s" % prediction_type)


def ddim_step(model_output, t, t_prev, x, prediction_type, randn, eta, abar=abar_at):
    abar_t, abar_prev = abar(t), abar(t_prev)
    x0, eps = split_prediction(model_output, abar_t, x, prediction_type)
    variance = (1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)
    std = eta * math.sqrt(variance)
    return math.sqrt(abar_prev) * x0 + math.sqrt(1 - abar_prev - std * std) * eps + std * randn()


def point(t):
    return math.sqrt(abar_at(t)), math.sqrt(1 - abar_at(t))


def eps_to_data(eps, x, t):
    a, s = point(t)
    return (x - s * eps) / a


def data_to_eps(data, x, t):
    a, s = point(t)
    return (x - a * data) / s


def eps_to_score(eps, x, t):
    return -eps / point(t)[1]


def score_to_eps(score, x, t):
    return -point(t)[1] * score


def v_to_eps(v, x, t):
    a, s = point(t)
    return a * v + s * x


def v_to_data(v, x, t):
    a, s = point(t)
    return a * x - s * v


def eps_to_v(eps, x, t):
    a, s = point(t)
    return a * eps - s * eps_to_data(eps, x, t)
