"""Bug zoo (Python), valid variant: a diffusers-style DDPMScheduler that keeps its schedule in float32 (as
diffusers' torch schedulers do whatever the sample's dtype) and takes all 1000 timesteps, so its step
coefficients such as 1 - abar_t / abar_(t-1) between neighbouring timesteps carry float32 cancellations
(~1e-4 relative). It declares no dtype: the bridge reads float32 from the scheduler's alphas_cumprod and
applies the float32 tolerance (without it, step:ddpm failed at ratio ~1 on rounding alone)."""
from np_schedulers import DDPMScheduler

FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": DDPMScheduler,
    "config": {"variance_type": "fixed_small", "dtype": "float32", "timestep_spacing": "linspace"},
    "numInferenceSteps": 1000,
    "sampler": "ddpm",
}
