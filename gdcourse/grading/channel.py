"""The child's result channel, read by the grader: bounded in time and size, every line held to a strict schema.

The child writes JSON lines to a pipe the grader owns (never a path it could replace): one ``cell`` event,
then one ``case`` event per case in order, then ``done``. :func:`read_pipe` reads it until the child ends or
the deadline passes, never more than ``MAX_BYTES``; :func:`parse` checks every line (keys, types, lengths,
int64 range, array shapes and dtypes, case order) and turns anything else into a ``malformed`` outcome of
the case it arrived in (or of the cell, before the cell's event). In-place changes are judged here, from
the arguments the child reports after each call against the inputs the grader sent, never from the
child's own ``mutated`` list.
"""

from __future__ import annotations

import json
import os
import selectors
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .child import decode

__all__ = ["ChildRun", "read_pipe", "parse", "MAX_BYTES", "MAX_LINE", "CELL_STATUSES", "CASE_KINDS"]

MAX_BYTES = 16 * 2**20  # everything one child may report
MAX_LINE = 2 * 2**20  # one event (a 10 000-element array and the arguments after the call fit easily)
MAX_TEXT = 2_000
CELL_STATUSES = {"ok", "syntax-error", "setup-error", "cell-exception", "cell-timeout", "cell-output-limit",
                 "not-defined"}
CASE_KINDS = {"value", "exception", "timeout", "output-limit"}
_CASE_KEYS = {"event", "index", "kind", "value", "type", "message", "mutated", "after"}


@dataclass
class ChildRun:
    """What came back: the cell's status, one outcome per case (None if never reached), the end state."""

    cell_status: str
    cell_message: str
    outcomes: list[dict | None]
    modules: list[str] = field(default_factory=list)
    ended: str = "exit code 0"  # exit code N | killed by SIGNAME | timeout | too much output
    seconds: float = 0.0
    stderr: str = ""


class Malformed(ValueError):
    """A line of the result channel that the child's harness cannot have written."""


def read_pipe(fd: int, done_fd: int | None, deadline: float, extra_fd: int | None = None) -> tuple[bytes, bytes, str]:
    """Read ``fd`` until EOF or until ``deadline`` (``time.monotonic``), never more than MAX_BYTES; when
    ``done_fd`` (a pidfd) says the child ended, only what arrives in the next 0.2 s more (a process it left
    behind may hold the pipe open). ``extra_fd`` (the child's stderr) keeps its last 4 kB.
    Returns (data, stderr tail, "" | "timeout" | "too much output")."""
    data, err, why, ended = bytearray(), bytearray(), "", False
    with selectors.DefaultSelector() as sel:
        for f in (fd, extra_fd, done_fd):
            if f is not None:
                sel.register(f, selectors.EVENT_READ)
        while fd in sel.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                why = "" if ended else "timeout"
                break
            for key, _ in sel.select(remaining):
                if key.fd == done_fd:  # the child ended: take what is already in the pipe, then stop
                    sel.unregister(done_fd)
                    ended, deadline = True, min(deadline, time.monotonic() + 0.2)
                    continue
                chunk = os.read(key.fd, 1 << 16)
                if not chunk:
                    sel.unregister(key.fd)
                elif key.fd == fd:
                    data += chunk
                else:
                    err = (err + chunk)[-4096:]
            if len(data) > MAX_BYTES:
                why = "too much output"
                break
    return bytes(data[:MAX_BYTES]), bytes(err), why


def parse(data: bytes, inputs: list[list[Any]], arg_names: list[str]) -> ChildRun:
    """The run as the grader sees it, from the raw bytes of the channel and the encoded inputs it sent."""
    run = ChildRun("crashed", "", [None] * len(inputs))
    lines = data.split(b"\n")
    unterminated = lines.pop()  # b"" when the last line ends with its newline, as every complete one does
    current = -1  # -1: waiting for the cell event; then the index of the next case
    for line in lines + ([None] if unterminated else []):
        try:
            if line is None:
                raise Malformed("an unterminated last line")
            event = _event(line)
            kind = event["event"]
            if current == -1:
                if kind != "cell":
                    raise Malformed(f"a {kind!r} event before the cell's")
                _cell(event, run)
                current = 0
                if run.cell_status != "ok":
                    break
            elif kind == "case":
                if current >= len(inputs) or event.get("index") != current:
                    raise Malformed(f"case {str(event.get('index'))[:20]} where case {current} was due")
                if run.outcomes[current] is None:
                    run.outcomes[current] = _case(event, inputs[current], arg_names)
                current += 1
            elif kind == "done":
                _done(event, run)
                break
            else:
                raise Malformed(f"a second {kind!r} event")
        except Exception as exc:  # noqa: BLE001 - Malformed, or whatever else a forged line provokes
            message = f"malformed result ({str(exc)[:200]})"
            if current == -1:
                run.cell_status, run.cell_message = "malformed", message
                break
            if current < len(inputs):
                if run.outcomes[current] is None:
                    run.outcomes[current] = {"kind": "malformed", "message": message}
                if line is not None and _claimed_case(line) == current:
                    current += 1  # the case's own line, broken: the next line is the next case's
    return run


