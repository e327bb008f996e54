"""Run one graded function of a submission in a sandboxed child process and read back what it reported.

The sandbox is bubblewrap (``bwrap``): new user, PID, network, IPC, UTS and mount namespaces, uid 65534,
``--die-with-parent`` and ``--new-session``. Inside it the child sees a read-only view of the Python
runtime (``/usr`` and the interpreter's prefix, its own site-packages hidden), numpy alone under
``/opt/gdcourse-site``, the harness's two files (``child.py``, ``trusted_functions.py``) under
``/opt/gdcourse-harness``, its own ``/proc`` and a private tmpfs as working directory: no path to
``solutions/``, the grader's folder, other students, the gradebook or the gdcourse package, which it cannot
import. The job (setup cells, the graded cell, the cases' inputs: never the expected values or the seed)
arrives on stdin; the results leave on an inherited pipe (``channel``). At the wall-clock limit the
sandbox is killed, and with it every process started inside (PID namespace). The child caps its own
address space, CPU time, file size and printed output before any student code runs.

Without bwrap, :func:`run_function` refuses (``SandboxUnavailable``, saying how to install it) unless
``sandbox=False``: then the child is a plain process in its own session and temporary folder.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import pids
from .channel import ChildRun, parse, read_pipe

__all__ = ["Limits", "ChildRun", "run_function", "SandboxUnavailable", "sandbox_problem", "INSTALL_HINT"]

HERE = Path(__file__).resolve().parent
HARNESS = ("child.py", "trusted_functions.py")
INSIDE_SITE, INSIDE_HARNESS = "/opt/gdcourse-site", "/opt/gdcourse-harness"
# python -I -S -c LAUNCH SITE CHILD RESULT_FD: numpy's folder first on sys.path, then child.py as __main__
_LAUNCH = "import sys, runpy; sys.path.insert(0, sys.argv[1]); del sys.argv[:2]; runpy.run_path(sys.argv[0], " \
          "run_name='__main__')"
INSTALL_HINT = (
    "the grader runs every submission inside bubblewrap. Install it: `sudo apt-get install bubblewrap` on "
    "Debian or Ubuntu (`make grader-deps` does this), `sudo dnf install bubblewrap` on Fedora; it needs Linux "
    "with unprivileged user namespaces (on macOS or Windows, grade in a Linux VM or container that allows "
    "them). To grade without it anyway, pass --no-sandbox: every row is then flagged 'unsandboxed'."
)
_ENV = {  # the child's whole environment
    "PATH": "/usr/bin:/bin",
    "MPLBACKEND": "Agg",
    "PYTHONHASHSEED": "0",
    "LANG": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
SANDBOX_ENV = {**_ENV, "HOME": "/tmp", "TMPDIR": "/tmp"}


class SandboxUnavailable(RuntimeError):
    """bwrap is missing or cannot create its namespaces here."""


@dataclass(frozen=True)
class Limits:
    """Caps for one child (one graded function): wall clock, per case, memory, printed output, files."""

    timeout: float = 10.0
    case_timeout: float = 2.0
    memory: int = 2**30
    output: int = 2**20
    file_size: int = 16 * 2**20
    tmpfs: int = 64 * 2**20  # the sandbox's working directory
    processes: int = 16  # tasks (processes and threads) of one child: a fork bomb stops there (``pids``)


def _numpy_folders() -> list[Path]:
    """numpy's package folder and, for a wheel, its bundled libraries (``numpy.libs``)."""
    package = Path(np.__file__).resolve().parent
    return [p for p in (package, package.with_name("numpy.libs")) if p.is_dir()]


def interpreter() -> str:
    """The real interpreter behind a venv's ``python`` (the venv's folder is not in the sandbox)."""
    return os.path.realpath(sys.executable)


