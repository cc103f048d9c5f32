"""Bug zoo (Python), correct: a flow-matching library in the flow convention (t = 0 noise, t = 1 data) on
the linear path with an SD3-style time shift 3 baked into its schedule, an x0-predicting model and the
Euler step on dx/dt in its own time t. Twin of ../../zoo/fm-euler.ts."""
FLOWPROOF = {"convention": "flow", "path": "rectified-flow", "shift": 3, "predictionType": "data", "sampler": "euler"}
SHIFT = 3.0


def shifted(u):
    """The shifted noise level s(u) = shift u / (1 + (shift - 1) u) of the unshifted u = 1 - t."""
    return SHIFT * u / (1 + (SHIFT - 1) * u)


def d_shifted(u):
    return SHIFT / (1 + (SHIFT - 1) * u) ** 2


def sigma(t):
    return shifted(1 - t)


def alpha(t):
    return 1 - sigma(t)


def d_sigma(t):
    return -d_shifted(1 - t)


def d_alpha(t):
    return d_shifted(1 - t)


def data_to_velocity(data, x, t):
    """x = (1 - s) data + s noise, so dx/dt = s'(u) (data - noise)."""
    return d_shifted(1 - t) * (data - x) / sigma(t)


def velocity_to_data(v, x, t):
    return x + sigma(t) * v / d_shifted(1 - t)


def data_to_eps(data, x, t):
    return (x - alpha(t) * data) / sigma(t)


def euler_step(data, t, t_prev, x, level=shifted):
    s = level(1 - t)
    noise = (x - (1 - s) * data) / s
    velocity = d_shifted(1 - t) * (data - noise)
    return x + (t_prev - t) * velocity


def step(data, t, t_prev, x, prediction_type, randn):
    return euler_step(data, t, t_prev, x)
