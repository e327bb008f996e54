"""Run one graded function of a submission in a capped child process and read back what it returned.

The child is ``python -I child.py`` in a fresh temporary working directory, in its own session (so the
whole process group can be killed), with a clean environment, one BLAS thread, and limits it sets on
itself before any student code runs: address space, CPU time, file size, printed characters. The parent
waits at most ``timeout`` seconds, then SIGKILLs the group; the JSON lines written so far still count.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHILD = Path(__file__).with_name("child.py")
_MAX_RESULT_BYTES = 32 * 2**20


@dataclass(frozen=True)
class Limits:
    """Caps for one child (one graded function): wall clock, per case, memory, printed output."""

    timeout: float = 10.0
    case_timeout: float = 2.0
    memory: int = 2**30
    output: int = 2**20
    file_size: int = 16 * 2**20


@dataclass
class ChildRun:
    """What came back: the cell's status, one outcome per case (None if never reached), the end state."""

    cell_status: str
    cell_message: str
    outcomes: list[dict | None]
    modules: list[str] = field(default_factory=list)
    ended: str = "exit code 0"  # exit code N | killed by SIGNAME | timeout
    seconds: float = 0.0


def run_function(
    setup: list[str],
    cell: str,
    function: str,
    arg_names: list[str],
    cases: list[list[Any]],
    limits: Limits = Limits(),
) -> ChildRun:
    """Execute ``setup`` + ``cell`` in a child and call ``function`` on each case (encoded arguments)."""
    job = {
        "setup": setup,
        "cell": cell,
        "function": function,
        "arg_names": arg_names,
        "cases": cases,
        "timeout": limits.timeout,
        "case_timeout": limits.case_timeout,
        "memory": limits.memory,
        "output": limits.output,
        "file_size": limits.file_size,
    }
    workdir = Path(tempfile.mkdtemp(prefix="gdcourse-grade-"))
    start = time.perf_counter()
    try:
        (workdir / "job.json").write_text(json.dumps(job))
        ended = _spawn(workdir, limits.timeout)
        run = _read(workdir / "result.jsonl", len(cases), ended)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    run.seconds = time.perf_counter() - start
    return run


def _spawn(workdir: Path, timeout: float) -> str:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(workdir),
        "TMPDIR": str(workdir),
        "MPLBACKEND": "Agg",
        "PYTHONHASHSEED": "0",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    with open(workdir / "stdout", "wb") as out, open(workdir / "stderr", "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-I", str(CHILD), "job.json", "result.jsonl"],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        try:
            ended = _describe_exit(proc.wait(timeout=timeout))
        except subprocess.TimeoutExpired:
            ended = "timeout"
        finally:
            _kill_group(proc)
    return ended


def _kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the child's process group (it ignores nothing), including anything it forked."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _describe_exit(code: int) -> str:
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        return f"killed by {name}"
    return f"exit code {code}"


def _read(path: Path, n_cases: int, ended: str) -> ChildRun:
    """Parse the child's JSON lines; a garbled line is skipped, a missing case stays None."""
    run = ChildRun("crashed", "", [None] * n_cases, ended=ended)
    if not path.exists():
        return run
    with open(path, "rb") as f:
        lines = f.read(_MAX_RESULT_BYTES).splitlines()
    for line in lines:
        try:
            event = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if not isinstance(event, dict):
            continue
        kind = event.get("event")
        if kind == "cell" and run.cell_status == "crashed":
            run.cell_status, run.cell_message = str(event.get("status")), str(event.get("message", ""))[:500]
        elif kind == "case" and isinstance(event.get("index"), int) and 0 <= event["index"] < n_cases:
            if run.outcomes[event["index"]] is None:
                run.outcomes[event["index"]] = event
        if kind in ("cell", "done") and isinstance(event.get("modules"), list):
            run.modules = sorted(set(run.modules) | {str(m) for m in event["modules"]})
    return run
