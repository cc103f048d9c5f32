"""Bug zoo (Python), valid: a diffusers-style DDIMScheduler with Stable Diffusion's set_alpha_to_one=False and
steps_offset=1: its last step, from timestep 1, lands on timestep 0 (abar_0 < 1) rather than on the data, by
design. The bridge reads that from the config as meta.finalTimestep = 0, and the checks end there (before,
step:ddim failed that last step at ratio ~10^3)."""
from np_schedulers import DDIMScheduler

FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": DDIMScheduler,
    "config": {"set_alpha_to_one": False, "steps_offset": 1, "timestep_spacing": "leading"},
    "numInferenceSteps": 50,
    "sampler": "ddim",
}
