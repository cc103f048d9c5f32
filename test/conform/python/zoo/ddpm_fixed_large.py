"""Bug zoo (Python), valid design choice: a diffusers-style DDPMScheduler with variance_type
"fixed_large", the reverse variance beta_t that Ho et al. (2020, sec. 3.2) report works as well as the
posterior variance. Declared through the scheduler's own config (flowproof reads variance_type), so the
step is checked against the beta variance; it must pass."""
from np_schedulers import DDPMScheduler

FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": DDPMScheduler,
    "config": {"variance_type": "fixed_large", "timestep_spacing": "leading"},
    "numInferenceSteps": 50,
    "sampler": "ddpm",
    "schedule": {"name": "ddpm-linear", "numSteps": 1000},
}
