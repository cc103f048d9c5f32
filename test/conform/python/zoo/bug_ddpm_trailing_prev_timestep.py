"""Bug zoo (Python), buggy (huggingface/diffusers#9261): DDPMScheduler.previous_timestep returns
timestep - num_train_timesteps // num_inference_steps, wrong for "trailing" spacing with a step count
that does not divide 1000 (13 steps: 999 -> 923 instead of 922). Expected: step:ddpm fails."""
from np_schedulers import DDPMScheduler


class StrideDDPMScheduler(DDPMScheduler):
    def previous_timestep(self, timestep):
        return timestep - self.config.num_train_timesteps // self.num_inference_steps


FLOWPROOF = {
    "adapter": "diffusers",
    "scheduler": StrideDDPMScheduler,
    "config": {"timestep_spacing": "trailing"},
    "numInferenceSteps": 13,
    "sampler": "ddpm",
}
