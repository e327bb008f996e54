"""Argument checks shared by every gdcourse module.

Each check raises ``ValueError`` with one sentence that names the parameter, the
value it got and the valid range, e.g. ``lr must be in (0, inf), got -0.1``.
Array-valued hyper-parameters (one value per run of a batch) are checked element
by element and the message names the first offending index.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np

__all__ = [
    "positive",
    "nonnegative",
    "in_interval",
    "unit_interval",
    "finite",
    "same_shape",
    "broadcasts_to",
    "positive_int",
    "nonnegative_int",
    "real_array",
    "freeze_arrays",
]


def _fmt(value: Any) -> str:
    """Short, exact text for a number (``-0.1``, ``nan``, ``inf``)."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    try:
        return repr(float(value))
    except (TypeError, ValueError):
        return repr(value)


def _bound(value: float) -> str:
    """An interval end as a reader writes it: ``0``, ``1``, ``inf``, ``0.5``."""
    return f"{value:g}"


def _first_bad(value: Any, ok: np.ndarray) -> str:
    """``got -0.1`` for a scalar, ``got -0.1 at index (2, 0)`` for an array."""
    arr = np.asarray(value)
    if arr.ndim == 0:
        return f"got {_fmt(arr.item())}"
    index = tuple(int(i) for i in np.argwhere(~ok)[0])
    return f"got {_fmt(arr[index])} at index {index}"


def _as_float_array(name: str, value: Any) -> np.ndarray:
    """``value`` as a float array; a string, a complex number or a ragged list is a ValueError naming it."""
    try:
        kind = np.asarray(value).dtype.kind
        arr = np.asarray(value, dtype=float) if kind in "biufO" else None
    except (TypeError, ValueError):
        arr = None
    if arr is None:
        raise ValueError(f"{name} must be a real number or an array of real numbers, got {value!r}")
    return arr


def in_interval(
    name: str,
    value: Any,
    low: float,
    high: float,
    *,
    low_closed: bool = True,
    high_closed: bool = True,
) -> Any:
    """Check ``low <= value <= high`` (open ends as asked); return ``value`` unchanged."""
    arr = _as_float_array(name, value)
    ok = np.isfinite(arr) | (np.isinf(arr) & (high == np.inf) & (arr > 0) & high_closed)
    ok &= (arr >= low) if low_closed else (arr > low)
    ok &= (arr <= high) if high_closed else (arr < high)
    if not ok.all():
        left = "[" if low_closed else "("
        right = "]" if high_closed else ")"
        raise ValueError(f"{name} must be in {left}{_bound(low)}, {_bound(high)}{right}, {_first_bad(value, ok)}")
    return value


def positive(name: str, value: Any) -> Any:
    """Check ``value > 0`` (every element); valid range ``(0, inf)``."""
    return in_interval(name, value, 0.0, np.inf, low_closed=False, high_closed=False)


def nonnegative(name: str, value: Any) -> Any:
    """Check ``value >= 0`` (every element); valid range ``[0, inf)``."""
    return in_interval(name, value, 0.0, np.inf, low_closed=True, high_closed=False)


def unit_interval(name: str, value: Any) -> Any:
    """Check ``0 <= value < 1``, the range of every averaging coefficient β."""
    return in_interval(name, value, 0.0, 1.0, low_closed=True, high_closed=False)


def positive_int(name: str, value: Any) -> int:
    """Check a count (steps, batch size, directions): an integer >= 1."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def nonnegative_int(name: str, value: Any) -> int:
    """Check an index or a seed: an integer >= 0."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
    return int(value)


def real_array(name: str, array: Any) -> np.ndarray:
    """``array`` as an array of real numbers (bool, int or float); complex, text or ragged input is a ValueError."""
    try:
        arr = np.asarray(array)
    except ValueError:
        raise ValueError(f"{name} must be a rectangular array of numbers, got a ragged sequence") from None
    if arr.dtype.kind == "c":
        raise ValueError(f"{name} must be an array of real numbers, got complex numbers (dtype {arr.dtype})")
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be an array of numbers, got dtype {arr.dtype}")
    return arr


def finite(name: str, array: Any) -> np.ndarray:
    """Check that every element is a finite real number (no nan, no inf); return it as an array."""
    arr = real_array(name, array)
    ok = np.isfinite(arr)
    if not ok.all():
        raise ValueError(f"{name} must be finite, {_first_bad(arr, ok)}")
    return arr


def same_shape(name: str, array: Any, ref_name: str, ref: Any) -> None:
    """Check that ``array`` has exactly the shape of ``ref`` (e.g. grad and params)."""
    shape, ref_shape = np.shape(array), np.shape(ref)
    if shape != ref_shape:
        raise ValueError(f"{name} must have the shape of {ref_name} {ref_shape}, got shape {shape}")


def broadcasts_to(name: str, value: Any, shape: tuple[int, ...], target: str = "params") -> None:
    """Check that a hyper-parameter broadcasts against ``shape`` without enlarging it.

    ``lr`` of shape (K, 1) against params of shape (K, d) is fine: K runs at once.
    """
    vshape = np.shape(value)
    try:
        out = np.broadcast_shapes(vshape, tuple(shape))
    except ValueError:
        out = None
    if out != tuple(shape):
        raise ValueError(
            f"{name} of shape {vshape} does not broadcast against {target} of shape {tuple(shape)}; "
            f"give one value per run on the leading axes, e.g. shape {tuple(shape[:-1]) + (1,) if shape else ()}"
        )


def freeze_arrays(obj: Any) -> None:
    """Replace every list, tuple or array field of a frozen dataclass by a private read-only float64 copy
    (frozen means frozen: the caller's array can change, ours cannot). A ragged or non-numeric list gets
    a ValueError naming the field."""
    for field in fields(obj):
        value = getattr(obj, field.name)
        if isinstance(value, (list, tuple, np.ndarray)):
            try:
                frozen = np.array(real_array(field.name, value), dtype=np.float64)
            except ValueError:
                raise ValueError(f"{field.name} must be a number or a rectangular array of real numbers, "
                                 f"got {value!r}") from None
            frozen.setflags(write=False)
            object.__setattr__(obj, field.name, frozen)
