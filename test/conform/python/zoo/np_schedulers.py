"""Bug zoo (Python): DDPM and DDIM schedulers written in the style of diffusers' scheduling_ddpm.py and
scheduling_ddim.py (a config, alphas_cumprod, set_timesteps with a timestep spacing, step(model_output,
timestep, sample) returning prev_sample), in numpy and independent of flowproof. The zoo's modules
configure or subclass these; flowproof checks them through the bridge's diffusers adapter."""
import math

import numpy as np


class Config(dict):
    __getattr__ = dict.get


class SchedulerOutput:
    def __init__(self, prev_sample, pred_original_sample=None):
        self.prev_sample = prev_sample
        self.pred_original_sample = pred_original_sample


def randn_tensor(shape, generator=None, device=None, dtype=None):
    """Noise as diffusers draws it (flowproof's bridge replaces this function while it steps)."""
    rng = generator if generator is not None else np.random.default_rng()
    return rng.standard_normal(shape).astype(dtype or np.float64)


def make_betas(schedule, num_train_timesteps, beta_start, beta_end, dtype):
    if schedule == "linear":
        return np.linspace(beta_start, beta_end, num_train_timesteps, dtype=dtype)
    if schedule == "scaled_linear":
        return np.linspace(beta_start ** 0.5, beta_end ** 0.5, num_train_timesteps, dtype=dtype) ** 2
    if schedule == "squaredcos_cap_v2":
        f = lambda t: math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2  # noqa: E731
        return np.array([min(1 - f((i + 1) / num_train_timesteps) / f(i / num_train_timesteps), 0.999)
                         for i in range(num_train_timesteps)], dtype=dtype)
    raise NotImplementedError(schedule)


class SchedulerBase:
    def __init__(self, num_train_timesteps=1000, beta_start=0.0001, beta_end=0.02, beta_schedule="linear",
                 prediction_type="epsilon", timestep_spacing="leading", steps_offset=0, dtype="float64", **extra):
        self.config = Config(num_train_timesteps=num_train_timesteps, beta_start=beta_start, beta_end=beta_end,
                             beta_schedule=beta_schedule, prediction_type=prediction_type,
                             timestep_spacing=timestep_spacing, steps_offset=steps_offset, **extra)
        self.dtype = np.dtype(dtype)
        self.betas = make_betas(beta_schedule, num_train_timesteps, beta_start, beta_end, self.dtype)
        self.alphas = 1.0 - self.betas
        self.alphas_cumprod = np.cumprod(self.alphas, dtype=self.dtype)
        self.one = np.array(1.0, dtype=self.dtype)
        self.num_inference_steps = None
        self.timesteps = np.arange(0, num_train_timesteps)[::-1].copy()

    def set_timesteps(self, num_inference_steps):
        T = self.config.num_train_timesteps
        self.num_inference_steps = num_inference_steps
        spacing = self.config.timestep_spacing
        if spacing == "linspace":
            timesteps = np.linspace(0, T - 1, num_inference_steps).round()[::-1].copy().astype(np.int64)
        elif spacing == "leading":
            step_ratio = T // num_inference_steps
            timesteps = (np.arange(0, num_inference_steps) * step_ratio).round()[::-1].copy().astype(np.int64)
            timesteps += self.config.steps_offset
        elif spacing == "trailing":
            step_ratio = T / num_inference_steps
            timesteps = np.round(np.arange(T, 0, -step_ratio)).astype(np.int64) - 1
        else:
            raise ValueError("unknown timestep_spacing %r" % spacing)
        self.timesteps = timesteps

    def previous_timestep(self, timestep):
        """The next entry of the inference grid (-1, the data, after the last one)."""
        index = int(np.nonzero(self.timesteps == timestep)[0][0])
        return int(self.timesteps[index + 1]) if index + 1 < len(self.timesteps) else -1

    def split(self, model_output, alpha_prod_t, sample):
        """(pred_original_sample, pred_epsilon) from the model output."""
        beta_prod_t = 1 - alpha_prod_t
        kind = self.config.prediction_type
        if kind == "epsilon":
            return (sample - beta_prod_t ** 0.5 * model_output) / alpha_prod_t ** 0.5, model_output
        if kind == "sample":
            return model_output, (sample - alpha_prod_t ** 0.5 * model_output) / beta_prod_t ** 0.5
        if kind == "v_prediction":
            return (alpha_prod_t ** 0.5 * sample - beta_prod_t ** 0.5 * model_output,
                    alpha_prod_t ** 0.5 * model_output + beta_prod_t ** 0.5 * sample)
        raise ValueError(kind)


