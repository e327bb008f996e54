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
``ReduceOnPlateau`` (torch's ReduceLROnPlateau) is a controller too: it reads the loss once per epoch.

A schedule never raises once it is built: for every step number it returns a finite α >= 0. Some reach
α = 0 exactly, a legal step that does not move: ``CosineAnnealing`` with the default ``lr_min = 0`` from
n = total on, ``PolynomialDecay`` with ``lr_end = 0`` likewise, and the fast decays once α0·e^(−d·n) or
α0/∏(1 + d·k) underflows below the smallest double (n ≈ 745/d for ``ExponentialDecay``). A step number may
be any integer type (int8 … uint64): it is converted to float64 before any arithmetic, so 1 + n cannot
wrap; a Python integer beyond numpy's range (>= 2**64) is rejected by name.

``Triangular`` and ``OneCycle`` also give the momentum that torch cycles with them (``cycle_momentum``):
``schedule.momentum(n)``, high where α is low. ``FRAMEWORK_NAMES`` maps every schedule to its PyTorch
and Keras counterparts.

Naming erratum: α0/(1 + d·n) is "1/t" or "inverse-time" decay; DeepLearning.AI's course calls it
"exponential weight decay", which it is not (that name belongs to α0·e^(−d·n), and "weight decay" is an
L2 penalty on the weights).
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
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
    "MultiStep",
    "LinearWarmup",
    "PolynomialDecay",
    "PerEpoch",
    "per_epoch",
    "BoldDriver",
    "BoldDriverState",
    "ReduceOnPlateau",
    "ReduceOnPlateauState",
    "SCHEDULES",
    "FrameworkName",
    "FRAMEWORK_NAMES",
]

def _integer_steps(n: Any) -> np.ndarray:
    """``n`` as an integer array of its own dtype, checked: integers >= 0."""
    arr = np.asarray(n)
    if arr.dtype.kind not in "iu":  # signed or unsigned integers (bool is kind "b")
        if isinstance(n, int) and not isinstance(n, bool):  # a Python int beyond uint64 (object array)
            raise ValueError(f"n must be an integer in [0, 2**64), got {n!r}")
        raise ValueError(f"n must be an integer or an array of integers >= 0, got {n!r}")
    if (arr < 0).any():  # cheap on every step; the full check only to word the message
        nonnegative("n", arr)
    return arr


def _steps(n: Any) -> np.ndarray:
    """``n`` checked (integers >= 0) and cast to float64 before any arithmetic: int8(127) + 1 cannot wrap."""
    return _integer_steps(n).astype(np.float64)


def _out(value: np.ndarray) -> float | np.ndarray:
    """A 0-d result as a numpy float (prints like a number), an array otherwise."""
    value = np.asarray(value, dtype=float)
    return value[()] if value.ndim == 0 else value


def _cos_between(high: Any, low: Any, frac: Any) -> np.ndarray:
    """Half a cosine from ``high`` (frac = 0) down to ``low`` (frac = 1)."""
    return low + 0.5 * (high - low) * (1 + np.cos(np.pi * frac))


def _at_default(value: Any, default: Any) -> bool:
    """Whether a plain (non-array) option still has its default value."""
    return default is not MISSING and not isinstance(value, np.ndarray) and value == default


def _flag(name: str, value: Any) -> bool:
    """Check a switch is True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _choice(name: str, value: Any, options: tuple[str, ...]) -> None:
    """Check a mode is one of ``options``."""
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}, got {value!r}")


def _momenta(base: Any, high: Any) -> None:
    """Check the momentum range of a cyclic schedule: 0 <= base_momentum <= max_momentum < 1."""
    in_interval("base_momentum", base, 0.0, 1.0, high_closed=False)
    in_interval("max_momentum", high, 0.0, 1.0, high_closed=False)
    nonnegative("max_momentum - base_momentum", np.subtract(high, base))


class Schedule:
    """Base of every schedule: ``schedule(n)`` is the learning rate at step n (n = 0, 1, 2, ...)."""

    def __post_init__(self) -> None:
        _freeze_arrays(self)
        self._check()

    def _check(self) -> None:
        """Validate the hyper-parameters (called once, after the arrays are frozen)."""

    def __call__(self, n: Any) -> float | np.ndarray:
        return _out(self._rate(_steps(n)))

    def __repr__(self) -> str:
        """``Name(field=value, ...)``; an option declared ``field(repr=False)`` is shown only when it is not
        at its default (``Triangular(..., mode='exp_range', gamma=0.99)``)."""
        shown = [f"{f.name}={getattr(self, f.name)!r}" for f in fields(self)
                 if f.repr or not _at_default(getattr(self, f.name), f.default)]
        return f"{type(self).__name__}({', '.join(shown)})"

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
    is 1 + d·0. Evaluated in closed form, in time and memory independent of n (``_log_divisor``): η
    underflows to 0 (a legal step that does not move) long before n = 4·10⁹.
    """

    lr0: float | np.ndarray = 0.1
    decay: float | np.ndarray = 1.0

    def _check(self) -> None:
        positive("lr0", self.lr0)
        nonnegative("decay", self.decay)

    def _rate(self, n):
        return self.lr0 * np.exp(-_log_divisor(np.asarray(self.decay, dtype=float), n))


