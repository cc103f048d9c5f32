"""Bug zoo (Python): a flow-matching Euler scheduler that steps with sigma - sigma_next, the step size of the
opposite direction: every step moves away from the data by as much as it should move toward it."""
from np_sigma_schedulers import FlowEulerScheduler


class ReversedFlowEuler(FlowEulerScheduler):
    def step(self, model_output, timestep, sample, return_dict=True):
        if self._step_index is None:
            self._step_index = int((self.timesteps == timestep).nonzero()[0][0])
        sigma, sigma_next = self.sigmas[self._step_index], self.sigmas[self._step_index + 1]
        prev = sample + (sigma - sigma_next) * model_output
        self._step_index += 1
        return (prev,) if not return_dict else prev


FLOWPROOF = {"adapter": "diffusers", "scheduler": ReversedFlowEuler, "config": {"shift": 3.0},
             "numInferenceSteps": 28, "sampler": "euler"}
