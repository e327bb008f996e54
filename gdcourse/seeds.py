"""Mini-batch training over several shuffle seeds in one call: the robustness check behind every ranking.

A ranking of optimizers or schedules measured on one shuffle of the data can flip on the next shuffle.
``train_seeds`` runs the same batched training once per seed, all seeds stacked on a leading axis, so a
lecture prints the median and the spread over seeds and states only what holds across them.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Sequence

import numpy as np
import pandas as pd

from .batching import minibatches
from .training import _keep, _Monitor

__all__ = ["SeedRuns", "train_seeds", "median_spread"]


class SeedRuns(NamedTuple):
    """S seeds of a batched training: θ and the full-data loss J(θ) after every step, and where runs diverged."""

    seeds: np.ndarray  # (S,)
    trajectory: np.ndarray  # (T + 1, S, *runs, P)
    losses: np.ndarray | None  # (T + 1, S, *runs), None when not recorded
    diverged_at: np.ndarray  # (S, *runs): the step at which a run diverged (it stays at the step before), -1: never


def _seeds(seeds: Sequence[int]) -> np.ndarray:
    values = np.asarray(seeds)
    if values.ndim != 1 or values.size == 0 or values.dtype.kind not in "iu" or (values < 0).any():
        raise ValueError(f"seeds must be a non-empty 1-D sequence of integers >= 0, got {seeds!r}")
    if np.unique(values).size != values.size:
        raise ValueError(f"seeds must be distinct, got {values.tolist()}")
    return values


def train_seeds(model: Any, X: Any, y: Any, optimizer: Any, *, seeds: Sequence[int], epochs: int,
                batch_size: int, theta0: Any, record_loss: bool = True, max_loss_ratio: float = 1e6) -> SeedRuns:
    """θ ← step(θ, ∇J_B(θ)) for S shuffle seeds at once, the kernel stepping all of them in one call.

    Seed s draws the batches of ``minibatches(m, batch_size, epochs=epochs, seed=s)``, the batches of
    ``train(..., seed=s)``, so run s is that training. θ0 of shape (P,) with an ``lr`` of shape (K, 1)
    gives K runs per seed, trajectory (T + 1, S, K, P). A run diverges by ``train``'s rule (its monitor): the
    batch loss or gradient at θ_{s−1}, the new θ_s, the kernel's state or J(θ_s) not finite, or a loss above
    max_loss_ratio × max(|J(θ_0)|, 1); it then stays where it was (``diverged_at``). ``record_loss=False``
    skips the full-data loss after every step (the costly part on large data), so J(θ_s) is not checked
    either: a θ_s whose loss explodes is caught by its batch loss at the next step, and the run stays at
    θ_s. Evaluate ``model.loss`` on the steps you need.
    """
    seeds = _seeds(seeds)
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    theta0 = np.asarray(theta0, dtype=float)
    theta = np.array(np.broadcast_to(theta0, (seeds.size,) + optimizer.runs_shape(theta0.shape)))
    state = optimizer.init(theta)
    streams = [minibatches(len(X), batch_size, epochs=epochs, seed=int(s)) for s in seeds]
    loss = model.loss(theta, X, y)
    monitor = _Monitor(loss, max_loss_ratio, None, None)
    trajectory, losses = [theta], [loss] if record_loss else None
    with np.errstate(all="ignore"):
        for step, batches in enumerate(zip(*streams), 1):
            batch_loss = np.stack([model.loss(theta[k], X[b.index], y[b.index]) for k, b in enumerate(batches)])
            grad = np.stack([model.grad(theta[k], X[b.index], y[b.index]) for k, b in enumerate(batches)])
            monitor.diverged(step - 1, batch_loss, theta, grad)
            active = monitor.active.copy()
            new_theta, new_state = optimizer.step(theta, np.where(active[..., None], grad, 0.0), state)
            new_loss = model.loss(new_theta, X, y) if record_loss else np.zeros(monitor.batch)  # 0: not checked
            monitor.diverged(step, new_loss, new_theta, state=new_state)
            ok = active & monitor.active
            theta, state, loss = _keep(ok, new_theta, theta), _keep(ok, new_state, state), _keep(ok, new_loss, loss)
            trajectory.append(theta)
            if record_loss:
                losses.append(loss)
    diverged_at = np.where(monitor.status == "diverged", monitor.stopped_at, -1)
    return SeedRuns(seeds, np.stack(trajectory), None if losses is None else np.stack(losses), diverged_at)


def median_spread(values: Any, index: Sequence[Any], seed_axis: int = 0) -> pd.DataFrame:
    """Median, min and max over the seed axis of ``values``, one row per entry of ``index``."""
    values = np.moveaxis(np.asarray(values, dtype=float), seed_axis, -1)
    if values.shape[:-1] != (len(index),):
        raise ValueError(f"values must hold {len(index)} rows besides the seed axis, got shape {values.shape}")
    return pd.DataFrame({"median": np.median(values, axis=-1), "min": values.min(axis=-1),
                         "max": values.max(axis=-1)}, index=list(index))
