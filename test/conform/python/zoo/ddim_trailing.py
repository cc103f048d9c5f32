"""Bug zoo (Python), correct: a diffusers-style DDIMScheduler (eta = 0) with an x0-predicting model and
"trailing" timestep spacing (Lin et al. 2024), looking the previous timestep up on its own grid."""
from np_schedulers import DDIMScheduler

FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": DDIMScheduler,
    "config": {"prediction_type": "sample", "timestep_spacing": "trailing"},
    "numInferenceSteps": 20,
    "sampler": "ddim",
    "eta": 0,
    "schedule": {"name": "ddpm-linear", "numSteps": 1000},
}
