"""The grader's child process (the harness), and the JSON codec both sides of the pipe share.

The grader starts it inside its sandbox (``sandbox.py``) as ``python -I -S child.py RESULT_FD``: it reads
the job from stdin (trusted setup sources, ONE graded cell, the function's name, the cases' *inputs*;
never the expected values or the seed), caps itself (address space, CPU time, file size, printed output),
runs the setup cells and the student's cell in a fresh ``__main__`` namespace of their own (where ``check``
is a harmless no-op), calls the function on every case and writes one JSON line per event to RESULT_FD, a
pipe the grader owns. It imports nothing from gdcourse (inside the sandbox gdcourse does not exist). The
harness binds everything it needs (its encoder, ``os.write``, the timer) before student code runs and is
not reachable from the student's namespace by name; nothing it reports is trusted: the grader parses every
line against a strict schema and judges in-place changes itself from the arguments reported after the call.

Values cross the pipe as JSON, never pickle: arrays as ``{"__ndarray__": nested list, "dtype", "shape"}``,
tuples as ``{"__tuple__": [...]}``, strings as themselves (up to MAX_STRING characters), a case's
:class:`~gdcourse.grading.trusted_functions.TrustedFunction` as ``{"__function__": kind, "params": {...}}``
(case inputs only), anything else a student may return as ``{"__object__": type name}``.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import time
import types
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

# Bound now: a graded cell that reassigns np.asarray, json.dumps or signal.setitimer does not change what the
# child reports or how it times a case.
_ndarray, _generic, _array, _asarray, _array_equal = np.ndarray, np.generic, np.array, np.asarray, np.array_equal
_setitimer, _ITIMER_REAL, _perf_counter, _write = signal.setitimer, signal.ITIMER_REAL, time.perf_counter, os.write

MAX_ELEMENTS = 10_000  # a returned array (or list) larger than this is reported as an object (cases are small)
MAX_DEPTH = 4
MAX_DIMS = 32  # numpy's own limit is 64
MAX_STRING = 1_000  # a longer returned string is reported as an object
INT64 = (-(2**63), 2**63 - 1)
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
    if value is None or type(value) in (bool, float):
        return value
    if type(value) is int:
        return value if INT64[0] <= value <= INT64[1] else {"__object__": "int beyond the int64 range"}
    if type(value) is str:
        return value if len(value) <= MAX_STRING else {"__object__": f"str of {len(value)} characters"}
    if type(value) is TrustedFunction:
        return {"__function__": value.kind, "params": {k: encode(v, depth + 1) for k, v in value.params.items()}}
    if isinstance(value, (_ndarray, _generic)):
        arr = _asarray(value)  # a subclass becomes a plain ndarray: its methods are never called
        if str(arr.dtype) not in _DTYPES:
            return {"__object__": f"array of dtype {arr.dtype}"}
        if arr.size > MAX_ELEMENTS or arr.ndim > MAX_DIMS:
            return {"__object__": f"array of shape {arr.shape}"}
        return {"__ndarray__": arr.tolist(), "dtype": str(arr.dtype), "shape": list(arr.shape)}
    if isinstance(value, (tuple, list)) and depth < MAX_DEPTH and len(value) <= MAX_ELEMENTS:
        items = [encode(item, depth + 1) for item in list(value)]
        return {"__tuple__": items} if isinstance(value, tuple) else items
    return {"__object__": type(value).__name__}


def decode(obj: Any, functions: bool = True, depth: int = 0) -> Any:
    """Inverse of :func:`encode`, and the strict schema of a value on the pipe: ValueError on anything
    :func:`encode` cannot have written (wrong types, ints beyond int64, data that does not fit its declared
    shape and dtype, too long, too deep). ``functions=False`` (what a student returns) refuses a
    ``__function__``, which only a case's input may hold."""
    if obj is None or type(obj) in (bool, float):
        return obj
    if type(obj) is int:
        if not INT64[0] <= obj <= INT64[1]:
            raise ValueError("an integer beyond the int64 range")
        return obj
    if type(obj) is str and len(obj) <= MAX_STRING:
        return obj
    if depth > MAX_DEPTH + 2:
        raise ValueError("values nested too deeply")
    if type(obj) is list and len(obj) <= MAX_ELEMENTS:
        return [decode(item, functions, depth + 1) for item in obj]
    keys = set(obj) if type(obj) is dict else set()
    if keys == {"__tuple__"} and type(obj["__tuple__"]) is list and len(obj["__tuple__"]) <= MAX_ELEMENTS:
        return tuple(decode(item, functions, depth + 1) for item in obj["__tuple__"])
    if keys == {"__object__"} and type(obj["__object__"]) is str:
        return Opaque(obj["__object__"][:200])
    if keys == {"__ndarray__", "dtype", "shape"}:
        return _decode_array(obj["__ndarray__"], obj["dtype"], obj["shape"])
    if functions and keys == {"__function__", "params"} and type(obj["params"]) is dict and len(obj["params"]) <= 8:
        params = {str(k): decode(v, False, depth + 1) for k, v in obj["params"].items()}
        try:
            return TrustedFunction(str(obj["__function__"])[:100], **params)
        except (TypeError, ValueError, OverflowError) as exc:
            raise ValueError(f"not a trusted function: {exc}") from None
    raise ValueError(f"not an encoded value: {str(obj)[:80]}")


