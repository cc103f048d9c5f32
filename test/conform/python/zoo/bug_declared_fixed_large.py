"""Bug zoo (Python), wrong declaration: the posterior-variance (fixed_small) scheduler of ddpm_scheduler.py
declared as "beta" (fixed_large). The code is right, the claim about it is not: the same module declaring
its true choice passes. Expected: step:ddpm fails with the right mean and a smaller std than declared."""
from np_schedulers import DDPMScheduler

FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": DDPMScheduler,
    "config": {"variance_type": "fixed_small"},
    "numInferenceSteps": 50,
    "sampler": "ddpm",
    "variance": "beta",
}
