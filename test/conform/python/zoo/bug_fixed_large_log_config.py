"""Bug zoo (Python), buggy (huggingface/diffusers#14569), configured the way users hit it: variance_type
"fixed_large_log" in the config and nothing declared. The bridge reads fixed_large_log as the beta variance
it stands for; the step takes the square root of log(beta) < 0: NaN. Expected: step:ddpm fails."""
from bug_fixed_large_log_sqrt import LogLargeDDPMScheduler

FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": LogLargeDDPMScheduler,
    "config": {"variance_type": "fixed_large_log"},
    "numInferenceSteps": 50,
    "sampler": "ddpm",
}
