"""flowproof's Python bridge: lets `flowproof conform --python module.py` check a Python module.

flowproof (Node) is the driver: it chooses every input, shrinks counterexamples and judges. This process
only loads the module, calls its functions when asked and answers with what they returned. It speaks
line-delimited JSON on stdin/stdout, one request and one reply; while answering, it may ask flowproof
for a standard-normal draw or for the model's output (the replies of those questions come back on
stdin). Standard library only; numpy arrays and torch tensors are recognized by duck typing.

Protocol (every number is a JSON number or one of the strings "NaN", "Infinity", "-Infinity"):
  start-up, bridge -> flowproof: {"hello": description} | {"fatal": {...}} (the module cannot be used)
  flowproof -> bridge: {"op": "call", "fn": canonical name, "args": [...]}
                       {"op": "step" | "stepWithModel", "t", "tPrev", "x": [...], "modelOutput": [...],
                        "pred", "v", "noise": [[draws of sample 0], ...] | null}
                       {"op": "exit"}
  bridge -> flowproof, while answering: {"need": "randn", "samples": [i, ...]} -> {"randn": [...]}
                                        {"need": "model", "x": [...], "t": [...]} -> {"model": [...]}
  reply: {"ok": value} | {"raised": {"message", "frame"}} (the module's code raised at this input: a
         failing value) | {"fatal": {"message", "frame"}} (wrong return type or shape: bad input)

Also a pytest helper: `from flowproof_bridge import assert_conforms; assert_conforms("my_module.py")`.
"""

import contextlib
import importlib.util
import inspect
import json
import math
import os
import subprocess
import sys
import time
import traceback

BRIDGE_FILE = os.path.abspath(__file__)
ADAPTERS = ("functions", "diffusers", "k-diffusion", "flow-matching")
ARRAYS = ("float", "numpy", "torch")
# Keys of FLOWPROOF the bridge consumes; every other key is flowproof's meta and is passed on.
BRIDGE_KEYS = {
    "adapter", "array", "scheduler", "config", "numInferenceSteps", "stepKwargs",
    "function", "sigmas", "probPath",
}
PARAMS = {"eps": "eps", "data": "data", "v": "vPred", "vpred": "vPred", "v_pred": "vPred",
          "vPred": "vPred", "score": "score", "velocity": "velocity"}
DIFFUSERS_PREDICTION = {"epsilon": "eps", "sample": "data", "v_prediction": "vPred"}
# The _log variants hold the same variances as logarithms (fixed_large_log is GLIDE's max_log).
DIFFUSERS_VARIANCE = {"fixed_small": "posterior", "fixed_small_log": "posterior", "fixed_large": "beta",
                      "fixed_large_log": "beta", "learned_range": "learned-range"}
FLOW_MATCHING_CONVERSIONS = {
    "target_to_velocity": "dataToVelocity", "epsilon_to_velocity": "epsToVelocity",
    "velocity_to_target": "velocityToData", "velocity_to_epsilon": "velocityToEps",
    "target_to_epsilon": "dataToEps", "epsilon_to_target": "epsToData",
}


class Fatal(Exception):
    """The module cannot be used as declared: reported as bad input, never as a failing value."""

    def __init__(self, message, frame=None):
        super().__init__(message)
        self.frame = frame


class Raised(Exception):
    """The module's own code raised at an input: a failing value at that input."""


class ModelError(Exception):
    """flowproof could not evaluate the model where the module asked (e.g. a time outside the path)."""


# ----------------------------------------------------------------------------------------------
# Encoding

