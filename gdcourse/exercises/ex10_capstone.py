"""Exercises 10 · Capstone: tune the learning rate of two optimizers on held-out data.

The graded function trains logistic regression itself (numpy only, the kernels of exercises 02 and 07) and
returns a configuration, ``("gd" | "adam", lr)``. It is not graded by matching the reference's choice: the
judge trains the chosen configuration with gdcourse's kernels and measures its loss on a split the student
never sees (``Case.hidden``); the configuration passes when that loss is within a threshold of what the
configuration chosen on the validation set reaches.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _validate, models, optimizers
from ._kit import Case, _n, exercise, mistake

NOTEBOOK = "10_capstone"
OPTIMIZERS = ("gd", "adam")
TOLERANCE = (0.02, 0.05)
"""A configuration passes when its hidden loss is at most J_ref + 0.02 + 5 % of J_ref."""


def _train(name: str, lrs: Any, X: np.ndarray, y: np.ndarray, steps: int) -> np.ndarray:
    """θ after ``steps`` full-batch steps from 0, one run per rate (shape (K, d + 1))."""
    lrs = np.asarray(lrs, dtype=float).reshape(-1, 1)
    model = models.LogisticRegression(np.shape(X)[1])
    kernel = optimizers.GD(lrs) if name == "gd" else optimizers.Adam(lrs)
    theta = np.zeros((lrs.shape[0], np.shape(X)[1] + 1))
    state = kernel.init(theta)
    with np.errstate(all="ignore"):
        for _ in range(steps):
            theta, state = kernel.step(theta, model.grad(theta, X, y), state)
    return theta


def _loss(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        J = models.LogisticRegression(np.shape(X)[1]).loss(theta, X, y)
    return np.where(np.isfinite(J), J, np.inf)


def _choose_config(X_train, y_train, X_val, y_val, lrs, steps):
    """The (optimizer, lr) of the grid with the lowest validation loss after ``steps`` steps from θ = 0."""
    _validate.positive_int("steps", steps)
    lrs = np.asarray(lrs, dtype=float)
    if lrs.ndim != 1 or lrs.size == 0:
        raise ValueError(f"lrs must be a non-empty 1-D grid, got shape {lrs.shape}")
    _validate.positive("lrs", lrs)
    val = np.stack([_loss(_train(name, lrs, X_train, y_train, steps), X_val, y_val) for name in OPTIMIZERS])
    i, k = np.unravel_index(np.argmin(val), val.shape)
    return OPTIMIZERS[i], float(lrs[k])


def hidden_loss(case: Case, name: str, lr: float) -> float:
    """The loss on the case's hidden split of the configuration trained on its training split."""
    X_train, y_train, _, _, _, steps = case.args
    X_hidden, y_hidden = case.hidden
    return float(_loss(_train(name, [lr], np.asarray(X_train), np.asarray(y_train), steps), X_hidden, y_hidden)[0])


def accept(case: Case, want: Any, got: Any) -> str | None:
    """None when the student's configuration does well enough on the hidden split, else why not."""
    if not (isinstance(got, (tuple, list)) and len(got) == 2 and isinstance(got[0], str)):
        return "return a pair (optimizer, lr) such as ('adam', 0.01)"
    name, lr = got
    lrs = np.asarray(case.args[4], dtype=float)
    if name not in OPTIMIZERS:
        return f"the optimizer must be 'gd' or 'adam', got {name[:20]!r}"
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not np.any(np.isclose(lrs, lr, rtol=1e-9, atol=0)):
        return f"lr must be one of the grid `lrs`, got {lr!r}"[:200]
    mine, theirs = hidden_loss(case, name, float(lr)), hidden_loss(case, *want)
    threshold = theirs + TOLERANCE[0] + TOLERANCE[1] * theirs
    if mine <= threshold:
        return None
    return (f"({name!r}, {float(lr):.4g}) reaches a loss of {mine:.4f} on the hidden split, above the threshold"
            f" {threshold:.4f}")


