"""Bug zoo (Python), buggy: a CondOT scheduler in the diffusion convention's roles (alpha_t = 1 - t,
sigma_t = t) declared in the flow convention, as when code is ported between the two conventions.
Expected: schedule:endpoints (data and noise swapped), schedule:reference and schedule:snr-monotone fail."""
import numpy as np

from np_flow_matching import AffineProbPath, SchedulerOutput


class SwappedCondOT:
    def __call__(self, t):
        return SchedulerOutput(alpha_t=1 - t, sigma_t=t, d_alpha_t=-np.ones_like(t), d_sigma_t=np.ones_like(t))


FLOWPROOF = {"adapter": "flow-matching", "scheduler": SwappedCondOT, "probPath": AffineProbPath,
             "convention": "flow", "path": "rectified-flow"}
