"""Exercises 01 · Gradient descent: the references (gdcourse's kernels), case generators and known mistakes of
``solutions/01_gradient_descent.ipynb``, the one place to change when an exercise of that notebook changes."""

from __future__ import annotations

import numpy as np

from .. import _validate, optimizers
from ..grading.trusted_functions import TrustedFunction
from ._kit import Case, _n, _u, exercise, mistake

NOTEBOOK = "01_gradient_descent"


def _gradient_descent(grad, theta0, lr, steps, tol=0.0):
    """Lecture 01's loop on gdcourse's GD kernel: θ_{k+1} = θ_k − α f′(θ_k), stopping after a move < tol."""
    _validate.nonnegative("steps", steps)
    _validate.nonnegative("tol", tol)
    kernel = optimizers.GD(lr)
    theta = np.asarray(theta0, dtype=float)
    state, iterates = kernel.init(theta), [theta]
    for _ in range(int(steps)):
        theta, state = kernel.step(theta, grad(theta), state)
        iterates.append(theta)
        if np.max(np.abs(iterates[-1] - iterates[-2])) < tol:
            break
    return np.stack(iterates)


def _descent_cases(rng: np.random.Generator) -> list[Case]:
    d = int(rng.integers(2, 4))
    a, c = _u(rng, 1.0, 3.0), _u(rng, -1, 1)
    parabola = TrustedFunction("polynomial_derivative", coeffs=[a, -2 * a * c, 0.0])  # f = a(θ − c)² + const
    quartic = TrustedFunction("polynomial_derivative", coeffs=[1.0, 0.0, -8.0, 0.0, 0.0])  # θ⁴ − 8θ²
    A, b = np.diag(np.round(rng.uniform(0.5, 4.0, d), 2)), np.round(_n(rng, d), 2)
    bowl = TrustedFunction("quadratic_grad", A=A, b=b)
    lr, start, steps = _u(rng, 0.05, 0.2), _u(rng, 1.5, 3.0), int(rng.integers(8, 15))
    return [
        Case(f"a parabola f(θ) = {a}(θ {'−' if c >= 0 else '+'} {abs(c)})², θ0 = {start}, lr = {lr}, {steps} steps",
             (parabola, start, lr, steps)),
        Case(f"a {d}-d bowl ½(θ − b)ᵀA(θ − b), θ0 of shape ({d},)", (bowl, _n(rng, d), lr, steps)),
        Case("the tolerance stops the loop early: the last move is < tol", (bowl, _n(rng, d), 0.2, 200, 1e-3)),
        Case("θ⁴ − 8θ² from θ0 = 0.5: descent finds the minimum at 2", (quartic, 0.5, 0.01, 30)),
        Case("an integer θ0 = 3 still gives float iterates", (parabola, 3, lr, 5)),
        Case("steps = 0 returns θ0 alone (one row)", (bowl, _n(rng, d), lr, 0)),
        Case("a step too large diverges: the iterates grow", (parabola, start, 1.5 / a, 6)),
        Case("lr = 0 must raise ValueError", (parabola, start, 0.0, steps)),
        Case("steps = -1 must raise ValueError", (parabola, start, lr, -1)),
        Case("tol = -0.001 must raise ValueError", (parabola, start, lr, steps, -0.001)),
    ]


def _first_within(iterates, target, tol):
    """The first k with max |θ_k − θ*| ≤ tol (−1 when none), read off gdcourse's iterates."""
    _validate.nonnegative("tol", tol)
    gap = np.abs(np.asarray(iterates, dtype=float) - np.asarray(target, dtype=float))
    close = np.all(gap.reshape(gap.shape[0], -1) <= tol, axis=-1)
    return int(np.argmax(close)) if close.any() else -1


def _first_within_cases(rng: np.random.Generator) -> list[Case]:
    d = int(rng.integers(2, 4))
    A, b = np.diag(np.round(rng.uniform(0.5, 2.0, d), 2)), np.round(_n(rng, d), 2)
    path = _gradient_descent(TrustedFunction("quadratic_grad", A=A, b=b), _n(rng, d), 0.5, 40)
    scalar = _gradient_descent(TrustedFunction("polynomial_derivative", coeffs=[1.0, -2.0, 0.0]), 3.0, 0.2, 20)
    k = int(rng.integers(3, 8))
    exact = path.copy()
    exact[k:] = b  # reaches θ* exactly at k
    return [
        Case(f"iterates of a {d}-d descent, tol = 0.01", (path, b, 0.01)),
        Case("one-dimensional iterates (a scalar θ)", (scalar, 1.0, 0.001)),
        Case("tol so small that no iterate is within it: −1, not 0", (path, b, 1e-12)),
        Case(f"the target is reached exactly at k = {k}: |θ_k − θ*| ≤ tol counts, tol = 0", (exact, b, 0.0)),
        Case("θ0 is already within tol: k = 0", (path, path[0], 0.5)),
        Case("tol = -1 must raise ValueError", (path, b, -1.0)),
    ]


