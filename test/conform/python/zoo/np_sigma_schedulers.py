"""Bug zoo (Python): diffusers-style schedulers that step along their own `sigmas` rather than along integer
alphas_cumprod timesteps, in numpy and independent of flowproof. SigmaEulerScheduler is the k-diffusion
family as diffusers ships it (the sample is data + sigma noise; `init_noise_sigma` is the largest sigma; the
scheduler counts its own position on the grid in `_step_index`); FlowEulerScheduler is the flow-matching
one (x = (1 - sigma) data + sigma noise, no alphas_cumprod, the model predicts noise - data). The zoo's
modules configure or subclass these."""
import numpy as np


class Config(dict):
    __getattr__ = dict.get


class Output:
    def __init__(self, prev_sample):
        self.prev_sample = prev_sample


def randn_tensor(shape, generator=None, device=None, dtype=None):
    """Noise as diffusers draws it (flowproof's bridge replaces this function while it steps)."""
    return np.random.default_rng().standard_normal(shape)


class SigmaEulerScheduler:
    order = 1

    def __init__(self, num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012, prediction_type="epsilon",
                 ancestral=False):
        self.config = Config(num_train_timesteps=num_train_timesteps, prediction_type=prediction_type,
                             ancestral=ancestral)
        betas = np.linspace(beta_start ** 0.5, beta_end ** 0.5, num_train_timesteps) ** 2
        self.alphas_cumprod = np.cumprod(1.0 - betas)
        self.train_sigmas = ((1 - self.alphas_cumprod) / self.alphas_cumprod) ** 0.5
        self.sigmas = np.append(self.train_sigmas[::-1], 0.0)
        self.timesteps = np.arange(num_train_timesteps, dtype=np.float64)[::-1].copy()
        self._step_index = None

    @property
    def init_noise_sigma(self):
        return float(self.sigmas.max())

    def set_timesteps(self, num_inference_steps):
        T = self.config.num_train_timesteps
        self.timesteps = np.linspace(0, T - 1, num_inference_steps)[::-1].copy()
        levels = np.interp(self.timesteps, np.arange(T), self.train_sigmas)
        self.sigmas = np.append(levels, 0.0)
        self._step_index = None

    def denoised(self, model_output, sample, sigma):
        kind = self.config.prediction_type
        if kind == "epsilon":
            return sample - sigma * model_output
        if kind == "sample":
            return model_output
        if kind == "v_prediction":  # the variance-preserving v of the scaled input sample / sqrt(1 + sigma^2)
            return sample / (sigma ** 2 + 1) - model_output * sigma / (sigma ** 2 + 1) ** 0.5
        raise ValueError(kind)

    def ancestral_split(self, sigma, sigma_next):
        up = (sigma_next ** 2 * (sigma ** 2 - sigma_next ** 2) / sigma ** 2) ** 0.5
        return (sigma_next ** 2 - up ** 2) ** 0.5, up

    def step(self, model_output, timestep, sample, generator=None, return_dict=True):
        if self._step_index is None:
            self._step_index = int(np.nonzero(self.timesteps == timestep)[0][0])
        sigma, sigma_next = self.sigmas[self._step_index], self.sigmas[self._step_index + 1]
        slope = (sample - self.denoised(model_output, sample, sigma)) / sigma
        if self.config.ancestral:
            down, up = self.ancestral_split(sigma, sigma_next)
            prev = sample + slope * (down - sigma) + randn_tensor(sample.shape, generator=generator) * up
        else:
            prev = sample + slope * (sigma_next - sigma)
        self._step_index += 1
        return (prev,) if not return_dict else Output(prev)


class FlowEulerScheduler:
    order = 1

    def __init__(self, num_train_timesteps=1000, shift=1.0):
        self.config = Config(num_train_timesteps=num_train_timesteps, shift=shift)
        self.sigmas = np.linspace(1.0, 1.0 / num_train_timesteps, num_train_timesteps)
        self.timesteps = self.sigmas * num_train_timesteps
        self._step_index = None

    def set_timesteps(self, num_inference_steps):
        T, s = self.config.num_train_timesteps, self.config.shift
        levels = np.linspace(1.0, 1.0 / T, num_inference_steps)
        levels = s * levels / (1 + (s - 1) * levels)
        self.timesteps = levels * T
        self.sigmas = np.append(levels, 0.0)
        self._step_index = None

    def step(self, model_output, timestep, sample, return_dict=True):
        if self._step_index is None:
            self._step_index = int(np.nonzero(self.timesteps == timestep)[0][0])
        sigma, sigma_next = self.sigmas[self._step_index], self.sigmas[self._step_index + 1]
        prev = sample + (sigma_next - sigma) * model_output
        self._step_index += 1
        return (prev,) if not return_dict else Output(prev)


class SigmaMultistepScheduler(SigmaEulerScheduler):
    """A linear multistep method on the sigma grid (as diffusers' LMS scheduler): it keeps the slopes of its
    earlier steps in `derivatives` and integrates the Lagrange polynomial through the last `order` of them
    over [sigma_i, sigma_(i+1)]; with order 1 its step is Euler's."""

    def __init__(self, **config):
        super().__init__(**config)
        self.derivatives = []

    def coefficient(self, order, i, j):
        nodes = [self.sigmas[i - k] for k in range(order)]
        basis = np.polynomial.Polynomial([1.0])
        for k, node in enumerate(nodes):
            if k != j:
                basis *= np.polynomial.Polynomial([-node, 1.0]) / (nodes[j] - node)
        integral = basis.integ()
        return integral(self.sigmas[i + 1]) - integral(self.sigmas[i])

    def step(self, model_output, timestep, sample, order=4, return_dict=True):
        if self._step_index is None:
            self._step_index = int(np.nonzero(self.timesteps == timestep)[0][0])
        i = self._step_index
        sigma = self.sigmas[i]
        self.derivatives.append((sample - self.denoised(model_output, sample, sigma)) / sigma)
        if len(self.derivatives) > order:
            self.derivatives.pop(0)
        order = min(i + 1, order)
        prev = sample + sum(self.coefficient(order, i, j) * d
                            for j, d in zip(range(order), reversed(self.derivatives)))
        self._step_index += 1
        return (prev,) if not return_dict else Output(prev)