def _claimed_case(line: bytes) -> int | None:
    """The case index a malformed line claims, if it parses that far."""
    try:
        event = json.loads(line) if len(line) <= MAX_LINE else None
    except (ValueError, RecursionError):
        return None
    if isinstance(event, dict) and event.get("event") == "case" and type(event.get("index")) is int:
        return event["index"]
    return None


def _event(line: bytes) -> dict:
    if len(line) > MAX_LINE:
        raise Malformed(f"a line of {len(line)} bytes")
    try:
        event = json.loads(line)
    except (ValueError, RecursionError) as exc:
        raise Malformed(f"not JSON: {type(exc).__name__}") from None
    if type(event) is not dict or event.get("event") not in ("cell", "case", "done"):
        raise Malformed(f"not an event: {line[:60]!r}")
    return event


def _text(value: Any, name: str) -> str:
    if type(value) is not str or len(value) > MAX_TEXT:
        raise Malformed(f"{name} is not a string of at most {MAX_TEXT} characters")
    return value


def _modules(value: Any) -> list[str]:
    if type(value) is not list or len(value) > 50 or any(type(m) is not str or len(m) > 100 for m in value):
        raise Malformed("modules is not a short list of names")
    return value


def _cell(event: dict, run: ChildRun) -> None:
    if set(event) != {"event", "status", "message", "modules"} or event["status"] not in CELL_STATUSES:
        raise Malformed(f"a cell event with keys {sorted(map(str, event))[:6]}")
    run.cell_status, run.cell_message = event["status"], _text(event["message"], "message")
    run.modules = sorted(set(_modules(event["modules"])))


def _done(event: dict, run: ChildRun) -> None:
    if set(event) != {"event", "modules", "seconds"} or type(event["seconds"]) not in (int, float):
        raise Malformed("a done event with other keys")
    run.modules = sorted(set(run.modules) | set(_modules(event["modules"])))


def _case(event: dict, sent: list[Any], arg_names: list[str]) -> dict:
    """The case's outcome with ``mutated`` judged here; Malformed if anything is off."""
    kind = event.get("kind")
    if not set(event) <= _CASE_KEYS or kind not in CASE_KINDS or type(event["index"]) is not int:
        raise Malformed("a case event with unknown keys or kind")
    outcome: dict[str, Any] = {"kind": kind}
    if kind == "value":
        if "value" not in event:
            raise Malformed("a value case without its value")
        outcome["value"] = _value(event["value"])
    else:
        outcome["type"] = _text(event.get("type", ""), "type")[:200]
        outcome["message"] = _text(event.get("message", ""), "message")
    after = event.get("after")
    if type(after) is not list or len(after) != len(sent):
        raise Malformed("the arguments after the call are missing")
    outcome["mutated"] = [name for name, before, now in zip(arg_names, sent, after) if _changed(before, now)]
    return outcome


def _value(encoded: Any) -> Any:
    try:
        decode(encoded, functions=False)
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise Malformed(str(exc)[:200]) from None
    return encoded


def _changed(sent: Any, after: Any) -> bool:
    """Whether an argument (as encoded when sent) differs after the call: arrays by value, dtype and shape,
    lists item by item (what the child's own snapshot compares); other arguments cannot change in place."""
    if isinstance(sent, list):
        if after is None or type(after) is not list:
            raise Malformed("a list argument reported as something else after the call")
        return len(after) != len(sent) or any(_changed(s, a) for s, a in zip(sent, after))
    if isinstance(sent, dict) and "__ndarray__" in sent:
        if type(after) is not dict:
            raise Malformed("an array argument reported as something else after the call")
        try:
            before, now = decode(sent), decode(after, functions=False)
        except (ValueError, TypeError, OverflowError, RecursionError) as exc:
            raise Malformed(f"an argument after the call: {str(exc)[:100]}") from None
        if not isinstance(now, np.ndarray):
            return True
        return not (now.shape == before.shape and now.dtype == before.dtype
                    and np.array_equal(now, before, equal_nan=before.dtype.kind == "f"))
    return False