_EXACT = 64  # below this many factors the log-divisor is summed term by term


def _stirling_tail(z: np.ndarray) -> np.ndarray:
    """S(z) = ln Γ(z) − (z − ½)ln z + z − ½ln 2π = 1/(12z) − 1/(360z³) + 1/(1260z⁵) + O(z⁻⁷) (< 2e-16 at z >= 64)."""
    return 1 / (12 * z) - 1 / (360 * z**3) + 1 / (1260 * z**5)


def _log1p_minus_identity(u: np.ndarray) -> np.ndarray:
    """log(1 + u) − u for u >= 0 without cancellation: with s = u/(2 + u), log(1 + u) = 2·atanh(s), so
    log(1 + u) − u = −u²/(2 + u) + 2s³(1/3 + s²/5 + s⁴/7 + ...); the series to s¹⁵ where u < 0.1."""
    s = u / (2 + u)
    s2 = s * s
    series = 1 / 3 + s2 * (1 / 5 + s2 * (1 / 7 + s2 * (1 / 9 + s2 * (1 / 11 + s2 * (1 / 13 + s2 / 15)))))
    return np.where(u < 0.1, -u * u / (2 + u) + 2 * s * s2 * series, np.log1p(u) - u)


def _log_divisor(d: np.ndarray, n: np.ndarray) -> np.ndarray:
    """L(n) = ln ∏_{k<n}(1 + d·k) = Σ_{k<n} log1p(d·k), broadcast over d and n, in O(1) per element.

    For n <= 64 the sum itself (a 65-entry table per d). Beyond, with x = 1/d, y = x + 64, m = n − 64, u = m/y:
    Σ_{k=64}^{n−1} ln(d·(x + k)) = m·ln d + ln Γ(y + m) − ln Γ(y), and Stirling's series (y >= 64) gives
    y·(log1p(u) − u) + (m − ½)·log1p(u) + m·log1p(64·d) + S(y + m) − S(y), with no cancellation of large terms.
    """
    k = np.arange(_EXACT)
    table = np.concatenate([np.zeros(d.shape + (1,)), np.cumsum(np.log1p(d[..., None] * k), axis=-1)], axis=-1)
    shape = np.broadcast_shapes(d.shape, n.shape)
    table = np.broadcast_to(table.reshape((1,) * (len(shape) - d.ndim) + table.shape), shape + (_EXACT + 1,))
    index = np.broadcast_to(np.minimum(n, _EXACT).astype(np.intp), shape)[..., None]
    exact = np.take_along_axis(table, index, axis=-1)[..., 0]
    safe = np.where(d > 0, d, 1.0)  # d = 0: no decay, the tail is 0
    y, m = _EXACT + 1 / safe, np.maximum(n - _EXACT, 0.0)
    u = m / y
    tail = (y * _log1p_minus_identity(u) + (m - 0.5) * np.log1p(u) + m * np.log1p(_EXACT * safe)
            + _stirling_tail(y + m) - _stirling_tail(y))
    return exact + np.where(d > 0, tail, 0.0)


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


