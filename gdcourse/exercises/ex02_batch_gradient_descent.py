"""Exercises 02 · Batch gradient descent: the references (gdcourse's kernels), case generators and known mistakes of
``solutions/02_batch_gradient_descent.ipynb``, the one place to change when an exercise of that notebook changes."""

from __future__ import annotations

import numpy as np

from .. import models, optimizers
from ._kit import Case, _column, _n, _sizes, _u, exercise, mistake

NOTEBOOK = "02_batch_gradient_descent"


def _mse_loss(theta, X, y):
    return models.LinearRegression(np.shape(X)[1]).loss(theta, X, y)


def _mse_grad(theta, X, y):
    return models.LinearRegression(np.shape(X)[1]).grad(theta, X, y)


def _regression_cases(rng: np.random.Generator) -> list[Case]:
    d, K, m = _sizes(rng)
    X, y, theta = _n(rng, m, d), _n(rng, m), _n(rng, d + 1)
    w, b = _n(rng, d), _u(rng, -1, 1)
    return [
        Case(f"one run: theta {theta.shape}, X {X.shape}", (theta, X, y)),
        Case(f"K = {K} runs at once: theta ({K}, {d + 1})", (_n(rng, K, d + 1), X, y)),
        Case(f"two leading axes: theta (2, {K}, {d + 1})", (_n(rng, 2, K, d + 1), X, y)),
        Case("a single example (m = 1)", (theta, X[:1], y[:1])),
        Case("a single feature (d = 1)", (_n(rng, 2), X[:, :1], y)),
        Case("a perfect fit: every residual is 0", (np.append(w, b), X, X @ w + b)),
    ]


def _logistic_grad(theta, X, y):
    return models.LogisticRegression(np.shape(X)[1]).grad(theta, X, y)


def _logistic_cases(rng: np.random.Generator) -> list[Case]:
    d, K, m = _sizes(rng)
    X, theta = _n(rng, m, d), _n(rng, d + 1)
    y = (rng.uniform(size=m) < 0.5).astype(float)
    y[:2] = (0.0, 1.0)  # both classes
    far = np.append(np.full(d, 30.0 / d), 0.0)
    return [
        Case(f"one run: theta {theta.shape}, X {X.shape}, labels y in {{0, 1}}", (theta, X, y)),
        Case(f"K = {K} runs at once: theta ({K}, {d + 1})", (_n(rng, K, d + 1), X, y)),
        Case("θ = 0: every a = σ(0) = ½", (np.zeros(d + 1), X, y)),
        Case("large logits z = ±30: a saturates at 0 or 1", (far, np.where(np.arange(m) % 2, -1.0, 1.0)[:, None]
                                                             * np.ones((m, d)), y)),
        Case("a single example (m = 1)", (theta, X[:1], y[:1])),
    ]


def _gd_step(theta, grad, lr=optimizers.GD.lr):
    return optimizers.GD(lr).step(theta, grad, optimizers.GDState(0))[0]


def _gd_step_cases(rng: np.random.Generator) -> list[Case]:
    d, K, _ = _sizes(rng)
    theta, grad, lr = _n(rng, d), _n(rng, d), _u(rng, 0.2, 0.9)
    lrs = _column(rng, K, 0.01, 1.0)
    bad = lrs.copy()
    bad[-1] = -bad[-1]
    return [
        Case("default lr", (theta, grad)),
        Case(f"lr = {lr}", (theta, grad, lr)),
        Case(f"K = {K} runs, lr of shape ({K}, 1)", (_n(rng, K, d), _n(rng, K, d), lrs)),
        Case("a zero gradient does not move", (theta, np.zeros(d), lr)),
        Case("lr = -0.1 must raise ValueError", (theta, grad, -0.1)),
        Case("lr = 0 must raise ValueError", (theta, grad, 0.0)),
        Case(f"one negative lr among K = {K} runs must raise ValueError", (_n(rng, K, d), _n(rng, K, d), bad)),
    ]


# --------------------------------------------------------------------------- known mistakes

