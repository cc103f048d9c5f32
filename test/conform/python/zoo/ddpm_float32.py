"""Bug zoo (Python), valid variant: a diffusers-style DDPMScheduler computing in float32 throughout (betas,
alphas_cumprod by a float32 cumulative product, float32 arrays in and out), as torch schedulers do by
default. FLOWPROOF['dtype'] = 'float32' declares it: the bridge passes float32 arrays and the tolerance is
float32's (rtol 1e-4). Measured: alphas_cumprod is off by up to 4.9e-7 from float64 and the step by
8.9e-6, which is precision, not a bug (both also pass the float64 default, rtol 1e-6, here)."""
from np_schedulers import DDPMScheduler

FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": DDPMScheduler,
    "config": {"variance_type": "fixed_small", "dtype": "float32"},
    "numInferenceSteps": 50,
    "sampler": "ddpm",
    "schedule": {"name": "ddpm-linear", "numSteps": 1000},
    "dtype": "float32",
}
