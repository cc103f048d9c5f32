"""torch, buggy, written as diffusers' DDPMScheduler was in 2022: the noise drawn with torch.randn(...,
generator=generator) inside step (no randn_tensor, no variance_noise: the bridge supplies torch.randn's
draws while the step runs), and the previous timestep taken to be t - 1 although set_timesteps skips
(alphas_cumprod[t - 1], betas[t]). Expected: step:ddpm fails."""
import numpy as np
import torch


class Output:
    def __init__(self, prev_sample):
        self.prev_sample = prev_sample


class DDPMScheduler:
    def __init__(self, num_train_timesteps=1000, beta_start=0.0001, beta_end=0.02):
        self.config = {"num_train_timesteps": num_train_timesteps, "prediction_type": "epsilon"}
        self.betas = torch.linspace(beta_start, beta_end, num_train_timesteps, dtype=torch.float32)
        self.alphas = 1.0 - self.betas
        self.alphas_cumprod = torch.cumprod(self.alphas, dim=0)
        self.one = torch.tensor(1.0)

    def set_timesteps(self, num_inference_steps):
        T = self.config["num_train_timesteps"]
        self.timesteps = np.arange(0, T, T // num_inference_steps)[::-1]

    def step(self, model_output, timestep, sample, generator=None, return_dict=True):
        t = timestep
        alpha_prod_t = self.alphas_cumprod[t]
        alpha_prod_t_prev = self.alphas_cumprod[t - 1] if t > 0 else self.one
        beta_prod_t, beta_prod_t_prev = 1 - alpha_prod_t, 1 - alpha_prod_t_prev
        x0 = (sample - beta_prod_t ** 0.5 * model_output) / alpha_prod_t ** 0.5
        coef_x0 = alpha_prod_t_prev ** 0.5 * self.betas[t] / beta_prod_t
        coef_xt = self.alphas[t] ** 0.5 * beta_prod_t_prev / beta_prod_t
        prev = coef_x0 * x0 + coef_xt * sample
        if t > 0:
            noise = torch.randn(model_output.size(), dtype=model_output.dtype, generator=generator)
            variance = (1 - alpha_prod_t_prev) / (1 - alpha_prod_t) * self.betas[t]
            prev = prev + variance ** 0.5 * noise
        return Output(prev) if return_dict else (prev,)


FLOWPROOF = {"adapter": "diffusers", "array": "torch", "dtype": "float32", "scheduler": DDPMScheduler,
             "sampler": "ddpm", "numInferenceSteps": 50}