@dataclass(frozen=True, eq=False, repr=False)
class InverseSqrtDecay(Schedule):
    """Inverse-square-root decay: α(n) = α0 · k / √(1 + d·n); with d = 1, the lecture's α0·k/√epoch.

    The lecture counts epochs from 1 (α0·k/√0 is undefined), so step n = 0 is epoch 1 and gets α0·k.
    A rate d other than 1 stretches the curve: α halves at n = 3/d (d = 1/T: α0·k/√(1 + n/T)).
    """

    lr0: float | np.ndarray = 0.1
    k: float | np.ndarray = 1.0
    decay: float | np.ndarray = field(default=1.0, repr=False)

    def _check(self) -> None:
        positive("lr0", self.lr0)
        positive("k", self.k)
        nonnegative("decay", self.decay)

    def _rate(self, n):
        return self.lr0 * self.k / np.sqrt(1 + self.decay * n)


@dataclass(frozen=True, eq=False, repr=False)
class CosineAnnealing(Schedule):
    """Cosine annealing: η(n) = η_min + ½(η_max − η_min)(1 + cos(π·n/T)) for n <= T, η_min after.

    T is ``total``: η_max at n = 0, halfway at n = T/2, η_min at n = T and held there afterwards (as
    Keras' CosineDecay). Difference from torch: ``torch.optim.lr_scheduler.CosineAnnealingLR`` does not
    hold; its cosine goes on, back up to η_max at n = 2T, and so on. ``periodic=True`` is torch's form,
    the same formula for every n. With the default η_min = 0, α = 0 from n = T on (non-periodic): a
    legal step that does not move.
    """

    lr_max: float | np.ndarray = 0.1
    total: float | np.ndarray = 100
    lr_min: float | np.ndarray = 0.0
    periodic: bool = field(default=False, repr=False)

    def _check(self) -> None:
        positive("lr_max", self.lr_max)
        positive("total", self.total)
        nonnegative("lr_min", self.lr_min)
        nonnegative("lr_max - lr_min", np.subtract(self.lr_max, self.lr_min))
        _flag("periodic", self.periodic)

    def _rate(self, n):
        frac = n / self.total
        return _cos_between(self.lr_max, self.lr_min, frac if self.periodic else np.minimum(frac, 1.0))


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
        grown = mult ** np.where(constant, 0.0, i)  # no power of the unused base (it would overflow)
        return np.where(constant, self.period * i, self.period * (grown - 1) / (mult - 1))

    def _rate(self, n):
        mult = np.asarray(self.mult, dtype=float)
        constant = mult == 1
        growth = np.where(constant, 2.0, mult)  # any base > 1 in the branch that is not used
        i = np.where(constant, np.floor(n / self.period),
                     np.floor(np.log1p(n * (growth - 1) / self.period) / np.log(growth)))
        # the logarithm may land a hair below an integer at an exact restart: correct by one cycle
        i = i + (self._start(i + 1, constant, growth) <= n) - (self._start(i, constant, growth) > n)
        t_cur = n - self._start(i, constant, growth)
        t_i = np.where(constant, self.period, self.period * growth ** np.where(constant, 0.0, i))
        return _cos_between(self.lr_max, self.lr_min, t_cur / t_i)


