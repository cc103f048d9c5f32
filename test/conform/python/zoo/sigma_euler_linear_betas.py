"""Bug zoo (Python), valid: the sigma-space Euler scheduler on DDPM's linear betas (1e-4..0.02), diffusers'
default, whose largest sigma is 157: beyond the edm path's default domain [0.002, 80]. The bridge widens the
domain to the scheduler's sigmas (meta.pathParams); before, all four checks failed on correct code."""
from np_sigma_schedulers import SigmaEulerScheduler

FLOWPROOF = {"adapter": "diffusers", "scheduler": SigmaEulerScheduler,
             "config": {"beta_start": 0.0001, "beta_end": 0.02}, "numInferenceSteps": 30, "sampler": "euler"}
