"""Exercises 09 · Augmented random search: the references (gdcourse's kernels), case generators and known mistakes of
``solutions/09_augmented_random_search.ipynb``, the one place to change when an exercise of that notebook changes."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _validate, ars
from ..grading.trusted_functions import TrustedFunction
from ._kit import Case, _column, _n, _u, exercise, mistake

NOTEBOOK = "09_augmented_random_search"


def _brs_update(theta, deltas, r_plus, r_minus, lr):
    return ars.brs_update(theta, deltas, r_plus, r_minus, lr)


def _ars_update(M, deltas, r_plus, r_minus, lr, top):
    return ars.ars_update(M, deltas, r_plus, r_minus, lr, top)


def _search_cases(rng: np.random.Generator, top: bool) -> list[Case]:
    """Shared by BRS (θ ← θ + α/N Σ ...) and ARS (top b directions, σ_R)."""
    N, S, p, n = int(rng.integers(6, 10)), int(rng.integers(2, 4)), int(rng.integers(2, 4)), int(rng.integers(2, 4))
    b = int(rng.integers(2, N - 2))
    lr = _u(rng, 0.01, 0.1)
    M, deltas = _n(rng, p, n), _n(rng, N, p, n)
    rp, rm = _n(rng, N), _n(rng, N)

    def case(name: str, *args: Any, k: int = b) -> Case:
        return Case(name + (f", top b = {k}" if top else ""), args + ((k,) if top else ()))

    cases = [
        case(f"N = {N} directions, M of shape ({p}, {n})", M, deltas, rp, rm, lr),
        case(f"rewards of very different scales, lr = {lr}", M, deltas, 50 * rp + 100, 50 * rm + 100, lr),
        case(f"S = {S} runs at once: M ({S}, {n}), rewards ({N}, {S}), lr ({S}, 1)",
             _n(rng, S, n), _n(rng, N, S, n), _n(rng, N, S), _n(rng, N, S), _column(rng, S, 0.01, 0.1)),
        case("a vector of parameters", M[0], deltas[:, 0], rp, rm, lr),
    ]
    if top:
        same = np.full(N, _u(rng, -2, 2))
        cases += [
            case("top b = N: every direction", M, deltas, rp, rm, lr, k=N),
            case("top b = 1: the single best direction", M, deltas, rp, rm, lr, k=1),
            case("all rewards equal: σ_R = 0, M does not move", M, deltas, same, same, lr),
            Case("top = 0 must raise ValueError", (M, deltas, rp, rm, lr, 0)),
            Case(f"top = N + 1 = {N + 1} must raise ValueError", (M, deltas, rp, rm, lr, N + 1)),
        ]
    return cases + [Case(f"lr = {-lr} must raise ValueError", (M, deltas, rp, rm, -lr) + ((b,) if top else ()))]


def _central_difference(f, theta, h=1e-4):
    """gᵢ = (f(θ + h·eᵢ) − f(θ − h·eᵢ)) / (2h): the d shifted points evaluated in one call of f."""
    _validate.positive("h", h)
    theta = np.asarray(theta, dtype=float)
    shift = h * np.eye(theta.size).reshape(theta.size, *theta.shape)
    return ((f(theta + shift) - f(theta - shift)) / (2 * h)).reshape(theta.shape)


def _central_cases(rng: np.random.Generator) -> list[Case]:
    d = int(rng.integers(2, 5))
    Q = _n(rng, d, d)
    A, b = np.round(Q @ Q.T + np.eye(d), 2), np.round(_n(rng, d), 2)
    bowl = TrustedFunction("quadratic_loss", A=A, b=b)
    steep = TrustedFunction("quadratic_loss", A=np.diag(np.arange(1.0, d + 1) ** 3), b=np.zeros(d))
    return [
        Case(f"a {d}-d quadratic ½(θ − b)ᵀA(θ − b), h = 0.001", (bowl, _n(rng, d), 0.001)),
        Case("the default h = 1e-4", (bowl, _n(rng, d))),
        Case("a large h = 0.5: central differences are still exact on a quadratic", (bowl, _n(rng, d), 0.5)),
        Case("at the minimum θ = b the gradient is 0", (bowl, b, 0.01)),
        Case("a badly scaled quadratic, curvatures 1 … d³", (steep, _n(rng, d), 0.01)),
        Case("the double well Σ θᵢ⁴ − 8θᵢ² with h = 0.1: not a quadratic, the result depends on h",
             (TrustedFunction("polynomial_sum", coeffs=[1.0, 0.0, -8.0, 0.0, 0.0]), _n(rng, d), 0.1)),
        Case("h = 0 must raise ValueError", (bowl, _n(rng, d), 0.0)),
    ]


def _welford_update(count, mean, m2, x):
    """ARS V2's running statistics of the states, one new state x: gdcourse's Welford/Chan merge."""
    _validate.nonnegative("count", count)
    x = np.asarray(x, dtype=float)
    n, mean, m2 = ars._merge_stats(np.asarray(count, dtype=float), np.asarray(mean, dtype=float),
                                   np.asarray(m2, dtype=float), x[None], (0,))
    return int(count) + 1, mean, m2


def _welford_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(2, 5))
    states = 3 + 2 * _n(rng, 6, n)
    count, mean, m2 = 0, np.zeros(n), np.zeros(n)
    for x in states[:4]:
        count, mean, m2 = _welford_update(count, mean, m2, x)
    return [
        Case(f"the first state (count = 0) of shape ({n},)", (0, np.zeros(n), np.zeros(n), states[0])),
        Case("the second state: m2 gets its first spread", (1, states[0], np.zeros(n), states[1])),
        Case(f"after {count} states, one more", (count, mean, m2, states[4])),
        Case("a state equal to the running mean: the mean does not move", (count, mean, m2, mean)),
        Case("a scalar state (n = 1)", (count, mean[:1], m2[:1], states[5, :1])),
        Case("count = -1 must raise ValueError", (-1, mean, m2, states[4])),
    ]


# --------------------------------------------------------------------------- known mistakes

MISTAKES = (
    mistake("brs_update", "no-1/N", "BRS averages the N differences: multiply by α/N", """
        def brs_update(theta, deltas, r_plus, r_minus, lr):
            if np.any(np.asarray(lr) <= 0):
                raise ValueError(f"lr must be > 0, got {lr}")
            w = (r_plus - r_minus).reshape(r_plus.shape + (1,) * (deltas.ndim - r_plus.ndim))
            return theta + lr * np.sum(w * deltas, axis=0)
        """),
    mistake("brs_update", "descends", "rewards are maximised: step along (r+ − r−)·δ, not (r− − r+)·δ", """
        def brs_update(theta, deltas, r_plus, r_minus, lr):
            if np.any(np.asarray(lr) <= 0):
                raise ValueError(f"lr must be > 0, got {lr}")
            w = (r_minus - r_plus).reshape(r_plus.shape + (1,) * (deltas.ndim - r_plus.ndim))
            return theta + lr / len(r_plus) * np.sum(w * deltas, axis=0)
        """),
    mistake("brs_update", "one-sided", "use both rewards of each direction: (r+ − r−)·δ, not r+·δ", """
        def brs_update(theta, deltas, r_plus, r_minus, lr):
            if np.any(np.asarray(lr) <= 0):
                raise ValueError(f"lr must be > 0, got {lr}")
            w = r_plus.reshape(r_plus.shape + (1,) * (deltas.ndim - r_plus.ndim))
            return theta + lr / len(r_plus) * np.sum(w * deltas, axis=0)
        """),
    mistake("brs_update", "no-validation", "a learning rate α <= 0 must raise ValueError", """
        def brs_update(theta, deltas, r_plus, r_minus, lr):
            w = (r_plus - r_minus).reshape(r_plus.shape + (1,) * (deltas.ndim - r_plus.ndim))
            return theta + lr / len(r_plus) * np.sum(w * deltas, axis=0)
        """),
    mistake("ars_update", "no-sigma",
            "ARS divides by σ_R, the standard deviation of the 2b rewards used: α/(b·σ_R)", """
        def ars_update(M, deltas, r_plus, r_minus, lr, top):
            if np.any(np.asarray(lr) <= 0) or not 1 <= top <= len(r_plus):
                raise ValueError("lr must be > 0 and top in [1, N]")
            order = np.argsort(-np.maximum(r_plus, r_minus), axis=0, kind="stable")[:top]
            rp, rm = np.take_along_axis(r_plus, order, 0), np.take_along_axis(r_minus, order, 0)
            d = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), 0)
            w = (rp - rm).reshape(rp.shape + (1,) * (d.ndim - rp.ndim))
            return M + lr / top * np.sum(w * d, axis=0)
        """),
    mistake("ars_update", "sigma-zero",
            "when the 2b rewards are all equal σ_R = 0: every difference is 0, so M must not move (no 0/0)", """
        def ars_update(M, deltas, r_plus, r_minus, lr, top):
            if np.any(np.asarray(lr) <= 0) or not 1 <= top <= len(r_plus):
                raise ValueError("lr must be > 0 and top in [1, N]")
            order = np.argsort(-np.maximum(r_plus, r_minus), axis=0, kind="stable")[:top]
            rp, rm = np.take_along_axis(r_plus, order, 0), np.take_along_axis(r_minus, order, 0)
            d = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), 0)
            sigma = np.std(np.concatenate([rp, rm]), axis=0)
            w = ((rp - rm) / sigma).reshape(rp.shape + (1,) * (d.ndim - rp.ndim))
            return M + lr / top * np.sum(w * d, axis=0)
        """),
    mistake("ars_update", "sigma-all", "σ_R is the std of the 2b rewards of the top b directions, not of all 2N", """
        def ars_update(M, deltas, r_plus, r_minus, lr, top):
            if np.any(np.asarray(lr) <= 0) or not 1 <= top <= len(r_plus):
                raise ValueError("lr must be > 0 and top in [1, N]")
            order = np.argsort(-np.maximum(r_plus, r_minus), axis=0, kind="stable")[:top]
            rp, rm = np.take_along_axis(r_plus, order, 0), np.take_along_axis(r_minus, order, 0)
            d = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), 0)
            sigma = np.std(np.concatenate([r_plus, r_minus]), axis=0)
            w = ((rp - rm) / sigma).reshape(rp.shape + (1,) * (d.ndim - rp.ndim))
            return M + lr / top * np.sum(w * d, axis=0)
        """),
    mistake("ars_update", "divide-by-N", "average over the b directions used: α/(b·σ_R), not α/(N·σ_R)", """
        def ars_update(M, deltas, r_plus, r_minus, lr, top):
            if np.any(np.asarray(lr) <= 0) or not 1 <= top <= len(r_plus):
                raise ValueError("lr must be > 0 and top in [1, N]")
            order = np.argsort(-np.maximum(r_plus, r_minus), axis=0, kind="stable")[:top]
            rp, rm = np.take_along_axis(r_plus, order, 0), np.take_along_axis(r_minus, order, 0)
            d = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), 0)
            sigma = np.std(np.concatenate([rp, rm]), axis=0)
            w = np.divide(rp - rm, sigma, out=np.zeros_like(rp), where=sigma > 0)
            return M + lr / len(r_plus) * np.sum(w.reshape(w.shape + (1,) * (d.ndim - w.ndim)) * d, axis=0)
        """),
    mistake("ars_update", "rank-by-r-plus",
            "rank directions by max(r+, r−), the better of the two rewards, not by r+ alone", """
        def ars_update(M, deltas, r_plus, r_minus, lr, top):
            if np.any(np.asarray(lr) <= 0) or not 1 <= top <= len(r_plus):
                raise ValueError("lr must be > 0 and top in [1, N]")
            order = np.argsort(-r_plus, axis=0, kind="stable")[:top]
            rp, rm = np.take_along_axis(r_plus, order, 0), np.take_along_axis(r_minus, order, 0)
            d = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), 0)
            sigma = np.std(np.concatenate([rp, rm]), axis=0)
            w = np.divide(rp - rm, sigma, out=np.zeros_like(rp), where=sigma > 0)
            return M + lr / top * np.sum(w.reshape(w.shape + (1,) * (d.ndim - w.ndim)) * d, axis=0)
        """),
    mistake("ars_update", "worst-directions",
            "keep the b BEST directions (largest max(r+, r−)): sort in decreasing order", """
        def ars_update(M, deltas, r_plus, r_minus, lr, top):
            if np.any(np.asarray(lr) <= 0) or not 1 <= top <= len(r_plus):
                raise ValueError("lr must be > 0 and top in [1, N]")
            order = np.argsort(np.maximum(r_plus, r_minus), axis=0, kind="stable")[:top]
            rp, rm = np.take_along_axis(r_plus, order, 0), np.take_along_axis(r_minus, order, 0)
            d = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), 0)
            sigma = np.std(np.concatenate([rp, rm]), axis=0)
            w = np.divide(rp - rm, sigma, out=np.zeros_like(rp), where=sigma > 0)
            return M + lr / top * np.sum(w.reshape(w.shape + (1,) * (d.ndim - w.ndim)) * d, axis=0)
        """),
    mistake("ars_update", "no-validation",
            "α must be > 0 and top in [1, N], N the number of directions: raise ValueError otherwise", """
        def ars_update(M, deltas, r_plus, r_minus, lr, top):
            step = lr / top
            order = np.argsort(-np.maximum(r_plus, r_minus), axis=0, kind="stable")[:top]
            rp, rm = np.take_along_axis(r_plus, order, 0), np.take_along_axis(r_minus, order, 0)
            d = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), 0)
            sigma = np.std(np.concatenate([rp, rm]), axis=0)
            w = np.divide(rp - rm, sigma, out=np.zeros_like(rp), where=sigma > 0)
            return M + step * np.sum(w.reshape(w.shape + (1,) * (d.ndim - w.ndim)) * d, axis=0)
        """),
    mistake("central_difference", "forward", "that is the forward difference (f(θ + h) − f(θ))/h: the central one is"
            " (f(θ + h·eᵢ) − f(θ − h·eᵢ))/(2h)", """
        def central_difference(f, theta, h=1e-4):
            if h <= 0:
                raise ValueError("h must be > 0")
            E = h * np.eye(len(theta))
            return (f(theta + E) - f(theta)) / h
        """),
    mistake("central_difference", "sign", "the gradient is (f(θ + h) − f(θ − h))/(2h): yours is reversed (the slides'"
            " erratum)", """
        def central_difference(f, theta, h=1e-4):
            if h <= 0:
                raise ValueError("h must be > 0")
            E = h * np.eye(len(theta))
            return (f(theta - E) - f(theta + E)) / (2 * h)
        """),
    mistake("central_difference", "no-2", "the two points are 2h apart: divide by 2h, not h", """
        def central_difference(f, theta, h=1e-4):
            if h <= 0:
                raise ValueError("h must be > 0")
            E = h * np.eye(len(theta))
            return (f(theta + E) - f(theta - E)) / h
        """),
    mistake("welford_update", "old-mean",
            "m2 += δ·(x − NEW mean), not δ² with the old mean: δ² over-counts the spread", """
        def welford_update(count, mean, m2, x):
            if count < 0:
                raise ValueError("count must be >= 0")
            count = count + 1
            delta = x - mean
            return count, mean + delta / count, m2 + delta**2
        """),
    mistake("welford_update", "mean-with-old-count", "divide δ by the NEW count n + 1: mean ← mean + δ/(n + 1)", """
        def welford_update(count, mean, m2, x):
            if count < 0:
                raise ValueError("count must be >= 0")
            delta = x - mean
            mean = mean + delta / max(count, 1)
            return count + 1, mean, m2 + delta * (x - mean)
        """),
    mistake("welford_update", "no-validation", "a negative count is no count: raise ValueError", """
        def welford_update(count, mean, m2, x):
            count = count + 1
            delta = x - mean
            mean = mean + delta / count
            return count, mean, m2 + delta * (x - mean)
        """),
)


EXERCISES = tuple(
    exercise(*entry, notebook=NOTEBOOK, mistakes=MISTAKES)
    for entry in (
        (_brs_update, "theta deltas r_plus r_minus lr", "theta", lambda rng: _search_cases(rng, top=False)),
        (_ars_update, "M deltas r_plus r_minus lr top", "M", lambda rng: _search_cases(rng, top=True)),
        (_central_difference, "f theta h", "grad", _central_cases),
        (_welford_update, "count mean m2 x", "count mean m2", _welford_cases),
    )
)
