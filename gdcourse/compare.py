"""Comparing kernels (lectures 5–7): states over time, online losses, a bumpy bowl, and the bake-off.

* ``unroll`` runs a kernel on gradients that may change with the step t (a stream of numbers, an
  online loss f_t) and keeps every state, so a lecture can plot a kernel's accumulators over time:
  momentum's velocity, AdaGrad's G, Adam's m and v, Rprop's step sizes.
* ``bumpy`` is a bowl with ripples whose small local minima trap plain descent but not momentum.
* ``ModelObjective`` turns a model and a data set into an objective (the full-batch cost J(θ)), so
  ``minimize`` and the bake-off run models and test functions alike.
* ``bakeoff`` runs every kernel on every problem over a learning-rate sweep, ONE batched ``minimize``
  call per (problem, kernel); ``summarize`` keeps each kernel's best α and the width of the range of
  α that reach the problem's target loss.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

import numpy as np
import pandas as pd

from . import _validate
from .objectives import Objective
from .optimizers import OPTIMIZERS, HypergradientSGD, Optimizer
from .training import minimize

__all__ = [
    "Unrolled",
    "unroll",
    "Bumpy",
    "bumpy",
    "ModelObjective",
    "Problem",
    "kernels",
    "bakeoff",
    "summarize",
]


# --------------------------------------------------------------------------- states over time


class Unrolled(NamedTuple):
    """Every iterate and every state of an unrolled kernel.

    params  θ_0 … θ_T, shape (T + 1, *θ.shape)
    states  the kernel's state type with every field stacked over time, e.g. ``states.v`` of shape
            (T + 1, *θ.shape) and ``states.t`` = 0, 1, …, T
    """

    params: np.ndarray
    states: Any


def unroll(
    optimizer: Optimizer,
    x0: Any,
    grad: Callable[[int, np.ndarray], Any] | Any,
    steps: int,
    *,
    bounds: tuple[float, float] | None = None,
) -> Unrolled:
    """θ_{t+1}, s_{t+1} = step(θ_t, g_t, s_t) for t = 0, 1, …, steps − 1, keeping every θ_t and s_t.

    ``grad`` is a function ``grad(t, θ_t)`` (an online loss f_t that changes with t), or an array
    whose first axis is t: the stream g_0, g_1, … (each g_t broadcast to the shape of θ), which does
    not depend on θ, e.g. a noisy series whose running average momentum's velocity computes.
    ``bounds = (lo, hi)``: after each step θ is projected onto the box [lo, hi] (the feasible set
    of online convex optimisation). ``x0`` has the shape of θ, batch axes included.
    """
    steps = _validate.positive_int("steps", steps)
    x = np.array(_validate.finite("x0", np.asarray(x0, dtype=float)))
    if bounds is not None:
        lo, hi = (float(b) for b in bounds)
        if not lo < hi:
            raise ValueError(f"bounds must be (lo, hi) with lo < hi, got {bounds!r}")
    if not callable(grad):
        stream = _validate.finite("grad", np.asarray(grad, dtype=float))
        if stream.ndim == 0 or stream.shape[0] < steps:
            raise ValueError(f"grad must hold at least steps = {steps} gradients on its first axis, got shape {stream.shape}")
    state = optimizer.init(x)
    params, states = [x], [state]
    for t in range(steps):
        g = grad(t, x) if callable(grad) else np.broadcast_to(stream[t], x.shape)
        x, state = optimizer.step(x, np.broadcast_to(g, x.shape), state)
        if bounds is not None:
            x = np.clip(x, lo, hi)
        params.append(x)
        states.append(state)
    stacked = type(state)(*(np.stack([np.asarray(v) for v in field]) for field in zip(*states)))
    return Unrolled(np.stack(params), stacked)


# --------------------------------------------------------------------------- a bowl with ripples


@dataclass(frozen=True, eq=False, kw_only=True)
class Bumpy(Objective):
    """A bowl with ripples  f(x) = ½x² + a·(1 − cos(kx))  (1-D).

    f′(x) = x + a·k·sin(kx),  f″(x) = 1 + a·k²·cos(kx). Global minimum 0 at x = 0. Where a·k² > 1
    the ripples add local minima near the multiples of 2π/k (while |x| < a·k): with a = 1, k = 4
    near ±1.48 and ±2.94. Plain descent from the start 4.5 stops in the first of them it meets;
    momentum can carry enough speed to roll over the bumps into the bowl's bottom.
    """

    a: float = 1.0
    k: float = 4.0
    name: str = "bumpy"
    formula: str = "½x² + a(1 − cos kx)"
    start: np.ndarray = (4.5,)
    bounds: tuple[tuple[float, float], ...] = ((-5.0, 5.0),)

    minima: ClassVar[np.ndarray] = np.zeros((1, 1))
    f_min: ClassVar[float] = 0.0

    def __post_init__(self) -> None:
        _validate.positive("a", self.a)
        _validate.positive("k", self.k)
        super().__post_init__()

    def _f(self, x):
        x = x[..., 0]
        return 0.5 * x**2 + self.a * (1 - np.cos(self.k * x))

    def _grad(self, x):
        return x + self.a * self.k * np.sin(self.k * x)

    def _hessian(self, x):
        return (1 + self.a * self.k**2 * np.cos(self.k * x))[..., None]


bumpy = Bumpy()


# --------------------------------------------------------------------------- models as objectives


@dataclass(frozen=True, eq=False)
class ModelObjective:
    """A model on a fixed data set as an objective of θ: J(θ) = model.loss(θ, X, y) (the full-batch
    cost), ∇J(θ) = model.grad(θ, X, y). θ of shape (..., P) is a batch of parameter vectors."""

    model: Any
    X: np.ndarray
    y: np.ndarray
    name: str = "model"

    def __call__(self, theta: Any) -> np.ndarray:
        return self.model.loss(theta, self.X, self.y)

    def grad(self, theta: Any) -> np.ndarray:
        return self.model.grad(theta, self.X, self.y)


# --------------------------------------------------------------------------- the bake-off


class Problem(NamedTuple):
    """One course of the bake-off: at most ``steps`` steps from ``x0`` on ``objective``. A run
    *reaches* the target at the first step k from which f(x_j) <= ``target`` for every j >= k up to
    the end of the budget (passing through is not reaching). The target is f_min + a tolerance, or
    for the saddle a loss below the saddle's: the run escaped."""

    name: str
    objective: Any
    x0: np.ndarray
    target: float
    steps: int


