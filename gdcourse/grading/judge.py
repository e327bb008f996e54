"""Judge a graded function's outcomes against the reference, and name the known mistake they match.

The same code judges in the student's notebook (``gdcourse.checks.check``, visible cases, outcomes
computed in-process) and in the instructor's grader (hidden cases, outcomes returned by the child as
JSON): both pass every returned value through the child's codec first, so a student's object can never
take part in a comparison (an ``__eq__`` that is always True is never called) and both verdicts agree.
"""

from __future__ import annotations

import functools
import linecache
import os
import re
import textwrap
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from . import diagnoses
from .child import Opaque, decode, encode, run_case

__all__ = ["Case", "Exercise", "Mistake", "Outcome", "Failure", "Verdict", "run_here", "expected", "compare_values",
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
    hidden: Any = None  # data only the judge sees (the capstone's hidden split); never sent to the child


@dataclass(frozen=True)
class Mistake:
    """One wrong implementation of ``exercise``: a short ``name``, the ``diagnosis`` a student reads, and
    ``code``, a whole graded cell (numpy is ``np``) that CI grades to prove the diagnosis is given."""

    exercise: str
    name: str
    diagnosis: str
    code: str

    @classmethod
    def of(cls, exercise: str, name: str, diagnosis: str, code: str) -> Mistake:
        return cls(exercise, name, diagnosis, textwrap.dedent(code).strip() + "\n")


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
    mistakes: tuple[Mistake, ...] = ()
    accept: Callable[[Case, Any, Any], str | None] | None = None
    """When set, judges a returned value in place of equality with the reference's: (case, reference's value,
    student's value) -> None or the reason it fails (the capstone: the chosen configuration on a hidden split)."""


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


def run_here(fn: Callable, case: Case, arg_names: Sequence[str], locate: bool = False) -> Outcome:
    """Call ``fn`` on a private copy of the case in this process, through the child's codec.

    The arguments take the same JSON round trip as on their way to the grader's child, so the student's
    function sees the same Python and numpy types in the notebook and in grading. With ``locate``, an
    exception's message ends with the line of the student's cell that raised it.
    """
    args = [decode(encode(a)) for a in case.args]
    where: list[str] = []

    def located(*a: Any) -> Any:
        try:
            return fn(*a)
        except Exception as exc:
            where.append(_student_line(exc.__traceback__))
            raise

    with np.errstate(all="ignore"):
        outcome = Outcome.from_event(run_case(located if locate else fn, args, list(arg_names)))
    if outcome.kind == "exception" and where and where[0]:
        outcome = replace(outcome, message=outcome.message + where[0])
    return outcome


_OURS = (os.path.dirname(os.path.dirname(os.path.abspath(__file__))), os.path.dirname(np.__file__),
         os.path.dirname(os.__file__))


def _student_line(tb: Any) -> str:
    """" (line 7 of your cell: `v = v / 0`)" for the last frame of the traceback that is the student's code."""
    frames = [f for f in traceback.extract_tb(tb)[1:] if not os.path.abspath(f.filename).startswith(_OURS)
              or f.filename.startswith("<")]
    if not frames:
        return ""
    frame = frames[-1]
    line = (frame.line or linecache.getline(frame.filename, frame.lineno or 0)).strip()
    return f" (line {frame.lineno} of your cell" + (f": `{line[:100]}`)" if line else ")")


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
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
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
    if isinstance(want, str):
        if isinstance(got, str) and got == want:
            return None
        return f"`{label}` is {_describe(got)} where it should be {want!r}"
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


def compare(exercise: Exercise, want: Outcome, got: Outcome, case: Case | None = None) -> str | None:
    """None when ``got`` is right, else a one-line reason (values, exceptions, in-place changes). An exercise
    with ``accept`` judges the value of ``case`` with it instead of comparing with the reference's."""
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
    if exercise.accept is not None and case is not None:
        return exercise.accept(case, want.value, got.value)
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
def mistake_function(mistake: Mistake) -> Callable:
    """The known-wrong implementation, compiled once (trusted code from the exercise's module)."""
    namespace: dict[str, Any] = {"np": np, "__name__": "__mistake__"}
    exec(compile(mistake.code, f"<mistake {mistake.name}>", "exec"), namespace)
    return namespace[mistake.exercise]


@dataclass(frozen=True)
class _Record:
    case: Case
    want: Outcome
    got: Outcome
    problem: str | None

    @property
    def values(self) -> bool:
        """A case with a value to compare (not a bad argument, not an exception or a lost child)."""
        return self.want.kind == "value" and self.got.kind == "value" and not self.got.mutated


def diagnose(exercise: Exercise, records: Sequence[_Record]) -> tuple[str, Mistake | None, list[int]]:
    """The diagnosis that explains the failures best: (sentence, known mistake or None, failed cases it fits).

    A known mistake first: it must do exactly what the student's function did on at least one failed case and
    on every passed case. Then the generic transformations of the reference (``diagnoses``), with the same rule:
    kept only if no passed case contradicts them. The mistakes and transformations run with warnings silenced:
    a warning one of them raises (numpy's, on a degenerate case) is not the student's.
    """
    failed = [i for i, r in enumerate(records) if r.problem is not None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        best: tuple[int, Mistake | None, list[int]] = (0, None, [])
        for mistake in exercise.mistakes:
            hits = _mistake_hits(exercise, mistake, records, failed)
            if len(hits) > best[0]:
                best = (len(hits), mistake, hits)
        if best[1] is not None:
            return best[1].diagnosis, best[1], best[2]
        for i in failed:
            text = diagnoses.float32(records[i].got.value, records[i].want.value) if records[i].values else None
            if text:
                return text, None, [i for i in failed if records[i].values
                                    and diagnoses.float32(records[i].got.value, records[i].want.value)]
        text, hits = _generic(exercise, records, failed)
        if text:
            return text, None, hits
    batched = diagnoses.only_batched([records[i].case.name for i in failed if records[i].want.kind == "value"],
                                     [r.case.name for r in records if r.problem is None and r.want.kind == "value"])
    return (batched, None, [i for i in failed if records[i].want.kind == "value"]) if batched else ("", None, [])


def _mistake_hits(exercise: Exercise, mistake: Mistake, records: Sequence[_Record], failed: list[int]) -> list[int]:
    fn = mistake_function(mistake)
    hits = []
    for i, r in enumerate(records):
        theirs = run_here(fn, r.case, exercise.arg_names)
        if r.problem is None:
            if not _same(exercise, theirs, r.got):
                return []
        elif _same(exercise, theirs, r.got) and not _same(exercise, theirs, r.want):
            hits.append(i)
    return hits


def _generic(exercise: Exercise, records: Sequence[_Record], failed: list[int]) -> tuple[str, list[int]]:
    """The transformation of the reference that fits the most failed cases and no passed case contradicts."""

    def rerun(case: Case) -> Callable[[tuple], Any]:
        def run(args: tuple) -> Any:
            outcome = expected(exercise, Case(case.name, args, case.hidden))
            return outcome.value if outcome.kind == "value" else None

        return run

    tol = (exercise.rtol, exercise.atol)
    found: dict[tuple, list[int]] = {}
    tried: dict[tuple, int] = {}  # failed cases where the candidate predicts something other than the reference
    texts: dict[tuple, str] = {}  # (key, case index): the sentence worded with that case's values
    for i in failed:
        r = records[i]
        if not r.values:
            continue
        for cand in diagnoses.candidates(exercise, r.case.args, r.want.value, r.got.value, rerun(r.case)):
            if not diagnoses.contradicts(cand, r.want.value, *tol):
                continue
            tried[cand.key] = tried.get(cand.key, 0) + 1
            if diagnoses.fits(cand, r.want.value, r.got.value, *tol):
                found.setdefault(cand.key, []).append(i)
                texts[cand.key, i] = cand.text
    for key in found:  # an unnamed constant ratio exists only where it fits: count every failed value case
        if key[-1] == "constant":
            tried[key] = sum(records[i].values for i in failed)
    found = {k: v for k, v in found.items() if 2 * len(v) >= tried[k]}
    if not found:
        return "", []
    order = list(found)
    for r in records:
        if r.problem is not None or r.want.kind != "value" or not found:
            continue
        for cand in diagnoses.candidates(exercise, r.case.args, r.want.value, r.want.value, rerun(r.case)):
            if cand.key in found and diagnoses.contradicts(cand, r.want.value, *tol):
                del found[cand.key]
    if not found:
        return "", []
    key = max(found, key=lambda k: (len(found[k]), -order.index(k)))
    text = texts[key, _preferred(records, found[key])]  # the case the summary will show
    if len(found[key]) < tried[key]:
        text += (f" (a constant ratio in {len(found[key])} of the {tried[key]} failed cases)" if key[-1] == "constant"
                 else f" (this explains {len(found[key])} of the {tried[key]} failed cases it applies to)")
    return text, found[key]


# --------------------------------------------------------------------------- the verdict


@dataclass(frozen=True)
class Failure:
    case: str
    problem: str
    mistake: Mistake | None


@dataclass(frozen=True)
class Verdict:
    """Cases passed, the failures, the diagnosis that explains them (known mistake or generic) and a summary."""

    exercise: str
    passed: int
    total: int
    failures: tuple[Failure, ...] = ()
    kinds: frozenset[str] = field(default_factory=frozenset)
    diagnosis: str = ""
    shown: int = 0  # the index in ``failures`` of the case the summary shows
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
    def mistake(self) -> Mistake | None:
        """The known mistake that explains the failures (None when none does)."""
        return next((f.mistake for f in self.failures if f.mistake is not None), None)

    def summary(self) -> str:
        if self.not_implemented:
            return f"{self.exercise}: not implemented yet"
        if not self.failures:
            return f"✓ {self.exercise}: {self.passed}/{self.total} cases passed"
        first = self.failures[self.shown]
        text = f"{self.exercise}: {self.passed}/{self.total} cases passed; case '{first.case}': {first.problem}"
        text += f" — {self.diagnosis}" if self.diagnosis else ""
        if len(self.failures) > 1:
            text += ("" if text.endswith((".", "?", "!")) else ".") + f" The {len(self.failures)} failed cases: "
            text += "; ".join(f"'{f.case}'" for f in self.failures)
        return text


_TELLS = re.compile(r"\b(is|are|does|must|matters|moves|drops|nothing|too|not|no|every|only)\b")


def _preferred(records: Sequence[_Record], indices: Sequence[int]) -> int:
    """The failed case to show: a value case whose name says what it tests, then any value case, then the rest."""

    def rank(i: int) -> tuple[int, int]:
        r = records[i]
        value = r.want.kind == "value"
        return (0 if value and _TELLS.search(r.case.name) else 1 if value else 2, i)

    return min(indices, key=rank)


def judge(exercise: Exercise, cases: Sequence[Case], outcomes: Sequence[Outcome]) -> Verdict:
    """Compare each outcome with the reference's on the same case; diagnose the failures."""
    records = []
    for case, got in zip(cases, outcomes):
        want = expected(exercise, case)
        records.append(_Record(case, want, got, compare(exercise, want, got, case)))
    failed = [i for i, r in enumerate(records) if r.problem is not None]
    kinds = {"not-implemented" if r.got.not_implemented else "mutated" if r.got.mutated else r.got.kind
             for r in records if r.problem is not None}
    text, mistake, hits = diagnose(exercise, records) if failed and kinds != {"not-implemented"} else ("", None, [])
    failures = tuple(Failure(records[i].case.name, records[i].problem, mistake if i in hits else None)
                     for i in failed)
    shown = failed.index(_preferred(records, hits or failed)) if failed else 0
    value = [r for r in records if r.want.kind != "exception"]
    return Verdict(exercise.name, len(records) - len(failed), len(records), failures, frozenset(kinds), text, shown,
                   value_total=len(value), value_passed=sum(r.problem is None for r in value))
