"""Bug zoo (Python), buggy (huggingface/diffusers#12633, #11347): DDIMScheduler.step computes the previous
timestep as timestep - num_train_timesteps // num_inference_steps, which is the next grid entry only for
"leading" spacing; with "linspace" the grid strides by 20.39, so most steps land on the wrong noise
level. Expected: step:ddim fails (between neighbours of the module's own grid)."""
from np_schedulers import DDIMScheduler


class StrideDDIMScheduler(DDIMScheduler):
    def prev_timestep_of(self, timestep):
        return timestep - self.config.num_train_timesteps // self.num_inference_steps


FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": StrideDDIMScheduler,
    "config": {"timestep_spacing": "linspace"},
    "numInferenceSteps": 50,
    "sampler": "ddim",
    "eta": 0,
}
