"""Exercises 05 · Momentum: the references (gdcourse's kernels), case generators and known mistakes of
``solutions/05_momentum.ipynb``, the one place to change when an exercise of that notebook changes."""

from __future__ import annotations

import numpy as np

from .. import optimizers
from ._kit import Case, exercise, mistake, _u, _n, _sizes, _column

NOTEBOOK = "05_momentum"


def _momentum_init(params):
    return optimizers.Momentum().init(params).v


def _momentum_init_cases(rng: np.random.Generator) -> list[Case]:
    d, K, _ = _sizes(rng)
    return [
        Case(f"params of shape ({d},)", (_n(rng, d),)),
        Case(f"K = {K} runs: params ({K}, {d})", (_n(rng, K, d),)),
        Case("a single number", (_u(rng, -2, 2),)),
        Case("integer params still give a float velocity", (np.arange(d),)),
    ]


def _momentum_step(params, grad, v, lr=optimizers.Momentum.lr, beta=optimizers.Momentum.beta):
    new, state = optimizers.Momentum(lr, beta).step(params, grad, optimizers.MomentumState(0, v))
    return new, state.v


def _momentum_step_cases(rng: np.random.Generator) -> list[Case]:
    d, K, _ = _sizes(rng)
    p, g, v = _n(rng, d), _n(rng, d), _n(rng, d)
    lr, beta = _u(rng, 0.05, 0.5), _u(rng, 0.6, 0.95)
    return [
        Case("from rest (v = 0), default lr and beta", (p, g, np.zeros(d))),
        Case(f"v ≠ 0, lr = {lr}, beta = {beta}", (p, g, v, lr, beta)),
        Case("beta = 0 is plain gradient descent", (p, g, v, lr, 0.0)),
        Case(f"K = {K} runs, lr and beta of shape ({K}, 1)",
             (_n(rng, K, d), _n(rng, K, d), _n(rng, K, d), _column(rng, K, 0.01, 0.5), _column(rng, K, 0.6, 0.99))),
        Case("beta = 1 must raise ValueError", (p, g, v, lr, 1.0)),
        Case("beta = -0.1 must raise ValueError", (p, g, v, lr, -0.1)),
        Case("lr = -0.01 must raise ValueError", (p, g, v, -0.01, beta)),
    ]


# --------------------------------------------------------------------------- known mistakes

MISTAKES = (
    mistake("momentum_init", "zeros-like", "np.zeros_like keeps an integer dtype: the velocity must be float zeros", """
        def momentum_init(params):
            return np.zeros_like(params)
        """),
    mistake("momentum_init", "len", "the velocity has the shape of params (all axes), not len(params)", """
        def momentum_init(params):
            return np.zeros(len(params))
        """),
    mistake("momentum_step", "beta-swapped", "β and 1 − β are swapped: V ← β·V + (1 − β)·g", """
        def momentum_step(params, grad, v, lr=0.01, beta=0.9):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr must be > 0 and beta in [0, 1)")
            v = (1 - beta) * v + beta * grad
            return params - lr * v, v
        """),
    mistake("momentum_step", "undamped", "that is the undamped form v ← βv + g: this course averages, V ← βV + (1 − β)g", """
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
    mistake("momentum_step", "lr-inside", "α goes in the step W ← W − αV, not inside the velocity (that is Ruder's form)", """
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
    mistake("momentum_step", "in-place", "you changed v in place (v *= beta): the caller's velocity must stay as it was", """
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
        (_momentum_init, "params", "v", _momentum_init_cases),
        (_momentum_step, "params grad v lr beta", "params v", _momentum_step_cases),
    )
)
