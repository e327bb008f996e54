"""Seconds to execute each notebook of the course (lectures and solutions), and the total.

Run:  .venv/bin/python benchmarks/notebook_times.py [NOTEBOOK ...]

Each notebook runs in a temporary copy of its folder (nothing in the repository is rewritten) with
nbclient, a 120 s cell timeout and the python3 kernel, reached over IPC sockets in that folder. Prints
wall-clock seconds and the CPU seconds of the kernel process (user + system, start-up included: what the
notebook costs on an idle machine, whatever else runs), and the totals; asserts nothing (the course's
budget is 20 s per notebook).
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("notebooks", "solutions")
BUDGET_S = 20.0


def _children_cpu() -> float:
    """CPU seconds used so far by the finished child processes (the kernels, once shut down)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(path: Path) -> tuple[float, float, str]:
    """Wall-clock and kernel CPU seconds to execute ``path`` from a temp copy of its folder, 'ok' or the error."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.parent.name
        shutil.copytree(path.parent, copy)
        nb = nbformat.read(copy / path.name, as_version=4)
        # IPC sockets in the temp folder, not TCP: local only, so the kernel has no reason to warn on stderr
        # (once per notebook) that its TCP traffic is unencrypted; its other messages still show.
        sockets = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(tmp) / "kernel")}})
        client = NotebookClient(nb, timeout=120, kernel_name="python3", config=sockets,
                                resources={"metadata": {"path": str(copy)}})
        start, cpu = time.perf_counter(), _children_cpu()
        try:
            client.execute()
            status = "ok"
        except Exception as exc:  # report and go on with the next notebook
            status = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1][:60]}"
        return time.perf_counter() - start, _children_cpu() - cpu, status


def main(argv: list[str]) -> None:
    paths = [Path(a).resolve() for a in argv] or sorted(p for f in FOLDERS for p in (ROOT / f).glob("*.ipynb"))
    total = total_cpu = 0.0
    print(f"{'notebook':<48} {'seconds':>8} {'CPU s':>7}  status")
    for path in paths:
        seconds, cpu, status = run(path)
        total, total_cpu = total + seconds, total_cpu + cpu
        flag = "" if seconds < BUDGET_S else f"  (over the {BUDGET_S:g} s budget)"
        print(f"{str(path.relative_to(ROOT)):<48} {seconds:8.2f} {cpu:7.2f}  {status}{flag}")
    print(f"{'total (' + str(len(paths)) + ' notebooks)':<48} {total:8.2f} {total_cpu:7.2f}")
    print(f"load average over the last minute: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main(sys.argv[1:])
