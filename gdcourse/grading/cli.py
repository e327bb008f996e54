"""``gdcourse-grade``: grade ``submitted/<student>/NN_topic.ipynb``, write a CSV, print the gradebook.

    gdcourse-grade [SUBMITTED] [--solutions DIR] [--out CSV] [--seed N] [--jobs N] [--timeout S]
                   [--case-timeout S] [--notebook NN_topic ...] [--no-sandbox]

The cases come from ``--seed`` (or the environment variable GDCOURSE_GRADE_SEED); without either a fresh
random seed is drawn and printed, so a grading run can be repeated exactly. Every graded cell runs inside
bubblewrap; where it is missing the grader refuses and says how to install it, unless ``--no-sandbox`` is
given (then every row is flagged ``unsandboxed``).
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time

import pandas as pd

from ..checks import VISIBLE_SEED
from . import pids
from .grader import grade_folder, gradebook, write_csv
from .sandbox import Limits, SandboxUnavailable

__all__ = ["main", "format_gradebook"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gdcourse-grade", description=__doc__.split("\n\n")[0])
    p.add_argument("submitted", nargs="?", default="submitted", help="folder of student folders (default: submitted)")
    p.add_argument("--solutions", default="solutions", help="the trusted solution notebooks (default: solutions)")
    p.add_argument("--out", default="gradebook.csv", help="CSV to write (default: gradebook.csv)")
    p.add_argument("--seed", type=int, default=None, help="instructor seed of the hidden cases")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="graded functions run in parallel")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per graded function (default 10)")
    p.add_argument("--case-timeout", type=float, default=2.0, help="seconds per case (default 2)")
    p.add_argument("--notebook", action="append", dest="notebooks", help="grade only this notebook (repeatable)")
    p.add_argument("--no-sandbox", dest="sandbox", action="store_false",
                   help="run students' code without bubblewrap (unsafe; every row is flagged unsandboxed)")
    return p


def _seed(arg: int | None) -> int:
    if arg is not None:
        return arg
    env = os.environ.get("GDCOURSE_GRADE_SEED")
    if env:
        return int(env)
    seed = VISIBLE_SEED
    while seed == VISIBLE_SEED:
        seed = secrets.randbits(32)
    return seed


def format_gradebook(rows: list) -> str:
    """The gradebook as ``gdcourse-grade`` prints it."""
    with pd.option_context("display.precision", 2, "display.width", 200):
        return gradebook(rows).to_string() if rows else "(no submissions)"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not os.path.isdir(args.submitted):
        print(f"gdcourse-grade: no folder {args.submitted!r} (expected {args.submitted}/<student>/NN_topic.ipynb)",
              file=sys.stderr)
        return 2
    seed = _seed(args.seed)
    limits = Limits(timeout=args.timeout, case_timeout=min(args.case_timeout, args.timeout))
    start = time.perf_counter()
    try:
        rows = grade_folder(args.submitted, args.solutions, seed, limits=limits, jobs=max(1, args.jobs),
                            notebooks=args.notebooks, sandbox=args.sandbox)
    except (ValueError, SandboxUnavailable) as exc:
        print(f"gdcourse-grade: {exc}", file=sys.stderr)
        return 2
    write_csv(rows, args.out)
    seconds = time.perf_counter() - start
    print(format_gradebook(rows))
    print(f"seed {seed} (pass --seed {seed} to repeat); {len(rows)} graded functions in {seconds:.1f} s; "
          f"wrote {args.out}" + ("" if args.sandbox else "; WITHOUT the sandbox (--no-sandbox)"))
    if not pids.capped():
        print(f"gdcourse-grade: warning: graded as root where no pids cgroup can be made, so a submission's processes "
              f"were not capped at {limits.processes}: only the time limit stops a fork bomb. Grade as another user "
              "(RLIMIT_NPROC then caps them).", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
