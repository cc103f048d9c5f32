"""Bug zoo (Python), correct: flow_matching-style CondOTScheduler (alpha_t = t, sigma_t = 1 - t) and its
AffineProbPath conversions, declared as flowproof's rectified-flow path."""
from np_flow_matching import AffineProbPath, CondOTScheduler

FLOWPROOF = {"adapter": "flow-matching", "scheduler": CondOTScheduler, "probPath": AffineProbPath,
             "convention": "flow", "path": "rectified-flow"}
