"""Bug zoo (Python), correct: a diffusers-style DDIMScheduler with the improved-DDPM cosine betas
("squaredcos_cap_v2", flowproof's ddpm-cosine), eta = 1 drawn through variance_noise, linspace spacing
with the previous timestep looked up on the grid."""
from np_schedulers import DDIMScheduler

FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": DDIMScheduler,
    "config": {"beta_schedule": "squaredcos_cap_v2", "timestep_spacing": "linspace"},
    "numInferenceSteps": 30,
    "sampler": "ddim",
    "eta": 1.0,
    "schedule": {"name": "ddpm-cosine", "numSteps": 1000},
}