MISTAKES = (
    mistake("gradient_descent", "no-theta0", "the iterates start with θ0: return θ0, θ1, …, θn (n + 1 rows)", """
        def gradient_descent(grad, theta0, lr, steps, tol=0.0):
            if lr <= 0 or steps < 0 or tol < 0:
                raise ValueError("lr > 0, steps >= 0, tol >= 0")
            theta, out = np.asarray(theta0, dtype=float), []
            for _ in range(steps):
                new = theta - lr * grad(theta)
                out.append(new)
                done = np.max(np.abs(new - theta)) < tol
                theta = new
                if done:
                    break
            return np.array(out)
        """),
    mistake("gradient_descent", "uphill", "descent moves against the derivative: θ ← θ − α·f′(θ), not θ + α·f′(θ)", """
        def gradient_descent(grad, theta0, lr, steps, tol=0.0):
            if lr <= 0 or steps < 0 or tol < 0:
                raise ValueError("lr > 0, steps >= 0, tol >= 0")
            out = [np.asarray(theta0, dtype=float)]
            for _ in range(steps):
                out.append(out[-1] + lr * grad(out[-1]))
                if np.max(np.abs(out[-1] - out[-2])) < tol:
                    break
            return np.array(out)
        """),
    mistake("gradient_descent", "tol-on-gradient", "the tolerance is on the move |θₖ₊₁ − θₖ| = α·|f′(θₖ)|, not on"
            " |f′(θₖ)|", """
        def gradient_descent(grad, theta0, lr, steps, tol=0.0):
            if lr <= 0 or steps < 0 or tol < 0:
                raise ValueError("lr > 0, steps >= 0, tol >= 0")
            out = [np.asarray(theta0, dtype=float)]
            for _ in range(steps):
                g = grad(out[-1])
                out.append(out[-1] - lr * g)
                if np.max(np.abs(g)) < tol:
                    break
            return np.array(out)
        """),
    mistake("gradient_descent", "stop-before-update", "stop AFTER the update whose move is < tol: that last iterate is"
            " returned too", """
        def gradient_descent(grad, theta0, lr, steps, tol=0.0):
            if lr <= 0 or steps < 0 or tol < 0:
                raise ValueError("lr > 0, steps >= 0, tol >= 0")
            out = [np.asarray(theta0, dtype=float)]
            for _ in range(steps):
                new = out[-1] - lr * grad(out[-1])
                if np.max(np.abs(new - out[-1])) < tol:
                    break
                out.append(new)
            return np.array(out)
        """),
    mistake("gradient_descent", "no-validation", "lr must be > 0, steps and tol >= 0: raise ValueError otherwise", """
        def gradient_descent(grad, theta0, lr, steps, tol=0.0):
            out = [np.asarray(theta0, dtype=float)]
            for _ in range(steps):
                out.append(out[-1] - lr * grad(out[-1]))
                if np.max(np.abs(out[-1] - out[-2])) < tol:
                    break
            return np.array(out)
        """),
    mistake("first_within", "argmax-of-none", "when no iterate is within tol, np.argmax of all-False is 0: return −1"
            " then", """
        def first_within(iterates, target, tol):
            if tol < 0:
                raise ValueError("tol must be >= 0")
            gap = np.abs(np.asarray(iterates) - target).reshape(len(iterates), -1).max(axis=1)
            return int(np.argmax(gap <= tol))
        """),
    mistake("first_within", "strict", "within tol means |θₖ − θ*| ≤ tol: an iterate exactly tol away counts", """
        def first_within(iterates, target, tol):
            if tol < 0:
                raise ValueError("tol must be >= 0")
            ok = np.abs(np.asarray(iterates) - target).reshape(len(iterates), -1).max(axis=1) < tol
            return int(np.argmax(ok)) if ok.any() else -1
        """),
    mistake("first_within", "counts-from-one", "k counts iterates from θ0 = row 0: the answer is the row index", """
        def first_within(iterates, target, tol):
            if tol < 0:
                raise ValueError("tol must be >= 0")
            ok = np.abs(np.asarray(iterates) - target).reshape(len(iterates), -1).max(axis=1) <= tol
            return int(np.argmax(ok)) + 1 if ok.any() else -1
        """),
)


EXERCISES = tuple(
    exercise(*entry, notebook=NOTEBOOK, mistakes=MISTAKES)
    for entry in (
        (_gradient_descent, "grad theta0 lr steps tol", "iterates", _descent_cases),
        (_first_within, "iterates target tol", "k", _first_within_cases),
    )
)
