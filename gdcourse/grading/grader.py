"""Grade ``submitted/<student>/NN_topic.ipynb`` against ``solutions/``: one row per graded function.

For each graded cell of the solution notebook, the student's cell (same id, else same exercise metadata)
runs in its own sandbox (``sandbox``) after the trusted setup cells, on cases drawn from the instructor's
seed; the values that come back are judged here (``judge``). One broken function never affects another,
and an error while grading one submission becomes an ``error`` row while the run goes on. A submitted file
that is a symlink, a FIFO, a device or too large gets one ``refused`` row, one that is not a valid notebook
one ``unreadable`` row. Points follow ``judge.CREDIT_RULE``. Rows go to a CSV (``COLUMNS``), written whole
(temporary file, then rename) with every text field safe for a spreadsheet, and to a pandas gradebook.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..checks import EXERCISES, VISIBLE_SEED
from . import notebook
from .channel import ChildRun
from .child import encode
from .judge import Outcome, judge
from .sandbox import Limits, require_sandbox, run_function

__all__ = ["Row", "Grade", "COLUMNS", "grade_source", "grade_notebook", "grade_folder", "write_csv", "gradebook",
           "safe_text", "WHOLE_NOTEBOOK"]

COLUMNS = ["student", "notebook", "exercise", "score", "max_score", "cases_passed", "flags", "status", "message"]
WHOLE_NOTEBOOK = "*"  # the exercise of the one row of a refused or unreadable notebook
# an import statement naming gdcourse (inside the sandbox any import of it fails: this only flags the attempt)
_IMPORTS_GDCOURSE = re.compile(r"^[ \t]*(?:from[ \t]+gdcourse\b|import[^#\n]*\bgdcourse\b)", re.M)
_CELL_STATUS = {
    "syntax-error": "syntax-error",
    "setup-error": "setup-error",
    "cell-exception": "cell-error",
    "cell-timeout": "timeout",
    "cell-output-limit": "output-limit",
    "not-defined": "not-defined",
    "malformed": "malformed",
}
_FLAGS = {"mutated": "mutates-inputs", "timeout": "timeout", "output-limit": "output-limit", "lost": "crashed",
          "malformed": "malformed"}
_SURROGATE = re.compile("[\ud800-\udfff]")  # what UTF-8 cannot encode (e.g. os.fsdecode of a bad name)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP: a spreadsheet reads these as a formula


def safe_text(text: object) -> str:
    """Text fit for the gradebook: valid UTF-8 (a lone surrogate, e.g. from an exception message or an
    undecodable folder name, becomes U+FFFD) and never read as a spreadsheet formula (OWASP: a field
    starting with = + - @ tab or CR gets a leading apostrophe)."""
    text = _SURROGATE.sub("\ufffd", str(text))
    return "'" + text if text.startswith(_FORMULA_START) else text


@dataclass(frozen=True)
class Row:
    """One graded function of one student's notebook (the CSV's columns); text fields pass ``safe_text``."""

    student: str
    notebook: str
    exercise: str
    score: float
    max_score: float
    cases_passed: int
    flags: str
    status: str
    message: str

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                object.__setattr__(self, f.name, safe_text(value))


class Grade(NamedTuple):
    """The verdict on one graded cell."""

    score: float
    cases_passed: int
    flags: str
    status: str
    message: str


@dataclass(frozen=True)
class _Task:
    """One graded cell to run, or (``cell`` None) the one row of a notebook that cannot be graded."""

    student: str
    notebook: str
    cell: notebook.GradedCell | None
    setup: tuple[str, ...]
    source: str | None  # None: nothing to run (status says why)
    status: str = ""
    message: str = ""
    points: float = 0.0


def _check_seed(seed: int) -> int:
    if seed == VISIBLE_SEED:
        raise ValueError(f"seed must differ from the visible seed {VISIBLE_SEED} that check() shows, got {seed}")
    return seed


def grade_source(
    exercise: str,
    source: str,
    setup: list[str],
    points: float,
    seed: int,
    limits: Limits = Limits(),
    sandbox: bool = True,
) -> Grade:
    """Grade one graded cell's source, run after the (trusted) ``setup`` sources in a sandboxed child."""
    ex = EXERCISES[exercise]
    cases = ex.cases(np.random.default_rng(_check_seed(seed)))
    encoded = [[encode(a) for a in case.args] for case in cases]
    run = run_function(setup, source, exercise, list(ex.arg_names), encoded, limits, sandbox)
    flags = ["imports-gdcourse"] if _IMPORTS_GDCOURSE.search(source) or run.modules else []
    flags += [] if sandbox else ["unsandboxed"]
    if run.cell_status != "ok":
        status, message = _cell_failure(run)
        flags += [status] if status in ("timeout", "malformed") else []
        return Grade(0.0, 0, ";".join(flags), status, message)
    lost = f"the process ended ({run.ended})"
    verdict = judge(ex, cases, [Outcome.from_event(event, lost) for event in run.outcomes])
    flags += [flag for kind, flag in _FLAGS.items() if kind in verdict.kinds]
    if verdict.not_implemented:
        status = "not-implemented"
    elif not verdict.failures:
        status = "ok"
    elif run.ended == "timeout":
        status = "timeout"
    elif "malformed" in verdict.kinds:
        status = "malformed"
    else:
        status = "partial" if verdict.credited else "failed"
    message = verdict.summary()
    if verdict.credited < verdict.passed:
        message += credit_note(verdict.passed - verdict.value_passed, verdict.value_total)
    score = round(points * verdict.credited / verdict.total, 2)
    return Grade(score, verdict.passed, ";".join(dict.fromkeys(flags)), status, message)