@dataclass(frozen=True, eq=False, repr=False)
class Triangular(Schedule):
    """Cyclical learning rate (CLR, Smith 2017), as ``torch.optim.lr_scheduler.CyclicLR``.

    Each cycle rises linearly for s_up = ``step_size`` steps from base_lr to the peak, then falls for
    s_down = ``step_size_down`` steps (default s_up) back to base_lr. With p = n mod (s_up + s_down) and
    the height h = p/s_up while p <= s_up, (s_up + s_down − p)/s_down after,
      η(n) = η_base + (η_max − η_base)·h·a,      momentum(n) = β_max − (β_max − β_base)·h·a,
    where the amplitude a is 1 (``mode="triangular"``), 1/2^(c − 1) in cycle c = 1, 2, ... (``"triangular2"``:
    halved every cycle) or γⁿ (``"exp_range"``). With s_up = s_down = s this is the paper's
    cycle = floor(1 + n/(2s)), x = |n/s − 2·cycle + 1|, η(n) = η_base + (η_max − η_base)·max(0, 1 − x):
    η rises from base_lr at n = 0 to max_lr at n = s, falls back to base_lr at n = 2s, and repeats.
    The momentum (torch's ``cycle_momentum``, for a kernel with momentum) moves the other way.
    """

    base_lr: float | np.ndarray = 0.01
    max_lr: float | np.ndarray = 0.1
    step_size: float | np.ndarray = 10
    step_size_down: float | np.ndarray | None = field(default=None, repr=False)
    mode: str = field(default="triangular", repr=False)
    gamma: float | np.ndarray = field(default=1.0, repr=False)
    base_momentum: float | np.ndarray = field(default=0.8, repr=False)
    max_momentum: float | np.ndarray = field(default=0.9, repr=False)

    def _check(self) -> None:
        positive("base_lr", self.base_lr)
        positive("max_lr", self.max_lr)
        positive("step_size", self.step_size)
        nonnegative("max_lr - base_lr", np.subtract(self.max_lr, self.base_lr))
        if self.step_size_down is not None:
            positive("step_size_down", self.step_size_down)
        _choice("mode", self.mode, ("triangular", "triangular2", "exp_range"))
        in_interval("gamma", self.gamma, 0.0, 1.0, low_closed=False)
        _momenta(self.base_momentum, self.max_momentum)

    def _height(self, n: np.ndarray) -> np.ndarray:
        """h·a: 0 at the cycle's ends, the amplitude a at its peak."""
        up = self.step_size
        down = up if self.step_size_down is None else self.step_size_down
        period = up + down
        p = np.mod(n, period)
        height = np.where(p <= up, p / up, (period - p) / down)
        if self.mode == "triangular2":
            return height * 0.5 ** np.floor(n / period)  # underflows to 0 (silently) after ~1075 cycles
        if self.mode == "exp_range":
            return height * self.gamma**n
        return height

    def _rate(self, n):
        return self.base_lr + (self.max_lr - self.base_lr) * self._height(n)

    def momentum(self, n: Any) -> float | np.ndarray:
        """β(n) = β_max − (β_max − β_base)·h·a: torch's ``cycle_momentum``, low where α is high."""
        return _out(self.max_momentum - (self.max_momentum - self.base_momentum) * self._height(_steps(n)))


@dataclass(frozen=True, eq=False, repr=False)
class OneCycle(Schedule):
    """One-cycle policy, as ``torch.optim.lr_scheduler.OneCycleLR``.

    η_0 = max_lr / div_factor, η_end = η_0 / final_div_factor, p = pct_start·total − 1 (the peak step).
    Two phases (default): anneal η_0 → max_lr over steps 0 .. p, then max_lr → η_end over p .. total − 1.
    ``three_phase=True``: η_0 → max_lr over 0 .. p, max_lr → η_0 over p .. 2p, η_0 → η_end over 2p .. total − 1
    (needs pct_start <= 0.5). In a phase from step a to step b, with fraction f = (n − a)/(b − a),
      anneal(u → v, f) = v + ½(u − v)(1 + cos(π·f))   (``anneal="cos"``)   or   u + (v − u)·f   ("linear").
    So η = max_lr at n = p and η_end at the last step n = total − 1, held there afterwards (torch raises
    past total instead). The momentum (``cycle_momentum``) anneals the other way over the same phases:
    max_momentum → base_momentum → max_momentum (three phases: and stays at max_momentum).
    """

    max_lr: float | np.ndarray = 0.1
    total: float | np.ndarray = 100
    pct_start: float | np.ndarray = 0.3
    div_factor: float | np.ndarray = 25.0
    final_div_factor: float | np.ndarray = 1e4
    three_phase: bool = field(default=False, repr=False)
    anneal: str = field(default="cos", repr=False)
    base_momentum: float | np.ndarray = field(default=0.85, repr=False)
    max_momentum: float | np.ndarray = field(default=0.95, repr=False)

    def _check(self) -> None:
        positive("max_lr", self.max_lr)
        positive("total", self.total)
        in_interval("pct_start", self.pct_start, 0.0, 1.0, low_closed=False, high_closed=False)
        in_interval("pct_start * total", np.multiply(self.pct_start, self.total), 1.0, np.inf,
                    low_closed=False, high_closed=False)
        positive("div_factor", self.div_factor)
        positive("final_div_factor", self.final_div_factor)
        if _flag("three_phase", self.three_phase):
            in_interval("pct_start (three_phase)", self.pct_start, 0.0, 0.5, low_closed=False)
        _choice("anneal", self.anneal, ("cos", "linear"))
        _momenta(self.base_momentum, self.max_momentum)

    def _phases(self, n: np.ndarray, values: tuple) -> np.ndarray:
        """Anneal through ``values`` (one more than phases), phase i ending at step ends[i]."""
        peak = self.pct_start * self.total - 1
        ends = (peak, 2 * peak, self.total - 1) if self.three_phase else (peak, self.total - 1)
        starts = (0.0,) + ends[:-1]
        out = None
        for i in reversed(range(len(ends))):
            frac = np.clip((n - starts[i]) / (ends[i] - starts[i]), 0.0, 1.0)
            if self.anneal == "cos":
                value = _cos_between(values[i], values[i + 1], frac)
            else:
                value = values[i] + (values[i + 1] - values[i]) * frac
            out = value if out is None else np.where(n <= ends[i], value, out)
        return out

    def _rate(self, n):
        lr_start = self.max_lr / self.div_factor
        lr_end = lr_start / self.final_div_factor
        if self.three_phase:
            return self._phases(n, (lr_start, self.max_lr, lr_start, lr_end))
        return self._phases(n, (lr_start, self.max_lr, lr_end))

    def momentum(self, n: Any) -> float | np.ndarray:
        """β(n), torch's ``cycle_momentum``: max → base while α rises, base → max while it falls."""
        high, low = self.max_momentum, self.base_momentum
        return _out(self._phases(_steps(n), (high, low, high, high) if self.three_phase else (high, low, high)))


