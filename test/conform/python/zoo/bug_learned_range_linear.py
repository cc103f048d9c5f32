"""Bug zoo (Python), buggy (huggingface/diffusers#2090): the learned_range variance interpolates the
variances beta-tilde and beta themselves instead of their logarithms (improved DDPM eq. 15 is
exp(v log beta + (1 - v) log beta-tilde)). Expected: step:ddpm fails with the right mean, a wrong std."""
import numpy as np

from np_schedulers import DDPMScheduler


class LinearRangeDDPMScheduler(DDPMScheduler):
    def _get_variance(self, t, prev_t, predicted_variance=None):
        alpha_prod_t, alpha_prod_t_prev = self.abar(t), self.abar(prev_t)
        current_beta_t = 1 - alpha_prod_t / alpha_prod_t_prev
        variance = (1 - alpha_prod_t_prev) / (1 - alpha_prod_t) * current_beta_t
        frac = (predicted_variance + 1) / 2
        return np.log(frac * current_beta_t + (1 - frac) * variance)


FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": LinearRangeDDPMScheduler,
    "config": {"variance_type": "learned_range"},
    "numInferenceSteps": 50,
    "sampler": "ddpm",
}