def kernels() -> dict[str, Callable[[np.ndarray], Optimizer]]:
    """Every kernel of ``OPTIMIZERS`` as ``make(lr)`` with its default hyper-parameters but α.

    HypergradientSGD learns one α per run (``param_ndim=1``), so a column of K learning rates
    is K independent runs.
    """
    makers: dict[str, Callable[[np.ndarray], Optimizer]] = dict(OPTIMIZERS)
    makers["HypergradientSGD"] = lambda lr: HypergradientSGD(lr=lr, param_ndim=1)
    return makers


def bakeoff(
    problems: Iterable[Problem],
    lrs: Iterable[float],
    makers: Mapping[str, Callable[[np.ndarray], Optimizer]] | None = None,
) -> pd.DataFrame:
    """Every kernel on every problem, each over the learning rates ``lrs`` in ONE batched run.

    ``makers``: name → ``make(lr)`` (default ``kernels()``), called with ``lr`` of shape (K, 1).
    One row per (problem, optimizer, lr): ``reached_at`` (the step from which f <= target until the
    end of the problem's budget, NaN if none), ``final_loss`` (f at the run's last point) and ``status`` (how
    ``minimize`` ended the run: max_steps, diverged or converged).
    """
    lrs = np.asarray(list(lrs), dtype=float)
    if lrs.ndim != 1 or lrs.size == 0:
        raise ValueError(f"lrs must be a non-empty 1-D sequence of learning rates, got shape {lrs.shape}")
    _validate.positive("lrs", lrs)
    makers = kernels() if makers is None else makers
    frames = []
    for problem in problems:
        for name, make in makers.items():
            with np.errstate(all="ignore"):  # a diverging run may overflow inside the kernel before minimize freezes it
                run = minimize(problem.objective, problem.x0, make(lrs[:, None]), problem.steps)
            stays = np.logical_and.accumulate((run.losses <= problem.target)[::-1], axis=0)[::-1]
            frames.append(
                pd.DataFrame(
                    {
                        "problem": problem.name,
                        "optimizer": name,
                        "lr": lrs,
                        "reached_at": np.where(stays.any(axis=0), stays.argmax(axis=0), np.nan),
                        "final_loss": run.losses[-1],
                        "status": run.status,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def summarize(table: pd.DataFrame) -> pd.DataFrame:
    """One row per (problem, optimizer) of a ``bakeoff`` table, the kernel at its best α.

    best_lr: the α that reaches the target in the fewest steps (ties: the lower final loss); when
    no α reaches it, the α with the lowest final loss among the runs that did not diverge. steps: steps to the target at best_lr (NaN:
    never). final_loss: at best_lr. lr_low, lr_high: the smallest and largest α that reach the
    target; decades = log10(lr_high / lr_low), the width of that range (0 for a single α).
    """
    keys = ["problem", "optimizer"]
    order = table.assign(diverged=table["status"] == "diverged")
    order = order.sort_values(keys + ["reached_at", "diverged", "final_loss"], na_position="last", kind="stable")
    best = order.groupby(keys, sort=False).head(1).set_index(keys)
    reached = table[table["reached_at"].notna()].groupby(keys)["lr"]
    out = pd.DataFrame(
        {
            "best_lr": best["lr"],
            "steps": best["reached_at"],
            "final_loss": best["final_loss"],
            "lr_low": reached.min(),
            "lr_high": reached.max(),
        }
    )
    out["decades"] = np.log10(out["lr_high"] / out["lr_low"])
    first_seen = table[keys].drop_duplicates()
    return out.reindex(pd.MultiIndex.from_frame(first_seen))
