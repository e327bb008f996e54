"""What every exercise module uses: the registry's building blocks and the random draws of the case generators."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..grading.judge import Case, Exercise, Mistake

__all__ = ["Case", "Exercise", "Mistake", "exercise", "mistake", "_u", "_n", "_sizes", "_column"]

mistake = Mistake.of


def exercise(reference: Callable, arg_names: str, outputs: str, cases: Callable, *, notebook: str,
             mistakes: Sequence[Mistake] = (), accept: Callable | None = None) -> Exercise:
    """The graded function named like ``reference`` without its underscore, with its known mistakes."""
    name = reference.__name__.lstrip("_")
    own = tuple(m for m in mistakes if m.exercise == name)
    return Exercise(name, notebook, tuple(arg_names.split()), tuple(outputs.split()), reference, cases, mistakes=own,
                    accept=accept)


def _u(rng: np.random.Generator, low: float, high: float) -> float:
    """A readable random hyper-parameter (3 significant digits) in [low, high]."""
    return float(f"{rng.uniform(low, high):.3g}")


def _n(rng: np.random.Generator, *shape: int) -> np.ndarray:
    return rng.standard_normal(shape)


def _sizes(rng: np.random.Generator) -> tuple[int, int, int]:
    """d (parameters or features), K (runs), m (examples)."""
    return int(rng.integers(2, 5)), int(rng.integers(2, 5)), int(rng.integers(5, 9))


def _column(rng: np.random.Generator, K: int, low: float, high: float) -> np.ndarray:
    """K hyper-parameter values as a column (K, 1): one per run of a batch."""
    return np.round(rng.uniform(low, high, size=(K, 1)), 3)
