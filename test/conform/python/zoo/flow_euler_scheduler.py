"""Bug zoo (Python), correct: a diffusers-style flow-matching Euler scheduler (x = (1 - sigma) data + sigma
noise, the model predicts noise - data) with SD3's time shift 3 on its sigmas, 28 steps."""
from np_sigma_schedulers import FlowEulerScheduler

FLOWPROOF = {"adapter": "diffusers", "scheduler": FlowEulerScheduler, "config": {"shift": 3.0},
             "numInferenceSteps": 28, "sampler": "euler"}