MISTAKES = (
    mistake("mse_loss", "no-half", "your J is twice too large: ℓ = ½(ŷ − y)², did you forget the ½?", """
        def mse_loss(theta, X, y):
            y_hat = theta[..., :-1] @ X.T + theta[..., -1:]
            return np.mean((y_hat - y) ** 2, axis=-1)
        """),
    mistake("mse_loss", "sum", "J averages over the m examples: (1/m)·Σ, not Σ", """
        def mse_loss(theta, X, y):
            y_hat = theta[..., :-1] @ X.T + theta[..., -1:]
            return np.sum(0.5 * (y_hat - y) ** 2, axis=-1)
        """),
    mistake("mse_loss", "no-bias", "ŷ = Xw + b: the last entry of θ is the bias b, did you leave it out?", """
        def mse_loss(theta, X, y):
            y_hat = theta[..., :-1] @ X.T
            return np.mean(0.5 * (y_hat - y) ** 2, axis=-1)
        """),
    mistake("mse_loss", "mean-all-axes", "np.mean without axis=-1 averages the K runs together: keep one J per run", """
        def mse_loss(theta, X, y):
            y_hat = theta[..., :-1] @ X.T + theta[..., -1:]
            return np.mean(0.5 * (y_hat - y) ** 2)
        """),
    mistake("mse_grad", "no-1/m", "the gradient of J = (1/m)Σℓ is an average: divide by m", """
        def mse_grad(theta, X, y):
            r = theta[..., :-1] @ X.T + theta[..., -1:] - y
            return np.concatenate([r @ X, r.sum(axis=-1, keepdims=True)], axis=-1)
        """),
    mistake("mse_grad", "sign", "your gradient points downhill: the residual is ŷ − y, not y − ŷ", """
        def mse_grad(theta, X, y):
            r = y - (theta[..., :-1] @ X.T + theta[..., -1:])
            m = len(y)
            return np.concatenate([r @ X / m, r.sum(axis=-1, keepdims=True) / m], axis=-1)
        """),
    mistake("mse_grad", "factor-2", "your gradient is twice too large: the ½ in ℓ = ½(ŷ − y)² cancels the 2", """
        def mse_grad(theta, X, y):
            r = theta[..., :-1] @ X.T + theta[..., -1:] - y
            m = len(y)
            return np.concatenate([2 * r @ X / m, 2 * r.sum(axis=-1, keepdims=True) / m], axis=-1)
        """),
    mistake("mse_grad", "no-bias-grad", "∂J/∂b = (1/m)Σ(ŷ − y) is the last entry: it is not 0", """
        def mse_grad(theta, X, y):
            r = theta[..., :-1] @ X.T + theta[..., -1:] - y
            return np.concatenate([r @ X / len(y), np.zeros_like(theta[..., -1:])], axis=-1)
        """),
    mistake("mse_grad", "bias-in-w",
            "the features get ∂J/∂w = (1/m)Σx(ŷ − y); the bias is the LAST entry of θ, not the first", """
        def mse_grad(theta, X, y):
            r = theta[..., 1:] @ X.T + theta[..., :1] - y
            m = len(y)
            return np.concatenate([r.sum(axis=-1, keepdims=True) / m, r @ X / m], axis=-1)
        """),
    mistake("logistic_grad", "linear-residual", "a = σ(z): the residual is σ(Xw + b) − y, not Xw + b − y (that is"
            " linear regression's)", """
        def logistic_grad(theta, X, y):
            r = theta[..., :-1] @ X.T + theta[..., -1:] - y
            return np.concatenate([r @ X, r.sum(axis=-1, keepdims=True)], axis=-1) / len(y)
        """),
    mistake("logistic_grad", "y-minus-a", "∂ℓ/∂z = a − y: your gradient points downhill (y − a)", """
        def logistic_grad(theta, X, y):
            a = 1 / (1 + np.exp(-(theta[..., :-1] @ X.T + theta[..., -1:])))
            r = y - a
            return np.concatenate([r @ X, r.sum(axis=-1, keepdims=True)], axis=-1) / len(y)
        """),
    mistake("logistic_grad", "sigmoid-derivative", "the cross-entropy cancels σ′: ∂ℓ/∂z = a − y, with no extra a(1 − a)"
            " factor", """
        def logistic_grad(theta, X, y):
            a = 1 / (1 + np.exp(-(theta[..., :-1] @ X.T + theta[..., -1:])))
            r = (a - y) * a * (1 - a)
            return np.concatenate([r @ X, r.sum(axis=-1, keepdims=True)], axis=-1) / len(y)
        """),
    mistake("gd_step", "uphill", "your update moves uphill: θ ← θ − α·g, check the sign", """
        def gd_step(theta, grad, lr=0.1):
            if np.any(np.asarray(lr) <= 0):
                raise ValueError(f"lr must be > 0, got {lr}")
            return theta + lr * grad
        """),
    mistake("gd_step", "in-place", "you changed theta in place (theta -= ...): return a new array", """
        def gd_step(theta, grad, lr=0.1):
            if np.any(np.asarray(lr) <= 0):
                raise ValueError(f"lr must be > 0, got {lr}")
            theta -= lr * grad
            return theta
        """),
    mistake("gd_step", "scalar-check", "lr may be an array with one rate per run: check every element (np.any)", """
        def gd_step(theta, grad, lr=0.1):
            if np.ndim(lr) == 0 and lr <= 0:
                raise ValueError(f"lr must be > 0, got {lr}")
            return theta - lr * grad
        """),
    mistake("gd_step", "no-validation", "a learning rate α <= 0 must raise ValueError", """
        def gd_step(theta, grad, lr=0.1):
            return theta - lr * grad
        """),
)


EXERCISES = tuple(
    exercise(*entry, notebook=NOTEBOOK, mistakes=MISTAKES)
    for entry in (
        (_mse_loss, "theta X y", "J", _regression_cases),
        (_mse_grad, "theta X y", "grad", _regression_cases),
        (_logistic_grad, "theta X y", "grad", _logistic_cases),
        (_gd_step, "theta grad lr", "theta", _gd_step_cases),
    )
)
