"""Counting the function calls a computation makes: a measure of the interpreter's share that repeats exactly.

A numpy call does the arithmetic of a whole array at once; what a Python loop adds is the interpreter's work
per pass (entering functions, building small arrays). ``count_calls`` counts the calls the interpreter
dispatches while ``func`` runs: Python functions, and built-in functions and methods such as ``np.zeros`` or
``a.sum()``. A numpy ufunc (``np.square(a)``, ``a + b``) runs without such an event, so the count is a lower
bound of the interpreter's work, and it grows with it: a loop repeats its calls every pass. Unlike a timing,
the count is the same on every run and every machine with the same Python and packages, so a lecture can
store it.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, NamedTuple

__all__ = ["CallCount", "count_calls"]


class CallCount(NamedTuple):
    """What ``func`` returned and how many calls (Python and C functions) it made."""

    result: Any
    calls: int


def count_calls(func: Callable[..., Any], *args: Any, **kwargs: Any) -> CallCount:
    """Run ``func(*args, **kwargs)`` and count every function call in this thread while it runs (``sys.setprofile``
    events "call" and "c_call"); the profiler set before, if any, is restored afterwards, also on an error."""
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        count += event in ("call", "c_call")

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        result = func(*args, **kwargs)
    finally:
        sys.setprofile(previous)
    return CallCount(result, count - 1)  # not the call of sys.setprofile that stops the count
