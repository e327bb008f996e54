"""Exercises 03 · Stochastic and mini-batch descent: the references (gdcourse's kernels), case generators and known
mistakes of ``solutions/03_stochastic_minibatch.ipynb``,
the one place to change when an exercise of that notebook changes."""

from __future__ import annotations

import numpy as np

from .. import batching
from ._kit import Case, _n, _sizes, exercise, mistake
from .ex02_batch_gradient_descent import _mse_grad

NOTEBOOK = "03_stochastic_minibatch"


def _n_batches(m, batch_size, drop_last=False):
    return batching.n_batches(m, batch_size, drop_last)


def _n_batches_cases(rng: np.random.Generator) -> list[Case]:
    b = int(rng.integers(2, 6))
    m = b * int(rng.integers(2, 6))
    return [
        Case(f"m = {m + 1}, batch_size = {b}: a partial last batch", (m + 1, b)),
        Case(f"m = {m}, batch_size = {b}: divides exactly", (m, b)),
        Case(f"m = {m + 1}, batch_size = {b}, drop_last=True", (m + 1, b, True)),
        Case(f"m = {m}, batch_size = {b}, drop_last=True", (m, b, True)),
        Case(f"batch_size = m = {m}: batch gradient descent", (m, m)),
        Case(f"batch_size = 1: stochastic, m = {m} iterations", (m, 1)),
        Case(f"batch_size = {m + 1} > m must raise ValueError", (m, m + 1)),
        Case("batch_size = 0 must raise ValueError", (m, 0)),
    ]


def _epoch_batches(m, batch_size, epoch=0, seed=0, drop_last=False):
    return batching.epoch_batches(m, batch_size, epoch=epoch, seed=seed, drop_last=drop_last)


def _epoch_batches_cases(rng: np.random.Generator) -> list[Case]:
    b = int(rng.integers(2, 5))
    m = b * int(rng.integers(2, 5)) + int(rng.integers(1, b))  # never a multiple of b
    seed, epoch = int(rng.integers(0, 1000)), int(rng.integers(2, 9))
    return [
        Case(f"m = {m}, batch_size = {b}, default epoch and seed", (m, b)),
        Case(f"epoch = {epoch}, seed = {seed}: a new order", (m, b, epoch, seed)),
        Case(f"m = {m - m % b} divisible by batch_size = {b}", (m - m % b, b, 1, seed)),
        Case("drop_last=True drops the partial batch", (m, b, epoch, seed, True)),
        Case(f"batch_size = m = {m}: one batch", (m, m, 0, seed)),
        Case("batch_size = 1: one row per batch", (m, 1, 1, seed)),
        Case(f"batch_size = {m + 1} > m must raise ValueError", (m, m + 1)),
    ]


def _minibatch_grad(theta, X, y, index):
    return _mse_grad(theta, np.asarray(X)[index], np.asarray(y)[index])


def _minibatch_grad_cases(rng: np.random.Generator) -> list[Case]:
    d, K, m = _sizes(rng)
    m += 4
    X, y = _n(rng, m, d), _n(rng, m)
    perm = rng.permutation(m)
    return [
        Case(f"a batch of 3 of m = {m} rows", (_n(rng, d + 1), X, y, perm[:3])),
        Case(f"K = {K} runs on one batch", (_n(rng, K, d + 1), X, y, perm[3:7])),
        Case("a batch of one row (stochastic)", (_n(rng, d + 1), X, y, perm[-1:])),
        Case("the whole data set as one batch", (_n(rng, d + 1), X, y, perm)),
    ]


# --------------------------------------------------------------------------- known mistakes

