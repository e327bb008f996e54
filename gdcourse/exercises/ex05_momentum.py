"""Exercises 05 · Momentum: the references (gdcourse's kernels), case generators and known mistakes of
``solutions/05_momentum.ipynb``, the one place to change when an exercise of that notebook changes."""

from __future__ import annotations

import numpy as np

from .. import _validate, optimizers
from ._kit import Case, _column, _n, _sizes, _u, exercise, mistake

NOTEBOOK = "05_momentum"


def _ewma(x, beta):
    """Bias-corrected running average of x along axis 0 with the Momentum kernel (its V is the EWMA)."""
    _validate.unit_interval("beta", beta)
    x = np.asarray(x, dtype=float)
    kernel = optimizers.Momentum(1.0, beta)
    state, out = kernel.init(x[0]), []
    for t, value in enumerate(x, start=1):
        _, state = kernel.step(np.zeros_like(value), value, state)
        out.append(state.v / (1 - np.asarray(beta, dtype=float) ** t))
    return np.stack(out)


def _ewma_cases(rng: np.random.Generator) -> list[Case]:
    d, K, T = int(rng.integers(2, 4)), int(rng.integers(2, 4)), int(rng.integers(6, 12))
    beta = _u(rng, 0.6, 0.95)
    level = _u(rng, 1.0, 5.0)
    return [
        Case(f"a noisy sequence of T = {T} numbers, beta = {beta}", (level + _n(rng, T), beta)),
        Case("a constant sequence: the corrected average is that constant from t = 1", (np.full(T, level), beta)),
        Case(f"T = {T} vectors of shape ({d},): one average per component", (_n(rng, T, d), beta)),
        Case(f"K = {K} runs, beta of shape ({K}, 1)", (_n(rng, T, K, d), _column(rng, K, 0.5, 0.95))),
        Case("beta = 0: the average is the latest value", (_n(rng, T), 0.0)),
        Case("beta = 1 must raise ValueError", (_n(rng, T), 1.0)),
    ]


def _momentum_step(params, grad, v, lr=optimizers.Momentum.lr, beta=optimizers.Momentum.beta):
    new, state = optimizers.Momentum(lr, beta).step(params, grad, optimizers.MomentumState(0, v))
    return new, state.v


def _velocity_cases(rng: np.random.Generator, beta: str) -> list[Case]:
    """Shared by momentum (its β is ``beta``) and Nesterov (``momentum``): one step from a velocity v."""
    d, K, _ = _sizes(rng)
    p, g, v = _n(rng, d), _n(rng, d), _n(rng, d)
    lr, b = _u(rng, 0.05, 0.5), _u(rng, 0.6, 0.95)
    return [
        Case(f"from rest (v = 0), default lr and {beta}", (p, g, np.zeros(d))),
        Case(f"v ≠ 0, lr = {lr}, {beta} = {b}", (p, g, v, lr, b)),
        Case(f"{beta} = 0 is plain gradient descent", (p, g, v, lr, 0.0)),
        Case(f"K = {K} runs, lr and {beta} of shape ({K}, 1)",
             (_n(rng, K, d), _n(rng, K, d), _n(rng, K, d), _column(rng, K, 0.01, 0.5), _column(rng, K, 0.6, 0.99))),
        Case(f"{beta} = 1 must raise ValueError", (p, g, v, lr, 1.0)),
        Case(f"{beta} = -0.1 must raise ValueError", (p, g, v, lr, -0.1)),
        Case("lr = -0.01 must raise ValueError", (p, g, v, -0.01, b)),
    ]


def _nesterov_step(params, grad, v, lr=optimizers.Nesterov.lr, momentum=optimizers.Nesterov.momentum):
    new, state = optimizers.Nesterov(lr, momentum).step(params, grad, optimizers.MomentumState(0, v))
    return new, state.v


def _momentum_to_pytorch(lr, beta, inverse=False):
    """(α, β) of the EMA form ↔ torch.optim.SGD's (lr, momentum): the same path when lr = α(1 − β) (Momentum's
    docstring, proven in tests/test_optimizers.py against ClassicalMomentum)."""
    _validate.positive("lr", lr)
    _validate.unit_interval("beta", beta)
    beta = np.asarray(beta, dtype=float)
    scale = 1 / (1 - beta) if inverse else 1 - beta
    out = np.asarray(lr, dtype=float) * scale
    if out.ndim == 0 and beta.ndim == 0:
        return float(out), float(beta)
    return out, np.broadcast_to(beta, out.shape).copy()


def _pytorch_cases(rng: np.random.Generator) -> list[Case]:
    K = int(rng.integers(2, 5))
    lr, beta = _u(rng, 0.01, 1.0), _u(rng, 0.5, 0.99)
    lrs, betas = _column(rng, K, 0.01, 1.0)[:, 0], _column(rng, K, 0.5, 0.99)[:, 0]
    return [
        Case(f"(α, β) = ({lr}, {beta}) to PyTorch", (lr, beta)),
        Case("the slides' defaults (α, β) = (0.01, 0.9): lr = 0.001", (0.01, 0.9)),
        Case(f"PyTorch's (lr, momentum) = ({lr}, {beta}) back to (α, β)", (lr, beta, True)),
        Case("beta = 0: both forms are plain gradient descent", (lr, 0.0)),
        Case(f"K = {K} pairs at once: arrays of shape ({K},)", (lrs, betas)),
        Case(f"K = {K} pairs back from PyTorch", (lrs, betas, True)),
        Case("beta = 1 must raise ValueError", (lr, 1.0)),
        Case("lr = 0 must raise ValueError", (0.0, beta, True)),
    ]


# --------------------------------------------------------------------------- known mistakes

