"""The grader's child process, and the JSON codec both sides of the pipe share.

Run as a script, ``python -I child.py JOB RESULT``: read the job (trusted setup sources, ONE graded cell,
the function's name, the cases' arguments), cap this process (address space, CPU time, file size,
printed output), execute the setup cells and the student's cell, call the function on every case and
write one JSON line per event to RESULT. It imports nothing from gdcourse, so it can run where the
course is not importable and so that importing the reference kernels shows up in ``sys.modules``.

Values cross the pipe as JSON, never pickle: arrays as ``{"__ndarray__": nested list, "dtype", "shape"}``,
tuples as ``{"__tuple__": [...]}``, strings as themselves (up to MAX_STRING characters), a case's
:class:`~gdcourse.grading.trusted_functions.TrustedFunction` as ``{"__function__": kind, "params": {...}}``,
anything else a student may return as ``{"__object__": type name}``.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import time
from typing import Any, Callable

import numpy as np

try:
    from .trusted_functions import TrustedFunction
except ImportError:  # run as a script: load the sibling file by path (``-I`` keeps the script's folder off sys.path)
    import importlib.util as _util

    _path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "trusted_functions.py")
    _spec = _util.spec_from_file_location("trusted_functions", _path)
    _trusted = _util.module_from_spec(_spec)
    _spec.loader.exec_module(_trusted)
    TrustedFunction = _trusted.TrustedFunction

# Bound now: a graded cell that reassigns np.asarray or np.array_equal does not change what the child reports.
_ndarray, _generic, _array, _asarray, _array_equal = np.ndarray, np.generic, np.array, np.asarray, np.array_equal
_dumps = json.dumps

MAX_ELEMENTS = 10_000  # a returned array larger than this is reported as an object (cases are small)
MAX_DEPTH = 4
MAX_STRING = 1_000  # a longer returned string is reported as an object
_DTYPES = {
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64",
}  # fmt: skip


class CaseTimeout(BaseException):
    """One case took longer than its budget (raised by SIGALRM inside the student's code)."""


class OutputLimit(BaseException):
    """The student's code printed more than the output cap."""


def encode(value: Any, depth: int = 0) -> Any:
    """A JSON-able description of ``value``; numbers and arrays exactly, other objects by type only."""
    if value is None or type(value) in (bool, int, float):
        return value
    if type(value) is str:
        return value if len(value) <= MAX_STRING else {"__object__": f"str of {len(value)} characters"}
    if type(value) is TrustedFunction:
        return {"__function__": value.kind, "params": {k: encode(v, depth + 1) for k, v in value.params.items()}}
    if isinstance(value, (_ndarray, _generic)):
        arr = _asarray(value)  # a subclass becomes a plain ndarray: its methods are never called
        if str(arr.dtype) not in _DTYPES:
            return {"__object__": f"array of dtype {arr.dtype}"}
        if arr.size > MAX_ELEMENTS:
            return {"__object__": f"array of shape {arr.shape}"}
        return {"__ndarray__": arr.tolist(), "dtype": str(arr.dtype), "shape": list(arr.shape)}
    if isinstance(value, (tuple, list)) and depth < MAX_DEPTH:
        items = [encode(item, depth + 1) for item in list(value)]
        return {"__tuple__": items} if isinstance(value, tuple) else items
    return {"__object__": type(value).__name__}


def decode(obj: Any) -> Any:
    """Inverse of :func:`encode`; raises ValueError on anything :func:`encode` cannot have written."""
    if obj is None or type(obj) in (bool, int, float):
        return obj
    if type(obj) is str and len(obj) <= MAX_STRING:
        return obj
    if type(obj) is dict and set(obj) == {"__function__", "params"} and type(obj["params"]) is dict:
        return TrustedFunction(str(obj["__function__"]), **{str(k): decode(v) for k, v in obj["params"].items()})
    if type(obj) is list:
        return [decode(item) for item in obj]
    if type(obj) is dict and set(obj) == {"__tuple__"} and type(obj["__tuple__"]) is list:
        return tuple(decode(item) for item in obj["__tuple__"])
    if type(obj) is dict and set(obj) == {"__object__"}:
        return Opaque(str(obj["__object__"])[:200])
    if type(obj) is dict and set(obj) == {"__ndarray__", "dtype", "shape"} and obj["dtype"] in _DTYPES:
        shape = tuple(int(n) for n in obj["shape"])
        arr = np.array(obj["__ndarray__"], dtype=obj["dtype"])
        if arr.shape != shape:
            raise ValueError(f"array data of shape {arr.shape} does not match its declared shape {shape}")
        return arr
    raise ValueError(f"not an encoded value: {str(obj)[:80]}")


class Opaque:
    """Stands for a returned object that is neither a number, an array nor a tuple/list of them."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


class _Snapshot:
    """A private copy of one argument (arrays, lists of arrays), to tell afterwards if it was changed."""

    def __init__(self, value: Any) -> None:
        self.array = _array(value, copy=True) if isinstance(value, _ndarray) else None
        self.items = [_Snapshot(v) for v in value] if isinstance(value, list) else None

    def changed(self, value: Any) -> bool:
        if self.array is not None:
            same = isinstance(value, _ndarray) and value.shape == self.array.shape and value.dtype == self.array.dtype
            return not (same and _array_equal(self.array, value, equal_nan=True))
        if self.items is not None:
            return not isinstance(value, list) or len(value) != len(self.items) or any(
                s.changed(v) for s, v in zip(self.items, value)
            )
        return False


def run_case(fn: Callable, args: list, arg_names: list[str], timeout: float | None = None) -> dict:
    """Call ``fn(*args)``; return the encoded outcome and the names of the arguments it changed in place."""
    before = [_Snapshot(a) for a in args]
    if timeout:
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        outcome = {"kind": "value", "value": encode(fn(*args))}
    except CaseTimeout:
        outcome = {"kind": "timeout", "message": f"took longer than {timeout:g} s"}
    except OutputLimit as exc:
        outcome = {"kind": "output-limit", "message": str(exc)}
    except KeyboardInterrupt:
        raise  # the student pressed stop during check(): stop checking
    except BaseException as exc:  # noqa: BLE001 - a student's SystemExit is an outcome too
        outcome = {"kind": "exception", "type": type(exc).__name__, "message": _message(exc)}
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
    outcome["mutated"] = [name for name, b, a in zip(arg_names, before, args) if b.changed(a)]
    return outcome


def _message(exc: BaseException) -> str:
    try:
        return str(exc)[:300]
    except BaseException:  # noqa: BLE001 - a student's exception whose __str__ fails
        return ""


class _CappedWriter:
    """Replaces sys.stdout/sys.stderr: counts characters, raises OutputLimit past the cap."""

    def __init__(self, limit: int) -> None:
        self.limit, self.count = limit, 0

    def write(self, text: str) -> int:
        self.count += len(text)
        if self.count > self.limit:
            raise OutputLimit(f"printed more than {self.limit} characters")
        return len(text)

    def flush(self) -> None:
        pass


def _limit(name: str, value: int) -> None:
    """Cap a resource of this process (POSIX only; a limit the system refuses is skipped: the parent's
    wall-clock timeout still holds). Imported here so that check() also works where there is no resource."""
    import resource

    kind = getattr(resource, name)
    soft, hard = resource.getrlimit(kind)
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    try:
        resource.setrlimit(kind, (value, value))
    except (ValueError, OSError):
        pass


def _without_magics(source: str) -> str:
    """Comment out IPython-only lines (``%timeit``, ``%%time``, ``!ls``): a graded cell runs as plain Python."""
    return re.sub(r"^([ \t]*)([%!])", r"\1# \2", source, flags=re.M)


def main(job_path: str, result_path: str) -> None:
    with open(job_path) as f:
        job = json.load(f)
    out = open(result_path, "a")  # noqa: SIM115 - kept open for the whole run; appends, whoever else writes

    def emit(**event: Any) -> None:
        out.write(_dumps(event) + "\n")
        out.flush()

    _limit("RLIMIT_AS", job["memory"])
    _limit("RLIMIT_CPU", int(job["timeout"]) + 2)
    _limit("RLIMIT_FSIZE", job["file_size"])
    _limit("RLIMIT_CORE", 0)
    signal.signal(signal.SIGALRM, _raise_timeout)
    sys.stdout = sys.stderr = _CappedWriter(job["output"])

    namespace: dict[str, Any] = {"__name__": "__main__"}
    for source in job["setup"]:
        exec(compile(source, "<setup>", "exec"), namespace)  # trusted: from solutions/
    cases = [[decode(a) for a in args] for args in job["cases"]]
    start = time.perf_counter()
    try:
        code = compile(_without_magics(job["cell"]), "<graded cell>", "exec")
    except Exception as exc:  # noqa: BLE001 - SyntaxError, ValueError (null bytes), RecursionError
        emit(event="cell", status="syntax-error", message=f"{type(exc).__name__}: {_message(exc)}")
        return
    # the cell may import modules: it gets most of the wall-clock budget, the cases get case_timeout each
    cell = run_case(lambda: exec(code, namespace), [], [], max(job["case_timeout"], 0.8 * job["timeout"]))
    fn = namespace.get(job["function"])
    if cell["kind"] != "value":
        status, message = "cell-" + cell["kind"], ": ".join(filter(None, [cell.get("type"), cell["message"]]))
    elif not callable(fn):
        status, message = "not-defined", f"the cell does not define {job['function']}()"
    else:
        status, message = "ok", ""
    emit(event="cell", status=status, message=message, modules=_gdcourse_modules())
    if status != "ok":
        return
    for index, args in enumerate(cases):
        emit(event="case", index=index, **run_case(fn, args, job["arg_names"], job["case_timeout"]))
    emit(event="done", modules=_gdcourse_modules(), seconds=time.perf_counter() - start)


def _gdcourse_modules() -> list[str]:
    """gdcourse's modules imported so far: the child imports none itself, so any is the student's."""
    return sorted(m for m in list(sys.modules) if m.split(".")[0] == "gdcourse")


def _raise_timeout(signum: int, frame: Any) -> None:
    raise CaseTimeout


if __name__ == "__main__":
    os.umask(0o077)
    main(sys.argv[1], sys.argv[2])
