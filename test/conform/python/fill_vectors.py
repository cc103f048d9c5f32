"""An independent Python implementation (standard library only) that fills in flowproof's test vectors.

Usage: python3 fill_vectors.py vectors.json results.json

It plays the role of a library in another language: every formula here is written from the papers,
not from flowproof's code, so agreement with flowproof's expected values means two implementations agree.
"""
import json
import math
import sys

PI = math.pi


def path_coefficients(name, t):
    """(alpha, sigma, dAlpha, dSigma) of a built-in path at time t."""
    if name in ("vp-sde", "sub-vp"):
        a = math.exp(-(0.5 * 0.1 * t + 0.25 * 19.9 * t * t))
        da = -(0.1 + 19.9 * t) / 2 * a
        if name == "vp-sde":
            s = math.sqrt(1 - a * a)
            return a, s, da, -a * da / s
        return a, 1 - a * a, da, -2 * a * da
    if name == "ve-sde":
        s = 0.01 * (50 / 0.01) ** t
        return 1.0, s, 0.0, s * math.log(50 / 0.01)
    if name == "edm":
        return 1.0, t, 0.0, 1.0
    if name == "rectified-flow":  # flow convention: t = 1 is data
        return t, 1 - t, 1.0, -1.0
    if name == "cosine":
        s0 = 0.008
        c0 = math.cos(PI / 2 * s0 / (1 + s0))
        ph = PI / 2 * (t + s0) / (1 + s0)
        a = math.cos(ph) / c0
        da = -math.sin(ph) * PI / 2 / (1 + s0) / c0
        s = math.sqrt(1 - a * a)
        return a, s, da, -a * da / s
    if name == "trig":
        return math.cos(PI * t / 2), math.sin(PI * t / 2), -PI / 2 * math.sin(PI * t / 2), PI / 2 * math.cos(PI * t / 2)
    raise ValueError(name)


def discrete_abar(name, T=1000):
    """abar[0..T] in DDPM's one-based indexing (abar[0] = 1)."""
    if name == "ddpm-linear":
        betas = [1e-4 + (t - 1) / (T - 1) * (0.02 - 1e-4) for t in range(1, T + 1)]
    else:
        f = lambda t: math.cos((t / T + 0.008) / 1.008 * PI / 2) ** 2
        betas = [min(1 - f(t) / f(t - 1), 0.999) for t in range(1, T + 1)]
    abar = [1.0]
    for b in betas:
        abar.append(abar[-1] * (1 - b))
    return abar


ABAR = {name: discrete_abar(name) for name in ("ddpm-linear", "ddpm-cosine")}


def coefficients(schedule, t):
    if "/" in schedule:  # e.g. ddpm-linear-1000/zero-based
        base, indexing = schedule.split("/")
        name = base.rsplit("-", 1)[0]
        k = t + 1 if indexing == "zero-based" else t
        ab = ABAR[name][int(k)]
        return math.sqrt(ab), math.sqrt(1 - ab), None, None
    return path_coefficients(schedule, t)


def to_data_eps(kind, v, x, c):
    a, s, da, ds = c
    if kind == "eps":
        return (x - s * v) / a, v
    if kind == "data":
        return v, (x - a * v) / s
    if kind == "vPred":
        n = a * a + s * s
        return (a * x - s * v) / n, (a * v + s * x) / n
    if kind == "score":
        eps = -s * v
        return (x - s * eps) / a, eps
    if kind == "velocity":
        det = s * da - a * ds
        return (s * v - ds * x) / det, (da * x - a * v) / det
    raise ValueError(kind)


def from_data_eps(kind, data, eps, c):
    a, s, da, ds = c
    return {
        "eps": eps,
        "data": data,
        "vPred": a * eps - s * data if kind == "vPred" else None,
        "score": -eps / s if kind == "score" else None,
        "velocity": da * data + ds * eps if kind == "velocity" else None,
    }[kind]


def step(setup, inp):
    sampler, eta, schedule, pred = setup["sampler"], setup["eta"], setup["schedule"], setup["predictionType"]
    t, tp, x, out = inp["t"], inp["tPrev"], inp["x"], inp["modelOutput"]
    c = coefficients(schedule, t)
    data, eps = to_data_eps(pred, out, x, c)
    if sampler in ("ddim", "ddpm"):
        eta = 1.0 if sampler == "ddpm" else eta
        a, s = c[0], c[1]
        ap, sp = coefficients(schedule, tp)[:2]
        abar_t, abar_p = a * a, ap * ap
        # DDIM eq. 16: sigma^2 = eta^2 (1 - abar_prev) / (1 - abar_t) (1 - abar_t / abar_prev)
        var = eta * eta * (1 - abar_p) / (1 - abar_t) * (1 - abar_t / abar_p) if sp > 0 else 0.0
        mean = ap * data + math.sqrt(max(sp * sp - var, 0.0)) * eps
        return mean, math.sqrt(var)
    a, s, da, ds = c
    if sampler == "euler":
        return x + (tp - t) * (da * data + ds * eps), 0.0
    if sampler == "euler-maruyama":
        h = t - tp
        f = da / a
        g2 = 2 * s * ds - 2 * f * s * s
        score = -eps / s
        return x - h * (f * x - g2 * score), math.sqrt(g2 * h)
    raise ValueError(sampler)


def fill(check):
    kind, setup = check["kind"], check["setup"]
    for case in check["cases"]:
        inp = case["inputs"]
        if kind == "schedule":
            a, s, da, ds = path_coefficients(setup["path"], inp["t"])
            case["got"] = {"alpha": a, "sigma": s, "dAlpha": da, "dSigma": ds}
        elif kind == "discrete":
            k = inp["timestep"] + (1 if setup["timestepIndexing"] == "zero-based" else 0)
            case["got"] = {"abar": ABAR[setup["schedule"]][k]}
        elif kind == "conversion":
            t = inp.get("t", inp.get("timestep"))
            c = coefficients(setup["schedule"], t)
            data, eps = to_data_eps(setup["from"], inp["value"], inp["x"], c)
            case["got"] = {setup["to"]: from_data_eps(setup["to"], data, eps, c)}
        elif kind == "step":
            mean, std = step(setup, inp)
            case["got"] = {"xPrev": mean + std * inp.get("noise", 0.0)}


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as fh:
        vectors = json.load(fh)
    for check in vectors["checks"]:
        fill(check)
    with open(dst, "w") as fh:
        json.dump(vectors, fh)


if __name__ == "__main__":
    main()
