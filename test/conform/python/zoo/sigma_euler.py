"""Bug zoo (Python), correct: a diffusers-style Euler scheduler stepping along its own sigmas (the sample is
data + sigma noise), epsilon prediction, Stable Diffusion's scaled-linear betas, 30 steps."""
from np_sigma_schedulers import SigmaEulerScheduler

FLOWPROOF = {"adapter": "diffusers", "scheduler": SigmaEulerScheduler, "numInferenceSteps": 30, "sampler": "euler"}