def _dataset(rng: np.random.Generator, scales: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels from a logistic model on features of very different scales (what Adam is for)."""
    w = 2 * _n(rng, scales.size)
    X = _n(rng, m, scales.size) * scales
    p = 1 / (1 + np.exp(-((X / scales) @ w - 0.3)))
    return np.round(X, 4), (rng.uniform(size=m) < p).astype(float)


def _capstone_cases(rng: np.random.Generator) -> list[Case]:
    lrs = np.geomspace(1e-3, 10.0, 9)
    cases = []
    for what, scales in (("features scaled 1, 10, 0.1", np.array([1.0, 10.0, 0.1])),
                         ("two standardised features", np.array([1.0, 1.0])),
                         ("features scaled 0.1 and 5", np.array([0.1, 5.0]))):
        X, y = _dataset(rng, scales, 600)
        steps = int(rng.integers(40, 80))
        args = (X[:100], y[:100], X[100:200], y[100:200], lrs, steps)
        cases.append(Case(f"{what}: 100 training, 100 validation rows, {steps} steps", args, hidden=(X[200:], y[200:])))
    X, y = cases[0].args[:2]
    return cases + [
        Case("steps = 0 must raise ValueError", (X, y, X, y, lrs, 0)),
        Case("a rate of 0 in the grid must raise ValueError", (X, y, X, y, np.append(lrs, 0.0), 10)),
    ]


def _best_run(losses, window):
    """The run with the lowest mean loss over its last ``window`` steps; a run with a non-finite loss there is
    the worst (lecture 08 selects this way: one noisy last step does not decide)."""
    losses = np.asarray(losses, dtype=float)
    _validate.positive_int("window", window)
    if window > losses.shape[-1]:
        raise ValueError(f"window must be <= the {losses.shape[-1]} steps recorded, got {window}")
    with np.errstate(all="ignore"):
        tail = np.mean(losses[:, -window:], axis=-1)
    return int(np.argmin(np.where(np.isfinite(tail), tail, np.inf)))


def _best_run_cases(rng: np.random.Generator) -> list[Case]:
    K, T, w = int(rng.integers(3, 6)), int(rng.integers(12, 20)), int(rng.integers(3, 6))
    curves = np.exp(-np.outer(rng.uniform(0.05, 0.3, K), np.arange(T))) + 0.02 * rng.uniform(size=(K, T))
    noisy = curves.copy()
    slow, fast = np.argsort(noisy[:, -w:].mean(axis=1))[[-1, 0]]
    noisy[slow, -1] = noisy[:, -w:].min() / 2  # the worst run's last step is the lowest of all
    diverged = curves.copy()
    diverged[fast, -2:] = (np.inf, np.nan)
    crossing = curves.copy()
    crossing[slow, :w] = 0.001  # lowest at the start, worst at the end
    return [
        Case(f"K = {K} runs of T = {T} steps, window = {w}", (curves, w)),
        Case("the last step alone would pick another run: average the window", (noisy, w)),
        Case("the best run diverged at the end (inf, nan): it is the worst", (diverged, w)),
        Case("a run that starts lowest and ends worst: only the end counts", (crossing, w)),
        Case("window = 1: the last step", (curves, 1)),
        Case(f"window = T = {T}: the whole run", (curves, T)),
        Case("window = 0 must raise ValueError", (curves, 0)),
        Case(f"window = T + 1 = {T + 1} must raise ValueError", (curves, T + 1)),
    ]


_TRAIN = '''
    def loss_and_grad(theta, X, y):
        a = 1 / (1 + np.exp(-(theta[:, :-1] @ X.T + theta[:, -1:])))
        with np.errstate(divide="ignore", invalid="ignore"):
            J = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a), axis=-1)
        r = (a - y) / len(y)
        return J, np.concatenate([r @ X, r.sum(axis=-1, keepdims=True)], axis=-1)

    def train(name, lrs, steps):
        theta = np.zeros((len(lrs), X_train.shape[1] + 1))
        m = v = np.zeros_like(theta)
        for t in range(1, steps + 1):
            g = loss_and_grad(theta, X_train, y_train)[1]
            if name == "gd":
                theta = theta - lrs[:, None] * g
            else:
                m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g**2
                theta = theta - lrs[:, None] * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        return theta
'''


def _capstone_mistake(name: str, diagnosis: str, choose: str) -> Any:
    head = ("def choose_config(X_train, y_train, X_val, y_val, lrs, steps):\n"
            "    if steps < 1 or len(lrs) == 0 or np.any(np.asarray(lrs) <= 0):\n"
            "        raise ValueError('steps >= 1 and a grid of rates > 0')\n"
            "    lrs = np.asarray(lrs, dtype=float)\n")
    return mistake("choose_config", name, diagnosis, head + _TRAIN + choose)


MISTAKES = (
    mistake("best_run", "last-step", "average the last `window` steps: the last step alone is one noisy sample", """
        def best_run(losses, window):
            if not 1 <= window <= np.shape(losses)[-1]:
                raise ValueError("window must be in [1, T]")
            last = np.asarray(losses)[:, -1]
            return int(np.argmin(np.where(np.isfinite(last), last, np.inf)))
        """),
    mistake("best_run", "nan-argmin", "a diverged run's mean is nan: np.argmin returns the first nan; count nan and inf"
            " as the worst loss", """
        def best_run(losses, window):
            if not 1 <= window <= np.shape(losses)[-1]:
                raise ValueError("window must be in [1, T]")
            return int(np.argmin(np.mean(np.asarray(losses)[:, -window:], axis=-1)))
        """),
    mistake("best_run", "first-window", "the window is the LAST `window` steps: losses[:, -window:]", """
        def best_run(losses, window):
            if not 1 <= window <= np.shape(losses)[-1]:
                raise ValueError("window must be in [1, T]")
            head = np.mean(np.asarray(losses)[:, :window], axis=-1)
            return int(np.argmin(np.where(np.isfinite(head), head, np.inf)))
        """),
    _capstone_mistake("gd-only", "tune both optimizers: on badly scaled features Adam's per-coordinate steps reach a"
                      " lower validation loss than any α of plain gradient descent", '''
    with np.errstate(all="ignore"):
        J = loss_and_grad(train("gd", lrs, steps), X_val, y_val)[0]
    J = np.where(np.isfinite(J), J, np.inf)
    return "gd", float(lrs[np.argmin(J)])
'''),
    _capstone_mistake("nan-argmin", "a diverged run's loss is nan: np.argmin returns the first nan; count nan and inf"
                      " as the worst loss (np.where(np.isfinite(J), J, np.inf))", '''
    with np.errstate(all="ignore"):
        J = np.stack([loss_and_grad(train(name, lrs, steps), X_val, y_val)[0] for name in ("gd", "adam")])
    i, k = np.unravel_index(np.argmin(J), J.shape)
    return ("gd", "adam")[i], float(lrs[k])
'''),
    _capstone_mistake("largest-rate", "choose by the validation loss of every (optimizer, α): the largest rate is not"
                      " the best one", '''
    return "adam", float(lrs.max())
'''),
)


EXERCISES = (
    exercise(_best_run, "losses window", "k", _best_run_cases, notebook=NOTEBOOK, mistakes=MISTAKES),
    exercise(_choose_config, "X_train y_train X_val y_val lrs steps", "config", _capstone_cases, notebook=NOTEBOOK,
             mistakes=MISTAKES, accept=accept),
)
