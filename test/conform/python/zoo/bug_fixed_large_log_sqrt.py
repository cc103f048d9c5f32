"""Bug zoo (Python), buggy (huggingface/diffusers#14569): the "fixed_large_log" variance is returned as
log(beta), and step takes its square root as if it were a variance: the square root of a negative number
is NaN. Declared as the beta (fixed_large) variance it means. Expected: step:ddpm fails (NaN at an input)."""
import numpy as np

from np_schedulers import DDPMScheduler


class LogLargeDDPMScheduler(DDPMScheduler):
    def _get_variance(self, t, prev_t, predicted_variance=None):
        alpha_prod_t, alpha_prod_t_prev = self.abar(t), self.abar(prev_t)
        return np.log(1 - alpha_prod_t / alpha_prod_t_prev)


FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": LogLargeDDPMScheduler,
    "config": {"variance_type": "fixed_large"},
    "numInferenceSteps": 50,
    "sampler": "ddpm",
    "variance": "beta",
}
