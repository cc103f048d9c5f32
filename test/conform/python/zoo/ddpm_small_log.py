"""Bug zoo (Python), valid variant: diffusers' "fixed_small_log" variance type, the posterior variance
carried as its logarithm and exponentiated back (the RL-diffuser variant). Same law as fixed_small: the
bridge reads it as variance 'posterior' from the config, with nothing declared."""
import numpy as np

from np_schedulers import DDPMScheduler


class LogSmallDDPMScheduler(DDPMScheduler):
    def _get_variance(self, t, prev_t, predicted_variance=None):
        alpha_prod_t, alpha_prod_t_prev = self.abar(t), self.abar(prev_t)
        posterior = (1 - alpha_prod_t_prev) / (1 - alpha_prod_t) * (1 - alpha_prod_t / alpha_prod_t_prev)
        log_variance = np.log(max(posterior, 1e-20))
        return np.exp(log_variance)


FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": LogSmallDDPMScheduler,
    "config": {"variance_type": "fixed_small_log"},
    "numInferenceSteps": 50,
    "sampler": "ddpm",
}