def _decode_array(data: Any, dtype: Any, shape: Any) -> np.ndarray:
    if type(dtype) is not str or dtype not in _DTYPES:
        raise ValueError(f"not an array dtype: {str(dtype)[:40]}")
    if type(shape) is not list or len(shape) > MAX_DIMS or any(type(n) is not int or n < 0 for n in shape):
        raise ValueError(f"not an array shape: {str(shape)[:80]}")
    if int(np.prod(shape, dtype=np.float64)) > MAX_ELEMENTS:
        raise ValueError(f"an array of shape {tuple(shape)} is larger than {MAX_ELEMENTS} elements")
    kind = np.dtype(dtype).kind
    low, high = (np.iinfo(dtype).min, np.iinfo(dtype).max) if kind in "iu" else (0, 0)

    def fits(item: Any, dims: list[int]) -> bool:
        if dims:
            return type(item) is list and len(item) == dims[0] and all(fits(i, dims[1:]) for i in item)
        if kind == "b":
            return type(item) is bool
        if kind == "f":
            return type(item) in (float, int)
        return type(item) is int and low <= item <= high

    if not fits(data, shape):
        raise ValueError(f"array data that does not fit its declared shape {tuple(shape)} and dtype {dtype}")
    return np.array(data, dtype=dtype).reshape(shape)


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


def run_case(fn: Callable, args: list, arg_names: list[str], timeout: float | None = None,
             report_after: bool = False) -> dict:
    """Call ``fn(*args)``; return the encoded outcome and the names of the arguments it changed in place.

    ``report_after`` adds the arguments as they are after the call (arrays and lists, else None), so that
    the grader judges in-place changes itself against the inputs it sent rather than trusting ``mutated``.
    """
    before = [_Snapshot(a) for a in args]
    if timeout:
        _setitimer(_ITIMER_REAL, timeout)
    try:
        outcome = {"kind": "value", "value": encode(fn(*args))}
    except CaseTimeout:
        outcome = {"kind": "timeout", "message": f"took longer than {timeout:g} s"}
    except OutputLimit as exc:
        outcome = {"kind": "output-limit", "message": str(exc)}
    except KeyboardInterrupt:
        raise  # the student pressed stop during check(): stop checking
    except BaseException as exc:  # noqa: BLE001 - a student's SystemExit is an outcome too
        outcome = {"kind": "exception", "type": _type_name(exc), "message": _message(exc)}
    finally:
        if timeout:
            _setitimer(_ITIMER_REAL, 0)
    outcome["mutated"] = [name for name, b, a in zip(arg_names, before, args) if b.changed(a)]
    if report_after:
        outcome["after"] = [encode(a) if isinstance(a, (_ndarray, list)) else None for a in args]
    return outcome


