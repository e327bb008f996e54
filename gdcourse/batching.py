"""Batch, stochastic and mini-batch index iterators, counting epochs and iterations as the lectures do.

An *epoch* is one pass over the m examples; it is cut into ``n_batches(m, batch_size)`` *iterations*
(one gradient step each): ⌈m / batch_size⌉ of them, the last one smaller when batch_size does not divide
m, or ⌊m / batch_size⌋ with ``drop_last=True``. batch_size = m is batch gradient descent (one step per
epoch), batch_size = 1 is stochastic gradient descent (m steps per epoch).

Epoch k is shuffled by a permutation drawn from ``np.random.default_rng((seed, k))``: its order depends
only on the seed and k, never on how many epochs were drawn before. Counters start at 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from . import _validate

__all__ = ["Batch", "n_batches", "epoch_batches", "minibatches", "full_batches", "stochastic_batches"]


class Batch(NamedTuple):
    """One iteration: its epoch, its iteration within the epoch, the global step, the row indices."""

    epoch: int
    iteration: int
    step: int
    index: np.ndarray


def _check(n_examples: int, batch_size: int) -> tuple[int, int]:
    n_examples = _validate.positive_int("n_examples", n_examples)
    batch_size = _validate.positive_int("batch_size", batch_size)
    if batch_size > n_examples:
        raise ValueError(f"batch_size must be in [1, n_examples] = [1, {n_examples}], got {batch_size}")
    return n_examples, batch_size


def _index(name: str, value: int) -> int:
    """An epoch number or a seed: an integer >= 0."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
    return int(value)


def n_batches(n_examples: int, batch_size: int, drop_last: bool = False) -> int:
    """Iterations per epoch: ⌈m / batch_size⌉, or ⌊m / batch_size⌋ when the last partial batch is dropped."""
    n_examples, batch_size = _check(n_examples, batch_size)
    return n_examples // batch_size if drop_last else -(-n_examples // batch_size)


def epoch_batches(
    n_examples: int,
    batch_size: int,
    *,
    epoch: int = 0,
    seed: int = 0,
    shuffle: bool = True,
    drop_last: bool = False,
) -> list[np.ndarray]:
    """The index arrays of one epoch's mini-batches, in order (shuffled by ``default_rng((seed, epoch))``)."""
    n_examples, batch_size = _check(n_examples, batch_size)
    epoch, seed = _index("epoch", epoch), _index("seed", seed)
    order = np.random.default_rng((seed, epoch)).permutation(n_examples) if shuffle else np.arange(n_examples)
    k = n_batches(n_examples, batch_size, drop_last)
    return [order[i * batch_size : (i + 1) * batch_size] for i in range(k)]


def minibatches(
    n_examples: int,
    batch_size: int,
    *,
    epochs: int,
    seed: int = 0,
    shuffle: bool = True,
    drop_last: bool = False,
) -> Iterator[Batch]:
    """Yield ``Batch(epoch, iteration, step, index)`` for ``epochs`` passes over ``n_examples`` rows.

    step = epoch · n_batches + iteration. Arguments are checked here, before the first batch is drawn.
    """
    n_examples, batch_size = _check(n_examples, batch_size)
    epochs = _validate.positive_int("epochs", epochs)
    _index("seed", seed)
    return _batches(n_examples, batch_size, epochs, seed, shuffle, drop_last)


def _batches(
    n_examples: int, batch_size: int, epochs: int, seed: int, shuffle: bool, drop_last: bool
) -> Iterator[Batch]:
    per_epoch = n_batches(n_examples, batch_size, drop_last)
    for epoch in range(epochs):
        batches = epoch_batches(n_examples, batch_size, epoch=epoch, seed=seed, shuffle=shuffle, drop_last=drop_last)
        for iteration, index in enumerate(batches):
            yield Batch(epoch, iteration, epoch * per_epoch + iteration, index)


def full_batches(n_examples: int, *, epochs: int) -> Iterator[Batch]:
    """Batch gradient descent: one batch of all rows, in order, per epoch."""
    return minibatches(n_examples, n_examples, epochs=epochs, shuffle=False)


def stochastic_batches(n_examples: int, *, epochs: int, seed: int = 0) -> Iterator[Batch]:
    """Stochastic gradient descent: one row per iteration, m iterations per epoch, reshuffled each epoch."""
    return minibatches(n_examples, 1, epochs=epochs, seed=seed)