@dataclass(frozen=True, eq=False)
class MultiStep(Schedule):
    """Drops at chosen steps, as torch's MultiStepLR: α(n) = α0 · factor^(number of milestones <= n).

    With milestones (30, 80): α0 for n < 30, α0·factor for 30 <= n < 80, α0·factor² from 80 on.
    ``milestones`` are increasing step numbers (integers >= 0).
    """

    lr0: float | np.ndarray = 0.1
    milestones: Any = (30, 80)
    factor: float | np.ndarray = 0.1

    def _check(self) -> None:
        positive("lr0", self.lr0)
        in_interval("factor", self.factor, 0.0, 1.0, low_closed=False)
        m = np.asarray(self.milestones)
        if m.ndim != 1 or m.size == 0 or not np.all(np.isfinite(m)) or np.any(m != np.floor(m)) \
                or np.any(m < 0) or np.any(np.diff(m) <= 0):
            raise ValueError(f"milestones must be increasing integers >= 0, got [{', '.join(f'{v:g}' for v in m)}]")

    def _rate(self, n):
        return self.lr0 * np.power(self.factor, np.searchsorted(self.milestones, n, side="right"))


@dataclass(frozen=True, eq=False)
class LinearWarmup(Schedule):
    """Linear warm-up, as torch's LinearLR: α(n) = α0·(f_s + (f_e − f_s)·min(n, T)/T).

    The factor goes linearly from f_s = ``start_factor`` at n = 0 to f_e = ``end_factor`` at n = T = ``total``
    and stays there: with the defaults α0/3 → α0 over 5 steps. f_e < f_s is a linear decay (f_e = 0: to α = 0).
    """

    lr0: float | np.ndarray = 0.1
    start_factor: float | np.ndarray = 1 / 3
    end_factor: float | np.ndarray = 1.0
    total: float | np.ndarray = 5

    def _check(self) -> None:
        positive("lr0", self.lr0)
        in_interval("start_factor", self.start_factor, 0.0, 1.0, low_closed=False)
        in_interval("end_factor", self.end_factor, 0.0, 1.0)
        positive("total", self.total)

    def _rate(self, n):
        return self.lr0 * (self.start_factor + (self.end_factor - self.start_factor) * np.minimum(n, self.total)
                           / self.total)


