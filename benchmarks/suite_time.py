"""How long `make test` takes: the total, the split by group of tests, and the slowest tests.

Run:  .venv/bin/python benchmarks/suite_time.py [-- EXTRA PYTEST ARGS]

Runs ``make test`` once in a subprocess from the repository root, with pytest writing a JUnit XML
report (``--junitxml=build/bench/suite.xml -o junit_family=xunit1``: every test with its file and its
setup + call + teardown seconds) appended to the PYTEST_ARGS of the environment and to the extra
arguments given after ``--``. The full output goes to build/bench/suite.log. The make variables of a
calling make (MAKEFLAGS) are not passed on, so ``make bench`` runs exactly ``make test``; the test suite
never runs benchmarks, so there is no recursion.

Prints the wall-clock seconds of ``make test`` (interpreter start-up and collection included), the CPU
seconds of everything it ran (pytest, the notebook kernels, JupyterLab and Chromium of the browser
suite), the seconds per group (unit tests in tests/ without the browser and grader suites, the browser
suite, the grader tests, notebooks/, solutions/, exercises/) and the 10 slowest tests and files, with
the load average (other processes inflate wall time). A failing suite is reported: its failed tests are
listed and the script exits with the suite's exit code, so ``make bench`` fails too. Times nothing else.
"""

from __future__ import annotations

import os
import resource
import shlex
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT, LOG = Path("build/bench/suite.xml"), Path("build/bench/suite.log")
GRADER_TESTS = ("tests/test_grading.py", "tests/test_exercises.py")  # drive gdcourse.grading end to end
GROUPS: list[tuple[str, Callable[[str], bool]]] = [  # first match wins
    ("browser suite (tests/test_browser.py)", lambda f: f == "tests/test_browser.py"),
    ("grader (test_grading, test_exercises)", lambda f: f in GRADER_TESTS),
    ("unit tests (the rest of tests/)", lambda f: f.startswith("tests/")),
    ("notebooks/", lambda f: f.startswith("notebooks/")),
    ("solutions/", lambda f: f.startswith("solutions/")),
    ("exercises/", lambda f: f.startswith("exercises/")),
]


@dataclass(frozen=True)
class Case:
    file: str
    name: str
    seconds: float
    outcome: str  # passed, failed, error, skipped
    message: str

    @property
    def group(self) -> str:
        return next((name for name, matches in GROUPS if matches(self.file)), "other")


def read_report(path: Path) -> list[Case]:
    """The test cases of a JUnit XML report (xunit1: each has its file)."""
    cases = []
    for case in ET.parse(path).iter("testcase"):
        outcome, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = {"failure": "failed"}.get(child.tag, child.tag)
                message = (child.get("message") or "").strip().splitlines()[0:1]
                message = message[0][:100] if message else ""
                break
        name = f"{case.get('file', case.get('classname', '?'))}::{case.get('name')}"
        cases.append(Case(case.get("file", "?"), name, float(case.get("time", 0.0)), outcome, message))
    return cases


def run_suite(extra: list[str]) -> tuple[int, float, float, str]:
    """Exit code, wall and CPU seconds of ``make test`` with the JUnit report, and the command run."""
    (ROOT / REPORT).unlink(missing_ok=True)
    (ROOT / LOG).parent.mkdir(parents=True, exist_ok=True)
    pytest_args = " ".join(
        [os.environ.get("PYTEST_ARGS", ""), *map(shlex.quote, extra), f"--junitxml={REPORT}", "-o junit_family=xunit1"]
    ).strip()
    command = ["make", "--no-print-directory", "test", f"PYTEST_ARGS={pytest_args}"]
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(ROOT / LOG, "w") as log:
        code = subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    return code, wall, cpu, shlex.join(command)


def print_tables(cases: list[Case], wall: float) -> None:
    by_group: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_group[case.group].append(case)
    total = sum(c.seconds for c in cases)
    print(f"{'group':<40} {'tests':>6} {'passed':>6} {'failed':>6} {'skipped':>7} {'seconds':>8} {'share':>6}")
    for name in [g for g, _ in GROUPS] + ["other"]:
        group = by_group.get(name, [])
        if not group and name == "other":
            continue
        count = {o: sum(c.outcome == o for c in group) for o in ("passed", "failed", "error", "skipped")}
        seconds = sum(c.seconds for c in group)
        print(f"{name:<40} {len(group):6d} {count['passed']:6d} {count['failed'] + count['error']:6d}"
              f" {count['skipped']:7d} {seconds:8.1f} {seconds / wall:6.1%}")
    print(f"{'all tests':<40} {len(cases):6d} {'':>6} {'':>6} {'':>7} {total:8.1f} {total / wall:6.1%}")
    print(f"{'outside the tests (start-up, collection)':<40} {'':>6} {'':>6} {'':>6} {'':>7} {wall - total:8.1f}"
          f" {(wall - total) / wall:6.1%}")
    print("10 slowest tests (setup + call + teardown; a notebook's first cell includes its kernel start):")
    for case in sorted(cases, key=lambda c: -c.seconds)[:10]:
        print(f"  {case.seconds:7.2f} s  {case.name}")
    by_file: dict[str, float] = defaultdict(float)
    for case in cases:
        by_file[case.file] += case.seconds
    print("10 slowest files:")
    for file, seconds in sorted(by_file.items(), key=lambda item: -item[1])[:10]:
        print(f"  {seconds:7.2f} s  {file}")


def main(argv: list[str]) -> int:
    extra = argv[1:] if argv[:1] == ["--"] else argv
    load_before = os.getloadavg()[0]
    print(f"running make test once (log: {LOG}) ...", flush=True)
    code, wall, cpu, command = run_suite(extra)
    print(f"$ {command}\nexit code {code}: {wall:.1f} s wall, {cpu:.1f} s CPU (make, pytest, kernels, browser)")
    if not (ROOT / REPORT).exists():
        tail = (ROOT / LOG).read_text(errors="replace").splitlines()[-15:]
        print("SUITE DID NOT RUN (no JUnit report); the end of its log:\n  " + "\n  ".join(tail))
        return code or 1
    cases = read_report(ROOT / REPORT)
    print_tables(cases, wall)
    failed = [c for c in cases if c.outcome in ("failed", "error")]
    if code != 0:
        print(f"SUITE FAILED (exit code {code}), {len(failed)} failed or erroring tests:")
        for case in failed[:20]:
            print(f"  {case.outcome.upper()} {case.name}: {case.message}")
        if not failed:
            print("  (none in the report: see the end of the log)")
    one, five, fifteen = os.getloadavg()
    print(f"load average: {load_before:.2f} (1 min) before the run; {one:.2f}, {five:.2f}, {fifteen:.2f} "
          f"(1, 5, 15 min) after it, on {os.cpu_count()} CPUs")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
