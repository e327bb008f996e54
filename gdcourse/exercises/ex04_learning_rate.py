"""Exercises 04 · The learning rate: the references (gdcourse's kernels), case generators and known mistakes of
``solutions/04_learning_rate.ipynb``, the one place to change when an exercise of that notebook changes."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _validate, optimizers, theory
from ..grading.trusted_functions import TrustedFunction
from ._kit import Case, _n, _sizes, _u, exercise, mistake

NOTEBOOK = "04_learning_rate"


def _eigvalsh(A: Any) -> np.ndarray:
    return np.linalg.eigvalsh(np.asarray(A, dtype=float))


def _max_stable_lr(A):
    return theory.gd_max_stable_lr(_eigvalsh(A)[..., -1])


def _gd_rate(lr, A):
    return theory.gd_rate(np.asarray(lr, dtype=float)[..., None], _eigvalsh(A), axis=-1)


def _optimal_lr(A):
    lam = _eigvalsh(A)
    return tuple(theory.gd_optimal(lam[..., 0], lam[..., -1]))


def _spd(rng: np.random.Generator, d: int, *batch: int) -> np.ndarray:
    """A full symmetric positive definite matrix (QQᵀ + 0.1·I)."""
    Q = _n(rng, *batch, d, d)
    return Q @ np.swapaxes(Q, -1, -2) + 0.1 * np.eye(d)


def _quadratics(rng: np.random.Generator) -> tuple[int, int, np.ndarray, np.ndarray]:
    d, K, _ = _sizes(rng)
    lam = rng.permutation(np.round(rng.uniform(0.5, 5.0, size=d + 1), 2))  # largest not last on the diagonal
    return d, K, np.diag(lam), _spd(rng, d)


def _matrix_cases(rng: np.random.Generator) -> list[Case]:
    """Shared by max_stable_lr and optimal_lr: functions of A alone."""
    d, K, diag, A = _quadratics(rng)
    return [
        Case(f"a diagonal A = diag({np.diag(diag).tolist()})", (diag,)),
        Case(f"a full symmetric positive definite {d}×{d} A", (A,)),
        Case(f"K = {K} matrices at once: A ({K}, {d}, {d})", (_spd(rng, d, K),)),
        Case("a 1×1 matrix", (np.array([[_u(rng, 0.5, 4)]]),)),
        Case("eigenvalues from 0.01 to 100", (np.diag([100.0, 0.01, 1.0]),)),
        Case("A = c·I: κ = 1", (_u(rng, 0.5, 4) * np.eye(d),)),
        Case("a negative definite A must raise ValueError", (-A,)),
    ]


def _gd_rate_cases(rng: np.random.Generator) -> list[Case]:
    d, K, diag, A = _quadratics(rng)
    L = float(np.linalg.eigvalsh(A)[-1])
    return [
        Case("a small lr on a diagonal A", (_u(rng, 0.01, 0.1), diag)),
        Case(f"lr = 1/L on a full {d}×{d} A", (1 / L, A)),
        Case(f"K = {K} learning rates on one A: lr of shape ({K},)", (np.round(rng.uniform(0.01, 3 / L, K), 4), A)),
        Case(f"one lr on K = {K} matrices: A ({K}, {d}, {d})", (0.05, _spd(rng, d, K))),
        Case("lr = 3/L: too large, rate > 1", (3 / L, A)),
        Case("lr = 0: rate 1, nothing moves", (0.0, A)),
        Case("lr = -0.1 must raise ValueError", (-0.1, A)),
    ]


# --------------------------------------------------------------------------- known mistakes

def _lr_range_test(loss, grad, theta0, lrs, steps):
    """The largest α of the grid whose loss after ``steps`` GD steps (all α in one batched run) is below J(θ0)."""
    _validate.positive_int("steps", steps)
    lrs = np.asarray(lrs, dtype=float)
    kernel = optimizers.GD(lrs[:, None])
    theta = np.broadcast_to(np.asarray(theta0, dtype=float), (lrs.size, np.size(theta0))).copy()
    state = kernel.init(theta)
    for _ in range(steps):
        theta, state = kernel.step(theta, grad(theta), state)
    with np.errstate(all="ignore"):
        better = loss(theta) < loss(np.asarray(theta0, dtype=float))
    return float(lrs[better].max()) if better.any() else 0.0


def _range_cases(rng: np.random.Generator) -> list[Case]:
    d = int(rng.integers(2, 4))
    lam, b = np.round(rng.uniform(0.5, 4.0, d), 2), np.round(_n(rng, d), 2)

    def bowl(lam: np.ndarray, b: np.ndarray) -> tuple:
        A = np.diag(lam)
        return TrustedFunction("quadratic_loss", A=A, b=b), TrustedFunction("quadratic_grad", A=A, b=b)

    K, steps = int(rng.integers(12, 20)), int(rng.integers(10, 30))
    grid = np.geomspace(1e-3, 10.0, K)
    ravine = bowl(np.array([0.02, 1.0]), np.zeros(2))
    return [
        Case(f"a {d}-d bowl, {K} rates on a log grid 1e-3 … 10, {steps} steps",
             (*bowl(lam, b), _n(rng, d), grid, steps)),
        Case("lecture 04's ravine κ = 50, A = diag(0.02, 1), from (−5, −2)",
             (*ravine, np.array([-5.0, -2.0]), np.geomspace(0.01, 5.0, K), steps)),
        Case("a single step (steps = 1)", (*bowl(lam, b), _n(rng, d), grid, 1)),
        Case("a rate above 2/L helps for one step, not for 30: the slow coordinate dominates the start",
             (*bowl(np.array([1.0, 0.1]), np.zeros(2)), np.array([0.01, 10.0]) * _u(rng, 0.5, 2), grid, 30)),
        Case("every rate is too large: no α decreases the loss, 0.0",
             (*bowl(lam, b), _n(rng, d), np.geomspace(2.5 / lam.min(), 100.0, K), 5)),
        Case("θ0 is the minimum: the loss cannot decrease (strictly), 0.0", (*bowl(lam, b), b, grid, steps)),
        Case("a negative rate on the grid must raise ValueError", (*bowl(lam, b), _n(rng, d), -grid, steps)),
        Case("steps = 0 must raise ValueError", (*bowl(lam, b), _n(rng, d), grid, 0)),
    ]


MISTAKES = (
    mistake("max_stable_lr", "one-over-L", "the stability edge is α < 2/L, not 1/L (1/L is only the safe side)", """
        def max_stable_lr(A):
            L = np.linalg.eigvalsh(A)[..., -1]
            if np.any(L <= 0):
                raise ValueError("A must be positive definite")
            return 1 / L
        """),
    mistake("max_stable_lr", "smallest-eigenvalue",
            "the largest eigenvalue L decides stability: eigvalsh sorts ascending, take [..., -1]", """
        def max_stable_lr(A):
            lam = np.linalg.eigvalsh(A)
            if np.any(lam[..., -1] <= 0):
                raise ValueError("A must be positive definite")
            return 2 / lam[..., 0]
        """),
    mistake("max_stable_lr", "diagonal",
            "L is the largest eigenvalue, not the largest entry of A (they agree only for diagonal A)", """
        def max_stable_lr(A):
            L = np.max(np.abs(A), axis=(-2, -1))
            if np.any(np.linalg.eigvalsh(A)[..., -1] <= 0):
                raise ValueError("A must be positive definite")
            return 2 / L
        """),
    mistake("max_stable_lr", "no-validation",
            "a matrix with no positive eigenvalue has no stable α: raise ValueError", """
        def max_stable_lr(A):
            return 2 / np.linalg.eigvalsh(A)[..., -1]
        """),
    mistake("gd_rate", "no-abs", "the rate is |1 − αλ|: a step that overshoots (1 − αλ < 0) also counts", """
        def gd_rate(lr, A):
            if np.any(np.asarray(lr) < 0):
                raise ValueError(f"lr must be >= 0, got {lr}")
            lam = np.linalg.eigvalsh(A)
            return np.max(1 - np.asarray(lr)[..., None] * lam, axis=-1)
        """),
    mistake("gd_rate", "only-L",
            "the rate is the max of |1 − αλ| over ALL eigenvalues: the smallest λ is often the slowest", """
        def gd_rate(lr, A):
            if np.any(np.asarray(lr) < 0):
                raise ValueError(f"lr must be >= 0, got {lr}")
            L = np.linalg.eigvalsh(A)[..., -1]
            return np.abs(1 - np.asarray(lr) * L)
        """),
    mistake("gd_rate", "no-validation", "a negative learning rate must raise ValueError", """
        def gd_rate(lr, A):
            lam = np.linalg.eigvalsh(A)
            return np.max(np.abs(1 - np.asarray(lr)[..., None] * lam), axis=-1)
        """),
    mistake("optimal_lr", "edge", "2/L is the stability edge, not the best step: α* = 2/(μ + L)", """
        def optimal_lr(A):
            lam = np.linalg.eigvalsh(A)
            mu, L = lam[..., 0], lam[..., -1]
            if np.any(mu <= 0):
                raise ValueError("A must be positive definite")
            return 2 / L, (L / mu - 1) / (L / mu + 1)
        """),
    mistake("optimal_lr", "no-two", "α* = 2/(μ + L): did you forget the 2?", """
        def optimal_lr(A):
            lam = np.linalg.eigvalsh(A)
            mu, L = lam[..., 0], lam[..., -1]
            if np.any(mu <= 0):
                raise ValueError("A must be positive definite")
            return 1 / (mu + L), (L / mu - 1) / (L / mu + 1)
        """),
    mistake("optimal_lr", "sqrt-kappa",
            "(√κ − 1)/(√κ + 1) is momentum's rate; gradient descent reaches (κ − 1)/(κ + 1)", """
        def optimal_lr(A):
            lam = np.linalg.eigvalsh(A)
            mu, L = lam[..., 0], lam[..., -1]
            if np.any(mu <= 0):
                raise ValueError("A must be positive definite")
            k = np.sqrt(L / mu)
            return 2 / (mu + L), (k - 1) / (k + 1)
        """),
    mistake("optimal_lr", "no-validation",
            "without a positive smallest eigenvalue there is no optimum: raise ValueError", """
        def optimal_lr(A):
            lam = np.linalg.eigvalsh(A)
            mu, L = lam[..., 0], lam[..., -1]
            return 2 / (mu + L), (L / mu - 1) / (L / mu + 1)
        """),
    mistake("lr_range_test", "lowest-loss", "the range test returns the LARGEST α whose loss still decreases, not the α"
            " with the lowest loss", """
        def lr_range_test(loss, grad, theta0, lrs, steps):
            if np.any(np.asarray(lrs) <= 0) or steps < 1:
                raise ValueError("lrs > 0, steps >= 1")
            theta = np.tile(theta0, (len(lrs), 1)).astype(float)
            for _ in range(steps):
                theta = theta - lrs[:, None] * grad(theta)
            J = loss(theta)
            J = np.where(np.isfinite(J), J, np.inf)
            return float(lrs[np.argmin(J)]) if np.any(J < loss(theta0)) else 0.0
        """),
    mistake("lr_range_test", "not-strict", "a rate that leaves the loss where it was does not decrease it: J < J(θ0),"
            " strictly", """
        def lr_range_test(loss, grad, theta0, lrs, steps):
            if np.any(np.asarray(lrs) <= 0) or steps < 1:
                raise ValueError("lrs > 0, steps >= 1")
            theta = np.tile(theta0, (len(lrs), 1)).astype(float)
            for _ in range(steps):
                theta = theta - lrs[:, None] * grad(theta)
            ok = loss(theta) <= loss(theta0)
            return float(lrs[ok].max()) if ok.any() else 0.0
        """),
    mistake("lr_range_test", "one-step", "run every rate for `steps` steps, not one", """
        def lr_range_test(loss, grad, theta0, lrs, steps):
            if np.any(np.asarray(lrs) <= 0) or steps < 1:
                raise ValueError("lrs > 0, steps >= 1")
            theta = np.tile(theta0, (len(lrs), 1)).astype(float)
            theta = theta - lrs[:, None] * grad(theta)
            ok = loss(theta) < loss(theta0)
            return float(lrs[ok].max()) if ok.any() else 0.0
        """),
    mistake("lr_range_test", "no-validation", "every rate must be > 0 and steps >= 1: raise ValueError otherwise", """
        def lr_range_test(loss, grad, theta0, lrs, steps):
            theta = np.tile(theta0, (len(lrs), 1)).astype(float)
            for _ in range(steps):
                theta = theta - lrs[:, None] * grad(theta)
            ok = loss(theta) < loss(theta0)
            return float(lrs[ok].max()) if ok.any() else 0.0
        """),
)


EXERCISES = tuple(
    exercise(*entry, notebook=NOTEBOOK, mistakes=MISTAKES)
    for entry in (
        (_max_stable_lr, "A", "lr_max", _matrix_cases),
        (_gd_rate, "lr A", "rate", _gd_rate_cases),
        (_optimal_lr, "A", "lr rate", _matrix_cases),
        (_lr_range_test, "loss grad theta0 lrs steps", "lr", _range_cases),
    )
)