def credit_note(raised: int, value_cases: int) -> str:
    """Why ``raised`` passed bad-argument cases earned nothing: not every one of the ``value_cases`` passed."""
    cases = "its 1 bad-argument case counts" if raised == 1 else f"its {raised} bad-argument cases count"
    values = "its 1 value case passes" if value_cases == 1 else f"all {value_cases} value cases pass"
    return f" ({cases} only once {values})"


def _cell_failure(run: ChildRun) -> tuple[str, str]:
    if run.cell_status in _CELL_STATUS:
        return _CELL_STATUS[run.cell_status], run.cell_message
    if run.ended == "timeout":
        return "timeout", "the cell did not finish in time"
    last = run.stderr.strip().splitlines()[-1:]  # e.g. the MemoryError of a harness that ran out of memory
    return "crashed", f"the process ended ({run.ended}) before running the cell" + "".join(f": {s}" for s in last)


def _tasks(submission: Path | None, solution: Path, student: str, only: set[str] | None) -> list[_Task]:
    """The graded cells of one submission, or the one reason the notebook cannot be graded."""
    trusted = notebook.load(solution)
    setup = tuple(notebook.setup_sources(trusted))
    cells = [c for c in notebook.graded_cells(trusted) if only is None or c.exercise in only]
    name = solution.stem

    def whole(status: str, message: str) -> list[_Task]:
        return [_Task(student, name, None, setup, None, status, message, sum(c.points for c in cells))]

    if submission is None or not os.path.lexists(submission):
        return [_Task(student, name, c, setup, None, "missing", f"no {name}.ipynb submitted", c.points)
                for c in cells]
    try:
        nb = notebook.load(submission)
    except notebook.Refused as exc:
        return whole("refused", f"not graded: {exc}")
    except ValueError as exc:
        return whole("unreadable", str(exc))
    tasks = []
    for c in cells:
        text = notebook.graded_source(nb, c)
        if text is None:
            tasks.append(_Task(student, name, c, setup, None, "missing", f"no code cell with id {c.id!r} "
                               f"or exercise {c.exercise!r}", c.points))
        else:
            tasks.append(_Task(student, name, c, setup, text, points=c.points))
    return tasks


def _run(task: _Task, seed: int, limits: Limits, sandbox: bool) -> Row:
    exercise = task.cell.exercise if task.cell else WHOLE_NOTEBOOK
    unsandboxed = "" if sandbox else "unsandboxed"
    if task.source is None:
        return Row(task.student, task.notebook, exercise, 0.0, task.points, 0, unsandboxed, task.status, task.message)
    try:
        grade = grade_source(exercise, task.source, list(task.setup), task.points, seed, limits, sandbox)
    except Exception as exc:  # noqa: BLE001 - one submission must never stop a class's grading
        return Row(task.student, task.notebook, exercise, 0.0, task.points, 0, unsandboxed, "error",
                   f"grader error: {type(exc).__name__}: {exc}")
    return Row(task.student, task.notebook, exercise, grade.score, task.points, *grade[1:])


