"""Bug zoo (Python), valid variant: flow_matching-style CosineScheduler (alpha_t = sin(pi t / 2),
sigma_t = cos(pi t / 2)), flowproof's trig path read in the flow convention; variance preserving."""
from np_flow_matching import AffineProbPath, CosineScheduler

FLOWPROOF = {"adapter": "flow-matching", "scheduler": CosineScheduler, "probPath": AffineProbPath,
             "convention": "flow", "path": "trig"}