MISTAKES = (
    mistake("ewma", "no-correction", "bias-corrected: divide vₜ by (1 − βᵗ), or the first averages are pulled toward 0",
            """
        def ewma(x, beta):
            if np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("beta must be in [0, 1)")
            v, out = np.zeros_like(np.asarray(x[0], dtype=float)), []
            for value in x:
                v = beta * v + (1 - beta) * value
                out.append(v)
            return np.array(out)
        """),
    mistake("ewma", "t-from-zero", "t counts from 1: the first average vₜ is divided by 1 − β¹, not 1 − β⁰ = 0", """
        def ewma(x, beta):
            if np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("beta must be in [0, 1)")
            v, out = np.zeros_like(np.asarray(x[0], dtype=float)), []
            for t, value in enumerate(x):
                v = beta * v + (1 - beta) * value
                out.append(v / (1 - beta**t))
            return np.array(out)
        """),
    mistake("ewma", "start-at-first", "v₀ = 0, not x₁: start from zero and let the correction remove the bias", """
        def ewma(x, beta):
            if np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("beta must be in [0, 1)")
            v, out = np.asarray(x[0], dtype=float), []
            for value in x:
                v = beta * v + (1 - beta) * value
                out.append(v)
            return np.array(out)
        """),
    mistake("nesterov_step", "heavy-ball", "that is classical momentum (θ − η·v): Nesterov steps by η·(g + γ·v), the"
            " look-ahead", """
        def nesterov_step(params, grad, v, lr=0.01, momentum=0.9):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(momentum) < 0) | (np.asarray(momentum) >= 1)):
                raise ValueError("lr > 0, momentum in [0, 1)")
            v = momentum * v + grad
            return params - lr * v, v
        """),
    mistake("nesterov_step", "no-gradient-term", "Nesterov's step is η·(g + γ·v): the current gradient g is part of it",
            """
        def nesterov_step(params, grad, v, lr=0.01, momentum=0.9):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(momentum) < 0) | (np.asarray(momentum) >= 1)):
                raise ValueError("lr > 0, momentum in [0, 1)")
            v = momentum * v + grad
            return params - lr * momentum * v, v
        """),
    mistake("nesterov_step", "no-validation", "momentum must be in [0, 1) and lr > 0: raise ValueError otherwise", """
        def nesterov_step(params, grad, v, lr=0.01, momentum=0.9):
            v = momentum * v + grad
            return params - lr * (grad + momentum * v), v
        """),
    mistake("momentum_to_pytorch", "same-lr", "the EMA form's V is (1 − β) × PyTorch's buffer: lr = α·(1 − β), not α",
            """
        def momentum_to_pytorch(lr, beta, inverse=False):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr > 0, beta in [0, 1)")
            return lr, beta
        """),
    mistake("momentum_to_pytorch", "one-way", "inverse=True converts back: α = lr/(1 − momentum)", """
        def momentum_to_pytorch(lr, beta, inverse=False):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr > 0, beta in [0, 1)")
            return lr * (1 - beta), beta
        """),
    mistake("momentum_step", "beta-swapped", "β and 1 − β are swapped: V ← β·V + (1 − β)·g", """
        def momentum_step(params, grad, v, lr=0.01, beta=0.9):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr must be > 0 and beta in [0, 1)")
            v = (1 - beta) * v + beta * grad
            return params - lr * v, v
        """),
    mistake("momentum_step", "undamped",
            "that is the undamped form v ← βv + g: this course averages, V ← βV + (1 − β)g", """
        def momentum_step(params, grad, v, lr=0.01, beta=0.9):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr must be > 0 and beta in [0, 1)")
            v = beta * v + grad
            return params - lr * v, v
        """),
    mistake("momentum_step", "old-velocity", "update V first, then step with the NEW V", """
        def momentum_step(params, grad, v, lr=0.01, beta=0.9):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr must be > 0 and beta in [0, 1)")
            new_params = params - lr * v
            return new_params, beta * v + (1 - beta) * grad
        """),
    mistake("momentum_step", "lr-inside",
            "α goes in the step W ← W − αV, not inside the velocity (that is Ruder's form)", """
        def momentum_step(params, grad, v, lr=0.01, beta=0.9):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr must be > 0 and beta in [0, 1)")
            v = beta * v + lr * grad
            return params - v, v
        """),
    mistake("momentum_step", "uphill", "your update moves uphill: W ← W − αV, check the sign", """
        def momentum_step(params, grad, v, lr=0.01, beta=0.9):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr must be > 0 and beta in [0, 1)")
            v = beta * v + (1 - beta) * grad
            return params + lr * v, v
        """),
    mistake("momentum_step", "in-place",
            "you changed v in place (v *= beta): the caller's velocity must stay as it was", """
        def momentum_step(params, grad, v, lr=0.01, beta=0.9):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr must be > 0 and beta in [0, 1)")
            v *= beta
            v += (1 - beta) * grad
            return params - lr * v, v
        """),
    mistake("momentum_step", "no-validation", "β must be in [0, 1) and α > 0: raise ValueError otherwise", """
        def momentum_step(params, grad, v, lr=0.01, beta=0.9):
            v = beta * v + (1 - beta) * grad
            return params - lr * v, v
        """),
)


EXERCISES = tuple(
    exercise(*entry, notebook=NOTEBOOK, mistakes=MISTAKES)
    for entry in (
        (_ewma, "x beta", "v_hat", _ewma_cases),
        (_momentum_step, "params grad v lr beta", "params v", lambda rng: _velocity_cases(rng, "beta")),
        (_nesterov_step, "params grad v lr momentum", "params v", lambda rng: _velocity_cases(rng, "momentum")),
        (_momentum_to_pytorch, "lr beta inverse", "lr momentum", _pytorch_cases),
    )
)
