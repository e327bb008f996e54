"""Judge a graded function's outcomes against the reference, and name the known mistake they match.

The same code judges in the student's notebook (``gdcourse.checks.check``, visible cases, outcomes
computed in-process) and in the instructor's grader (hidden cases, outcomes returned by the child as
JSON): both pass every returned value through the child's codec first, so a student's object can never
take part in a comparison (an ``__eq__`` that is always True is never called) and both verdicts agree.
"""

from __future__ import annotations

import functools
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import mistakes as _mistakes
from .child import Opaque, decode, encode, run_case

__all__ = ["Case", "Exercise", "Outcome", "Failure", "Verdict", "run_here", "expected", "compare_values",
           "compare", "diagnose", "judge", "CREDIT_RULE"]

CREDIT_RULE = (
    "A graded function earns points for the cases it passes, with one exception: its bad-argument cases (a "
    "call that must raise ValueError) count only once every one of its value cases passes. A stub, a cell "
    "that only raises, or one that validates its arguments and returns them unchanged earns nothing for them."
)
"""The points rule (README's grading section and the exercise notebooks say the same)."""


@dataclass(frozen=True)
class Case:
    """One call of a graded function: a name a student can read and the positional arguments."""

    name: str
    args: tuple


@dataclass(frozen=True)
class Exercise:
    """A graded function: its signature, the reference (gdcourse's kernels) and its case generator.

    ``reference`` has the student's signature and calls gdcourse's kernels; ``cases(rng)`` draws the
    cases (shapes and values) from ``rng``: the visible seed in the notebook, the instructor's in grading.
    """

    name: str
    notebook: str
    arg_names: tuple[str, ...]
    outputs: tuple[str, ...]
    reference: Callable[..., Any]
    cases: Callable[[np.random.Generator], list[Case]]
    rtol: float = 1e-6
    atol: float = 1e-10


@dataclass(frozen=True)
class Outcome:
    """What one call did: returned a value, raised, ran out of time/output, or was lost with the child."""

    kind: str  # value | exception | timeout | output-limit | lost | malformed
    value: Any = None
    error: str = ""
    message: str = ""
    mutated: tuple[str, ...] = ()

    @classmethod
    def from_event(cls, event: dict | None, lost: str = "the process ended") -> Outcome:
        """Decode one case line of the child (or None: the child died before reaching the case)."""
        if not isinstance(event, dict):
            return cls("lost", message=lost)
        mutated = tuple(str(m) for m in event.get("mutated", []) if isinstance(m, str))
        kind = event.get("kind")
        if kind == "value":
            try:
                return cls("value", value=decode(event.get("value"), functions=False), mutated=mutated)
            except (ValueError, TypeError, OverflowError, RecursionError) as exc:
                return cls("malformed", message=f"malformed result ({str(exc)[:200]})")
        if kind == "malformed":
            return cls("malformed", message=str(event.get("message", ""))[:300])
        if kind in ("exception", "timeout", "output-limit"):
            return cls(kind, error=str(event.get("type", ""))[:80], message=str(event.get("message", ""))[:300],
                       mutated=mutated)
        return cls("lost", message="unreadable result")

    @property
    def not_implemented(self) -> bool:
        return self.kind == "exception" and self.error == "NotImplementedError"


def run_here(fn: Callable, case: Case, arg_names: Sequence[str]) -> Outcome:
    """Call ``fn`` on a private copy of the case in this process, through the child's codec.

    The arguments take the same JSON round trip as on their way to the grader's child, so the student's
    function sees the same Python and numpy types in the notebook and in grading.
    """
    args = [decode(encode(a)) for a in case.args]
    with np.errstate(all="ignore"):
        return Outcome.from_event(run_case(fn, args, list(arg_names)))


def expected(exercise: Exercise, case: Case) -> Outcome:
    """The reference's outcome on ``case``: its value, or the ValueError a bad argument must raise."""
    return run_here(exercise.reference, case, exercise.arg_names)


# --------------------------------------------------------------------------- comparing values


def _fmt(x: Any) -> str:
    return f"{x:.6g}" if isinstance(x, (float, np.floating)) else str(x)


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} values"
    if isinstance(value, Opaque):
        return f"an object of type {value.type_name}"
    return "None" if value is None else f"the {type(value).__name__} {_fmt(value)}"


def _index(label: str, index: tuple[int, ...]) -> str:
    return f"{label}[{', '.join(map(str, index))}]" if index else label


