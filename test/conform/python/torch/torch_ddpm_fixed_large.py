"""torch, diffusers style: a DDPMScheduler in torch float32 throughout (betas by torch.linspace,
alphas_cumprod by torch.cumprod, noise through the module-level randn_tensor as diffusers draws it),
variance_type fixed_large, leading spacing. Declared float32."""
import torch


def randn_tensor(shape, generator=None, device=None, dtype=None):
    return torch.randn(shape, generator=generator, device=device, dtype=dtype)


class Output:
    def __init__(self, prev_sample):
        self.prev_sample = prev_sample


class DDPMScheduler:
    def __init__(self, num_train_timesteps=1000, beta_start=0.0001, beta_end=0.02, variance_type="fixed_small",
                 prediction_type="epsilon", timestep_spacing="leading"):
        self.config = dict(num_train_timesteps=num_train_timesteps, variance_type=variance_type,
                           prediction_type=prediction_type, timestep_spacing=timestep_spacing)
        self.betas = torch.linspace(beta_start, beta_end, num_train_timesteps, dtype=torch.float32)
        self.alphas_cumprod = torch.cumprod(1.0 - self.betas, dim=0)
        self.one = torch.tensor(1.0)

    def set_timesteps(self, num_inference_steps):
        ratio = self.config["num_train_timesteps"] // num_inference_steps
        self.timesteps = torch.arange(0, num_inference_steps).mul(ratio).flip(0)

    def previous_timestep(self, t):
        index = (self.timesteps == t).nonzero()[0].item()
        return self.timesteps[index + 1].item() if index + 1 < len(self.timesteps) else -1

    def step(self, model_output, timestep, sample, generator=None, return_dict=True):
        t, prev_t = timestep, self.previous_timestep(timestep)
        alpha_prod_t = self.alphas_cumprod[t]
        alpha_prod_t_prev = self.alphas_cumprod[prev_t] if prev_t >= 0 else self.one
        current_alpha_t = alpha_prod_t / alpha_prod_t_prev
        current_beta_t = 1 - current_alpha_t
        x0 = (sample - (1 - alpha_prod_t) ** 0.5 * model_output) / alpha_prod_t ** 0.5
        coef_x0 = alpha_prod_t_prev ** 0.5 * current_beta_t / (1 - alpha_prod_t)
        coef_xt = current_alpha_t ** 0.5 * (1 - alpha_prod_t_prev) / (1 - alpha_prod_t)
        prev_sample = coef_x0 * x0 + coef_xt * sample
        if prev_t >= 0:
            noise = randn_tensor(model_output.shape, generator=generator, dtype=model_output.dtype)
            variance = current_beta_t if self.config["variance_type"] == "fixed_large" else (
                (1 - alpha_prod_t_prev) / (1 - alpha_prod_t) * current_beta_t)
            prev_sample = prev_sample + variance ** 0.5 * noise
        return Output(prev_sample) if return_dict else (prev_sample,)


FLOWPROOF = {
    "adapter": "diffusers",
    "array": "torch",
    "dtype": "float32",
    "scheduler": DDPMScheduler,
    "config": {"variance_type": "fixed_large"},
    "sampler": "ddpm",
    "variance": "beta",
    "grid": {"name": "leading", "numSteps": 50},
    "schedule": {"name": "ddpm-linear", "numSteps": 1000},
}