def _run_all(tasks: list[_Task], seed: int, limits: Limits, jobs: int, sandbox: bool) -> list[Row]:
    _check_seed(seed)
    if sandbox and any(t.source is not None for t in tasks):
        require_sandbox()
    if jobs <= 1:
        return [_run(t, seed, limits, sandbox) for t in tasks]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda t: _run(t, seed, limits, sandbox), tasks))


def _safe_tasks(submission: Path | None, solution: Path, student: str, only: set[str] | None) -> list[_Task]:
    try:
        return _tasks(submission, solution, student, only)
    except Exception as exc:  # noqa: BLE001 - e.g. a file that changes while we read it: that row, not the run
        return [_Task(student, solution.stem, None, (), None, "error", f"grader error: {type(exc).__name__}: {exc}")]


def grade_notebook(
    submission: str | Path,
    solution: str | Path,
    seed: int,
    *,
    student: str | None = None,
    limits: Limits = Limits(),
    jobs: int = 1,
    only: set[str] | None = None,
    sandbox: bool = True,
) -> list[Row]:
    """Grade one submitted notebook (student = its folder's name unless given); ``only`` some exercises."""
    submission = Path(submission)
    tasks = _safe_tasks(submission, Path(solution), student or submission.parent.name, only)
    return _run_all(tasks, seed, limits, jobs, sandbox)


def grade_folder(
    submitted: str | Path,
    solutions: str | Path,
    seed: int,
    *,
    limits: Limits = Limits(),
    jobs: int = 1,
    notebooks: list[str] | None = None,
    sandbox: bool = True,
) -> list[Row]:
    """Grade every ``submitted/<student>/NN_topic.ipynb``.

    The notebooks graded are ``notebooks`` (stems), or every solution notebook that at least one student
    submitted; a student who did not submit one of them gets rows with status "missing". A student
    folder that is a symbolic link gets one "refused" row per notebook; files beside the folders are ignored.
    """
    submitted, solutions = Path(submitted), Path(solutions)
    entries = sorted(p for p in submitted.iterdir() if p.is_symlink() or p.is_dir())
    folders = [p for p in entries if not p.is_symlink()]
    available = {p.stem: p for p in sorted(solutions.glob("*.ipynb"))}
    names = notebooks or sorted({p.stem for s in folders for p in s.glob("*.ipynb")} & set(available))
    unknown = sorted(set(names) - set(available))
    if unknown:
        raise ValueError(f"no solution notebook for {unknown}; solutions/ has {sorted(available)}")
    points = {n: sum(c.points for c in notebook.graded_cells(notebook.load(available[n]))) for n in names}
    linked = "not graded: the student folder is a symbolic link"
    tasks = [t for s in entries for n in names for t in (
        [_Task(s.name, n, None, (), None, "refused", linked, points[n])] if s.is_symlink()
        else _safe_tasks(s / f"{n}.ipynb", available[n], s.name, None))]
    return _run_all(tasks, seed, limits, jobs, sandbox)


def write_csv(rows: list[Row], path: str | Path) -> None:
    """One line per row, columns ``COLUMNS``, UTF-8; written to a temporary file that then replaces
    ``path``, so the file is always either the previous gradebook or the whole new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with open(fd, "w", newline="", encoding="utf-8", errors="replace") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(asdict(row) for row in rows)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def gradebook(rows: list[Row]) -> pd.DataFrame:
    """Points per student (rows) and notebook (columns), with a total column and the maximum as a row."""
    frame = pd.DataFrame([asdict(r) for r in rows], columns=COLUMNS)
    book = frame.pivot_table(index="student", columns="notebook", values="score", aggfunc="sum", fill_value=0.0)
    most = frame.groupby(["notebook", "student"])["max_score"].sum().groupby("notebook").max()
    book.loc["(max)"] = most.reindex(book.columns)
    book["total"] = book.sum(axis=1)
    book.columns.name = None
    return book
