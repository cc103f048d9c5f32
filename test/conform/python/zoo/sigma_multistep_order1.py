"""Bug zoo (Python), valid: a linear multistep scheduler on the sigma grid (as diffusers' LMS) keeps the
slopes of its earlier steps; checked one step at a time through its step's `order` argument set to 1, where
its step is Euler's. (Left at its default order 4 the bridge refuses it: its steps depend on the calls
before them.)"""
from np_sigma_schedulers import SigmaMultistepScheduler

FLOWPROOF = {"adapter": "diffusers", "scheduler": SigmaMultistepScheduler, "numInferenceSteps": 30,
             "stepKwargs": {"order": 1}, "sampler": "euler"}
