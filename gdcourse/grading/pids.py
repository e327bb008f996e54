"""A cap on the processes of one graded child, so that a fork bomb in a cell cannot take the machine's PIDs.

The child sets RLIMIT_NPROC to ``Limits.processes``; inside bwrap's user namespace the kernel counts it per
sandbox. Not for root, though: the kernel exempts root's processes from RLIMIT_NPROC, and bwrap started by root
maps the sandbox's user to root outside it. So a grader running as root also starts each child in a cgroup of its
own whose ``pids.max`` is the same cap (in cgroup v1's pids hierarchy, or a cgroup v2 hierarchy that enables pids
for its children). Where root can make no such cgroup, ``capped()`` is False and gdcourse-grade warns: only the
time limit then stops a fork bomb.
"""

from __future__ import annotations

import functools
import itertools
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_NAMES = itertools.count()


@functools.lru_cache(maxsize=None)
def hierarchy() -> Path | None:
    """A folder of the pids controller in which this process can make cgroups (None when not root, or none)."""
    if os.geteuid() != 0:
        return None
    for line in Path("/proc/self/mounts").read_text().splitlines():
        fields = line.split()
        if len(fields) < 4 or fields[2] not in ("cgroup", "cgroup2"):
            continue
        where = Path(fields[1])
        try:
            if fields[2] == "cgroup2" and "pids" not in (where / "cgroup.subtree_control").read_text().split():
                continue
            if fields[2] == "cgroup" and "pids" not in fields[3].split(","):
                continue
            with cgroup(where, 1):
                return where
        except OSError:  # read-only, or no right to make a cgroup there
            continue
    return None


def capped() -> bool:
    """Is a child's number of processes capped here (RLIMIT_NPROC binds, or root has a pids cgroup)?"""
    return os.geteuid() != 0 or hierarchy() is not None


@contextmanager
def cap(processes: int) -> Iterator[list[str]]:
    """The command prefix that starts a child inside a new cgroup of at most ``processes`` tasks (as root, where
    ``hierarchy`` found one; else nothing: RLIMIT_NPROC does it). On exit the cgroup's tasks are killed."""
    where = hierarchy()
    if where is None:
        yield []
        return
    with cgroup(where, processes) as path:
        yield ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', str(path / "cgroup.procs")]


@contextmanager
def cgroup(where: Path, processes: int) -> Iterator[Path]:
    """A new cgroup under ``where`` allowing ``processes`` tasks; on exit its tasks are killed and it is removed."""
    path = where / f"gdcourse-{os.getpid()}-{next(_NAMES)}"
    path.mkdir()
    try:
        (path / "pids.max").write_text(str(processes))
        yield path
    finally:
        _remove(path)


def _remove(path: Path) -> None:
    """SIGKILL the cgroup's tasks, then remove it (retried while they exit; given up after about a second)."""
    for _ in range(100):
        try:
            for pid in (path / "cgroup.procs").read_text().split():
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
            path.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:  # busy: its processes are still exiting
            time.sleep(0.01)
