"""Multi-seed experiments: one setting run over several shuffling seeds, summarised by median and spread.

A sentence that says one setting "wins" rests on such a table, never on one seed. ``median_spread``
summarises a (seeds × settings) table; ``final_losses_over_seeds`` sweeps learning rates over seeds for a
model and a data set; ``TiltedWells`` and ``sgd_over_seeds`` show when mini-batch noise
carries SGD over the barrier of a local minimum, for many seeds and learning rates in one vectorized loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import _validate, seeds
from .batching import epoch_batches
from .optimizers import GD
from .seeds import train_seeds

__all__ = ["median_spread", "final_losses_over_seeds", "TiltedWells", "sgd_over_seeds"]


def median_spread(table: pd.DataFrame) -> pd.DataFrame:
    """One row per column of ``table`` (rows = seeds): the median over seeds, the smallest and the largest
    (``seeds.median_spread`` for a table whose rows are the seeds)."""
    if not isinstance(table, pd.DataFrame) or table.empty:
        raise ValueError(f"table must be a non-empty DataFrame with one row per seed, got {type(table).__name__}")
    return seeds.median_spread(table.to_numpy(dtype=float), table.columns).set_axis(table.columns)


@dataclass(frozen=True)
class TiltedWells:
    """A finite sum whose mini-batch noise can carry SGD over a barrier (1-D).

    ℓ_i(θ) = θ⁴ − 8θ² + (c + x_i)·θ  with  Σᵢ x_i = 0,
    so  J(θ) = (1/m)·Σᵢ ℓ_i(θ) = θ⁴ − 8θ² + c·θ.
    ∇J_B(θ) = 4θ³ − 16θ + c + mean_{i∈B} x_i: the full gradient plus the batch's mean of x, whose spread
    shrinks as the batch grows (zero for the full batch). With c > 0 the left minimum is the deeper one.
    The x_i are ``spread``·N(0, 1) draws from ``seed``, centred.
    """

    tilt: float = 3.0
    spread: float = 10.0
    m: int = 200
    seed: int = 0
    x: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        _validate.positive_int("m", self.m)
        if not (np.isfinite(self.tilt) and 0 < self.tilt < 64 / np.sqrt(27)):  # two minima need |c| < 64/√27
            raise ValueError(f"tilt must be in (0, {64 / np.sqrt(27):.4g}) for two minima, got {self.tilt!r}")
        if not (np.isfinite(self.spread) and self.spread >= 0):
            raise ValueError(f"spread must be >= 0, got {self.spread!r}")
        x = self.spread * np.random.default_rng(self.seed).standard_normal(self.m)
        object.__setattr__(self, "x", x - x.mean())

    def __call__(self, theta: np.ndarray) -> np.ndarray:
        """J(θ) = θ⁴ − 8θ² + c·θ."""
        theta = np.asarray(theta, dtype=float)
        return theta**4 - 8 * theta**2 + self.tilt * theta

    def grad(self, theta: np.ndarray) -> np.ndarray:
        """J′(θ) = 4θ³ − 16θ + c."""
        theta = np.asarray(theta, dtype=float)
        return 4 * theta**3 - 16 * theta + self.tilt

    @property
    def critical_points(self) -> np.ndarray:
        """J′ = 0, increasing: the deeper minimum, the barrier (a maximum), the local minimum."""
        return np.sort(np.roots([4.0, 0.0, -16.0, self.tilt]).real)

    def batch_noise(self, batch_size: int, epochs: int, seed: int) -> np.ndarray:
        """mean_{i∈B} x_i for every step of ``epochs`` shuffled epochs (``batching.epoch_batches``), shape (T,)."""
        _validate.positive_int("epochs", epochs)
        means = []
        for epoch in range(epochs):
            batches = epoch_batches(self.m, batch_size, epoch=epoch, seed=seed)
            sizes = np.array([len(b) for b in batches])
            starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
            means.append(np.add.reduceat(self.x[np.concatenate(batches)], starts) / sizes)
        return np.concatenate(means)


def sgd_over_seeds(wells: TiltedWells, theta0: float, lr, batch_size: int, epochs: int, seeds) -> np.ndarray:
    """Mini-batch SGD θ ← θ − α·∇J_B(θ) on ``wells`` for every seed (rows) and every α of ``lr`` (columns).

    Returns the iterates, shape (T + 1, S, K): T steps of ``epochs`` epochs, S seeds (each its own
    shuffle), K learning rates. One loop over the steps; seeds and rates are numpy axes. Raises
    ValueError naming the step, seed and α of the first run that leaves the finite numbers.
    """
    seeds = np.atleast_1d(np.asarray(seeds))
    lr = np.atleast_1d(np.asarray(lr, dtype=float))
    opt = GD(lr=lr)  # validates α > 0
    noise = np.stack([wells.batch_noise(batch_size, epochs, int(s)) for s in seeds])  # (S, T)
    theta = np.full((len(seeds), len(lr)), float(theta0))
    state, path = opt.init(theta), [theta]
    with np.errstate(all="ignore"):
        for t in range(noise.shape[1]):
            grad = wells.grad(theta) + noise[:, t, None]
            if not np.isfinite(grad).all():
                s, k = np.argwhere(~np.isfinite(grad))[0]
                raise ValueError(f"diverged at step {t}: seed {seeds[s]}, lr {lr[k]:g} (lower lr or spread)")
            theta, state = opt.step(theta, grad, state)
            path.append(theta)
    return np.stack(path)


def final_losses_over_seeds(
    model: Any, X: Any, y: Any, make_optimizer: Callable[[np.ndarray], Any], lrs: Any, *,
    batch_size: int | None, epochs: int, seeds: Iterable[int], theta0: Any,
) -> pd.DataFrame:
    """Final full-data loss J after ``epochs`` of mini-batch training, one row per shuffling seed, one column per α.

    One ``seeds.train_seeds`` call with ``make_optimizer(lrs[:, None])`` (K learning rates as K runs on the same
    batches, all seeds at once); a run that diverged (the rule of ``train``) is NaN.
    """
    lrs = np.asarray(lrs, dtype=float).ravel()
    seeds = [int(seed) for seed in seeds]
    runs = train_seeds(model, X, y, make_optimizer(lrs[:, None]), seeds=seeds, epochs=epochs, batch_size=batch_size,
                       theta0=theta0)
    rows = np.where(runs.diverged_at >= 0, np.nan, runs.losses[-1])
    return pd.DataFrame(rows, index=seeds, columns=lrs).rename_axis(index="seed", columns="α")
