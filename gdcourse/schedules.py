"""Learning-rate schedules: the step size α as a function of the step (or epoch) index n.

Every schedule is a frozen dataclass and a function of n: ``schedule(n)`` with ``n`` an int or an
integer array, counted from 0. Hyper-parameters may be arrays; they broadcast against ``n`` with numpy's
rules, so ``TimeDecay(lr0=0.5, decay=np.array([[0.1], [1.0]]))(np.arange(100))`` is two schedules of 100
steps, shape (2, 100), in one call. Pass a schedule as ``lr=`` to any kernel of ``gdcourse.optimizers``:
the kernel evaluates ``lr(state.t)``, so the first step uses ``lr(0)``. ``per_epoch`` turns a schedule of
the epoch into a schedule of the step.

Two adaptive ideas are *not* functions of n, because they read the loss or the gradient:
``BoldDriver`` (here, a controller the training loop consults after each tentative step) and
hypergradient descent, which learns α online and is a kernel, ``HypergradientSGD`` in
``gdcourse.optimizers``.

Naming erratum: α0/(1 + d·n) is "1/t" or "inverse-time" decay; DeepLearning.AI's course calls it
"exponential weight decay", which it is not (that name belongs to α0·e^(−d·n), and "weight decay" is an
L2 penalty on the weights).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import numpy as np

from ._validate import freeze_arrays as _freeze_arrays
from ._validate import in_interval, nonnegative, positive, positive_int

__all__ = [
    "Schedule",
    "Constant",
    "TimeDecay",
    "TimeDecayRecursive",
    "StepDecay",
    "Staircase",
    "ExponentialDecay",
    "GeometricDecay",
    "InverseSqrtDecay",
    "CosineAnnealing",
    "CosineWarmRestarts",
    "Triangular",
    "OneCycle",
    "PerEpoch",
    "per_epoch",
    "BoldDriver",
    "BoldDriverState",
    "SCHEDULES",
]

def _steps(n: Any) -> np.ndarray:
    """``n`` as an integer array, checked: integers >= 0."""
    arr = np.asarray(n)
    if arr.dtype.kind not in "iu":  # signed or unsigned integers (bool is kind "b")
        raise ValueError(f"n must be an integer or an array of integers >= 0, got {n!r}")
    if (arr < 0).any():  # cheap on every step; the full check only to word the message
        nonnegative("n", arr)
    return arr


def _out(value: np.ndarray) -> float | np.ndarray:
    """A 0-d result as a numpy float (prints like a number), an array otherwise."""
    value = np.asarray(value, dtype=float)
    return value[()] if value.ndim == 0 else value


def _cos_between(high: Any, low: Any, frac: Any) -> np.ndarray:
    """Half a cosine from ``high`` (frac = 0) down to ``low`` (frac = 1)."""
    return low + 0.5 * (high - low) * (1 + np.cos(np.pi * frac))


class Schedule:
    """Base of every schedule: ``schedule(n)`` is the learning rate at step n (n = 0, 1, 2, ...)."""

    def __post_init__(self) -> None:
        _freeze_arrays(self)
        self._check()

    def _check(self) -> None:
        """Validate the hyper-parameters (called once, after the arrays are frozen)."""

    def __call__(self, n: Any) -> float | np.ndarray:
        return _out(self._rate(_steps(n)))

    def _rate(self, n: np.ndarray) -> np.ndarray:
        raise NotImplementedError


@dataclass(frozen=True, eq=False)
class Constant(Schedule):
    """Constant step size: α(n) = α."""

    lr: float | np.ndarray = 0.1

    def _check(self) -> None:
        positive("lr", self.lr)

    def _rate(self, n):
        return self.lr + 0.0 * n


@dataclass(frozen=True, eq=False)
class TimeDecay(Schedule):
    """Time-based ("1/t", inverse-time) decay: α(n) = α0 / (1 + d·n).

    Erratum: DeepLearning.AI calls this "exponential weight decay"; it is neither exponential nor weight
    decay. It falls like 1/n: after n = 1/d steps α is halved, after 3/d steps quartered.
    """

    lr0: float | np.ndarray = 0.1
    decay: float | np.ndarray = 1.0

    def _check(self) -> None:
        positive("lr0", self.lr0)
        nonnegative("decay", self.decay)

    def _rate(self, n):
        return self.lr0 / (1 + self.decay * n)


@dataclass(frozen=True, eq=False)
class TimeDecayRecursive(Schedule):
    """Recursive time-based decay: η(n+1) = η(n) / (1 + d·n), η(0) = η0.

    Unrolled, η(n) = η0 / ∏_{k<n} (1 + d·k): the divisor grows with n at every step, so this decays
    much faster than TimeDecay's α0/(1 + d·n) (like 1/(dⁿ·(n − 1)!)), and η(1) = η0 since the first divisor
    is 1 + d·0. Evaluated for a whole array of n at once by a cumulative sum of log(1 + d·k) up to max n.
    """

    lr0: float | np.ndarray = 0.1
    decay: float | np.ndarray = 1.0

    def _check(self) -> None:
        positive("lr0", self.lr0)
        nonnegative("decay", self.decay)

    def _rate(self, n):
        decay = np.asarray(self.decay, dtype=float)
        k = np.arange(int(n.max(initial=0)))
        # log ∏_{k<n}(1 + d·k) for n = 0 .. max n, along a last axis: shape (*decay.shape, max n + 1)
        log_divisor = np.cumsum(np.log1p(decay[..., None] * k), axis=-1)
        log_divisor = np.concatenate([np.zeros(decay.shape + (1,)), log_divisor], axis=-1)
        shape = np.broadcast_shapes(decay.shape, n.shape)
        table = np.broadcast_to(log_divisor.reshape((1,) * (len(shape) - decay.ndim) + log_divisor.shape),
                                shape + log_divisor.shape[-1:])
        index = np.broadcast_to(n, shape)[..., None]
        return self.lr0 * np.exp(-np.take_along_axis(table, index, axis=-1)[..., 0])


@dataclass(frozen=True, eq=False)
class StepDecay(Schedule):
    """Step-based decay, exactly as the lecture writes it: η(n) = η0 · d^floor((1 + n) / r).

    Off by one compared with a staircase that drops every r steps (``Staircase``): because of the
    ``1 + n``, the first drop comes at n = r − 1 (after r − 1 epochs, not r) and every later drop one
    step early too. With r = 10, η0 is used for n = 0..8 only (9 epochs), then η0·d for n = 9..18.
    """

    lr0: float | np.ndarray = 0.1
    drop: float | np.ndarray = 0.5
    every: float | np.ndarray = 10

    def _check(self) -> None:
        positive("lr0", self.lr0)
        in_interval("drop", self.drop, 0.0, 1.0, low_closed=False)
        positive("every", self.every)

    def _rate(self, n):
        return self.lr0 * np.power(self.drop, np.floor((1 + n) / self.every))


@dataclass(frozen=True, eq=False)
class Staircase(Schedule):
    """Staircase, "drop ×0.1 every N epochs": α(n) = α0 · factor^floor(n / every).

    α0 for n = 0 .. every − 1, α0·factor for the next ``every`` steps, and so on.
    """

    lr0: float | np.ndarray = 0.1
    factor: float | np.ndarray = 0.1
    every: float | np.ndarray = 30

    def _check(self) -> None:
        positive("lr0", self.lr0)
        in_interval("factor", self.factor, 0.0, 1.0, low_closed=False)
        positive("every", self.every)

    def _rate(self, n):
        return self.lr0 * np.power(self.factor, np.floor(n / self.every))


@dataclass(frozen=True, eq=False)
class ExponentialDecay(Schedule):
    """Exponential decay: η(n) = η0 · e^(−d·n)."""

    lr0: float | np.ndarray = 0.1
    rate: float | np.ndarray = 0.05

    def _check(self) -> None:
        positive("lr0", self.lr0)
        nonnegative("rate", self.rate)

    def _rate(self, n):
        return self.lr0 * np.exp(-self.rate * n)


@dataclass(frozen=True, eq=False)
class GeometricDecay(Schedule):
    """Exponential decay written with a base: α(n) = α0 · baseⁿ (the lecture's α0·0.95^epoch).

    The same curve as ExponentialDecay with d = −ln(base).
    """

    lr0: float | np.ndarray = 0.1
    base: float | np.ndarray = 0.95

    def _check(self) -> None:
        positive("lr0", self.lr0)
        in_interval("base", self.base, 0.0, 1.0, low_closed=False)

    def _rate(self, n):
        return self.lr0 * np.power(self.base, n)


@dataclass(frozen=True, eq=False)
class InverseSqrtDecay(Schedule):
    """Inverse-square-root decay: α = α0 · k / √epoch, with epoch = n + 1.

    The lecture counts epochs from 1 (α0·k/√0 is undefined), so step n = 0 is epoch 1 and gets α0·k.
    """

    lr0: float | np.ndarray = 0.1
    k: float | np.ndarray = 1.0

    def _check(self) -> None:
        positive("lr0", self.lr0)
        positive("k", self.k)

    def _rate(self, n):
        epoch = n + 1
        return self.lr0 * self.k / np.sqrt(epoch)


@dataclass(frozen=True, eq=False)
class CosineAnnealing(Schedule):
    """Cosine annealing: η(n) = η_min + ½(η_max − η_min)(1 + cos(π·n/T)) for n <= T, η_min after.

    T is ``total``: η_max at n = 0, halfway at n = T/2, η_min at n = T and held there afterwards.
    """

    lr_max: float | np.ndarray = 0.1
    total: float | np.ndarray = 100
    lr_min: float | np.ndarray = 0.0

    def _check(self) -> None:
        positive("lr_max", self.lr_max)
        positive("total", self.total)
        nonnegative("lr_min", self.lr_min)
        nonnegative("lr_max - lr_min", np.subtract(self.lr_max, self.lr_min))

    def _rate(self, n):
        return _cos_between(self.lr_max, self.lr_min, np.minimum(n / self.total, 1.0))


@dataclass(frozen=True, eq=False)
class CosineWarmRestarts(Schedule):
    """Cosine annealing with warm restarts, SGDR (Loshchilov & Hutter 2017, eq. 5).

    η(n) = η_min + ½(η_max − η_min)(1 + cos(π·T_cur/T_i)), where cycle i lasts T_i = T_0·multⁱ steps
    (T_0 = ``period``) and T_cur counts the steps since the last restart. Restarts (η back to η_max)
    happen at the cumulative periods T_0, T_0 + T_0·mult, ...: with T_0 = 10 and mult = 2 at n = 10, 30,
    70, 150. The cycle of each n is found in closed form, i = floor(log_mult(1 + n(mult − 1)/T_0)).
    """

    lr_max: float | np.ndarray = 0.1
    period: float | np.ndarray = 10
    mult: float | np.ndarray = 1
    lr_min: float | np.ndarray = 0.0

    def _check(self) -> None:
        positive("lr_max", self.lr_max)
        positive("period", self.period)
        in_interval("mult", self.mult, 1.0, np.inf, high_closed=False)
        nonnegative("lr_min", self.lr_min)
        nonnegative("lr_max - lr_min", np.subtract(self.lr_max, self.lr_min))

    def _start(self, i, constant, mult):
        """Step at which cycle i starts: T_0·i when mult = 1, T_0(multⁱ − 1)/(mult − 1) otherwise."""
        return np.where(constant, self.period * i, self.period * (mult**i - 1) / (mult - 1))

    def _rate(self, n):
        mult = np.asarray(self.mult, dtype=float)
        constant = mult == 1
        growth = np.where(constant, 2.0, mult)  # any base > 1 in the branch that is not used
        i = np.where(constant, np.floor(n / self.period),
                     np.floor(np.log1p(n * (growth - 1) / self.period) / np.log(growth)))
        # the logarithm may land a hair below an integer at an exact restart: correct by one cycle
        i = i + (self._start(i + 1, constant, growth) <= n) - (self._start(i, constant, growth) > n)
        t_cur = n - self._start(i, constant, growth)
        t_i = np.where(constant, self.period, self.period * growth**i)
        return _cos_between(self.lr_max, self.lr_min, t_cur / t_i)


@dataclass(frozen=True, eq=False)
class Triangular(Schedule):
    """Cyclical learning rate, triangular policy (CLR, Smith 2017).

    cycle = floor(1 + n / (2s)),  x = |n/s − 2·cycle + 1|,  η(n) = η_base + (η_max − η_base)·max(0, 1 − x),
    with s = ``step_size``: η rises linearly from base_lr at n = 0 to max_lr at n = s, falls back to
    base_lr at n = 2s, and repeats.
    """

    base_lr: float | np.ndarray = 0.01
    max_lr: float | np.ndarray = 0.1
    step_size: float | np.ndarray = 10

    def _check(self) -> None:
        positive("base_lr", self.base_lr)
        positive("max_lr", self.max_lr)
        positive("step_size", self.step_size)
        nonnegative("max_lr - base_lr", np.subtract(self.max_lr, self.base_lr))

    def _rate(self, n):
        cycle = np.floor(1 + n / (2 * self.step_size))
        x = np.abs(n / self.step_size - 2 * cycle + 1)
        return self.base_lr + (self.max_lr - self.base_lr) * np.maximum(0, 1 - x)


@dataclass(frozen=True, eq=False)
class OneCycle(Schedule):
    """One-cycle policy, as ``torch.optim.lr_scheduler.OneCycleLR`` with cosine annealing (two phases).

    η_0 = max_lr / div_factor, η_end = η_0 / final_div_factor, peak step p = pct_start·total − 1:
      n <= p:  η(n) = cos-anneal from η_0 up to max_lr, fraction n / p;
      n > p:   η(n) = cos-anneal from max_lr down to η_end, fraction (n − p) / (total − 1 − p),
    where cos-anneal(a → b, f) = b + ½(a − b)(1 + cos(π·f)). So η = max_lr at n = p and η_end at the
    last step n = total − 1 (held there afterwards, where torch raises instead).
    """

    max_lr: float | np.ndarray = 0.1
    total: float | np.ndarray = 100
    pct_start: float | np.ndarray = 0.3
    div_factor: float | np.ndarray = 25.0
    final_div_factor: float | np.ndarray = 1e4

    def _check(self) -> None:
        positive("max_lr", self.max_lr)
        positive("total", self.total)
        in_interval("pct_start", self.pct_start, 0.0, 1.0, low_closed=False, high_closed=False)
        in_interval("pct_start * total", np.multiply(self.pct_start, self.total), 1.0, np.inf,
                    low_closed=False, high_closed=False)
        positive("div_factor", self.div_factor)
        positive("final_div_factor", self.final_div_factor)

    def _rate(self, n):
        lr_start = self.max_lr / self.div_factor
        lr_end = lr_start / self.final_div_factor
        peak = self.pct_start * self.total - 1
        warm = _cos_between(lr_start, self.max_lr, np.minimum(n / peak, 1.0))
        anneal = _cos_between(self.max_lr, lr_end, np.clip((n - peak) / (self.total - 1 - peak), 0.0, 1.0))
        return np.where(n <= peak, warm, anneal)


@dataclass(frozen=True, eq=False)
class PerEpoch(Schedule):
    """A schedule of the epoch read at the step: s′(t) = s(t // steps_per_epoch)."""

    schedule: Schedule
    steps_per_epoch: int

    def _check(self) -> None:
        if not callable(self.schedule):
            raise ValueError(f"schedule must be a schedule (a function of the epoch), got {self.schedule!r}")
        positive_int("steps_per_epoch", self.steps_per_epoch)

    def _rate(self, n):
        return np.asarray(self.schedule(n // self.steps_per_epoch), dtype=float)


def per_epoch(schedule: Schedule, steps_per_epoch: int) -> PerEpoch:
    """Turn an epoch schedule s into a step schedule s′(t) = s(t // steps_per_epoch).

    With 10 iterations per epoch, steps 0..9 use s(0), steps 10..19 use s(1), and so on.
    """
    return PerEpoch(schedule, steps_per_epoch)


class BoldDriverState(NamedTuple):
    """The bold driver's current learning rate (one per run)."""

    lr: np.ndarray


@dataclass(frozen=True, eq=False)
class BoldDriver:
    """The "bold driver" (Vogl et al. 1988; named by Battiti 1989): α driven by the loss, not by n.

    After a tentative step that takes the loss from J_before to J_after:
      J_after < J_before                     accept the step, α ← grow·α       (grow = 1.05)
      J_after > J_before + tol·|J_before|    reject the step, α ← shrink·α     (shrink = 0.7, tol = 4 %)
      otherwise (a rise within tolerance)    accept the step, α unchanged.
    A non-finite J_after counts as a rise. This is a pure controller, not a function of n: the training
    loop (``gdcourse.training``) asks ``update`` after every tentative step. Vectorized over runs: ``lr0`` is
    a scalar or one value per run, with the shape of the losses (e.g. (K,)).
    """

    lr0: float | np.ndarray = 0.1
    grow: float | np.ndarray = 1.05
    shrink: float | np.ndarray = 0.7
    tolerance: float | np.ndarray = 0.04

    def __post_init__(self) -> None:
        _freeze_arrays(self)
        positive("lr0", self.lr0)
        in_interval("grow", self.grow, 1.0, np.inf, high_closed=False)
        in_interval("shrink", self.shrink, 0.0, 1.0, low_closed=False, high_closed=False)
        nonnegative("tolerance", self.tolerance)

    def init(self, shape: tuple[int, ...] = ()) -> BoldDriverState:
        """α = α0 for every run; ``shape`` is the runs' shape (the losses' shape)."""
        return BoldDriverState(lr=np.array(np.broadcast_to(np.asarray(self.lr0, dtype=float), shape)))

    def update(self, state: BoldDriverState, loss_before: Any, loss_after: Any) -> tuple[np.ndarray, BoldDriverState]:
        """Return (accept, new state): accept is a boolean per run (False: undo the tentative step)."""
        before = np.asarray(loss_before, dtype=float)
        after = np.asarray(loss_after, dtype=float)
        with np.errstate(invalid="ignore", over="ignore"):
            accept = after <= before + self.tolerance * np.abs(before)
            fell = after < before
        lr = np.where(fell, state.lr * self.grow, np.where(accept, state.lr, state.lr * self.shrink))
        return accept, BoldDriverState(lr=lr)


SCHEDULES: dict[str, Callable[..., Schedule]] = {
    "constant": lambda lr0=0.1, total=100: Constant(lr0),
    "time decay": lambda lr0=0.1, total=100: TimeDecay(lr0, decay=10 / total),
    "time decay (recursive)": lambda lr0=0.1, total=100: TimeDecayRecursive(lr0, decay=1 / total),
    "step decay": lambda lr0=0.1, total=100: StepDecay(lr0, drop=0.5, every=total / 5),
    "staircase": lambda lr0=0.1, total=100: Staircase(lr0, factor=0.1, every=total / 3),
    "exponential": lambda lr0=0.1, total=100: ExponentialDecay(lr0, rate=3 / total),
    "geometric (0.95^n)": lambda lr0=0.1, total=100: GeometricDecay(lr0, base=0.95),
    "inverse sqrt": lambda lr0=0.1, total=100: InverseSqrtDecay(lr0, k=1.0),
    "cosine": lambda lr0=0.1, total=100: CosineAnnealing(lr0, total=total),
    "warm restarts (SGDR)": lambda lr0=0.1, total=100: CosineWarmRestarts(lr0, period=total / 7, mult=2),
    "triangular (CLR)": lambda lr0=0.1, total=100: Triangular(lr0 / 10, lr0, step_size=total / 8),
    "one-cycle": lambda lr0=0.1, total=100: OneCycle(lr0, total=total),
}
"""Name → factory ``f(lr0=0.1, total=100) -> Schedule`` at the lecture's defaults, for plotting them all."""
