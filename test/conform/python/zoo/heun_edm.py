"""Bug zoo (Python), correct: EDM (alpha = 1, sigma = t) with a denoiser and Heun's second-order step as
in k-diffusion's sample_heun (without churn), written for numpy arrays: FLOWPROOF['array'] = 'numpy'
makes the bridge pass x as an array, so the full run calls the model once per stage for all samples.
Twin of ../../zoo/heun-edm.ts."""
FLOWPROOF = {"convention": "diffusion", "path": "edm", "predictionType": "data", "sampler": "heun", "array": "numpy"}


def alpha(t):
    return 1.0


def sigma(t):
    return t


def data_to_eps(data, x, t):
    return (x - data) / t


def eps_to_data(eps, x, t):
    return x - t * eps


def derivative(model, x, s):
    """dx/dsigma = (x - D(x; sigma)) / sigma."""
    return (x - model(x, s)) / s


def step_with_model(model, t, t_prev, x, prediction_type, randn):
    d = derivative(model, x, t)
    dt = t_prev - t
    x2 = x + d * dt
    d2 = derivative(model, x2, t_prev)
    return x + (d + d2) / 2 * dt