def compare_values(
    want: Any, got: Any, label: str, rtol: float, atol: float, names: Sequence[str] | None = None
) -> str | None:
    """None when ``got`` matches ``want`` (decoded values), else what differs, e.g.
    "`m[1, 0]` is 0.01 where it should be 0.1 (3 of 6 elements differ)". ``names`` label the items of a
    tuple of outputs; items of a list are labelled by index."""
    if isinstance(want, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(want):
            return f"returned {_describe(got)} where {len(want)} values were expected ({label})"
        for i, (w, g) in enumerate(zip(want, got)):
            problem = compare_values(w, g, names[i] if names else f"{label}[{i}]", rtol, atol)
            if problem:
                return problem
        return None
    want = np.asarray(want)
    if isinstance(got, bool) or not isinstance(got, (np.ndarray, int, float)):
        return f"`{label}` is {_describe(got)}, expected an array of shape {want.shape}"
    got = np.asarray(got)
    kinds = {"f": "f", "i": "iu", "u": "iu", "b": "b"}[want.dtype.kind]
    if got.dtype.kind not in kinds or (want.dtype.kind == "f" and got.dtype != np.float64):
        return f"`{label}` has dtype {got.dtype}, expected {want.dtype if kinds == 'f' else 'integers'}"
    if got.shape != want.shape:
        return f"`{label}` has shape {got.shape}, expected {want.shape}"
    if want.dtype.kind == "f":
        ok = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    else:
        ok = got == want
    if ok.all():
        return None
    bad = tuple(int(i) for i in np.argwhere(~ok)[0])
    count = f" ({int((~ok).sum())} of {ok.size} elements differ)" if ok.size > 1 else ""
    return f"`{_index(label, bad)}` is {_fmt(got[bad])} where it should be {_fmt(want[bad])}{count}"


def compare(exercise: Exercise, want: Outcome, got: Outcome) -> str | None:
    """None when ``got`` is right, else a one-line reason (values, exceptions, in-place changes)."""
    if got.kind in ("timeout", "output-limit", "lost", "malformed"):
        return {"timeout": "timed out: ", "output-limit": "output limit exceeded: ", "lost": "no result: ",
                "malformed": ""}[got.kind] + got.message
    if got.mutated:
        names = ", ".join(f"`{m}`" for m in got.mutated)
        return f"changed the input {names} in place (build new arrays: `x = x - ...`, not `x -= ...`)"
    if want.kind == "exception":
        if got.kind == "exception" and _is_value_error(got.error):
            return None
        if got.kind == "exception":
            return f"raised {got.error}: {got.message}; a bad argument must raise ValueError"
        return "returned a value; a bad argument must raise ValueError"
    if got.kind == "exception":
        return f"raised {got.error}: {got.message}"
    names = exercise.outputs if len(exercise.outputs) > 1 else None
    return compare_values(want.value, got.value, ", ".join(exercise.outputs), exercise.rtol, exercise.atol, names)


def _is_value_error(name: str) -> bool:
    # the child reports the class name; ValueError's standard subclasses count as ValueError
    return name in {"ValueError", "UnicodeError", "UnicodeDecodeError", "UnicodeEncodeError"}


def _same(exercise: Exercise, a: Outcome, b: Outcome) -> bool:
    if a.kind != b.kind or set(a.mutated) != set(b.mutated):
        return False
    if a.kind == "value":
        return compare_values(a.value, b.value, "x", exercise.rtol, exercise.atol) is None
    return a.error == b.error


# --------------------------------------------------------------------------- known mistakes


@functools.lru_cache(maxsize=None)
def mistake_function(mistake: _mistakes.Mistake) -> Callable:
    """The known-wrong implementation, compiled once (trusted code from gdcourse.mistakes)."""
    namespace: dict[str, Any] = {"np": np, "__name__": "__mistake__"}
    exec(compile(mistake.code, f"<mistake {mistake.name}>", "exec"), namespace)
    return namespace[mistake.exercise]


def diagnose(exercise: Exercise, case: Case, want: Outcome, got: Outcome) -> _mistakes.Mistake | None:
    """The first known mistake of this exercise that does exactly what the student's function did.

    The mistakes run silently: a warning one of them raises (numpy's, on a degenerate case) is not the
    student's and must not appear in their check cell.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for mistake in _mistakes.for_exercise(exercise.name):
            theirs = run_here(mistake_function(mistake), case, exercise.arg_names)
            if _same(exercise, theirs, got) and not _same(exercise, theirs, want):
                return mistake
    return None


# --------------------------------------------------------------------------- the verdict


@dataclass(frozen=True)
class Failure:
    case: str
    problem: str
    mistake: _mistakes.Mistake | None


@dataclass(frozen=True)
class Verdict:
    """Cases passed, the failures (each with the known mistake it matches) and a one-line summary."""

    exercise: str
    passed: int
    total: int
    failures: tuple[Failure, ...] = ()
    kinds: frozenset[str] = field(default_factory=frozenset)
    value_total: int = 0  # the cases whose reference returns a value (the others must raise ValueError)
    value_passed: int = 0

    @property
    def credited(self) -> int:
        """The cases that earn points (``CREDIT_RULE``): the value cases passed, plus the must-raise ones
        passed only when every value case passes."""
        return self.passed if self.value_passed == self.value_total else self.value_passed

    @property
    def not_implemented(self) -> bool:
        return self.passed == 0 and self.kinds == {"not-implemented"}

    @property
    def mistake(self) -> _mistakes.Mistake | None:
        """The known mistake that explains the most failed cases (first one on a tie)."""
        found = Counter(f.mistake for f in self.failures if f.mistake is not None)
        return found.most_common(1)[0][0] if found else None

    def summary(self) -> str:
        if self.not_implemented:
            return f"{self.exercise}: not implemented yet"
        if not self.failures:
            return f"✓ {self.exercise}: {self.passed}/{self.total} cases passed"
        first = self.failures[0]
        mistake = self.mistake
        if mistake is not None:
            first = next(f for f in self.failures if f.mistake == mistake)
        text = f"{self.exercise}: {self.passed}/{self.total} cases passed; case '{first.case}': {first.problem}"
        return text + (f" — {mistake.diagnosis}" if mistake else "")


def judge(exercise: Exercise, cases: Sequence[Case], outcomes: Sequence[Outcome]) -> Verdict:
    """Compare each outcome with the reference's on the same case; diagnose the failures."""
    failures, kinds, passed, value_total, value_passed = [], set(), 0, 0, 0
    for case, got in zip(cases, outcomes):
        want = expected(exercise, case)
        problem = compare(exercise, want, got)
        value_total += want.kind != "exception"
        if problem is None:
            passed += 1
            value_passed += want.kind != "exception"
            continue
        kinds.add("not-implemented" if got.not_implemented else "mutated" if got.mutated else got.kind)
        failures.append(Failure(case.name, problem, diagnose(exercise, case, want, got)))
    return Verdict(exercise.name, passed, len(cases), tuple(failures), frozenset(kinds), value_total, value_passed)

