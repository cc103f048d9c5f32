"""Bug zoo (Python), buggy: velocity_to_epsilon inverts v = (d alpha / alpha) x_t + (d sigma - d alpha
sigma / alpha) eps with the sign of the x_t term flipped. Expected: conversion:velocityToEps fails."""
from np_flow_matching import AffineProbPath, CondOTScheduler


class Path(AffineProbPath):
    def velocity_to_epsilon(self, velocity, x_t, t):
        s = self.scheduler(t)
        det = s.d_alpha_t * s.sigma_t - s.d_sigma_t * s.alpha_t
        return -s.d_alpha_t / det * x_t - s.alpha_t / det * velocity


FLOWPROOF = {"adapter": "flow-matching", "scheduler": CondOTScheduler, "probPath": Path,
             "convention": "flow", "path": "rectified-flow"}
