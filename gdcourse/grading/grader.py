"""Grade ``submitted/<student>/NN_topic.ipynb`` against ``solutions/``: one row per graded function.

For each graded cell of the solution notebook, the student's cell with the same id runs in its own child
process (``sandbox``) after the trusted setup cells, on cases drawn from the instructor's seed; the values
that come back are judged here (``judge``). One broken function never affects another. Rows go to a CSV
(``COLUMNS``) and a pandas gradebook, student × notebook.
"""

from __future__ import annotations

import csv
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..checks import EXERCISES, VISIBLE_SEED
from . import notebook
from .child import encode
from .judge import Outcome, judge
from .sandbox import ChildRun, Limits, run_function

__all__ = ["Row", "Grade", "COLUMNS", "grade_source", "grade_notebook", "grade_folder", "write_csv", "gradebook"]

COLUMNS = ["student", "notebook", "exercise", "score", "max_score", "cases_passed", "flags", "status", "message"]
# an import statement naming gdcourse (imports in any other form show up in the child's sys.modules)
_IMPORTS_GDCOURSE = re.compile(r"^[ \t]*(?:from[ \t]+gdcourse\b|import[^#\n]*\bgdcourse\b)", re.M)
_CELL_STATUS = {
    "syntax-error": "syntax-error",
    "cell-exception": "cell-error",
    "cell-timeout": "timeout",
    "cell-output-limit": "output-limit",
    "not-defined": "not-defined",
}
_FLAGS = {"mutated": "mutates-inputs", "timeout": "timeout", "output-limit": "output-limit", "lost": "crashed"}


@dataclass(frozen=True)
class Row:
    """One graded function of one student's notebook (the CSV's columns)."""

    student: str
    notebook: str
    exercise: str
    score: float
    max_score: float
    cases_passed: int
    flags: str
    status: str
    message: str


class Grade(NamedTuple):
    """The verdict on one graded cell."""

    score: float
    cases_passed: int
    flags: str
    status: str
    message: str


@dataclass(frozen=True)
class _Task:
    student: str
    notebook: str
    cell: notebook.GradedCell
    setup: tuple[str, ...]
    source: str | None  # None: no cell with that id
    status: str = ""  # set when there is nothing to run (missing, unreadable)
    message: str = ""


def _check_seed(seed: int) -> int:
    if seed == VISIBLE_SEED:
        raise ValueError(f"seed must differ from the visible seed {VISIBLE_SEED} that check() shows, got {seed}")
    return seed


def grade_source(
    exercise: str, source: str, setup: list[str], points: float, seed: int, limits: Limits = Limits()
) -> Grade:
    """Grade one graded cell's source, run after the (trusted) ``setup`` sources in a child process."""
    ex = EXERCISES[exercise]
    cases = ex.cases(np.random.default_rng(_check_seed(seed)))
    encoded = [[encode(a) for a in case.args] for case in cases]
    run = run_function(setup, source, exercise, list(ex.arg_names), encoded, limits)
    flags = ["imports-gdcourse"] if _IMPORTS_GDCOURSE.search(source) or run.modules else []
    if run.cell_status != "ok":
        status, message = _cell_failure(run)
        flags += ["timeout"] if status == "timeout" else []
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
    else:
        status = "partial" if verdict.passed else "failed"
    score = round(points * verdict.passed / verdict.total, 2)
    return Grade(score, verdict.passed, ";".join(dict.fromkeys(flags)), status, verdict.summary())


def _cell_failure(run: ChildRun) -> tuple[str, str]:
    if run.cell_status in _CELL_STATUS:
        return _CELL_STATUS[run.cell_status], run.cell_message
    if run.ended == "timeout":
        return "timeout", "the cell did not finish in time"
    return "crashed", f"the process ended ({run.ended}) before running the cell"


