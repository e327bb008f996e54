"""How long the instructor's grader takes per submission, with and without its sandbox, serially and in parallel.

Run:  .venv/bin/python benchmarks/grader_time.py [--students N] [--jobs J] [--class-size 300]

Builds a class in a temporary folder, laid out as ``submitted/<student>/NN_topic.ipynb``: for every
solution notebook, students who hand in the solution, the unsolved exercise, and a notebook whose every
graded function is one of its known mistakes (the k-th student the k-th mistake, cycling). Grades the
first ``--students`` of them with ``grade_folder`` (what ``make grade`` runs) inside bubblewrap and with
``--no-sandbox``, each with one job and with ``--jobs J`` (alternating, ``--repeat`` times, the fastest
counting); prints seconds per notebook submission and per graded function, what the sandbox adds per
submission, the child's start-up with and without bwrap, and the time a class of ``--class-size``
students × every notebook would take with J jobs in the sandbox, extrapolated from the measured rate (the
sample is graded, the whole class is only generated: a full run takes too long on a shared machine).
Prints what the scores were (a sanity line, not a test: solutions full marks, stubs zero, mistakes less
than full) and the load average. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from gdcourse.grading.grader import grade_folder
from gdcourse.grading.notebook import graded_cells, load
from gdcourse.grading.sandbox import INSIDE_SITE, SANDBOX_ENV, bwrap_command, interpreter
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


def _cpu() -> float:
    """CPU seconds of this process and of every child it has waited for (the sandboxes and what ran inside)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _startup(pairs: int = 15) -> tuple[float, float]:
    """Median wall seconds of the child's start (python -I -S, import numpy) with and without bwrap,
    measured in interleaved pairs so that a change of load hits both alike."""
    code = ["-I", "-S", "-c", "import sys; sys.path.insert(0, sys.argv[1]); import numpy"]
    site = str(Path(np.__file__).resolve().parent.parent)
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(pairs):
        for sandbox in (True, False):
            command = ([*bwrap_command(), "--", interpreter(), *code, INSIDE_SITE] if sandbox
                       else [interpreter(), *code, site])
            start = time.perf_counter()
            subprocess.run(command, check=True, stdin=subprocess.DEVNULL, env=SANDBOX_ENV)
            times[sandbox].append(time.perf_counter() - start)
    return statistics.median(times[True]), statistics.median(times[False])


def _grade(submitted: Path, jobs: int, sandbox: bool) -> tuple[float, float, list]:
    start, cpu = time.perf_counter(), _cpu()
    rows = grade_folder(submitted, ROOT / "solutions", SEED, jobs=jobs, sandbox=sandbox)
    return time.perf_counter() - start, _cpu() - cpu, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=3,
                        help="students graded (a third each: solved, stub, mistakes)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel jobs of the second run (default 2)")
    parser.add_argument("--class-size", type=int, default=300, help="students of the class extrapolated to")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each configuration; the fastest counts")
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        submitted = Path(tmp) / "submitted"
        notebooks = build_class(submitted, args.students)
        timings, cpus, rows = {}, {}, []
        for _ in range(args.repeat):  # with and without the sandbox alternate, so a change of load hits both
            for jobs in sorted({1, args.jobs}):
                for sandbox in (True, False):
                    seconds, cpu, graded = _grade(submitted, jobs, sandbox)
                    if seconds < timings.get((sandbox, jobs), float("inf")):
                        timings[sandbox, jobs], cpus[sandbox, jobs] = seconds, cpu
                    rows = graded if sandbox else rows  # the scores line shows the sandboxed run
    per_student = notebooks // args.students
    print(f"{args.students} students × {per_student} notebooks = {notebooks} submissions, "
          f"{len(rows)} graded functions (seed {SEED})")
    print(f"{'sandbox':>8} {'jobs':>5} {'total s':>9} {'s / submission':>15} {'ms / function':>14} "
          f"{'CPU s / submission':>19}")
    for (sandbox, jobs), seconds in timings.items():
        cpu = "n/a" if sandbox else f"{cpus[sandbox, jobs] / notebooks:.3f}"  # bwrap's children escape getrusage
        print(f"{'bwrap' if sandbox else 'none':>8} {jobs:>5} {seconds:>9.1f} {seconds / notebooks:>15.3f} "
              f"{1e3 * seconds / len(rows):>14.0f} {cpu:>19}")
    functions = len(rows) / notebooks
    for jobs in sorted({1, args.jobs}):
        added = (timings[True, jobs] - timings[False, jobs]) / notebooks
        print(f"the sandbox adds {added:+.3f} s per submission with {jobs} job{'s' * (jobs > 1)} "
              f"(×{timings[True, jobs] / timings[False, jobs]:.2f}; fastest of {args.repeat} alternating runs)")
    with_bwrap, without = _startup()
    print(f"child start-up (python + numpy), median of 15 interleaved pairs: {1e3 * with_bwrap:.0f} ms in bwrap, "
          f"{1e3 * without:.0f} ms without: the sandbox adds {1e3 * (with_bwrap - without):+.0f} ms per graded "
          f"function, {functions * (with_bwrap - without):+.3f} s per submission ({functions:.1f} functions)")
    if args.jobs != 1:
        print(f"speed-up with {args.jobs} jobs in the sandbox: {timings[True, 1] / timings[True, args.jobs]:.2f}×")
    whole = args.class_size * per_student
    rate = timings[True, args.jobs] / notebooks
    cores = min(args.jobs, os.cpu_count() or 1)
    idle = (cpus[False, args.jobs] / notebooks + functions * max(0.0, with_bwrap - without)) * whole / cores
    print(f"a class of {args.class_size} students × {per_student} notebooks = {whole} submissions, "
          f"--jobs {args.jobs}, in the sandbox: {whole * rate / 60:.1f} min at this load (extrapolated from the "
          f"{notebooks} measured); on {cores} idle cores about {idle / 60:.1f} min (the CPU seconds of the run "
          f"without the sandbox plus the sandbox's start-up, spread over the cores). Target: < 20 min")
    kinds = {0: "solution", 1: "stub", 2: "mistakes"}
    for kind, label in kinds.items():
        mine = [r for r in rows if int(r.student[-2:]) % 3 == kind]
        got, best = sum(r.score for r in mine), sum(r.max_score for r in mine)
        print(f"{label:>9}: {got:g} of {best:g} points over {len(mine)} graded functions")
    print(f"load average over the last minute: {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after, "
          f"on {os.cpu_count()} CPUs (shared)")


if __name__ == "__main__":
    main()