def enc(v):
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if v != v else ("Infinity" if v > 0 else "-Infinity")
    if isinstance(v, dict):
        return {k: enc(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    return v


def dec(v):
    if isinstance(v, str) and v in ("NaN", "Infinity", "-Infinity"):
        return float(v.replace("Infinity", "inf"))
    if isinstance(v, list):
        return [dec(x) for x in v]
    return v


def where(exc_or_tb=None, frames=None):
    """The last frame outside this bridge: {file, line, function, code}."""
    if frames is None:
        frames = traceback.extract_tb(exc_or_tb.__traceback__) if exc_or_tb is not None else []
    frames = [f for f in frames if os.path.abspath(f.filename) != BRIDGE_FILE]
    if not frames:
        return None
    f = frames[-1]
    return {"file": f.filename, "line": f.lineno, "function": f.name, "code": (f.line or "").strip()}


def describe_exception(e):
    text = "%s: %s" % (type(e).__name__, e) if str(e) else type(e).__name__
    return text.splitlines()[0] if text else type(e).__name__


# ----------------------------------------------------------------------------------------------
# Arrays: float, numpy or torch, duck-typed on the way back

class Arrays:
    def __init__(self, kind, dtype):
        self.kind = kind
        self.dtype = dtype
        if kind == "numpy":
            import numpy  # an ImportError becomes the Fatal 'needs numpy' message in Bridge
            self.np = numpy
        if kind == "torch":
            import torch
            self.torch = torch

    def make(self, values, shape=None):
        """An array of the module's kind holding `values` (a list of floats)."""
        if self.kind == "float":
            return values[0] if len(values) == 1 and shape is None else list(values)
        if self.kind == "numpy":
            a = self.np.asarray(values, dtype=self.np.float32 if self.dtype == "float32" else self.np.float64)
        else:
            a = self.torch.tensor(values, dtype=self.torch.float32 if self.dtype == "float32" else self.torch.float64)
        return a.reshape(shape) if shape is not None else a

    def like(self, values, template):
        """An array with the values, shaped, typed and placed like `template` (a noise draw, a model output)."""
        if self.kind == "float" or not hasattr(template, "shape"):
            return values[0] if len(values) == 1 else list(values)
        shape = tuple(template.shape)
        if self.kind == "numpy" or not hasattr(template, "device"):
            import numpy as np
            return np.asarray(values, dtype=getattr(template, "dtype", np.float64)).reshape(shape)
        return self.torch.tensor(values, dtype=template.dtype, device=template.device).reshape(shape)


def to_floats(v, n, name):
    """The n floats in a returned value (float, numpy array or scalar, torch tensor, list), or raise."""
    if n == 1 and type(v) is float:
        return [v]
    original = v
    if hasattr(v, "detach") and hasattr(v, "cpu"):  # torch tensor
        v = v.detach().cpu()
        if hasattr(v, "double") and not getattr(v, "is_complex", lambda: False)():
            v = v.double()
        v = v.numpy() if hasattr(v, "numpy") else v
    if hasattr(v, "tolist") and not isinstance(v, (list, tuple)):
        v = v.tolist()
    flat = []

    def walk(x):
        if isinstance(x, (list, tuple)):
            for y in x:
                walk(y)
        else:
            flat.append(x)

    if isinstance(v, (list, tuple)):
        walk(v)
    else:
        flat.append(v)
    out = []
    for x in flat:
        if isinstance(x, bool) or not isinstance(x, (int, float, complex)):
            raise Fatal("%s returned %s, expected a number%s" % (
                name, type_name(original), "" if n == 1 else " or an array of %d numbers" % n))
        if isinstance(x, complex):
            raise Raised("%s returned a complex number (%r)" % (name, x))
        out.append(float(x))
    if len(out) == 1 and n > 1:
        raise Fatal("%s returned one number for a batch of %d samples: return an array shaped like its input" % (name, n))
    if len(out) != n:
        shape = getattr(original, "shape", None)
        raise Fatal("%s returned %d numbers%s, expected %d (one per sample)" % (
            name, len(out), " (shape %s)" % (tuple(shape),) if shape is not None else "", n))
    return out


def type_name(v):
    t = type(v)
    mod = t.__module__
    return t.__name__ if mod in ("builtins", None) else "%s.%s" % (mod.split(".")[0], t.__name__)


# ----------------------------------------------------------------------------------------------
# The conversation with flowproof

class Channel:
    def __init__(self):
        self.inp = sys.stdin.buffer
        # The protocol keeps the real stdout; anything the module prints goes to stderr instead.
        self.out = os.fdopen(os.dup(1), "wb")
        os.dup2(2, 1)
        sys.stdout = sys.stderr

    def send(self, msg):
        try:
            text = json.dumps(msg, allow_nan=False, separators=(",", ":"))
        except ValueError:  # a NaN or an infinity somewhere: encode it as a string
            text = json.dumps(enc(msg), allow_nan=False, separators=(",", ":"))
        self.out.write(text.encode() + b"\n")
        self.out.flush()

    def receive(self):
        line = self.inp.readline()
        if not line:
            raise SystemExit(0)
        msg = json.loads(line)
        # Decode the non-finite numbers only when the line has one (walking every number is slow).
        if b'"NaN"' in line or b'Infinity"' in line:
            msg = {k: dec(v) for k, v in msg.items()}
        return msg

    def ask(self, msg, key):
        """Ask flowproof a question; while it prepares the answer it may call the module again (the exact
        model is computed from the module's own schedule), and those calls are answered here."""
        self.send(msg)
        while True:
            reply = self.receive()
            if "op" in reply:
                self.dispatch(reply)
                continue
            if "error" in reply:
                raise ModelError(reply["error"])
            if key not in reply:
                raise SystemExit("flowproof bridge: expected a '%s' reply, got %r" % (key, reply))
            return [float(x) for x in reply[key]]


class Noise:
    """Standard-normal draws for a batch: per sample, the draws flowproof sent, then more on request."""

    def __init__(self, channel, n, prefill):
        self.channel = channel
        self.n = n
        self.buffers = [list(p) for p in prefill] if prefill is not None else [[] for _ in range(n)]
        self.start = [len(b) for b in self.buffers]
        self.fetched = [0] * n

    def one(self, i):
        if not self.buffers[i]:
            self.buffers[i].extend(self.channel.ask({"need": "randn", "samples": [i]}, "randn"))
            self.fetched[i] += 1
        return float(self.buffers[i].pop(0))

    def all(self):
        lacking = [i for i in range(self.n) if not self.buffers[i]]
        if lacking:
            more = self.channel.ask({"need": "randn", "samples": lacking}, "randn")
            for i, z in zip(lacking, more):
                self.buffers[i].append(z)
                self.fetched[i] += 1
        return [float(self.buffers[i].pop(0)) for i in range(self.n)]

    def used(self):
        return [self.start[i] + self.fetched[i] - len(self.buffers[i]) for i in range(self.n)]


# ----------------------------------------------------------------------------------------------
# Loading the module and its adapter

def load_module(path):
    path = os.path.abspath(path)
    folder = os.path.dirname(path)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise Fatal("cannot load %s as a Python module" % path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def attr(obj, *names):
    for n in names:
        if isinstance(obj, dict) and n in obj:
            return obj[n]
        if hasattr(obj, n):
            return getattr(obj, n)
    return None


def resolve(module, ref, what):
    """A class, function or object given by value or by its name in the module."""
    if isinstance(ref, str):
        obj = getattr(module, ref, None)
        if obj is None:
            raise Fatal("FLOWPROOF['%s'] names '%s', which the module does not define" % (what, ref))
        return obj
    if ref is None:
        raise Fatal("FLOWPROOF['%s'] is required by this adapter" % what)
    return ref


def qualname(obj, module_name):
    n = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or type(obj).__name__
    return "%s.%s" % (module_name, n)


def accepts(fn, name):
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in params or any(p.kind == p.VAR_KEYWORD for p in params.values())


class Bridge:
    def __init__(self, channel, module, path):
        self.channel = channel
        self.module = module
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        decl = getattr(module, "FLOWPROOF", None)
        if decl is None:
            raise Fatal("the module must declare FLOWPROOF = {'convention': 'diffusion' | 'flow', ...} "
                        "(the fields of flowproof's meta, plus 'adapter' for a scheduler class or sampler function)")
        if not isinstance(decl, dict):
            raise Fatal("FLOWPROOF must be a dict, got %s" % type_name(decl))
        self.decl = decl
        self.adapter = decl.get("adapter", "functions")
        if self.adapter not in ADAPTERS:
            raise Fatal("FLOWPROOF['adapter'] must be one of %s, got %r" % (", ".join(repr(a) for a in ADAPTERS), self.adapter))
        self.kind = decl.get("array", "float" if self.adapter == "functions" else "numpy")
        if self.kind not in ARRAYS:
            raise Fatal("FLOWPROOF['array'] must be one of %s, got %r" % (", ".join(repr(a) for a in ARRAYS), self.kind))
        if self.adapter != "functions" and self.kind == "float":
            raise Fatal("the %s adapter passes arrays: FLOWPROOF['array'] must be 'numpy' or 'torch'" % self.adapter)
        dtype = decl.get("dtype", "float64")
        try:
            self.arrays = Arrays(self.kind, dtype)
        except ImportError as e:
            raise Fatal("FLOWPROOF['array'] = %r needs %s, which %s cannot import (%s); give --python-exe "
                        "a Python that has it" % (self.kind, self.kind, sys.executable, describe_exception(e)))
        self.meta = {k: v for k, v in decl.items() if k not in BRIDGE_KEYS}
        self.functions = {}  # canonical name -> (python name, callable taking decoded args)
        self.arrays_out = {}
        self.discrete = False
        getattr(self, "setup_" + self.adapter.replace("-", "_"))()

    # -- adapters ------------------------------------------------------------------------------

    def setup_functions(self):
        m = self.module
        for canonical, names in (("alpha", ["alpha"]), ("sigma", ["sigma"]),
                                 ("dAlpha", ["dAlpha", "d_alpha"]), ("dSigma", ["dSigma", "d_sigma"])):
            for n in names:
                f = getattr(m, n, None)
                if callable(f):
                    self.functions[canonical] = (qualname(f, self.name), self.scalar_fn(f, qualname(f, self.name)))
                    break
        for canonical, names in (("alphasCumprod", ["alphas_cumprod", "alphasCumprod"]), ("betas", ["betas"]),
                                 ("timesteps", ["timesteps"]), ("sigmas", ["sigmas"])):
            for n in names:
                if hasattr(m, n):
                    v = getattr(m, n)
                    self.arrays_out[canonical] = self.array_export(v() if callable(v) else v, "%s.%s" % (self.name, n))
                    break
        self.discrete = "alphasCumprod" in self.arrays_out
        for n in dir(m):
            canonical = conversion_name(n)
            f = getattr(m, n)
            if canonical and callable(f):
                self.functions[canonical] = (qualname(f, self.name), self.conversion_fn(f, qualname(f, self.name)))
        for canonical, names in (("step", ["step"]), ("stepWithModel", ["step_with_model", "stepWithModel"])):
            for n in names:
                f = getattr(m, n, None)
                if callable(f):
                    self.functions[canonical] = (qualname(f, self.name), f)
                    break

    def setup_diffusers(self):
        d = self.decl
        cls = resolve(self.module, d.get("scheduler"), "scheduler")
        self.sched = cls(**d.get("config", {})) if inspect.isclass(cls) else cls
        sname = type(self.sched).__name__
        config = attr(self.sched, "config") or {}
        for flag, what in (("clip_sample", "clips its predicted data to [-clip_sample_range, clip_sample_range]"),
                           ("thresholding", "thresholds its predicted data dynamically")):
            if attr(config, flag) is True:
                raise Fatal("%s.config.%s is True (%s): the step is then not the sampler's law for states outside the "
                            "image range, and flowproof checks the law; configure %s=False in FLOWPROOF['config'] to "
                            "check the rest of the step" % (sname, flag, what, flag))
        space = diffusers_space(self.sched)
        if space != "discrete":
            return self.setup_diffusers_sigmas(space, sname, config)
        pred = attr(config, "prediction_type")
        if "predictionType" not in self.meta:
            if pred not in DIFFUSERS_PREDICTION:
                raise Fatal("%s.config.prediction_type is %r; flowproof knows %s (or declare FLOWPROOF['predictionType'])"
                            % (sname, pred, ", ".join(DIFFUSERS_PREDICTION)))
            self.meta["predictionType"] = DIFFUSERS_PREDICTION[pred]
        self.meta.setdefault("convention", "diffusion")
        self.meta.setdefault("timestepIndexing", "zero-based")
        variance = attr(config, "variance_type")
        if self.meta.get("sampler") == "ddpm" and "variance" not in self.meta and variance is not None:
            if variance not in DIFFUSERS_VARIANCE:
                raise Fatal("%s.config.variance_type is %r; flowproof knows %s" % (sname, variance, ", ".join(DIFFUSERS_VARIANCE)))
            self.meta["variance"] = DIFFUSERS_VARIANCE[variance]
        n = d.get("numInferenceSteps", 50)
        # The multistep solvers (DPM-Solver, UniPC, DEIS: a config.solver_order) keep the model outputs of earlier
        # steps; flowproof asks for one (t, t_prev) pair at a time, so only their first-order step can be checked.
        order = attr(config, "solver_order")
        if order is not None and order > 1 and isinstance(getattr(self.sched, "model_outputs", None), list):
            raise Fatal("%s is a multistep solver (solver_order = %s): each step uses the model outputs of the steps "
                        "before it, and flowproof checks one step at a time; configure solver_order=1 to check its "
                        "first-order step (DPM-Solver++(1) is DDIM: sampler 'ddim')" % (sname, order))
        spacing = attr(config, "timestep_spacing")
        # Their spacings are their own (n + 1 points with the last, 0, dropped): not diffusers' DDPM/DDIM ones.
        if "grid" not in self.meta and spacing is not None and order is None:
            grid = {"name": spacing, "numSteps": n}
            offset = attr(config, "steps_offset") or 0
            if spacing == "leading" and offset:
                grid["offset"] = offset
            self.meta["grid"] = grid
        self.call_user("%s.set_timesteps" % sname, self.sched.set_timesteps, n)
        for canonical, n_ in (("alphasCumprod", "alphas_cumprod"), ("betas", "betas"), ("timesteps", "timesteps")):
            v = attr(self.sched, n_)
            if v is not None:
                self.arrays_out[canonical] = self.array_export(v, "%s.%s" % (sname, n_))
        if "alphasCumprod" not in self.arrays_out:
            raise Fatal("%s has no alphas_cumprod" % sname)
        self.infer_dtype(attr(self.sched, "alphas_cumprod"))
        self.discrete = True
        self.meta["stepOnGrid"] = True  # the scheduler finds the previous timestep on its own grid
        if attr(config, "set_alpha_to_one") is False and "finalTimestep" not in self.meta:
            # DDIM's set_alpha_to_one=False (Stable Diffusion's config): the last step lands on timestep 0, not the data.
            self.meta["finalTimestep"] = 0
        step = self.sched.step
        self.functions["step"] = ("%s.step" % sname, self.diffusers_step(step, "%s.step" % sname))

    def setup_diffusers_sigmas(self, space, sname, config):
        """A diffusers scheduler that steps along its own `sigmas` instead of discrete alphas_cumprod indices:
        the k-diffusion family (Euler, Euler ancestral, LMS, ...: the sample is data + sigma noise, the
        'edm' path) or a flow-matching one (FlowMatchEulerDiscreteScheduler: x = (1 - sigma) data + sigma
        noise, flowproof's flow time t = 1 - sigma, the model output noise - data = -velocity)."""
        sched = self.sched
        n = self.decl.get("numInferenceSteps", 50)
        if getattr(sched, "order", 1) != 1:
            raise Fatal("%s takes %s step() calls per sampling step (order %s); flowproof's diffusers adapter makes one "
                        "call per step, so it checks first-order schedulers only (a two-stage step can be checked "
                        "through step_with_model)" % (sname, getattr(sched, "order"), getattr(sched, "order")))
        if space == "flow":
            self.meta.setdefault("convention", "flow")
            self.meta.setdefault("path", "rectified-flow")
            self.meta.setdefault("predictionType", "velocity")
            if self.meta["predictionType"] != "velocity":
                raise Fatal("%s is a flow-matching scheduler: its model output is noise - data, which flowproof reads "
                            "as FLOWPROOF['predictionType'] = 'velocity' (got %r)" % (sname, self.meta["predictionType"]))
        else:
            pred = attr(config, "prediction_type")
            if "predictionType" not in self.meta:
                if pred not in DIFFUSERS_PREDICTION:
                    raise Fatal("%s.config.prediction_type is %r; flowproof knows %s (or declare "
                                "FLOWPROOF['predictionType'])" % (sname, pred, ", ".join(DIFFUSERS_PREDICTION)))
                self.meta["predictionType"] = DIFFUSERS_PREDICTION[pred]
            self.meta.setdefault("convention", "diffusion")
            self.meta.setdefault("path", "edm")
        self.call_user("%s.set_timesteps" % sname, sched.set_timesteps, n)
        sigmas = self.array_export(attr(sched, "sigmas"), "%s.sigmas" % sname)
        self.infer_dtype(attr(sched, "sigmas"))
        if space == "flow":
            self.arrays_out["timesteps"] = [1.0 - s for s in sigmas]
        else:
            self.arrays_out["sigmas"] = sigmas
            positive = [s for s in sigmas if s > 0]
            if self.meta.get("path") == "edm" and "pathParams" not in self.meta and positive and (
                    max(positive) > 80 or min(positive) < 0.002):
                # edm's default domain is [0.002, 80]; a scheduler's sigmas may reach beyond (157 for DDPM's linear betas).
                self.meta["pathParams"] = {"sigmaMin": min(0.002, min(positive)), "sigmaMax": max(80.0, max(positive))}
        self.meta["stepOnGrid"] = True  # the scheduler finds its next sigma on its own grid
        self.functions["step"] = ("%s.step" % sname, self.diffusers_sigma_step(sched.step, "%s.step" % sname, space, sigmas))

    def infer_dtype(self, table):
        """A scheduler whose schedule is a float32 array computes its steps in float32 (diffusers keeps
        alphas_cumprod and sigmas in torch float32 whatever the sample's dtype), so the float32 tolerance
        applies unless FLOWPROOF declares a dtype: its coefficients, e.g. 1 - abar_t / abar_prev between
        neighbouring timesteps, carry float32 cancellations far above the float64 default."""
        if "dtype" not in self.decl and "float32" in str(getattr(table, "dtype", "")):
            self.meta["dtype"] = "float32"

    def setup_k_diffusion(self):
        d = self.decl
        fn = resolve(self.module, d.get("function"), "function")
        name = qualname(fn, self.name)
        self.meta.setdefault("convention", "diffusion")
        self.meta.setdefault("path", "edm")
        self.meta.setdefault("predictionType", "data")
        sig = d.get("sigmas")
        if sig is not None:
            if isinstance(sig, dict):
                f = resolve(self.module, sig.get("function"), "sigmas")
                v = self.call_user(qualname(f, self.name), f, **sig.get("args", {}))
                label = qualname(f, self.name)
            else:
                v, label = (sig() if callable(sig) else sig), "FLOWPROOF['sigmas']"
            self.arrays_out["sigmas"] = self.array_export(v, label)
        self.functions["stepWithModel"] = (name, self.k_diffusion_step(fn, name))

    def setup_flow_matching(self):
        d = self.decl
        cls = resolve(self.module, d.get("scheduler"), "scheduler")
        sched = cls(**d.get("config", {})) if inspect.isclass(cls) else cls
        sname = type(sched).__name__
        self.meta.setdefault("convention", "flow")
        fields = (("alpha", "alpha_t"), ("sigma", "sigma_t"), ("dAlpha", "d_alpha_t"), ("dSigma", "d_sigma_t"))
        for canonical, field in fields:
            self.functions[canonical] = ("%s.__call__ (%s)" % (sname, field), self.flow_field(sched, field, sname))
        path_ref = d.get("probPath")
        if path_ref is not None:
            pcls = resolve(self.module, path_ref, "probPath")
            prob = pcls(sched) if inspect.isclass(pcls) else pcls
            pname = type(prob).__name__
            for method, canonical in FLOW_MATCHING_CONVERSIONS.items():
                f = getattr(prob, method, None)
                if callable(f):
                    self.functions[canonical] = ("%s.%s" % (pname, method), self.conversion_fn(f, "%s.%s" % (pname, method), array_t=True))

    # -- calling the module --------------------------------------------------------------------

    def call_user(self, name, fn, *args, **kwargs):
        """Call the module's code; its exception becomes Raised (a failing value) with the frame."""
        try:
            return fn(*args, **kwargs)
        except (Fatal, Raised, SystemExit):
            raise
        except Exception as e:  # noqa: BLE001 - the module's own failure at this input
            hint = self.array_kind_hint(e)
            if hint:
                raise Fatal("%s raised %s: %s" % (name, describe_exception(e), hint), where(e))
            r = Raised("%s (in %s)" % (describe_exception(e), name))
            r.frame = where(e)
            raise r

    def array_kind_hint(self, e):
        """The module's code cannot take the kind of values flowproof passes (FLOWPROOF['array']), e.g. torch
        code given numpy arrays: a declaration to fix, not a failing value (it would fail every check)."""
        if not isinstance(e, (TypeError, AttributeError)):
            return None
        text = str(e)
        if self.kind == "numpy" and "numpy.ndarray" in text and "torch" in sys.modules:
            return ("the code takes torch tensors, and flowproof passed numpy arrays (FLOWPROOF['array'] is 'numpy'): "
                    "declare FLOWPROOF['array'] = 'torch'")
        if self.kind == "float" and "'float' object" in text:
            return ("the code takes arrays, and flowproof passed Python floats (FLOWPROOF['array'] is 'float'): "
                    "declare FLOWPROOF['array'] = 'numpy' or 'torch'")
        return None

    def array_export(self, v, name):
        try:
            values = to_floats(v, len(v) if hasattr(v, "__len__") else 1, name)
        except Raised as e:
            raise Fatal(str(e))
        return values

    def time(self, t):
        return int(t) if self.discrete else float(t)

    def scalar_fn(self, f, name):
        return lambda t: to_floats(self.call_user(name, f, self.time(t)), 1, name)[0]

    def conversion_fn(self, f, name, array_t=False):
        def conv(value, x, t):
            a = self.arrays
            if self.kind == "float":
                args = (float(value), float(x), self.time(t))
            else:
                args = (a.make([value]), a.make([x]), a.make([t]) if array_t else self.time(t))
            return to_floats(self.call_user(name, f, *args), 1, name)[0]
        return conv

    def flow_field(self, sched, field, sname):
        def fn(t):
            out = self.call_user("%s.__call__" % sname, sched, self.arrays.make([t]))
            v = attr(out, field)
            if v is None:
                raise Fatal("%s(t) returned %s without a field %s" % (sname, type_name(out), field))
            return to_floats(v, 1, "%s(t).%s" % (sname, field))[0]
        return fn

    # steps: each returns per sample a float or a failure message, given decoded request fields

    def plain_step(self, req, noise, with_model):
        name, f = self.functions["stepWithModel" if with_model else "step"]
        x = req["x"]
        n = len(x)
        t, t_prev, pred = self.time(req["t"]), self.time(req["tPrev"]), req["pred"]
        v = req.get("v")
        if self.kind == "float":
            out = []
            for i in range(n):
                randn = (lambda i=i: noise.one(i))
                try:
                    if with_model:
                        model = self.scalar_model()
                        r = self.call_user(name, f, model, t, t_prev, x[i], pred, randn)
                    else:
                        extra = (v,) if v is not None else ()
                        r = self.call_user(name, f, req["modelOutput"][i], t, t_prev, x[i], pred, randn, *extra)
                    out.append(to_floats(r, 1, name)[0])
                except Raised as e:
                    out.append(failure(e))
            return out
        xs = self.arrays.make(x)
        randn = lambda: self.arrays.like(noise.all(), xs)  # noqa: E731
        try:
            if with_model:
                r = self.call_user(name, f, self.array_model(), t, t_prev, xs, pred, randn)
            else:
                extra = (v,) if v is not None else ()
                r = self.call_user(name, f, self.arrays.make(req["modelOutput"]), t, t_prev, xs, pred, randn, *extra)
            return to_floats(r, n, name)
        except Raised as e:
            return [failure(e)] * n

    def diffusers_step(self, step, name):
        def run(req, noise, with_model):
            n = len(req["x"])
            a = self.arrays
            sample = a.make(req["x"], (n, 1))
            mo = req["modelOutput"]
            if req.get("v") is not None:
                # learned_range: the model's second half of channels is v in [-1, 1] (frac = (v + 1) / 2).
                model_output = a.make([z for m in mo for z in (m, 2 * req["v"] - 1)], (n, 2))
            else:
                model_output = a.make(mo, (n, 1))
            kwargs = {}
            kw = dict(self.decl.get("stepKwargs", {}))
            if "eta" in self.meta and accepts(step, "eta"):
                kw.setdefault("eta", self.meta["eta"])
            for k, v in kw.items():
                kwargs[k] = v
            draw = lambda shape=None: a.like(noise.all(), sample)  # noqa: E731
            if accepts(step, "variance_noise") and self.meta.get("sampler") == "ddim" and self.meta.get("eta", 0) > 0:
                kwargs["variance_noise"] = draw()
            if hasattr(self.sched, "_step_index"):
                # A scheduler that counts its calls (DPM-Solver) finds its place from the timestep again.
                self.sched._step_index = None
            if accepts(step, "return_dict"):
                kwargs["return_dict"] = False
            before = self.history_sizes()
            try:
                with self.diffusers_noise(draw):
                    r = self.call_user(name, step, model_output, self.time(req["t"]), sample, **kwargs)
            except Raised as e:
                return [failure(e)] * n
            self.check_history(before, name, step)
            return self.prev_sample(r, n, name)
        return run

    def history_sizes(self):
        """Entries held in the scheduler's list attributes (None placeholders not counted)."""
        held = getattr(self.sched, "__dict__", {})
        return {k: sum(e is not None for e in v) for k, v in held.items() if isinstance(v, list)}

    def check_history(self, before, name, step):
        """A scheduler that keeps what earlier step() calls computed (a linear multistep method's derivatives,
        PNDM's ets) steps by the calls before it, and flowproof asks for one step at a time, in any order: a
        list that grew past one entry with this call is that history."""
        for k, held in self.history_sizes().items():
            if held >= 2 and held > before.get(k, 0):
                hint = ("; pass FLOWPROOF['stepKwargs'] = {'order': 1} to check its first-order step"
                        if accepts(step, "order") else "")
                raise Fatal("%s keeps what earlier steps computed (%s.%s holds %d entries after this call): each "
                            "step then depends on the calls before it, and flowproof checks one step at a time%s"
                            % (name, type(self.sched).__name__, k, held, hint))

    @contextlib.contextmanager
    def diffusers_noise(self, draw):
        """diffusers draws noise with its module-level randn_tensor: while stepping, it is ours."""
        owners = {sys.modules.get(c.__module__) for c in type(self.sched).__mro__}
        owners = [o for o in owners if o is not None and callable(getattr(o, "randn_tensor", None))]
        saved = [o.randn_tensor for o in owners]
        for o in owners:
            o.randn_tensor = lambda shape, *args, **kw_: draw()
        try:
            yield
        finally:
            for o, f in zip(owners, saved):
                o.randn_tensor = f

    def prev_sample(self, r, n, name):
        prev = attr(r, "prev_sample")
        if prev is None and isinstance(r, (tuple, list)) and r:
            prev = r[0]
        if prev is None:
            raise Fatal("%s returned %s: expected an output with prev_sample (or a tuple)" % (name, type_name(r)))
        try:
            return to_floats(prev, n, name + " (prev_sample)")
        except Raised as e:
            return [failure(e)] * n

    def diffusers_sigma_step(self, step, name, space, sigmas):
        sched = self.sched

        def run(req, noise, with_model):
            n = len(req["x"])
            a = self.arrays
            t, t_prev = float(req["t"]), float(req["tPrev"])
            s, s_prev = (1.0 - t, 1.0 - t_prev) if space == "flow" else (t, t_prev)
            i = grid_index(sigmas, s)
            if i is None or i + 1 >= len(sigmas):
                raise Fatal("%s: flowproof asked for a step from sigma = %r, which is not one of the scheduler's sigmas"
                            % (name, s))
            sample = a.make(req["x"], (n, 1))
            mo = req["modelOutput"]
            if space == "flow":
                mo = [-v for v in mo]  # diffusers' flow models predict noise - data = -dx/dt
            elif self.meta.get("predictionType") == "vPred":
                # diffusers' v is the variance-preserving one, (noise - sigma data) / sqrt(1 + sigma^2)
                c = 1.0 / math.sqrt(1.0 + s * s)
                mo = [v * c for v in mo]
            model_output = a.make(mo, (n, 1))
            timestep = attr(sched, "timesteps")[i]
            kwargs = dict(self.decl.get("stepKwargs", {}))
            if accepts(step, "return_dict"):
                kwargs["return_dict"] = False
            if hasattr(sched, "_step_index"):
                sched._step_index = i  # the scheduler's own position on its grid (it counts its calls)
            # A grid ending at sigma = 0 ends, for flowproof's 'edm' path, at the path's data end (sigma_min):
            # the last step goes there, as the k-diffusion adapter passes it.
            table = attr(sched, "sigmas")
            patch = space != "flow" and sigmas[i + 1] == 0 and s_prev != 0
            if patch:
                saved = table[i + 1]
                table[i + 1] = s_prev
            before = self.history_sizes()
            try:
                with self.diffusers_noise(lambda shape=None: a.like(noise.all(), sample)):
                    r = self.call_user(name, step, model_output, timestep, sample, **kwargs)
            except Raised as e:
                return [failure(e)] * n
            finally:
                if patch:
                    table[i + 1] = saved
            self.check_history(before, name, step)
            return self.prev_sample(r, n, name)
        return run

    def k_diffusion_step(self, fn, name):
        def run(req, noise, with_model):
            a = self.arrays
            n = len(req["x"])
            x = a.make(req["x"])
            sigmas = a.make([req["t"], req["tPrev"]])
            kwargs = {}
            if accepts(fn, "disable"):
                kwargs["disable"] = True
            if accepts(fn, "noise_sampler"):
                kwargs["noise_sampler"] = lambda sigma, sigma_next: a.like(noise.all(), x)
            if accepts(fn, "extra_args"):
                kwargs["extra_args"] = {}
            for k, v in self.decl.get("stepKwargs", {}).items():
                kwargs[k] = v
            try:
                r = self.call_user(name, fn, self.array_model(), x, sigmas, **kwargs)
                return to_floats(r, n, name)
            except Raised as e:
                return [failure(e)] * n
        return run

    def scalar_model(self):
        """The model for one sample in float mode: each call is one question to flowproof."""
        def model(x, t, *args, **kwargs):
            out = self.channel.ask({"need": "model", "x": [float(x)], "t": [float(t)]}, "model")
            return out[0]
        return model

    def array_model(self):
        def model(x, t, *args, **kwargs):
            xs = to_floats(x, _size(x), "the x given to the model")
            n = len(xs)
            ts = to_floats(t, _size(t), "the time given to the model")
            if len(ts) == 1:
                ts = ts * n
            if len(ts) != n:
                raise Fatal("the model was called with %d states but %d times" % (n, len(ts)))
            out = self.channel.ask({"need": "model", "x": xs, "t": ts}, "model")
            return self.arrays.like(out, x)
        return model

    @contextlib.contextmanager
    def torch_noise(self, noise):
        """While a torch module steps, torch.randn and torch.randn_like draw flowproof's noise (one draw per
        sample), so library code that draws its own noise (older diffusers schedulers, k-diffusion's churn and
        default noise sampler) is compared exactly too."""
        if self.kind != "torch":
            yield
            return
        torch = self.arrays.torch
        saved = torch.randn, torch.randn_like

        def draw(shape, dtype, device):
            numel = 1
            for d in shape:
                numel *= int(d)
            if numel != noise.n:
                raise Fatal("the module drew torch.randn of shape %s; flowproof supplies one standard-normal draw per "
                            "sample (%d) at a time" % (tuple(shape), noise.n))
            return torch.tensor(noise.all(), dtype=dtype or torch.get_default_dtype(), device=device).reshape(shape)

        def randn(*size, generator=None, dtype=None, device=None, **kwargs):
            shape = size[0] if len(size) == 1 and isinstance(size[0], (tuple, list, torch.Size)) else size
            return draw(tuple(shape), dtype, device)

        def randn_like(x, dtype=None, device=None, **kwargs):
            return draw(tuple(x.shape), dtype or x.dtype, device or x.device)

        torch.randn, torch.randn_like = randn, randn_like
        try:
            yield
        finally:
            torch.randn, torch.randn_like = saved

    # -- serving -------------------------------------------------------------------------------

    def description(self):
        return {
            "meta": self.meta,
            "functions": {k: v[0] for k, v in self.functions.items()},
            "arrays": self.arrays_out,
            "adapter": self.adapter,
            "array": self.kind,
            "python": sys.version.split()[0],
            "executable": sys.executable,
        }

    def handle(self, req):
        op = req.get("op")
        if op == "call":
            name, f = self.functions[req["fn"]]
            return f(*[float(a) for a in req["args"]])
        if op in ("step", "stepWithModel"):
            # JSON writes 0.0 as 0: states and model outputs are floats whatever their value.
            for k in ("x", "modelOutput"):
                if req.get(k) is not None:
                    req[k] = [float(v) for v in req[k]]
            if req.get("v") is not None:
                req["v"] = float(req["v"])
            noise = Noise(self.channel, len(req["x"]), req.get("noise"))
            with_model = op == "stepWithModel"
            with self.torch_noise(noise):
                if self.adapter == "functions":
                    out = self.plain_step(req, noise, with_model)
                else:
                    out = self.functions[op][1](req, noise, with_model)
            return {"out": out, "used": noise.used()}
        if op == "stats":
            return {"cpuSeconds": time.process_time()}
        raise SystemExit("flowproof bridge: unknown request %r" % (op,))

    def dispatch(self, req):
        """Answer one request (possibly nested inside a question of an outer one)."""
        try:
            self.channel.send({"ok": self.handle(req)})
        except Raised as e:
            self.channel.send({"raised": {"message": str(e), "frame": getattr(e, "frame", None)}})
        except Fatal as e:
            self.channel.send({"fatal": {"message": str(e), "frame": e.frame}})

    def serve(self):
        self.channel.dispatch = self.dispatch
        while True:
            req = self.channel.receive()
            if req.get("op") == "exit":
                return
            self.dispatch(req)


def diffusers_space(sched):
    """How a diffusers scheduler's sample relates to its schedule: 'discrete' (x = sqrt(abar) data +
    sqrt(1 - abar) noise at integer timesteps: DDPM, DDIM, and the DPM-Solver family, whose initial noise has
    std 1), 'sigma' (x = data + sigma noise along its `sigmas`, initial noise std sigma_max: Euler, Euler
    ancestral, LMS, ...) or 'flow' (`sigmas` and no alphas_cumprod: the flow-matching schedulers)."""
    if getattr(sched, "sigmas", None) is None:
        return "discrete"
    if getattr(sched, "alphas_cumprod", None) is None:
        return "flow"
    try:
        init = float(getattr(sched, "init_noise_sigma", 1.0))
    except (TypeError, ValueError):
        return "discrete"
    return "sigma" if init > 1.0 + 1e-6 else "discrete"


def grid_index(grid, s):
    """The index of the grid entry equal to s (to a rounding), or None."""
    best = None
    for j, g in enumerate(grid):
        if abs(g - s) <= 1e-6 * max(1.0, abs(s)) and (best is None or abs(g - s) < abs(grid[best] - s)):
            best = j
    return best


def _size(v):
    shape = getattr(v, "shape", None)
    if shape is not None:
        n = 1
        for s in shape:
            n *= int(s)
        return n
    return len(v) if isinstance(v, (list, tuple)) else 1


def at_frame(frame):
    """' at file.py:12: `code`' for messages (the traceback's last frame)."""
    if not frame:
        return ""
    code = (": `%s`" % frame["code"]) if frame.get("code") else ""
    return " at %s:%s%s" % (os.path.basename(frame["file"]), frame["line"], code)


def failure(e):
    return "threw: %s%s" % (e, at_frame(getattr(e, "frame", None)))


def conversion_name(n):
    """'eps_to_data' or 'epsToData' -> 'epsToData'; None if n is not a conversion name."""
    if "_to_" in n:
        a, _, b = n.partition("_to_")
    elif "To" in n:
        a, _, b = n.partition("To")
        b = b[:1].lower() + b[1:]
    else:
        return None
    if a not in PARAMS or b not in PARAMS or PARAMS[a] == PARAMS[b]:
        return None
    to = PARAMS[b]
    return PARAMS[a] + "To" + to[0].upper() + to[1:]


def serve(path):
    try:
        import faulthandler
        import signal
        faulthandler.enable()
        if hasattr(signal, "SIGUSR1"):
            # flowproof sends SIGUSR1 to a call past its time budget: the stack shows where it hung.
            faulthandler.register(signal.SIGUSR1, all_threads=False)
    except Exception:  # noqa: BLE001 - diagnostics only
        pass
    channel = Channel()
    try:
        module = load_module(path)
    except SyntaxError as e:
        channel.send({"loadError": {"message": "SyntaxError: %s" % e.msg, "frame": {
            "file": e.filename or path, "line": e.lineno, "column": e.offset, "function": None,
            "code": (e.text or "").strip()}}})
        return
    except Fatal as e:
        channel.send({"fatal": {"message": str(e), "frame": e.frame}})
        return
    except BaseException as e:  # noqa: BLE001 - any failure while importing the module
        # The last frame (maybe in a helper the module imports) and the last one in the module itself.
        frames = traceback.extract_tb(e.__traceback__)
        own = [f for f in frames if os.path.abspath(f.filename) == os.path.abspath(path)]
        channel.send({"loadError": {"message": describe_exception(e), "frame": where(e),
                                    "moduleFrame": where(frames=own) if own else None}})
        return
    try:
        bridge = Bridge(channel, module, path)
    except Fatal as e:
        channel.send({"fatal": {"message": str(e), "frame": e.frame}})
        return
    except Raised as e:
        channel.send({"fatal": {"message": "setting up the module raised: %s" % e, "frame": getattr(e, "frame", None)}})
        return
    channel.send({"hello": bridge.description()})
    bridge.serve()


# ----------------------------------------------------------------------------------------------
# pytest helper

def assert_conforms(module_path, *args, flowproof=None, node="node", python_exe=None):
    """Run `flowproof conform --python module_path` and fail (AssertionError with its report) unless every
    check passes. `args` are extra flags (e.g. "--seed", "3"); `flowproof` is the CLI to run (default the
    flowproof package this file ships in)."""
    if flowproof is None:
        cli = os.path.join(os.path.dirname(BRIDGE_FILE), "..", "bin", "flowproof.js")
        command = [node, os.path.normpath(cli)]
    else:
        command = list(flowproof) if isinstance(flowproof, (list, tuple)) else [flowproof]
    command += ["conform", "--python", str(module_path), "--python-exe", python_exe or sys.executable] + list(args)
    r = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    if r.returncode != 0:
        raise AssertionError("flowproof conform exited %d for %s\n%s%s" % (r.returncode, module_path, r.stdout, r.stderr))
    return r.stdout


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "serve":
        sys.stderr.write("usage: %s serve MODULE.py (started by `flowproof conform --python`)\n" % sys.argv[0])
        sys.exit(2)
    serve(sys.argv[2])
