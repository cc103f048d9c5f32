"""Bug zoo (Python), buggy: a polynomial scheduler whose derivatives drop the factor n
(d alpha_t = t^(n-1) instead of n t^(n-1)). Expected: schedule:derivatives fails, and the velocity
conversions that use the derivatives."""
from np_flow_matching import AffineProbPath, PolynomialConvexScheduler, SchedulerOutput


class Polynomial(PolynomialConvexScheduler):
    def __call__(self, t):
        return SchedulerOutput(alpha_t=t ** self.n, sigma_t=1 - t ** self.n,
                               d_alpha_t=t ** (self.n - 1), d_sigma_t=-t ** (self.n - 1))


FLOWPROOF = {"adapter": "flow-matching", "scheduler": Polynomial, "config": {"n": 3.0},
             "probPath": AffineProbPath, "convention": "flow"}
