"""Bug zoo (Python), buggy (huggingface/diffusers#3006): the learned_range variance takes its upper end
from self.betas[t], the one-step beta, instead of the beta of the skipped step 1 - abar_t / abar_prev,
so with 50 of 1000 steps the variance range is far too small. Expected: step:ddpm fails."""
import numpy as np

from np_schedulers import DDPMScheduler


class BetasTDDPMScheduler(DDPMScheduler):
    def _get_variance(self, t, prev_t, predicted_variance=None):
        alpha_prod_t, alpha_prod_t_prev = self.abar(t), self.abar(prev_t)
        current_beta_t = 1 - alpha_prod_t / alpha_prod_t_prev
        variance = max((1 - alpha_prod_t_prev) / (1 - alpha_prod_t) * current_beta_t, 1e-20)
        min_log, max_log = np.log(variance), np.log(self.betas[t])
        frac = (predicted_variance + 1) / 2
        return frac * max_log + (1 - frac) * min_log


FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": BetasTDDPMScheduler,
    "config": {"variance_type": "learned_range"},
    "numInferenceSteps": 50,
    "sampler": "ddpm",
}
