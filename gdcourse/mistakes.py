"""The known mistakes of every graded function (each lives beside its exercise in ``gdcourse.exercises``).

``check`` and the grader run an exercise's entries on its cases; when one does exactly what a student's function
did (same values, same exception, same inputs changed in place) on a failed case and on every passed case, its
diagnosis is printed. The same list is the CI corpus: every entry must get less than full marks, with its own
diagnosis in the message, and every exercise must have at least one entry.
"""

from __future__ import annotations

from .exercises import MISTAKES, for_exercise
from .grading.judge import Mistake

__all__ = ["Mistake", "MISTAKES", "for_exercise"]
