"""Exercises 08 · Learning-rate schedules: the references (gdcourse's kernels), case generators and known mistakes of
``solutions/08_schedules.ipynb``, the one place to change when an exercise of that notebook changes."""

from __future__ import annotations

import numpy as np

from .. import batching, models, schedules
from ._kit import Case, _column, _n, _u, exercise, mistake

NOTEBOOK = "08_schedules"


def _time_decay(lr0, decay, n):
    return schedules.TimeDecay(lr0, decay)(n)


def _step_lr(lr0, gamma, step_size, n):
    """PyTorch's StepLR, α0·γ^⌊n/r⌋: gdcourse's Staircase."""
    return schedules.Staircase(lr0, gamma, step_size)(n)


def _schedule_cases(rng: np.random.Generator, kind: str) -> list[Case]:
    """Cases for a schedule f(lr0, <hyper...>, n); ``kind`` picks the hyper-parameters."""
    K = int(rng.integers(2, 5))
    lr0 = _u(rng, 0.05, 1.0)
    if kind == "step":
        every = int(rng.integers(3, 7))
        hyper, batch = (_u(rng, 0.2, 0.8), every), (_column(rng, K, 0.2, 0.8), every)
        bad = ((1.5, every), "gamma = 1.5")
        n = np.arange(3 * every + 2)
    else:
        hyper, batch = (_u(rng, 0.05, 0.5),), (_column(rng, K, 0.01, 1.0),)
        bad, n = ((-0.1,), "a negative decay"), np.arange(12)
    return [
        Case("n = 0: the initial rate", (lr0, *hyper, 0)),
        Case(f"n = 0 … {n[-1]}, hyper-parameters {hyper}", (lr0, *hyper, n)),
        Case(f"K = {K} schedules at once: shape ({K}, 1) against n of shape ({len(n)},)", (lr0, *batch, n)),
        Case("a (2, 3) array of steps", (lr0, *hyper, np.array([[0, 7, 30], [1, 2, 1000]]))),
        Case(f"{bad[1]} must raise ValueError", (lr0, *bad[0], n)),
        Case("lr0 = 0 must raise ValueError", (0.0, *hyper, n)),
        Case("a negative step n = -1 must raise ValueError", (lr0, *hyper, -1)),
    ]


def _train_sgd(theta0, X, y, epochs, batch_size, lr0, gamma, step_size, seed=0):
    """Mini-batch SGD on linear regression, one StepLR rate per update t (counted across epochs)."""
    schedule = schedules.Staircase(lr0, gamma, step_size)
    model = models.LinearRegression(np.shape(X)[1])
    theta, t = np.asarray(theta0, dtype=float), 0
    thetas = [theta]
    for epoch in range(epochs):
        for index in batching.epoch_batches(len(y), batch_size, epoch=epoch, seed=seed):
            theta = theta - schedule(t) * model.grad(theta, X[index], y[index])
            t += 1
        thetas.append(theta)
    return np.stack(thetas)