MISTAKES = (
    mistake("n_batches", "floor", "the last partial batch is an iteration too: ⌈m / batch_size⌉ unless drop_last", """
        def n_batches(m, batch_size, drop_last=False):
            if not 1 <= batch_size <= m:
                raise ValueError(f"batch_size must be in [1, {m}], got {batch_size}")
            return m // batch_size
        """),
    mistake("n_batches", "plus-one", "m // batch_size + 1 counts an empty batch when batch_size divides m", """
        def n_batches(m, batch_size, drop_last=False):
            if not 1 <= batch_size <= m:
                raise ValueError(f"batch_size must be in [1, {m}], got {batch_size}")
            return m // batch_size if drop_last else m // batch_size + 1
        """),
    mistake("n_batches", "no-validation", "batch_size must be in [1, m]: raise ValueError otherwise", """
        def n_batches(m, batch_size, drop_last=False):
            return m // batch_size if drop_last else -(-m // batch_size)
        """),
    mistake("epoch_batches", "drop-partial", "the last partial batch is dropped only when drop_last=True", """
        def epoch_batches(m, batch_size, epoch=0, seed=0, drop_last=False):
            if not 1 <= batch_size <= m:
                raise ValueError(f"batch_size must be in [1, {m}], got {batch_size}")
            order = np.random.default_rng((seed, epoch)).permutation(m)
            return [order[i:i + batch_size] for i in range(0, m - batch_size + 1, batch_size)]
        """),
    mistake("epoch_batches", "no-shuffle", "the rows are not shuffled: take them in the order of the permutation", """
        def epoch_batches(m, batch_size, epoch=0, seed=0, drop_last=False):
            if not 1 <= batch_size <= m:
                raise ValueError(f"batch_size must be in [1, {m}], got {batch_size}")
            k = m // batch_size if drop_last else -(-m // batch_size)
            return [np.arange(m)[i * batch_size:(i + 1) * batch_size] for i in range(k)]
        """),
    mistake("epoch_batches", "same-order-every-epoch",
            "every epoch gets the same order: seed the permutation with (seed, epoch)", """
        def epoch_batches(m, batch_size, epoch=0, seed=0, drop_last=False):
            if not 1 <= batch_size <= m:
                raise ValueError(f"batch_size must be in [1, {m}], got {batch_size}")
            order = np.random.default_rng(seed).permutation(m)
            k = m // batch_size if drop_last else -(-m // batch_size)
            return [order[i * batch_size:(i + 1) * batch_size] for i in range(k)]
        """),
    mistake("epoch_batches", "overlap", "consecutive batches overlap: batch i is order[i·b : (i + 1)·b]", """
        def epoch_batches(m, batch_size, epoch=0, seed=0, drop_last=False):
            if not 1 <= batch_size <= m:
                raise ValueError(f"batch_size must be in [1, {m}], got {batch_size}")
            order = np.random.default_rng((seed, epoch)).permutation(m)
            k = m // batch_size if drop_last else -(-m // batch_size)
            return [order[i * batch_size:(i + 1) * batch_size + 1] for i in range(k)]
        """),
    mistake("minibatch_grad", "divide-by-m",
            "a mini-batch gradient averages over the batch: divide by len(index), not m", """
        def minibatch_grad(theta, X, y, index):
            Xb, yb = X[index], y[index]
            r = theta[..., :-1] @ Xb.T + theta[..., -1:] - yb
            m = len(y)
            return np.concatenate([r @ Xb / m, r.sum(axis=-1, keepdims=True) / m], axis=-1)
        """),
    mistake("minibatch_grad", "full-batch", "use only the rows in index: X[index], y[index]", """
        def minibatch_grad(theta, X, y, index):
            r = theta[..., :-1] @ X.T + theta[..., -1:] - y
            m = len(y)
            return np.concatenate([r @ X / m, r.sum(axis=-1, keepdims=True) / m], axis=-1)
        """),
)


EXERCISES = tuple(
    exercise(*entry, notebook=NOTEBOOK, mistakes=MISTAKES)
    for entry in (
        (_n_batches, "m batch_size drop_last", "n", _n_batches_cases),
        (_epoch_batches, "m batch_size epoch seed drop_last", "batches", _epoch_batches_cases),
        (_minibatch_grad, "theta X y index", "grad", _minibatch_grad_cases),
    )
)
