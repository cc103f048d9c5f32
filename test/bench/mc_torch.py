"""PyTorch reference for the Monte-Carlo benchmark (run by mc-bench.ts with /usr/bin/python3 when
Debian's python3-torch is installed): the same workload and the same vectorised formulas as mc_numpy.py,
on CPU in the dtype asked for (float64 or float32), with torch.set_num_threads(2) (mc-bench.ts also sets
OPENBLAS_NUM_THREADS=1 so that BLAS does not oversubscribe the cores).
Input: one JSON object on stdin (mc_numpy.py's, plus "dtype" and "threads"). Output: one JSON line.
"""
import json
import math
import resource
import sys
import time

import torch

from mc_vp import coeffs

spec = json.load(sys.stdin)
dtype = {"float64": torch.float64, "float32": torch.float32}[spec["dtype"]]
torch.set_num_threads(int(spec.get("threads", 2)))
torch.manual_seed(spec["seed"])
w = torch.tensor(spec["weights"], dtype=dtype)
mu = torch.tensor(spec["means"], dtype=dtype)  # (K, d)
v = torch.tensor(spec["variances"], dtype=dtype)  # (K,) isotropic
n, steps, sampler, t_end = spec["n"], spec["steps"], spec["sampler"], spec["tEnd"]
K, d = mu.shape
mu2 = (mu * mu).sum(dim=1)
log_w = torch.log(w / w.sum())



def score(x, t):
    alpha, sigma2, _, _ = coeffs(t)
    var = alpha * alpha * v + sigma2  # (K,)
    iv = 1.0 / var
    xx = (x * x).sum(dim=1, keepdim=True)
    logits = log_w - 0.5 * d * torch.log(var) - 0.5 * iv * (xx - 2 * alpha * (x @ mu.T) + alpha * alpha * mu2)
    r = torch.softmax(logits, dim=1)
    # score = -sum_k r_k (x - alpha mu_k) / var_k
    riv = r * iv
    return -(x * riv.sum(dim=1, keepdim=True) - alpha * (riv @ mu))


def pf_drift(x, t):
    _, _, f, g2 = coeffs(t)
    return f * x - 0.5 * g2 * score(x, t)


t0 = time.perf_counter()
cpu0 = time.process_time()
with torch.no_grad():
    comp = torch.multinomial(w / w.sum(), n, replacement=True)
    alpha1, sigma2_1, _, _ = coeffs(1.0)
    x = alpha1 * (mu[comp] + torch.sqrt(v[comp])[:, None] * torch.randn(n, d, dtype=dtype))
    x = x + math.sqrt(sigma2_1) * torch.randn(n, d, dtype=dtype)
    ts = torch.linspace(1.0, t_end, steps + 1, dtype=torch.float64).tolist()
    for i in range(steps):
        t, tn = ts[i], ts[i + 1]
        h = tn - t
        if sampler == "reverse-sde-em":
            _, _, f, g2 = coeffs(t)
            x = x + h * (f * x - g2 * score(x, t)) + math.sqrt(-h * g2) * torch.randn(n, d, dtype=dtype)
        else:
            k1 = pf_drift(x, t)
            k2 = pf_drift(x + h * k1, tn)
            x = x + 0.5 * h * (k1 + k2)
elapsed = time.perf_counter() - t0
x64 = x.double()
print(json.dumps({
    "seconds": elapsed,
    "cpuSeconds": time.process_time() - cpu0,
    "mean": x64.mean(dim=0).tolist(),
    "var": x64.var(dim=0, unbiased=False).tolist(),
    "maxRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