def _under(path: Path, roots: list[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)


@functools.lru_cache(maxsize=None)
def bwrap_command(tmpfs_size: int = Limits.tmpfs) -> tuple[str, ...]:
    """The bwrap command line, up to the command it runs (``--``)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed")
    args = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--uid", "65534", "--gid", "65534",
            "--hostname", "sandbox"]  # the environment is bwrap's own, SANDBOX_ENV (older bwrap has no --clearenv)
    roots = [Path("/usr")]
    args += ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        top = Path("/") / name
        if top.is_symlink():
            args += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            args += ["--ro-bind", str(top), str(top)]
            roots.append(top)
    for prefix in {Path(sys.base_prefix).resolve(), Path(interpreter()).parent.parent}:
        if not _under(prefix, roots):
            args += ["--ro-bind", str(prefix), str(prefix)]
            roots.append(prefix)
    # nothing installed beside the runtime: its site-packages, and gdcourse wherever it lives, are hidden
    base = {"base": sys.base_prefix, "platbase": sys.base_exec_prefix}
    hidden = {Path(sysconfig.get_path(k, vars=base)).resolve() for k in ("purelib", "platlib")}
    hidden |= {HERE.parent, HERE.parent.parent}
    for path in sorted(hidden):
        if path.is_dir() and _under(path, roots) and path not in roots:
            args += ["--tmpfs", str(path)]
    for folder in _numpy_folders():
        args += ["--ro-bind", str(folder), f"{INSIDE_SITE}/{folder.name}"]
    for name in HARNESS:
        args += ["--ro-bind", str(HERE / name), f"{INSIDE_HARNESS}/{name}"]
    size = ["--size", str(tmpfs_size)] if "--size" in _bwrap_help(bwrap) else []  # bwrap >= 0.7
    args += ["--proc", "/proc", "--dev", "/dev", *size, "--tmpfs", "/tmp", "--chdir", "/tmp",
             "--remount-ro", "/"]  # bwrap's own root (where /opt/... were made) read-only too: only /tmp is writable
    return tuple(args)


@functools.lru_cache(maxsize=None)
def _bwrap_help(bwrap: str) -> str:
    try:
        return subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""


@functools.lru_cache(maxsize=None)
def sandbox_problem() -> str | None:
    """None when bwrap runs the child's interpreter here (numpy importable, gdcourse not), else what fails."""
    try:
        command = [*bwrap_command(), "--", interpreter(), "-I", "-S", "-c",
                   "import sys; sys.path.insert(0, sys.argv[1]); import numpy\n"
                   "try:\n import gdcourse\nexcept ImportError:\n pass\nelse:\n sys.exit('gdcourse is importable')",
                   INSIDE_SITE]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                              env=SANDBOX_ENV)
    except (SandboxUnavailable, OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    if done.returncode != 0:
        return f"bwrap failed ({done.stderr.strip()[-300:] or f'exit code {done.returncode}'})"
    return None


def require_sandbox() -> None:
    """Raise SandboxUnavailable, with how to install bubblewrap, unless the sandbox works here."""
    problem = sandbox_problem()
    if problem:
        raise SandboxUnavailable(f"{problem}: {INSTALL_HINT}")


def run_function(
    setup: list[str],
    cell: str,
    function: str,
    arg_names: list[str],
    cases: list[list[Any]],
    limits: Limits = Limits(),
    sandbox: bool = True,
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
        "processes": limits.processes,
    }
    if sandbox:
        require_sandbox()
    start = time.perf_counter()
    read_end, write_end = os.pipe()
    workdir = None if sandbox else tempfile.mkdtemp(prefix="gdcourse-grade-")
    try:
        if sandbox:
            command = [*bwrap_command(limits.tmpfs), "--", interpreter(), "-I", "-S", "-c", _LAUNCH, INSIDE_SITE,
                       f"{INSIDE_HARNESS}/child.py", str(write_end)]
            env = SANDBOX_ENV
        else:
            command = [interpreter(), "-I", "-S", "-c", _LAUNCH, str(_numpy_folders()[0].parent),
                       str(HERE / "child.py"), str(write_end)]
            env = {**_ENV, "HOME": workdir, "TMPDIR": workdir}
        data, stderr, ended = _spawn(command, sandbox, env, workdir, write_end, read_end, json.dumps(job).encode(),
                                     limits)
    finally:
        os.close(read_end)  # (_spawn closed write_end: closing it twice could close another thread's file)
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    run = parse(data, cases, arg_names)
    run.ended, run.stderr = ended, stderr.decode("utf-8", "replace")
    run.seconds = time.perf_counter() - start
    return run


def _spawn(command: list[str], sandbox: bool, env: dict | None, cwd: str | None, write_end: int, read_end: int,
           job: bytes, limits: Limits) -> tuple[bytes, bytes, str]:
    with pids.cap(limits.processes) as in_cgroup:
        try:
            proc = subprocess.Popen(in_cgroup + command, cwd=cwd, env=env, stdin=subprocess.PIPE,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, pass_fds=(write_end,),
                                    start_new_session=True)
        finally:
            os.close(write_end)  # the child holds the only write end: EOF once it (and all it started) has ended
        # Under bwrap the channel's EOF is the end: when the harness exits its PID namespace dies, and with it
        # anything that held the pipe. Without bwrap a process it left behind may hold it: stop when it exits.
        pidfd = None if sandbox else _pidfd(proc.pid)
        writer = threading.Thread(target=_feed, args=(proc.stdin, job), daemon=True)
        writer.start()
        try:
            deadline = time.monotonic() + limits.timeout
            data, stderr, why = read_pipe(read_end, pidfd, deadline, proc.stderr.fileno())
            if not why:  # the channel closed: the child is ending, let it report its own exit status
                try:
                    proc.wait(timeout=max(0.0, min(2.0, deadline - time.monotonic())))
                except subprocess.TimeoutExpired:
                    why = "timeout"
        finally:
            _kill_group(proc)
            if pidfd is not None:
                os.close(pidfd)
            proc.stderr.close()
            writer.join(timeout=1)
    return data, stderr, why or _describe_exit(proc.returncode)


def _feed(pipe: Any, job: bytes) -> None:
    try:
        pipe.write(job)
        pipe.close()
    except (OSError, ValueError):  # the child died or closed stdin first
        pass


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):  # not Linux >= 5.3: a process left behind holds the pipe to the deadline
        return None


def _kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the child's process group; under bwrap this ends its PID namespace and all inside it."""
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
