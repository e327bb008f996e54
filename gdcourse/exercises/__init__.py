"""Every graded function of the course, one module per exercise notebook (``exNN_topic.py``).

Each module holds its notebook's references (built on gdcourse's kernels, never a copy of them), case
generators and known mistakes, so an instructor who adds or changes an exercise opens one file. This package
gathers them: ``EXERCISES`` by name, ``MISTAKES`` in notebook order. ``gdcourse.checks`` (the students'
``check``) and the grader read them from here.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..grading.judge import Exercise, Mistake

__all__ = ["EXERCISES", "MISTAKES", "VISIBLE_SEED", "MODULES", "for_exercise"]

VISIBLE_SEED = 0
"""The seed of the cases ``check`` shows; the grader refuses to use it."""

MODULES = tuple(importlib.import_module(f"{__name__}.{info.name}")
                for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
                if info.name.startswith("ex"))
"""The exercise modules, ``exNN_topic`` in notebook order: adding a notebook's exercises is adding one file."""

EXERCISES: dict[str, Exercise] = {e.name: e for module in MODULES for e in module.EXERCISES}
"""Every graded function by name: its notebook, signature, reference, case generator and known mistakes."""

MISTAKES: tuple[Mistake, ...] = tuple(m for module in MODULES for m in module.MISTAKES)
"""Every known mistake, grouped by exercise in the order of the notebooks."""


def for_exercise(exercise: str) -> tuple[Mistake, ...]:
    """The known mistakes of one graded function, in the order they are tried."""
    return EXERCISES[exercise].mistakes if exercise in EXERCISES else ()
