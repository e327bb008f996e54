"""Closed forms on the quadratic f(x) = ½·Σ λᵢ·xᵢ² (lectures 4 and 5).

On a quadratic every coordinate along an eigenvector evolves on its own, so one eigenvalue λ
at a time tells everything: the factor by which the error shrinks per step (the rate), the
learning rates that converge (the stability edge), and the best hyper-parameters.

Every function is vectorized: α (``lr``), β and λ (``lam``) may be arrays that broadcast
together, e.g. ``momentum_rate(alphas[:, None], betas[None, :], 1.0)`` is a whole (α, β) phase
diagram in one call. For a quadratic with several eigenvalues, put them on one axis and pass
``axis=``: the rate of the quadratic is the largest rate over its eigenvalues (the slowest
direction decides), e.g. ``momentum_rate(a[..., None], b[..., None], [mu, L], axis=-1)``.

Momentum here is the heavy-ball form of Distill and d2l (undamped):

    z ← β·z + ∇f(w)
    w ← w − α·z

which is ``gdcourse.ClassicalMomentum`` with η = α (its v is α·z) and torch.optim.SGD with
lr = α. The EMA form of the lecture slides (``gdcourse.Momentum(α_EMA, β)``, V ← βV + (1 − β)g)
is the same iteration with α = α_EMA·(1 − β): pass ``lr=alpha_ema * (1 - beta)``; equivalently
α_EMA = α/(1 − β), and its stability edge reads 0 < α_EMA·λ·(1 − β) < 2 + 2β.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import _validate

__all__ = [
    "Optimum",
    "MomentumOptimum",
    "gd_rate",
    "gd_max_stable_lr",
    "gd_optimal",
    "momentum_rate",
    "momentum_stable",
    "momentum_critical_beta",
    "momentum_optimal",
]


class Optimum(NamedTuple):
    """Best step size of gradient descent and the rate it reaches."""

    lr: Any
    rate: Any


class MomentumOptimum(NamedTuple):
    """Best (α, β) of heavy-ball momentum and the rate it reaches."""

    lr: Any
    beta: Any
    rate: Any


def _worst(rate: np.ndarray, axis: int | None) -> np.ndarray:
    """The rate of a quadratic is the largest over its eigenvalues (on ``axis``), if one is given."""
    return rate if axis is None else np.max(rate, axis=axis)


def _spectrum(mu: Any, L: Any) -> tuple[np.ndarray, np.ndarray]:
    """Check 0 < μ <= L (smallest and largest eigenvalue); return them as float arrays."""
    _validate.positive("mu", mu)
    _validate.positive("L", L)
    _validate.nonnegative("L - mu", np.subtract(L, mu))
    return np.asarray(mu, dtype=np.float64), np.asarray(L, dtype=np.float64)


# ----------------------------------------------------------------------------- gradient descent


def gd_rate(lr: Any, lam: Any, axis: int | None = None) -> np.ndarray:
    """Per-eigenvalue contraction of gradient descent: x ← (1 − αλ)·x, so the rate is |1 − αλ|.

    Converges iff 0 < αλ < 2. With ``axis``, the max over the eigenvalues on that axis.
    """
    _validate.nonnegative("lr", lr)
    lam = _validate.finite("lam", np.asarray(lam, dtype=np.float64))
    return _worst(np.abs(1 - np.asarray(lr, dtype=np.float64) * lam), axis)


def gd_max_stable_lr(L: Any) -> np.ndarray:
    """The stability edge of gradient descent: α < 2/L, with L the largest eigenvalue."""
    _validate.positive("L", L)
    return 2 / np.asarray(L, dtype=np.float64)


def gd_optimal(mu: Any, L: Any) -> Optimum:
    """Best fixed step on eigenvalues in [μ, L]: α* = 2/(μ + L), rate (κ − 1)/(κ + 1) with κ = L/μ.

    α* balances the slowest direction (1 − αμ) against the fastest (αL − 1).
    """
    mu, L = _spectrum(mu, L)
    kappa = L / mu
    return Optimum(lr=2 / (mu + L), rate=(kappa - 1) / (kappa + 1))


# ----------------------------------------------------------------------------- heavy-ball momentum


def momentum_rate(lr: Any, beta: Any, lam: Any, axis: int | None = None) -> np.ndarray:
    """Convergence rate of heavy-ball momentum on one eigenvalue λ (Goh, Distill 2017).

    Per eigen-direction, (z, w) ← R·(z, w) with R = [[β, λ], [−αβ, 1 − αλ]]; the rate is the
    spectral radius of R. Its eigenvalues are the roots of x² − (1 + β − αλ)·x + β = 0:

        T = 1 + β − αλ,  D = T² − 4β
        D >= 0 (real roots):    rate = (|T| + √D)/2
        D <  0 (complex roots): rate = √β   (|x|² = product of the roots = β)

    Distill prints the complex-root rate as 2√β: an erratum, it is √β. Converges iff rate < 1,
    i.e. 0 < αλ < 2 + 2β. With ``axis``, the max over the eigenvalues on that axis.
    """
    _validate.nonnegative("lr", lr)
    _validate.unit_interval("beta", beta)
    lam = _validate.finite("lam", np.asarray(lam, dtype=np.float64))
    beta = np.asarray(beta, dtype=np.float64)
    T = 1 + beta - np.asarray(lr, dtype=np.float64) * lam
    D = T**2 - 4 * beta
    real = (np.abs(T) + np.sqrt(np.maximum(D, 0.0))) / 2
    return _worst(np.where(D >= 0, real, np.sqrt(beta)), axis)


def momentum_stable(lr: Any, beta: Any, lam: Any, axis: int | None = None) -> np.ndarray:
    """Whether heavy-ball momentum converges on λ: 0 < αλ < 2 + 2β (with 0 <= β < 1).

    With ``axis``, whether it converges on every eigenvalue on that axis.
    """
    _validate.nonnegative("lr", lr)
    _validate.unit_interval("beta", beta)
    alpha_lam = np.asarray(lr, dtype=np.float64) * _validate.finite("lam", np.asarray(lam, dtype=np.float64))
    stable = (alpha_lam > 0) & (alpha_lam < 2 + 2 * np.asarray(beta, dtype=np.float64))
    return stable if axis is None else np.all(stable, axis=axis)


def momentum_critical_beta(lr: Any, lam: Any) -> np.ndarray:
    """Critical damping: β = (1 − √(αλ))², where D = 0 and the two roots merge.

    For 0 <= αλ <= 1 the double root is 1 − √(αλ) > 0 (the fastest monotone decrease, rate
    1 − √(αλ)); for 1 < αλ < 4 it is 1 − √(αλ) < 0 (the edge of monotonic oscillations).
    """
    _validate.nonnegative("lr", lr)
    alpha_lam = np.asarray(lr, dtype=np.float64) * np.asarray(lam, dtype=np.float64)
    _validate.in_interval("lr*lam", alpha_lam, 0.0, 4.0, low_closed=True, high_closed=False)
    return (1 - np.sqrt(alpha_lam)) ** 2


def momentum_optimal(mu: Any, L: Any) -> MomentumOptimum:
    """Best heavy-ball pair on eigenvalues in [μ, L] (Polyak 1964; Distill), κ = L/μ:

        α* = (2/(√μ + √L))²,  β* = ((√κ − 1)/(√κ + 1))²,  rate (√κ − 1)/(√κ + 1)

    Gradient descent's (κ − 1)/(κ + 1) becomes (√κ − 1)/(√κ + 1): κ = 100 takes 0.980 to 0.818.
    """
    mu, L = _spectrum(mu, L)
    root_kappa = np.sqrt(L / mu)
    rate = (root_kappa - 1) / (root_kappa + 1)
    return MomentumOptimum(lr=(2 / (np.sqrt(mu) + np.sqrt(L))) ** 2, beta=rate**2, rate=rate)
