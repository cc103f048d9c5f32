"""Bug zoo (Python), correct: a diffusers-style DDPMScheduler (numpy) with the posterior variance
(fixed_small), leading timestep spacing, 50 inference steps."""
from np_schedulers import DDPMScheduler

FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": DDPMScheduler,
    "config": {"variance_type": "fixed_small", "timestep_spacing": "leading"},
    "numInferenceSteps": 50,
    "sampler": "ddpm",
    "schedule": {"name": "ddpm-linear", "numSteps": 1000},
}
