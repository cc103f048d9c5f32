"""Bug zoo (Python), valid: a DPM-Solver++-style multistep scheduler configured with solver_order=1, whose
step is DDIM. It counts its own calls (so each of flowproof's steps must position it from its timestep
again) and its linspace spacing has n + 1 points with the last dropped (not DDIM's linspace)."""
from np_multistep import MultistepSolver

FLOWPROOF = {"adapter": "diffusers", "scheduler": MultistepSolver, "config": {"solver_order": 1},
             "numInferenceSteps": 25, "sampler": "ddim"}