def _type_name(exc: BaseException) -> str:
    name = type(exc).__name__
    return name if type(name) is str else "?"


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


def _check(*args: Any, **kwargs: Any) -> None:
    """``check`` inside the grader: a no-op, so a ``check(fn)`` left in a graded cell costs nothing."""


def _private_dumps() -> Callable[[Any], str]:
    """json.dumps through an encoder object built now: a cell that patches the json module later does not
    change what the harness writes (the C encoder keeps its own references)."""
    import json.encoder as je

    if je.c_make_encoder is None:  # a Python without the C accelerator: the pure encoder, bound now
        return json.JSONEncoder(check_circular=False).encode
    c_encode = je.c_make_encoder(None, None, je.c_encode_basestring_ascii, None, ":", ",", False, False, True)
    join = "".join
    return lambda obj: join(c_encode(obj, 0))


def main(result_fd: int) -> None:
    """Read the job from stdin, run it, write one JSON line per event to ``result_fd``."""
    dumps, write, modules, main_module = _private_dumps(), _write, sys.modules, types.ModuleType("__main__")

    def emit(**event: Any) -> None:
        data = (dumps(event) + "\n").encode()
        while data:
            data = data[write(result_fd, data):]

    with os.fdopen(0, "rb") as stdin:
        job = json.loads(stdin.read())
    _limit("RLIMIT_AS", job["memory"])
    _limit("RLIMIT_CPU", int(job["timeout"]) + 2)
    _limit("RLIMIT_FSIZE", job["file_size"])
    _limit("RLIMIT_CORE", 0)
    _limit("RLIMIT_NPROC", job["processes"])
    signal.signal(signal.SIGALRM, _raise_timeout)
    sys.stdout = sys.stderr = _CappedWriter(job["output"])
    cases = [[decode(a) for a in args] for args in job["cases"]]
    # The student's cell runs in a namespace of its own, which is also what ``import __main__`` gives it.
    namespace = main_module.__dict__
    namespace.update(__builtins__=__builtins__, check=_check)
    modules["__main__"] = main_module
    for source in job["setup"]:
        try:
            exec(compile(source, "<setup>", "exec"), namespace)  # trusted: from solutions/
        except Exception as exc:  # noqa: BLE001 - the instructor's setup cell fails in the sandbox
            emit(event="cell", status="setup-error", message=f"{_type_name(exc)}: {_message(exc)}", modules=[])
            return
    start = _perf_counter()
    try:
        code = compile(_without_magics(job["cell"]), "<graded cell>", "exec")
    except Exception as exc:  # noqa: BLE001 - SyntaxError, ValueError (null bytes), RecursionError
        emit(event="cell", status="syntax-error", message=f"{_type_name(exc)}: {_message(exc)}", modules=[])
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
    emit(event="cell", status=status, message=message, modules=_gdcourse_modules(modules))
    if status != "ok":
        return
    for index, args in enumerate(cases):
        emit(event="case", index=index, **run_case(fn, args, job["arg_names"], job["case_timeout"], True))
    emit(event="done", modules=_gdcourse_modules(modules), seconds=_perf_counter() - start)


def _gdcourse_modules(modules: dict) -> list[str]:
    """gdcourse's modules imported so far (only where the grader runs without its sandbox: inside it,
    gdcourse cannot be imported at all). A hint for the instructor, never trusted alone."""
    return sorted(m for m in list(modules) if type(m) is str and m.split(".")[0] == "gdcourse")[:50]


def _raise_timeout(signum: int, frame: Any) -> None:
    raise CaseTimeout


if __name__ == "__main__":
    os.umask(0o077)
    main(int(sys.argv[1]))