def _tasks(submission: Path | None, solution: Path, student: str, only: set[str] | None) -> list[_Task]:
    """The graded cells of one submission (by the solution's ids), or a reason each one cannot run."""
    trusted = notebook.load(solution)
    setup = tuple(notebook.setup_sources(trusted))
    cells = [c for c in notebook.graded_cells(trusted) if only is None or c.exercise in only]
    name = solution.stem
    if submission is None or not submission.exists():
        return [_Task(student, name, c, setup, None, "missing", f"no {name}.ipynb submitted") for c in cells]
    try:
        nb = notebook.load(submission)
    except ValueError as exc:
        return [_Task(student, name, c, setup, None, "unreadable", str(exc)) for c in cells]
    tasks = []
    for c in cells:
        cell = notebook.cell_by_id(nb, c.id)
        if cell is None:
            tasks.append(_Task(student, name, c, setup, None, "missing", f"no code cell with id {c.id!r}"))
        else:
            tasks.append(_Task(student, name, c, setup, notebook.source(cell)))
    return tasks


def _run(task: _Task, seed: int, limits: Limits) -> Row:
    points = task.cell.points
    if task.source is None:
        return Row(task.student, task.notebook, task.cell.exercise, 0.0, points, 0, "", task.status, task.message)
    grade = grade_source(task.cell.exercise, task.source, list(task.setup), points, seed, limits)
    return Row(task.student, task.notebook, task.cell.exercise, grade.score, points, *grade[1:])


def _run_all(tasks: list[_Task], seed: int, limits: Limits, jobs: int) -> list[Row]:
    _check_seed(seed)
    if jobs <= 1:
        return [_run(t, seed, limits) for t in tasks]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda t: _run(t, seed, limits), tasks))


def grade_notebook(
    submission: str | Path,
    solution: str | Path,
    seed: int,
    *,
    student: str | None = None,
    limits: Limits = Limits(),
    jobs: int = 1,
    only: set[str] | None = None,
) -> list[Row]:
    """Grade one submitted notebook (student = its folder's name unless given); ``only`` some exercises."""
    submission = Path(submission)
    tasks = _tasks(submission, Path(solution), student or submission.parent.name, only)
    return _run_all(tasks, seed, limits, jobs)


def grade_folder(
    submitted: str | Path,
    solutions: str | Path,
    seed: int,
    *,
    limits: Limits = Limits(),
    jobs: int = 1,
    notebooks: list[str] | None = None,
) -> list[Row]:
    """Grade every ``submitted/<student>/NN_topic.ipynb``.

    The notebooks graded are ``notebooks`` (stems), or every solution notebook that at least one student
    submitted; a student who did not submit one of them gets rows with status "missing".
    """
    submitted, solutions = Path(submitted), Path(solutions)
    students = sorted(p for p in submitted.iterdir() if p.is_dir())
    available = {p.stem: p for p in sorted(solutions.glob("*.ipynb"))}
    names = notebooks or sorted({p.stem for s in students for p in s.glob("*.ipynb")} & set(available))
    unknown = sorted(set(names) - set(available))
    if unknown:
        raise ValueError(f"no solution notebook for {unknown}; solutions/ has {sorted(available)}")
    tasks = [t for s in students for n in names for t in _tasks(s / f"{n}.ipynb", available[n], s.name, None)]
    return _run_all(tasks, seed, limits, jobs)


def write_csv(rows: list[Row], path: str | Path) -> None:
    """One line per row, columns ``COLUMNS``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(asdict(row) for row in rows)


def gradebook(rows: list[Row]) -> pd.DataFrame:
    """Points per student (rows) and notebook (columns), with a total column and the maximum as a row."""
    frame = pd.DataFrame([asdict(r) for r in rows], columns=COLUMNS)
    book = frame.pivot_table(index="student", columns="notebook", values="score", aggfunc="sum", fill_value=0.0)
    most = frame.drop_duplicates(["notebook", "exercise"]).groupby("notebook")["max_score"].sum()
    book.loc["(max)"] = most.reindex(book.columns)
    book["total"] = book.sum(axis=1)
    book.columns.name = None
    return book
