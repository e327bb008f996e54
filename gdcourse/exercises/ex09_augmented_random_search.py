"""Exercises 09 · Augmented random search: the references (gdcourse's kernels), case generators and known mistakes of
``solutions/09_augmented_random_search.ipynb``, the one place to change when an exercise of that notebook changes."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import ars
from ._kit import Case, exercise, mistake, _u, _n, _column

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
    mistake("ars_update", "no-sigma", "ARS divides by σ_R, the standard deviation of the 2b rewards used: α/(b·σ_R)", """
        def ars_update(M, deltas, r_plus, r_minus, lr, top):
            if np.any(np.asarray(lr) <= 0) or not 1 <= top <= len(r_plus):
                raise ValueError("lr must be > 0 and top in [1, N]")
            order = np.argsort(-np.maximum(r_plus, r_minus), axis=0, kind="stable")[:top]
            rp, rm = np.take_along_axis(r_plus, order, 0), np.take_along_axis(r_minus, order, 0)
            d = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), 0)
            w = (rp - rm).reshape(rp.shape + (1,) * (d.ndim - rp.ndim))
            return M + lr / top * np.sum(w * d, axis=0)
        """),
    mistake("ars_update", "sigma-zero", "when the 2b rewards are all equal σ_R = 0: every difference is 0, so M must not move (no 0/0)", """
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
    mistake("ars_update", "rank-by-r-plus", "rank directions by max(r+, r−), the better of the two rewards, not by r+ alone", """
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
    mistake("ars_update", "worst-directions", "keep the b BEST directions (largest max(r+, r−)): sort in decreasing order", """
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
    mistake("ars_update", "no-validation", "α must be > 0 and top in [1, N], N the number of directions: raise ValueError otherwise", """
        def ars_update(M, deltas, r_plus, r_minus, lr, top):
            step = lr / top
            order = np.argsort(-np.maximum(r_plus, r_minus), axis=0, kind="stable")[:top]
            rp, rm = np.take_along_axis(r_plus, order, 0), np.take_along_axis(r_minus, order, 0)
            d = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), 0)
            sigma = np.std(np.concatenate([rp, rm]), axis=0)
            w = np.divide(rp - rm, sigma, out=np.zeros_like(rp), where=sigma > 0)
            return M + step * np.sum(w.reshape(w.shape + (1,) * (d.ndim - w.ndim)) * d, axis=0)
        """),
)


EXERCISES = tuple(
    exercise(*entry, notebook=NOTEBOOK, mistakes=MISTAKES)
    for entry in (
        (_brs_update, "theta deltas r_plus r_minus lr", "theta", lambda rng: _search_cases(rng, top=False)),
        (_ars_update, "M deltas r_plus r_minus lr top", "M", lambda rng: _search_cases(rng, top=True)),
    )
)
