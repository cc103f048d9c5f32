"""Bug zoo (Python): a DDIMScheduler whose last step goes to the data (set_alpha_to_one=True), declared as
landing on timestep 0 (FLOWPROOF['finalTimestep'] = 0, what set_alpha_to_one=False does). The declaration is
checked, not trusted: step:ddim fails the last step (the data instead of timestep 0)."""
from np_schedulers import DDIMScheduler

FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": DDIMScheduler,
    "config": {"set_alpha_to_one": True, "steps_offset": 1, "timestep_spacing": "leading"},
    "numInferenceSteps": 50,
    "sampler": "ddim",
    "finalTimestep": 0,
}
