"""Bug zoo (Python): a diffusers-style multistep solver in the DPM-Solver++ family, in numpy and independent
of flowproof. Like diffusers' DPMSolverMultistepScheduler it keeps the model outputs of earlier steps
(`model_outputs`, config.solver_order), counts its own calls in `_step_index` (set from the timestep on the
first call only), and spaces its timesteps with n + 1 points and the last (0) dropped, its final step going
to sigma = 0. Its first-order step is the exponential integrator in the data prediction, which is DDIM."""
import numpy as np


class Config(dict):
    __getattr__ = dict.get


class Output:
    def __init__(self, prev_sample):
        self.prev_sample = prev_sample


class MultistepSolver:
    order = 1

    def __init__(self, num_train_timesteps=1000, beta_start=0.0001, beta_end=0.02, solver_order=2,
                 prediction_type="epsilon", timestep_spacing="linspace"):
        self.config = Config(num_train_timesteps=num_train_timesteps, solver_order=solver_order,
                             prediction_type=prediction_type, timestep_spacing=timestep_spacing)
        self.alphas_cumprod = np.cumprod(1.0 - np.linspace(beta_start, beta_end, num_train_timesteps))
        self.init_noise_sigma = 1.0
        self.model_outputs = [None] * solver_order
        self._step_index = None

    def set_timesteps(self, num_inference_steps):
        T = self.config.num_train_timesteps
        points = np.linspace(0, T - 1, num_inference_steps + 1).round()[::-1][:-1]
        self.timesteps = points.astype(np.int64)
        self.levels = np.append(((1 - self.alphas_cumprod[self.timesteps]) / self.alphas_cumprod[self.timesteps]) ** 0.5,
                                0.0)
        self.model_outputs = [None] * self.config.solver_order
        self.lower_order_nums = 0
        self._step_index = None

    @staticmethod
    def coefficients(level):
        """alpha and sigma of x = alpha data + sigma noise at the noise-to-signal ratio `level`."""
        alpha = 1 / (1 + level ** 2) ** 0.5
        return alpha, level * alpha

    def step(self, model_output, timestep, sample, return_dict=True):
        if self._step_index is None:
            self._step_index = int(np.nonzero(self.timesteps == timestep)[0][0])
        i = self._step_index
        alpha, sigma = self.coefficients(self.levels[i])
        alpha_next, sigma_next = self.coefficients(self.levels[i + 1])
        data = (sample - sigma * model_output) / alpha
        self.model_outputs = self.model_outputs[1:] + [data]
        if self.config.solver_order == 1 or self.lower_order_nums < 1:
            prev = (sigma_next / sigma) * sample + (alpha_next - sigma_next / sigma * alpha) * data
        else:  # second order: extrapolate the data prediction (not reached with solver_order = 1)
            prev = (sigma_next / sigma) * sample + (alpha_next - sigma_next / sigma * alpha) * (
                1.5 * data - 0.5 * self.model_outputs[-2])
        self.lower_order_nums += 1
        self._step_index += 1
        return (prev,) if not return_dict else Output(prev)
