"""Seconds to execute each notebook of the course (lectures and solutions), and the total.

Run:  .venv/bin/python benchmarks/notebook_times.py [NOTEBOOK ...]

Each notebook runs in a temporary copy of its folder (nothing in the repository is rewritten) with
nbclient, a 120 s cell timeout and the current interpreter's kernel. Prints a table; asserts nothing
(the course's budget is 20 s per notebook).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("notebooks", "solutions")
BUDGET_S = 20.0


def run(path: Path) -> tuple[float, str]:
    """Wall-clock seconds to execute ``path`` from a temp copy of its folder, and 'ok' or the error."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.parent.name
        shutil.copytree(path.parent, copy)
        nb = nbformat.read(copy / path.name, as_version=4)
        client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(copy)}})
        start = time.perf_counter()
        try:
            client.execute()
            status = "ok"
        except Exception as exc:  # report and go on with the next notebook
            status = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1][:60]}"
        return time.perf_counter() - start, status


def main(argv: list[str]) -> None:
    paths = [Path(a).resolve() for a in argv] or sorted(p for f in FOLDERS for p in (ROOT / f).glob("*.ipynb"))
    total = 0.0
    print(f"{'notebook':<48} {'seconds':>8}  status")
    for path in paths:
        seconds, status = run(path)
        total += seconds
        flag = "" if seconds < BUDGET_S else f"  (over the {BUDGET_S:g} s budget)"
        print(f"{str(path.relative_to(ROOT)):<48} {seconds:8.2f}  {status}{flag}")
    print(f"{'total (' + str(len(paths)) + ' notebooks)':<48} {total:8.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
