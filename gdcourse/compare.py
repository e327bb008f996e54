"""Comparing kernels (lectures 5–7): the bake-off.

``bakeoff`` runs every kernel on every problem over a learning-rate sweep, ONE batched ``minimize`` call
per (problem, kernel); ``summarize`` keeps each kernel's best α and the width of the range of α that reach
the problem's target loss.

The lectures also reach three helpers through this module, which live where they belong: ``unroll`` (the
textbook loop keeping every state, ``gdcourse.training``), ``bumpy`` (``gdcourse.objectives``) and
``ModelObjective`` (``gdcourse.models``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from . import _validate
from .models import ModelObjective  # noqa: F401 (re-exported: lectures 06-07 call compare.ModelObjective)
from .objectives import Bumpy, bumpy  # noqa: F401 (re-exported: lecture 05 calls compare.bumpy)
from .optimizers import OPTIMIZERS, HypergradientSGD, Optimizer
from .training import Unrolled, minimize, unroll  # noqa: F401 (re-exported: lectures 05-07 call compare.unroll)

__all__ = [
    "Problem",
    "kernels",
    "bakeoff",
    "summarize",
]


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
    no α reaches it, the α with the lowest final loss among the runs that did not diverge. steps:
    steps to the target at best_lr (NaN: never). final_loss: at best_lr. lr_low, lr_high: the
    smallest and largest α that reach the target; decades = log10(lr_high / lr_low), the width of
    that range (0 for a single α).
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
