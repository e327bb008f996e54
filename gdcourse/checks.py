"""Exercise checks: ``check(adam_step)`` runs seeded cases against gdcourse's own kernels.

Each graded function has an entry in ``EXERCISES`` (built in ``gdcourse.exercises``, one module per exercise
notebook): its signature, a reference with the same signature that calls the course's kernels (never a copy of
them), a case generator ``cases(rng)`` and its known mistakes. The notebook uses ``VISIBLE_SEED``; the
instructor's grader draws the same kinds of cases from a seed the student does not know, so hard-coding the
visible answers does not pay.

A failure raises ``CheckFailed`` naming the case, the element, what was returned and what was expected, the
known mistake or the transformation of the reference that explains it, and every failed case.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .exercises import EXERCISES, VISIBLE_SEED
from .grading.judge import judge, run_here

__all__ = ["CheckFailed", "check", "EXERCISES", "VISIBLE_SEED"]


class CheckFailed(AssertionError):
    """A graded function returned something other than the reference on a case (the message says what)."""

    def _render_traceback_(self) -> list[str]:
        """What IPython/Jupyter shows instead of a traceback: the verdict alone, no frame of gdcourse."""
        return [f"CheckFailed: {self}"]


def check(fn: Callable, name: str | None = None) -> None:
    """Run the visible cases of exercise ``name`` (default: ``fn.__name__``) on ``fn``.

    Prints one line when every case passes; raises ``CheckFailed`` otherwise (once, "not implemented
    yet", while the stub still raises NotImplementedError). An error raised by ``fn`` names the line of the
    student's cell that raised it; Jupyter shows the verdict without a traceback (``_render_traceback_``).
    """
    name = name or getattr(fn, "__name__", "")
    if name not in EXERCISES:
        raise ValueError(f"no exercise named {name!r}; the exercises are {', '.join(sorted(EXERCISES))}")
    exercise = EXERCISES[name]
    cases = exercise.cases(np.random.default_rng(VISIBLE_SEED))
    verdict = judge(exercise, cases, [run_here(fn, case, exercise.arg_names, locate=True) for case in cases])
    if verdict.failures:
        raise CheckFailed(verdict.summary()) from None
    print(verdict.summary())
