"""Bug zoo (Python): schedulers and an affine probability path written in the style of Meta's
flow_matching library (flow_matching.path.scheduler, flow_matching.path.affine): flow convention,
x_t = alpha_t x_1 + sigma_t x_0 with x_0 the noise and x_1 the data, scheduler(t) returning alpha_t,
sigma_t and their time derivatives. numpy, independent of flowproof."""
import math
from dataclasses import dataclass

import numpy as np


@dataclass
class SchedulerOutput:
    alpha_t: np.ndarray
    sigma_t: np.ndarray
    d_alpha_t: np.ndarray
    d_sigma_t: np.ndarray


class CondOTScheduler:
    def __call__(self, t):
        return SchedulerOutput(alpha_t=t, sigma_t=1 - t, d_alpha_t=np.ones_like(t), d_sigma_t=-np.ones_like(t))


class CosineScheduler:
    def __call__(self, t):
        return SchedulerOutput(alpha_t=np.sin(0.5 * math.pi * t), sigma_t=np.cos(0.5 * math.pi * t),
                               d_alpha_t=0.5 * math.pi * np.cos(0.5 * math.pi * t),
                               d_sigma_t=-0.5 * math.pi * np.sin(0.5 * math.pi * t))


class PolynomialConvexScheduler:
    def __init__(self, n=2.0):
        self.n = n

    def __call__(self, t):
        return SchedulerOutput(alpha_t=t ** self.n, sigma_t=1 - t ** self.n,
                               d_alpha_t=self.n * t ** (self.n - 1), d_sigma_t=-self.n * t ** (self.n - 1))


class AffineProbPath:
    """Conversions between the target x_1, the noise x_0 (epsilon) and the velocity at x_t."""

    def __init__(self, scheduler):
        self.scheduler = scheduler

    def target_to_velocity(self, x_1, x_t, t):
        s = self.scheduler(t)
        a_t = s.d_sigma_t / s.sigma_t
        b_t = s.d_alpha_t - s.d_sigma_t * s.alpha_t / s.sigma_t
        return a_t * x_t + b_t * x_1

    def epsilon_to_velocity(self, epsilon, x_t, t):
        s = self.scheduler(t)
        a_t = s.d_alpha_t / s.alpha_t
        b_t = s.d_sigma_t - s.d_alpha_t * s.sigma_t / s.alpha_t
        return a_t * x_t + b_t * epsilon

    def velocity_to_target(self, velocity, x_t, t):
        s = self.scheduler(t)
        a_t = -s.d_sigma_t / (s.d_alpha_t * s.sigma_t - s.d_sigma_t * s.alpha_t)
        b_t = s.sigma_t / (s.d_alpha_t * s.sigma_t - s.d_sigma_t * s.alpha_t)
        return a_t * x_t + b_t * velocity

    def velocity_to_epsilon(self, velocity, x_t, t):
        s = self.scheduler(t)
        a_t = s.d_alpha_t / (s.d_alpha_t * s.sigma_t - s.d_sigma_t * s.alpha_t)
        b_t = -s.alpha_t / (s.d_alpha_t * s.sigma_t - s.d_sigma_t * s.alpha_t)
        return a_t * x_t + b_t * velocity

    def target_to_epsilon(self, x_1, x_t, t):
        s = self.scheduler(t)
        return (x_t - s.alpha_t * x_1) / s.sigma_t

    def epsilon_to_target(self, epsilon, x_t, t):
        s = self.scheduler(t)
        return (x_t - s.sigma_t * epsilon) / s.alpha_t
