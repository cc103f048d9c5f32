"""NumPy float64 reference for the Monte-Carlo benchmark (run by mc-bench.ts with /usr/bin/python3).

Same workload as flowproof's: a Gaussian mixture with isotropic components, the VP-SDE (beta 0.1..20),
the exact score, reverse-SDE Euler-Maruyama or PF-ODE Heun on a uniform grid from t = 1 to 1e-3, starting
from the exact marginal at t = 1. Vectorised the way a NumPy user would write it: the mixture logits by one
matmul (|x|^2 - 2 a x.mu + a^2 |mu|^2), a max-shifted softmax, the posterior mean by two more matmuls.
Input: one JSON object on stdin. Output: one JSON line (wall and CPU time of the sampling loop, moments, peak RSS).
"""
import json
import resource
import sys
import time

import numpy as np

from mc_vp import coeffs

spec = json.load(sys.stdin)
w = np.asarray(spec["weights"], dtype=np.float64)
mu = np.asarray(spec["means"], dtype=np.float64)  # (K, d)
v = np.asarray(spec["variances"], dtype=np.float64)  # (K,) isotropic
n, steps, seed, sampler = spec["n"], spec["steps"], spec["seed"], spec["sampler"]
t_end = spec["tEnd"]
K, d = mu.shape
mu2 = (mu * mu).sum(axis=1)
log_w = np.log(w / w.sum())



def score(x, t):
    alpha, sigma2, _, _ = coeffs(t)
    var = alpha * alpha * v + sigma2  # (K,)
    iv = 1.0 / var
    xx = np.einsum("ij,ij->i", x, x)[:, None]
    logits = log_w - 0.5 * d * np.log(var) - 0.5 * iv * (xx - 2 * alpha * (x @ mu.T) + alpha * alpha * mu2)
    logits -= logits.max(axis=1, keepdims=True)
    r = np.exp(logits)
    r /= r.sum(axis=1, keepdims=True)
    # score = -sum_k r_k (x - alpha mu_k) / var_k
    riv = r * iv
    return -(x * riv.sum(axis=1, keepdims=True) - alpha * (riv @ mu))


def pf_drift(x, t):
    _, _, f, g2 = coeffs(t)
    return f * x - 0.5 * g2 * score(x, t)


rng = np.random.default_rng(seed)
t0 = time.perf_counter()
cpu0 = time.process_time()
comp = rng.choice(K, size=n, p=w / w.sum())
alpha1, sigma2_1, _, _ = coeffs(1.0)
x = alpha1 * (mu[comp] + np.sqrt(v[comp])[:, None] * rng.standard_normal((n, d))) + np.sqrt(sigma2_1) * rng.standard_normal((n, d))
ts = np.linspace(1.0, t_end, steps + 1)
for i in range(steps):
    t, tn = ts[i], ts[i + 1]
    h = tn - t
    if sampler == "reverse-sde-em":
        _, _, f, g2 = coeffs(t)
        x = x + h * (f * x - g2 * score(x, t)) + np.sqrt(-h * g2) * rng.standard_normal((n, d))
    else:
        k1 = pf_drift(x, t)
        k2 = pf_drift(x + h * k1, tn)
        x = x + 0.5 * h * (k1 + k2)
elapsed = time.perf_counter() - t0
print(json.dumps({
    "seconds": elapsed,
    "cpuSeconds": time.process_time() - cpu0,
    "mean": x.mean(axis=0).tolist(),
    "var": x.var(axis=0).tolist(),
    "maxRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
