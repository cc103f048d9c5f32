"""Bug zoo (Python): a sigma-space ancestral Euler scheduler whose sigma_up drops the square root (the
variance is used as a standard deviation): the noise added each step is too small where sigma_next < 1
and too large above. The step's mean is right; its law is not."""
from np_sigma_schedulers import SigmaEulerScheduler


class UpNotSqrtScheduler(SigmaEulerScheduler):
    def ancestral_split(self, sigma, sigma_next):
        up = sigma_next ** 2 * (sigma ** 2 - sigma_next ** 2) / sigma ** 2
        return (sigma_next ** 2 - up ** 2) ** 0.5, up


FLOWPROOF = {"adapter": "diffusers", "scheduler": UpNotSqrtScheduler, "config": {"ancestral": True},
             "numInferenceSteps": 25, "sampler": "ddpm"}
