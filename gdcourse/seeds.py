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

__all__ = ["SeedRuns", "train_seeds", "median_spread"]


class SeedRuns(NamedTuple):
    """S seeds of a batched training: θ and the full-data loss J(θ) after every step."""

    seeds: np.ndarray  # (S,)
    trajectory: np.ndarray  # (T + 1, S, *runs, P)
    losses: np.ndarray | None  # (T + 1, S, *runs), None when not recorded


def _seeds(seeds: Sequence[int]) -> np.ndarray:
    values = np.asarray(seeds)
    if values.ndim != 1 or values.size == 0 or values.dtype.kind not in "iu" or (values < 0).any():
        raise ValueError(f"seeds must be a non-empty 1-D sequence of integers >= 0, got {seeds!r}")
    if np.unique(values).size != values.size:
        raise ValueError(f"seeds must be distinct, got {values.tolist()}")
    return values


def train_seeds(model: Any, X: Any, y: Any, optimizer: Any, *, seeds: Sequence[int], epochs: int,
                batch_size: int, theta0: Any, record_loss: bool = True) -> SeedRuns:
    """θ ← step(θ, ∇J_B(θ)) for S shuffle seeds at once, the kernel stepping all of them in one call.

    Seed s draws the batches of ``minibatches(m, batch_size, epochs=epochs, seed=s)``, the batches of
    ``train(..., seed=s)``, so run s is that training. θ0 of shape (P,) with an ``lr`` of shape (K, 1)
    gives K runs per seed, trajectory (T + 1, S, K, P). A run that overflows keeps its inf/nan values.
    ``record_loss=False`` skips the full-data loss after every step (the costly part on large data):
    evaluate ``model.loss`` on the steps you need.
    """
    seeds = _seeds(seeds)
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    theta0 = np.asarray(theta0, dtype=float)
    theta = np.array(np.broadcast_to(theta0, (seeds.size,) + optimizer.runs_shape(theta0.shape)))
    state = optimizer.init(theta)
    streams = [minibatches(len(X), batch_size, epochs=epochs, seed=int(s)) for s in seeds]
    trajectory, losses = [theta], [model.loss(theta, X, y)] if record_loss else None
    with np.errstate(all="ignore"):
        for batches in zip(*streams):
            grad = np.stack([model.grad(theta[k], X[b.index], y[b.index]) for k, b in enumerate(batches)])
            theta, state = optimizer.step(theta, grad, state)
            trajectory.append(theta)
            if record_loss:
                losses.append(model.loss(theta, X, y))
    return SeedRuns(seeds, np.stack(trajectory), None if losses is None else np.stack(losses))


def median_spread(values: Any, index: Sequence[Any], seed_axis: int = 0) -> pd.DataFrame:
    """Median, min and max over the seed axis of ``values``, one row per entry of ``index``."""
    values = np.moveaxis(np.asarray(values, dtype=float), seed_axis, -1)
    if values.shape[:-1] != (len(index),):
        raise ValueError(f"values must hold {len(index)} rows besides the seed axis, got shape {values.shape}")
    return pd.DataFrame({"median": np.median(values, axis=-1), "min": values.min(axis=-1),
                         "max": values.max(axis=-1)}, index=list(index))
