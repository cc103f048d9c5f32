"""Bug zoo (Python), valid variant with no built-in reference: flow_matching-style
PolynomialConvexScheduler with n = 2 (alpha_t = t^2, sigma_t = 1 - t^2). Only the identities are checked:
derivatives against central differences, snr monotone, both ends, and the conversions on its own path."""
from np_flow_matching import AffineProbPath, PolynomialConvexScheduler

FLOWPROOF = {"adapter": "flow-matching", "scheduler": PolynomialConvexScheduler, "config": {"n": 2.0},
             "probPath": AffineProbPath, "convention": "flow"}
