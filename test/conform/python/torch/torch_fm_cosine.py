"""torch, flow_matching style: CosineScheduler and AffineProbPath as flow_matching writes them (tensors
in, tensors out, torch.ones_like), checked against the trig path in the flow convention."""
import math
from dataclasses import dataclass

import torch


@dataclass
class SchedulerOutput:
    alpha_t: torch.Tensor
    sigma_t: torch.Tensor
    d_alpha_t: torch.Tensor
    d_sigma_t: torch.Tensor


class CosineScheduler:
    def __call__(self, t):
        return SchedulerOutput(alpha_t=torch.sin(0.5 * math.pi * t), sigma_t=torch.cos(0.5 * math.pi * t),
                               d_alpha_t=0.5 * math.pi * torch.cos(0.5 * math.pi * t),
                               d_sigma_t=-0.5 * math.pi * torch.sin(0.5 * math.pi * t))


class AffineProbPath:
    def __init__(self, scheduler):
        self.scheduler = scheduler

    def target_to_epsilon(self, x_1, x_t, t):
        s = self.scheduler(t)
        return (x_t - s.alpha_t * x_1) / s.sigma_t

    def epsilon_to_velocity(self, epsilon, x_t, t):
        s = self.scheduler(t)
        return s.d_alpha_t / s.alpha_t * x_t + (s.d_sigma_t - s.d_alpha_t * s.sigma_t / s.alpha_t) * epsilon


FLOWPROOF = {"adapter": "flow-matching", "array": "torch", "scheduler": CosineScheduler, "probPath": AffineProbPath,
             "convention": "flow", "path": "trig"}
