"""Bug zoo (Python), valid design choice: a diffusers-style DDPMScheduler with variance_type
"learned_range" (improved DDPM, Nichol & Dhariwal 2021, eq. 15: the model's second output channel v in
[-1, 1] interpolates log beta-tilde and log beta), a v-prediction model and trailing timestep spacing."""
from np_schedulers import DDPMScheduler

FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": DDPMScheduler,
    "config": {"variance_type": "learned_range", "prediction_type": "v_prediction", "timestep_spacing": "trailing"},
    "numInferenceSteps": 25,
    "sampler": "ddpm",
    "schedule": {"name": "ddpm-linear", "numSteps": 1000},
}