def _train_cases(rng: np.random.Generator) -> list[Case]:
    d, m = int(rng.integers(2, 4)), int(rng.integers(10, 16))
    X = _n(rng, m, d)
    y = X @ _n(rng, d) + 0.1 * _n(rng, m)
    b = int(rng.integers(3, 5))
    b += m % b == 0  # a partial last batch
    seed, lr0, gamma = int(rng.integers(0, 100)), _u(rng, 0.05, 0.2), _u(rng, 0.3, 0.7)
    zero = np.zeros(d + 1)
    return [
        Case(f"m = {m}, batch_size = {b}, 3 epochs, lr0 = {lr0}, gamma = {gamma}, step_size = 4, seed = {seed}",
             (zero, X, y, 3, b, lr0, gamma, 4, seed)),
        Case("a drop every 2 updates: the schedule counts updates across epochs",
             (_n(rng, d + 1), X, y, 2, b, lr0, gamma, 2, seed)),
        Case("batch_size = m: one update per epoch, batch gradient descent", (zero, X, y, 4, m, lr0, gamma, 2, seed)),
        Case("batch_size = 1: stochastic, m updates per epoch", (zero, X, y, 1, 1, 0.05, gamma, m // 2, seed)),
        Case("epochs = 0 returns θ0 alone", (zero, X, y, 0, b, lr0, gamma, 4, seed)),
        Case("another seed shuffles otherwise", (zero, X, y, 2, b, lr0, gamma, 3, seed + 1)),
        Case(f"batch_size = {m + 1} > m must raise ValueError", (zero, X, y, 1, m + 1, lr0, gamma, 4, seed)),
        Case("gamma = 0 must raise ValueError", (zero, X, y, 1, b, lr0, 0.0, 4, seed)),
    ]


# --------------------------------------------------------------------------- known mistakes

MISTAKES = (
    mistake("time_decay", "exponential", "that is exponential decay α0·e^(−d·n); time decay is α0/(1 + d·n)", """
        def time_decay(lr0, decay, n):
            if np.any(np.asarray(lr0) <= 0) or np.any(np.asarray(decay) < 0) or np.any(np.asarray(n) < 0):
                raise ValueError("lr0 > 0, decay >= 0, n >= 0")
            return lr0 * np.exp(-decay * np.asarray(n))
        """),
    mistake("time_decay", "power", "α0/(1 + d)ⁿ decays geometrically; time decay divides by (1 + d·n)", """
        def time_decay(lr0, decay, n):
            if np.any(np.asarray(lr0) <= 0) or np.any(np.asarray(decay) < 0) or np.any(np.asarray(n) < 0):
                raise ValueError("lr0 > 0, decay >= 0, n >= 0")
            return lr0 / (1 + decay) ** np.asarray(n)
        """),
    mistake("time_decay", "off-by-one",
            "off by one step: n counts from 0, so α(0) = α0 (use 1 + d·n, not 1 + d·(n + 1))", """
        def time_decay(lr0, decay, n):
            if np.any(np.asarray(lr0) <= 0) or np.any(np.asarray(decay) < 0) or np.any(np.asarray(n) < 0):
                raise ValueError("lr0 > 0, decay >= 0, n >= 0")
            return lr0 / (1 + decay * (np.asarray(n) + 1))
        """),
    mistake("time_decay", "no-validation", "α0 must be > 0, d >= 0 and n >= 0: raise ValueError otherwise", """
        def time_decay(lr0, decay, n):
            return lr0 / (1 + decay * np.asarray(n))
        """),
    mistake("step_lr", "plus-one", "PyTorch's StepLR drops at n = r, 2r, …: γ^⌊n/r⌋, not γ^⌊(1 + n)/r⌋", """
        def step_lr(lr0, gamma, step_size, n):
            if (np.any(np.asarray(lr0) <= 0) or np.any((np.asarray(gamma) <= 0) | (np.asarray(gamma) > 1))
                    or np.any(np.asarray(step_size) <= 0) or np.any(np.asarray(n) < 0)):
                raise ValueError("bad hyper-parameter")
            return lr0 * gamma ** np.floor((1 + np.asarray(n)) / step_size)
        """),
    mistake("step_lr", "no-floor", "StepLR drops in steps: γ^⌊n/r⌋; without the floor it decays smoothly", """
        def step_lr(lr0, gamma, step_size, n):
            if (np.any(np.asarray(lr0) <= 0) or np.any((np.asarray(gamma) <= 0) | (np.asarray(gamma) > 1))
                    or np.any(np.asarray(step_size) <= 0) or np.any(np.asarray(n) < 0)):
                raise ValueError("bad hyper-parameter")
            return lr0 * gamma ** (np.asarray(n) / step_size)
        """),
    mistake("step_lr", "no-validation", "gamma must be in (0, 1], α0 and r > 0, n >= 0: raise ValueError otherwise", """
        def step_lr(lr0, gamma, step_size, n):
            return lr0 * gamma ** np.floor(np.asarray(n) / step_size)
        """),
    mistake("train_sgd", "lr-per-epoch", "the schedule counts updates t = 0, 1, 2, … across epochs, not epochs", """
        def train_sgd(theta0, X, y, epochs, batch_size, lr0, gamma, step_size, seed=0):
            if not 1 <= batch_size <= len(y) or lr0 <= 0 or not 0 < gamma <= 1 or step_size < 1:
                raise ValueError("bad hyper-parameter")
            theta, t, out = np.asarray(theta0, dtype=float), 0, [np.asarray(theta0, dtype=float)]
            for epoch in range(epochs):
                order = np.random.default_rng((seed, epoch)).permutation(len(y))
                for i in np.array_split(order, range(batch_size, len(y), batch_size)):
                    r = theta[:-1] @ X[i].T + theta[-1] - y[i]
                    g = np.append(r @ X[i], r.sum()) / len(i)
                    theta = theta - lr0 * gamma ** (epoch // step_size) * g
                out.append(theta)
            return np.array(out)
        """),
    mistake("train_sgd", "counter-reset",
            "t counts every update since the start: it does not restart at each epoch", """
        def train_sgd(theta0, X, y, epochs, batch_size, lr0, gamma, step_size, seed=0):
            if not 1 <= batch_size <= len(y) or lr0 <= 0 or not 0 < gamma <= 1 or step_size < 1:
                raise ValueError("bad hyper-parameter")
            theta, t, out = np.asarray(theta0, dtype=float), 0, [np.asarray(theta0, dtype=float)]
            for epoch in range(epochs):
                order = np.random.default_rng((seed, epoch)).permutation(len(y))
                for t, i in enumerate(np.array_split(order, range(batch_size, len(y), batch_size))):
                    r = theta[:-1] @ X[i].T + theta[-1] - y[i]
                    g = np.append(r @ X[i], r.sum()) / len(i)
                    theta = theta - lr0 * gamma ** (t // step_size) * g
                out.append(theta)
            return np.array(out)
        """),
    mistake("train_sgd", "same-shuffle", "every epoch gets a new order: shuffle with default_rng((seed, epoch))", """
        def train_sgd(theta0, X, y, epochs, batch_size, lr0, gamma, step_size, seed=0):
            if not 1 <= batch_size <= len(y) or lr0 <= 0 or not 0 < gamma <= 1 or step_size < 1:
                raise ValueError("bad hyper-parameter")
            theta, t, out = np.asarray(theta0, dtype=float), 0, [np.asarray(theta0, dtype=float)]
            for epoch in range(epochs):
                order = np.random.default_rng(seed).permutation(len(y))
                for i in np.array_split(order, range(batch_size, len(y), batch_size)):
                    r = theta[:-1] @ X[i].T + theta[-1] - y[i]
                    g = np.append(r @ X[i], r.sum()) / len(i)
                    theta = theta - lr0 * gamma ** (t // step_size) * g
                    t += 1
                out.append(theta)
            return np.array(out)
        """),
    mistake("train_sgd", "drop-partial", "the last, smaller batch of an epoch is an update too", """
        def train_sgd(theta0, X, y, epochs, batch_size, lr0, gamma, step_size, seed=0):
            if not 1 <= batch_size <= len(y) or lr0 <= 0 or not 0 < gamma <= 1 or step_size < 1:
                raise ValueError("bad hyper-parameter")
            theta, t, out = np.asarray(theta0, dtype=float), 0, [np.asarray(theta0, dtype=float)]
            for epoch in range(epochs):
                order = np.random.default_rng((seed, epoch)).permutation(len(y))
                for k in range(len(y) // batch_size):
                    i = order[k * batch_size:(k + 1) * batch_size]
                    r = theta[:-1] @ X[i].T + theta[-1] - y[i]
                    g = np.append(r @ X[i], r.sum()) / len(i)
                    theta = theta - lr0 * gamma ** (t // step_size) * g
                    t += 1
                out.append(theta)
            return np.array(out)
        """),
)


EXERCISES = tuple(
    exercise(*entry, notebook=NOTEBOOK, mistakes=MISTAKES)
    for entry in (
        (_time_decay, "lr0 decay n", "lr", lambda rng: _schedule_cases(rng, "time")),
        (_step_lr, "lr0 gamma step_size n", "lr", lambda rng: _schedule_cases(rng, "step")),
        (_train_sgd, "theta0 X y epochs batch_size lr0 gamma step_size seed", "thetas", _train_cases),
    )
)