class DDPMScheduler(SchedulerBase):
    def __init__(self, variance_type="fixed_small", **kwargs):
        super().__init__(variance_type=variance_type, **kwargs)

    def abar(self, t):
        return self.alphas_cumprod[t] if t >= 0 else self.one

    def _get_variance(self, t, prev_t, predicted_variance=None):
        alpha_prod_t, alpha_prod_t_prev = self.abar(t), self.abar(prev_t)
        current_beta_t = 1 - alpha_prod_t / alpha_prod_t_prev
        # Posterior variance beta-tilde (Ho et al. 2020, eqs. 6-7), with skipped steps.
        variance = max((1 - alpha_prod_t_prev) / (1 - alpha_prod_t) * current_beta_t, 1e-20)
        kind = self.config.variance_type
        if kind == "fixed_small":
            return variance
        if kind == "fixed_large":
            return current_beta_t
        if kind == "learned_range":
            # Improved DDPM eq. 15: interpolate the log variances with frac = (v + 1) / 2.
            min_log, max_log = np.log(variance), np.log(current_beta_t)
            frac = (predicted_variance + 1) / 2
            return frac * max_log + (1 - frac) * min_log
        raise ValueError(kind)

    def step(self, model_output, timestep, sample, generator=None, return_dict=True):
        t = timestep
        prev_t = self.previous_timestep(t)
        predicted_variance = None
        if model_output.shape[1] == sample.shape[1] * 2 and self.config.variance_type == "learned_range":
            model_output, predicted_variance = np.split(model_output, 2, axis=1)
        alpha_prod_t, alpha_prod_t_prev = self.abar(t), self.abar(prev_t)
        beta_prod_t, beta_prod_t_prev = 1 - alpha_prod_t, 1 - alpha_prod_t_prev
        current_alpha_t = alpha_prod_t / alpha_prod_t_prev
        current_beta_t = 1 - current_alpha_t
        pred_original_sample, _ = self.split(model_output, alpha_prod_t, sample)
        # Posterior mean coefficients (Ho et al. 2020, eq. 7).
        coef_x0 = alpha_prod_t_prev ** 0.5 * current_beta_t / beta_prod_t
        coef_xt = current_alpha_t ** 0.5 * beta_prod_t_prev / beta_prod_t
        prev_sample = coef_x0 * pred_original_sample + coef_xt * sample
        if prev_t >= 0:  # no noise on the last step, to the data
            noise = randn_tensor(model_output.shape, generator=generator, dtype=model_output.dtype)
            var = self._get_variance(t, prev_t, predicted_variance)
            if self.config.variance_type == "learned_range":
                prev_sample = prev_sample + np.exp(0.5 * var) * noise
            else:
                prev_sample = prev_sample + var ** 0.5 * noise
        if not return_dict:
            return (prev_sample,)
        return SchedulerOutput(prev_sample, pred_original_sample)


class DDIMScheduler(SchedulerBase):
    def __init__(self, set_alpha_to_one=True, **kwargs):
        super().__init__(set_alpha_to_one=set_alpha_to_one, **kwargs)
        self.final_alpha_cumprod = self.one if set_alpha_to_one else self.alphas_cumprod[0]

    def prev_timestep_of(self, timestep):
        return self.previous_timestep(timestep)

    def step(self, model_output, timestep, sample, eta=0.0, generator=None, variance_noise=None, return_dict=True):
        prev_timestep = self.prev_timestep_of(timestep)
        alpha_prod_t = self.alphas_cumprod[timestep]
        alpha_prod_t_prev = self.alphas_cumprod[prev_timestep] if prev_timestep >= 0 else self.final_alpha_cumprod
        beta_prod_t = 1 - alpha_prod_t
        pred_original_sample, pred_epsilon = self.split(model_output, alpha_prod_t, sample)
        # Song et al. 2021, eq. 16.
        variance = (1 - alpha_prod_t_prev) / beta_prod_t * (1 - alpha_prod_t / alpha_prod_t_prev)
        std_dev_t = eta * variance ** 0.5
        direction = (1 - alpha_prod_t_prev - std_dev_t ** 2) ** 0.5 * pred_epsilon
        prev_sample = alpha_prod_t_prev ** 0.5 * pred_original_sample + direction
        if eta > 0:
            if variance_noise is None:
                variance_noise = randn_tensor(model_output.shape, generator=generator, dtype=model_output.dtype)
            prev_sample = prev_sample + std_dev_t * variance_noise
        if not return_dict:
            return (prev_sample,)
        return SchedulerOutput(prev_sample, pred_original_sample)