@dataclass(frozen=True, eq=False)
class PolynomialDecay(Schedule):
    """Polynomial decay, as torch's PolynomialLR and Keras' PolynomialDecay:

    α(n) = (α0 − α_end)·(1 − min(n, T)/T)^p + α_end,   T = ``total``, p = ``power``.
    p = 1 is a straight line from α0 to α_end at n = T, held after. torch's PolynomialLR has α_end = 0:
    α = 0 from n = T on, a legal step that does not move.
    """

    lr0: float | np.ndarray = 0.1
    total: float | np.ndarray = 100
    power: float | np.ndarray = 1.0
    lr_end: float | np.ndarray = 0.0

    def _check(self) -> None:
        positive("lr0", self.lr0)
        positive("total", self.total)
        positive("power", self.power)
        nonnegative("lr_end", self.lr_end)
        nonnegative("lr0 - lr_end", np.subtract(self.lr0, self.lr_end))

    def _rate(self, n):
        return (self.lr0 - self.lr_end) * (1 - np.minimum(n, self.total) / self.total) ** self.power + self.lr_end


@dataclass(frozen=True, eq=False)
class PerEpoch(Schedule):
    """A schedule of the epoch read at the step: s′(t) = s(t // steps_per_epoch)."""

    schedule: Schedule
    steps_per_epoch: int

    def _check(self) -> None:
        if not callable(self.schedule):
            raise ValueError(f"schedule must be a schedule (a function of the epoch), got {self.schedule!r}")
        positive_int("steps_per_epoch", self.steps_per_epoch)

    def __call__(self, n: Any) -> float | np.ndarray:
        return _out(self.schedule(_integer_steps(n) // self.steps_per_epoch))


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


class ReduceOnPlateauState(NamedTuple):
    """Per run: the learning rate, the best loss so far, bad epochs in a row, cooldown epochs left."""

    lr: np.ndarray
    best: np.ndarray
    bad: np.ndarray
    cooldown: np.ndarray


@dataclass(frozen=True, eq=False)
class ReduceOnPlateau:
    """Cut α when the loss stops improving, as ``torch.optim.lr_scheduler.ReduceLROnPlateau``.

    A controller, like ``BoldDriver``: ``update(state, loss)`` once per epoch with the monitored loss J.
    J improves on the best J* when J < J*·(1 − threshold) (``threshold_mode="rel"``) or J < J* − threshold
    ("abs"); ``mode="max"`` watches a score instead (J > J*·(1 + threshold), J > J* + threshold). Then:
      improved:  J* ← J, bad ← 0;  otherwise bad ← bad + 1;
      in cooldown (cooldown > 0): cooldown ← cooldown − 1, bad ← 0;
      bad > patience:  α ← max(factor·α, min_lr) (only when that lowers α by more than eps),
                       cooldown ← the ``cooldown`` argument, bad ← 0.
    So with patience p, α drops at the (p + 1)-th epoch in a row without improvement. Vectorized over runs:
    ``init(shape)`` gives every run its own state; hyper-parameters broadcast against ``shape``.
    """

    lr0: float | np.ndarray = 0.1
    factor: float | np.ndarray = 0.1
    patience: int = 10
    threshold: float | np.ndarray = 1e-4
    threshold_mode: str = "rel"
    cooldown: int = 0
    min_lr: float | np.ndarray = 0.0
    eps: float = 1e-8
    mode: str = "min"

    def __post_init__(self) -> None:
        _freeze_arrays(self)
        positive("lr0", self.lr0)
        in_interval("factor", self.factor, 0.0, 1.0, high_closed=False)
        for name in ("patience", "cooldown"):
            value = getattr(self, name)
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 0:
                raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
        nonnegative("threshold", self.threshold)
        _choice("threshold_mode", self.threshold_mode, ("rel", "abs"))
        nonnegative("min_lr", self.min_lr)
        nonnegative("eps", self.eps)
        _choice("mode", self.mode, ("min", "max"))

    def init(self, shape: tuple[int, ...] = ()) -> ReduceOnPlateauState:
        """α = α0, J* = +inf (−inf for mode="max"), no bad epoch, no cooldown, for every run."""
        worst = np.inf if self.mode == "min" else -np.inf
        return ReduceOnPlateauState(lr=np.array(np.broadcast_to(np.asarray(self.lr0, dtype=float), shape)),
                                    best=np.full(shape, worst), bad=np.zeros(shape, dtype=int),
                                    cooldown=np.zeros(shape, dtype=int))

    def update(self, state: ReduceOnPlateauState, loss: Any) -> ReduceOnPlateauState:
        """The state after an epoch that ended at ``loss`` (one per run; nan never improves)."""
        current = np.asarray(loss, dtype=float)
        sign = 1.0 if self.mode == "min" else -1.0
        with np.errstate(invalid="ignore", over="ignore"):
            if self.threshold_mode == "rel":
                target = state.best * (1 - sign * np.asarray(self.threshold))
            else:
                target = state.best - sign * np.asarray(self.threshold)
            improved = sign * current < sign * target
        best = np.where(improved, current, state.best)
        bad = np.where(improved, 0, state.bad + 1)
        cooling = state.cooldown > 0
        cooldown = np.where(cooling, state.cooldown - 1, state.cooldown)
        bad = np.where(cooling, 0, bad)
        reduce = bad > self.patience
        lower = np.maximum(state.lr * self.factor, self.min_lr)
        lr = np.where(reduce & (state.lr - lower > self.eps), lower, state.lr)
        return ReduceOnPlateauState(lr=lr, best=best, bad=np.where(reduce, 0, bad),
                                    cooldown=np.where(reduce, self.cooldown, cooldown))


def _lecture_factory(make: Callable[[float, float], Schedule]) -> Callable[..., Schedule]:
    """``make(lr0, total)`` behind a factory that checks both by name first (total = 0 divides by zero)."""

    def factory(lr0: float = 0.1, total: float = 100) -> Schedule:
        positive("lr0", lr0)
        positive("total", total)
        return make(lr0, total)

    return factory


SCHEDULES: dict[str, Callable[..., Schedule]] = {
    name: _lecture_factory(make)
    for name, make in {
        "constant": lambda lr0, total: Constant(lr0),
        "time decay": lambda lr0, total: TimeDecay(lr0, decay=10 / total),
        "time decay (recursive)": lambda lr0, total: TimeDecayRecursive(lr0, decay=1 / total),
        "step decay": lambda lr0, total: StepDecay(lr0, drop=0.5, every=total / 5),
        "staircase": lambda lr0, total: Staircase(lr0, factor=0.1, every=total / 3),
        "exponential": lambda lr0, total: ExponentialDecay(lr0, rate=3 / total),
        "geometric (0.95^n)": lambda lr0, total: GeometricDecay(lr0, base=0.95),
        "inverse sqrt": lambda lr0, total: InverseSqrtDecay(lr0, k=1.0),
        "cosine": lambda lr0, total: CosineAnnealing(lr0, total=total),
        "warm restarts (SGDR)": lambda lr0, total: CosineWarmRestarts(lr0, period=total / 7, mult=2),
        "triangular (CLR)": lambda lr0, total: Triangular(lr0 / 10, lr0, step_size=total / 8),
        "one-cycle": lambda lr0, total: OneCycle(lr0, total=total),
    }.items()
}
"""Name → factory ``f(lr0=0.1, total=100) -> Schedule`` at the lecture's defaults, for plotting them all."""


class FrameworkName(NamedTuple):
    """One row of ``FRAMEWORK_NAMES``: a course schedule, its formula, and how PyTorch and Keras write it."""

    course: str
    formula: str
    pytorch: str
    keras: str
    note: str


FRAMEWORK_NAMES: tuple[FrameworkName, ...] = tuple(FrameworkName(*row) for row in (
    ("ExponentialDecay(lr0, rate=d)", "α0·e^(−d·n)",
     "ExponentialLR(gamma=e^(−d))", "ExponentialDecay(lr0, decay_steps=1, decay_rate=e^(−d))",
     "the course's \"exponential\" is the e-form; the frameworks' exponential is the geometric form"),
    ("GeometricDecay(lr0, base=γ)", "α0·γⁿ",
     "ExponentialLR(gamma=γ)", "ExponentialDecay(lr0, decay_steps=1, decay_rate=γ)",
     "Keras' decay_steps = s means γ = decay_rate^(1/s): α0·decay_rate^(n/s)"),
    ("Staircase(lr0, factor=γ, every=r)", "α0·γ^⌊n/r⌋",
     "StepLR(step_size=r, gamma=γ)", "ExponentialDecay(lr0, decay_steps=r, decay_rate=γ, staircase=True)",
     "torch's StepLR is the staircase ⌊n/r⌋, not the lecture's step decay ⌊(1 + n)/r⌋"),
    ("StepDecay(lr0, drop=γ, every=r)", "α0·γ^⌊(1 + n)/r⌋",
     "StepLR(step_size=r, gamma=γ) read one step ahead (at n + 1)", "none",
     "the lecture's formula drops one step early: at n = r − 1, 2r − 1, ..."),
    ("MultiStep(lr0, milestones, factor=γ)", "α0·γ^#{m ∈ milestones: m ≤ n}",
     "MultiStepLR(milestones, gamma=γ)",
     "PiecewiseConstantDecay(boundaries=[m − 1 for m in milestones], values=[α0, α0·γ, α0·γ², ...])",
     "Keras switches after step b (n > b): boundary b = milestone − 1"),
    ("TimeDecay(lr0, decay=d)", "α0/(1 + d·n)",
     "LambdaLR(lambda n: 1 / (1 + d·n)); Adagrad(lr_decay=d) uses it",
     "InverseTimeDecay(lr0, decay_steps=s, decay_rate=d·s)",
     "Keras divides by decay_steps: α0/(1 + decay_rate·n/decay_steps), so d = decay_rate/decay_steps"),
    ("InverseSqrtDecay(lr0, k, decay=d)", "α0·k/√(1 + d·n)",
     "LambdaLR(lambda n: k / √(1 + d·n))", "none (a LearningRateSchedule subclass)",
     "the lecture's α0·k/√epoch with epoch = n + 1 is d = 1"),
    ("LinearWarmup(lr0, start_factor, end_factor, total=T)", "α0·(f_s + (f_e − f_s)·min(n, T)/T)",
     "LinearLR(start_factor, end_factor, total_iters=T)",
     "none (CosineDecay's warmup_steps is linear warm-up to a target)",
     ""),
    ("PolynomialDecay(lr0, total=T, power=p, lr_end)", "(α0 − α_end)·(1 − min(n, T)/T)^p + α_end",
     "PolynomialLR(total_iters=T, power=p) (α_end = 0)",
     "PolynomialDecay(lr0, decay_steps=T, end_learning_rate=α_end, power=p)",
     ""),
    ("CosineAnnealing(lr_max, total=T, lr_min, periodic=True)", "η_min + ½(η_max − η_min)(1 + cos(πn/T))",
     "CosineAnnealingLR(T_max=T, eta_min=η_min)", "none (CosineDecay holds η_min after T)",
     "torch's cosine is periodic: back to η_max at n = 2T"),
    ("CosineAnnealing(lr_max, total=T, lr_min)", "as above with min(n, T): η_min held after T",
     "none (CosineAnnealingLR is periodic)", "CosineDecay(lr_max, decay_steps=T, alpha=η_min/η_max)",
     "the course's default, as Keras"),
    ("CosineWarmRestarts(lr_max, period=T0, mult, lr_min)", "SGDR: cosine over cycles T0, T0·mult, ...",
     "CosineAnnealingWarmRestarts(T_0=T0, T_mult=mult, eta_min=η_min)",
     "CosineDecayRestarts(lr_max, first_decay_steps=T0, t_mul=mult, m_mul=1, alpha=η_min/η_max)", ""),
    ("Triangular(base_lr, max_lr, step_size, step_size_down, mode, gamma)", "CLR triangle, amplitude by mode",
     "CyclicLR(base_lr, max_lr, step_size_up, step_size_down, mode, gamma)", "none",
     "momentum(n) is CyclicLR's cycle_momentum (base_momentum, max_momentum)"),
    ("OneCycle(max_lr, total, pct_start, div_factor, final_div_factor, three_phase, anneal)",
     "one cycle, cos or linear",
     "OneCycleLR(max_lr, total_steps, pct_start, anneal_strategy, div_factor, final_div_factor, three_phase)", "none",
     "momentum(n) is OneCycleLR's cycle_momentum; past total the course holds η_end, torch raises"),
    ("ReduceOnPlateau(lr0, factor, patience, threshold, threshold_mode, cooldown, min_lr)",
     "α ← factor·α after a plateau",
     "ReduceLROnPlateau(mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, eps)",
     "none compared (callbacks.ReduceLROnPlateau is a similar callback)", "a controller fed the loss each epoch"),
))
"""The course's schedules ↔ PyTorch (torch.optim.lr_scheduler) ↔ Keras (keras.optimizers.schedules), n counted
from 0 (torch's last_epoch, Keras' step). ``pandas.DataFrame(FRAMEWORK_NAMES)`` shows it as a table."""
