"""Functions a case can hand to a student's function (a derivative f′, a loss J), described as data.

A Python function cannot cross the grader's JSON pipe, and the grader's child cannot import gdcourse. So a
case that needs one (the descent loop of exercise 01 takes f′) passes a :class:`TrustedFunction`: a kind
from ``KINDS`` and its numeric parameters. In the notebook, ``check`` calls it directly; for the grader it
is encoded as ``{"__function__": kind, "params": {...}}`` and rebuilt inside the child from this file,
which imports numpy only. Every kind is vectorized: θ may carry leading batch axes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["TrustedFunction", "KINDS"]


def _polynomial(coeffs: np.ndarray) -> Callable[[Any], np.ndarray]:
    """f(θ) = Σ cₖ θᵏ, coefficients highest power first (``np.polyval``)."""
    return lambda theta: np.polyval(coeffs, np.asarray(theta, dtype=float))


def _polynomial_derivative(coeffs: np.ndarray) -> Callable[[Any], np.ndarray]:
    """f′(θ) of the polynomial with these coefficients."""
    return _polynomial(np.polyder(coeffs))


def _polynomial_sum(coeffs: np.ndarray) -> Callable[[Any], np.ndarray]:
    """f(θ) = Σᵢ p(θᵢ) over the last axis, p the polynomial with these coefficients (a separable loss)."""
    return lambda theta: np.sum(np.polyval(coeffs, np.asarray(theta, dtype=float)), axis=-1)


def _quadratic_loss(A: np.ndarray, b: np.ndarray) -> Callable[[Any], np.ndarray]:
    """J(θ) = ½ (θ − b)ᵀ A (θ − b) over the last axis."""

    def loss(theta: Any) -> np.ndarray:
        r = np.asarray(theta, dtype=float) - b
        return 0.5 * np.einsum("...i,ij,...j->...", r, A, r)

    return loss


def _quadratic_grad(A: np.ndarray, b: np.ndarray) -> Callable[[Any], np.ndarray]:
    """∇J(θ) = ½ (A + Aᵀ)(θ − b), which is A (θ − b) for a symmetric A."""
    sym = 0.5 * (A + A.T)
    return lambda theta: (np.asarray(theta, dtype=float) - b) @ sym.T


KINDS: dict[str, Callable[..., Callable[[Any], np.ndarray]]] = {
    "polynomial": _polynomial,
    "polynomial_derivative": _polynomial_derivative,
    "polynomial_sum": _polynomial_sum,
    "quadratic_loss": _quadratic_loss,
    "quadratic_grad": _quadratic_grad,
}


class TrustedFunction:
    """``KINDS[kind](**params)`` as a callable that the grader's codec can carry as data."""

    __slots__ = ("kind", "params", "_fn")

    def __init__(self, kind: str, **params: Any) -> None:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {sorted(KINDS)}, got {kind!r}")
        self.kind = kind
        self.params = {name: np.array(value, dtype=float) for name, value in params.items()}
        self._fn = KINDS[kind](**{name: value.copy() for name, value in self.params.items()})

    def __call__(self, *args: Any) -> np.ndarray:
        return self._fn(*args)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={np.array2string(v, precision=4, separator=', ')}" for k, v in self.params.items())
        return f"{self.kind}({shown})"
