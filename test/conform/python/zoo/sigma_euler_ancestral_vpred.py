"""Bug zoo (Python), valid: the ancestral version of the sigma-space Euler scheduler (sigma_up/sigma_down
split, noise through randn_tensor) with a v-prediction model: diffusers' v is the variance-preserving one,
(noise - sigma data) / sqrt(1 + sigma^2). The ancestral step has the law of the DDPM posterior."""
from np_sigma_schedulers import SigmaEulerScheduler

FLOWPROOF = {"adapter": "diffusers", "scheduler": SigmaEulerScheduler,
             "config": {"ancestral": True, "prediction_type": "v_prediction"}, "numInferenceSteps": 25,
             "sampler": "ddpm"}
