"""How long the instructor's grader takes per submission, serially and in parallel.

Run:  .venv/bin/python benchmarks/grader_time.py [--students N] [--jobs J]

Builds a class in a temporary folder, laid out as ``submitted/<student>/NN_topic.ipynb``: for every
solution notebook, students who hand in the solution, the unsolved exercise, and a notebook whose every
graded function is one of its known mistakes (the k-th student the k-th mistake, cycling). Grades it
with ``grade_folder`` (what ``make grade`` runs) once with one job and once with ``--jobs J``, prints
seconds per notebook submission and per graded function and the ratio, and what the scores were (a
sanity line, not a test: solutions full marks, stubs zero, mistakes less than full). Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from gdcourse.grading.grader import grade_folder
from gdcourse.grading.notebook import graded_cells, load
from gdcourse.mistakes import for_exercise

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261124


def _with_mistakes(solution: Path, k: int) -> dict:
    """The solution notebook with every graded function replaced by its k-th known mistake (cycling)."""
    nb = load(solution)
    by_id = {cell.id: cell.exercise for cell in graded_cells(nb)}
    for cell in nb["cells"]:
        if cell.get("id") in by_id:
            mistakes = for_exercise(by_id[cell["id"]])
            cell["source"] = mistakes[k % len(mistakes)].code
    return nb


def build_class(root: Path, students: int) -> int:
    """Write the submissions under ``root``; return how many notebooks were handed in."""
    handed_in = 0
    for solution in sorted((ROOT / "solutions").glob("*.ipynb")):
        exercise = ROOT / "exercises" / solution.name
        for s in range(students):
            folder = root / f"student{s:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            kind = s % 3
            if kind == 0:
                shutil.copy(solution, folder / solution.name)
            elif kind == 1:
                shutil.copy(exercise, folder / solution.name)
            else:
                (folder / solution.name).write_text(json.dumps(_with_mistakes(solution, s // 3)), encoding="utf-8")
            handed_in += 1
    return handed_in


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=6, help="students (a third each: solved, stub, mistakes)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="parallel jobs of the second run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        submitted = Path(tmp) / "submitted"
        notebooks = build_class(submitted, args.students)
        timings = {}
        for jobs in sorted({1, args.jobs}):
            start = time.perf_counter()
            rows = grade_folder(submitted, ROOT / "solutions", SEED, jobs=jobs)
            timings[jobs] = time.perf_counter() - start
    print(f"{args.students} students × {notebooks // args.students} notebooks = {notebooks} submissions, "
          f"{len(rows)} graded functions (seed {SEED})")
    print(f"{'jobs':>5} {'total s':>9} {'s / submission':>15} {'ms / function':>14}")
    for jobs, seconds in timings.items():
        print(f"{jobs:>5} {seconds:>9.1f} {seconds / notebooks:>15.3f} {1e3 * seconds / len(rows):>14.0f}")
    if len(timings) == 2:
        print(f"speed-up with {args.jobs} jobs: {timings[1] / timings[args.jobs]:.2f}×")
    kinds = {0: "solution", 1: "stub", 2: "mistakes"}
    for kind, label in kinds.items():
        mine = [r for r in rows if int(r.student[-2:]) % 3 == kind]
        got, best = sum(r.score for r in mine), sum(r.max_score for r in mine)
        print(f"{label:>9}: {got:g} of {best:g} points over {len(mine)} graded functions")
    print(f"load average over the last minute: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
