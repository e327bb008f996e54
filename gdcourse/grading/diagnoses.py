"""Diagnose a wrong result that no known mistake explains: try the usual transformations of the reference.

For one failed case, each *family* below proposes candidates: a predicted result (the reference's, transformed)
and the sentence a student reads when the prediction is what they returned. The families, in the order tried:

- ``off-by-one``: the reference with a counter (``t``, ``n``, ``epoch``, ``steps``, ...) one higher or lower;
- ``ignored``: the reference with one hyper-parameter at its default, 0 or 1, whatever value the case passed;
- ``swapped``: the reference with two hyper-parameters exchanged;
- ``eps-inside``: ε inside the square root, √(x + ε), where the reference adds it outside, √x + ε (derived from
  the reference at ε and 2ε: the step is c/(√x + ε), so 1/step is linear in ε);
- ``sign``: the whole result, one output of a tuple, an update's step, or the first/last entry negated;
- ``factor``: a result or step scaled by a constant, named when it equals an expression of the case
  (α, β, 1 − β, βᵗ, 1 − βᵗ, m/|B|, m, N, b, 2, or their inverses), else given as a number.

A candidate is a *fit* when it returns what the student returned and the reference does not. Across the cases of
one check, a candidate is kept only if no passed case contradicts it (on a passed case, its prediction differs
from the reference: a momentum undamped only on the first step is not called "undamped") and it fits at least
half of the failed cases it has a prediction for; the one that fits the most failed cases wins. ``float32``
results and per-run inputs failing while one run passes are told apart by :func:`float32` and :func:`only_batched`.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Candidate", "candidates", "fits", "float32", "only_batched", "is_batched", "SYMBOLS"]

SYMBOLS = {"lr": "α", "lr0": "α0", "beta": "β", "beta1": "β1", "beta2": "β2", "eps": "ε", "rho": "ρ",
           "weight_decay": "λ", "decay": "d", "rate": "d", "drop": "γ", "gamma": "γ", "every": "r", "step_size": "r",
           "top": "b", "t": "t", "momentum": "γ"}
COUNTERS = ("t", "n", "step", "steps", "epoch", "epochs", "every", "iters")
HYPER = ("lr", "lr0", "beta", "beta1", "beta2", "eps", "rho", "weight_decay", "decay", "rate", "drop", "gamma", "every",
         "step_size", "top", "t", "n", "momentum", "tol", "steps", "epochs", "h", "window")


@dataclass(frozen=True)
class Candidate:
    """One transformation of the reference on one case: a key shared across cases, a sentence, a prediction."""

    key: tuple
    text: str
    predict: Callable[[], Any]  # the transformed result, or None where it does not apply


# --------------------------------------------------------------------------- values


def _float_leaves(value: Any) -> list[np.ndarray] | None:
    """The arrays of a result (one array, or a tuple of them) when all are float; else None."""
    items = list(value) if isinstance(value, tuple) else [value]
    arrays = [np.asarray(v) for v in items if not isinstance(v, (list, tuple))]
    if len(arrays) != len(items) or any(a.dtype.kind != "f" for a in arrays):
        return None
    return arrays


def _rebuild(want: Any, leaves: list[np.ndarray]) -> Any:
    return tuple(leaves) if isinstance(want, tuple) else leaves[0]


def close(a: Any, b: Any, rtol: float = 1e-6, atol: float = 1e-10) -> bool:
    """Same structure and values (dtype-agnostic), NaN equal to NaN."""
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        return (isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and len(a) == len(b)
                and all(close(x, y, rtol, atol) for x, y in zip(a, b)))
    try:
        x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return x.shape == y.shape and bool(np.allclose(x, y, rtol=rtol, atol=atol, equal_nan=True))


def fits(candidate: Candidate, want: Any, got: Any, rtol: float, atol: float) -> bool:
    """The candidate predicts what the student returned, and the reference returns something else."""
    predicted = candidate.predict()
    return predicted is not None and close(predicted, got, rtol, atol) and not close(predicted, want, rtol, atol)


def contradicts(candidate: Candidate, want: Any, rtol: float, atol: float) -> bool:
    """On a passed case (the student returned ``want``), a prediction other than ``want`` rules the candidate out."""
    predicted = candidate.predict()
    return predicted is not None and not close(predicted, want, rtol, atol)


# --------------------------------------------------------------------------- the case's hyper-parameters


class _Case:
    """The arguments of a case by name (with the reference's defaults), and the reference re-run on variants."""

    def __init__(self, exercise: Any, args: tuple, want: Any, run: Callable[[tuple], Any]) -> None:
        params = list(inspect.signature(exercise.reference).parameters.values())
        self.names = [p.name for p in params]
        self.args = dict(zip(self.names, args))
        for p in params[len(args):]:
            if p.default is not inspect.Parameter.empty:
                self.args[p.name] = p.default
        self.defaults = {p.name: p.default for p in params if p.default is not inspect.Parameter.empty}
        self.outputs, self.want, self._run = exercise.outputs, want, run
        self.leaves = _float_leaves(want)
        self.ratios: dict[int, float] = {}

    def rerun(self, **changes: Any) -> Any:
        args = dict(self.args, **changes)
        return self._run(tuple(args[n] for n in self.names if n in args))

    def hyper(self) -> dict[str, Any]:
        """Hyper-parameters: numbers or small arrays (a (K, 1) column), by name."""
        out = {}
        for name, value in self.args.items():
            if name not in HYPER and name not in self.defaults:
                continue
            if isinstance(value, bool) or value is None:
                continue
            arr = np.asarray(value)
            if arr.dtype.kind in "iuf" and (arr.ndim == 0 or (name not in COUNTERS and arr.size <= 8)):
                out[name] = value
        return out

    def step_input(self, i: int) -> np.ndarray | None:
        """The input of the same name as output ``i`` (``params`` → ``params``): its result is an update."""
        name = self.outputs[i] if i < len(self.outputs) else None
        value = self.args.get(name) if name else None
        if value is None or self.leaves is None:
            return None
        arr = np.asarray(value, dtype=float) if np.asarray(value).dtype.kind in "iuf" else None
        if arr is None:
            return None
        try:
            np.broadcast_shapes(arr.shape, self.leaves[i].shape)
        except ValueError:
            return None
        return arr

    def label(self, i: int) -> str:
        return self.outputs[i] if len(self.outputs) > i else "result"


def _sym(name: str) -> str:
    return SYMBOLS.get(name, name)


def _show(value: Any) -> str:
    arr = np.asarray(value)
    if arr.ndim == 0:
        return f"{float(arr):.4g}" if arr.dtype.kind == "f" else str(arr.item())
    flat = arr.ravel()
    return f"{float(flat[0]):.4g} …" if flat.size > 1 else f"{float(flat[0]):.4g}"


# --------------------------------------------------------------------------- the families


def _off_by_one(c: _Case) -> Iterator[Candidate]:
    for name in COUNTERS:
        value = c.args.get(name)
        if value is None or isinstance(value, bool) or np.asarray(value).dtype.kind not in "iu":
            continue
        for shift in (1, -1):
            moved = np.asarray(value) + shift
            moved = int(moved) if moved.ndim == 0 else moved
            text = (f"your result is the expected one for {name} = {_show(moved)} instead of {name} = {_show(value)}:"
                    f" the counter `{name}` is off by one ({'one too high' if shift > 0 else 'one too low'})")
            yield Candidate(("off-by-one", name, shift), text, lambda m=moved, n=name: c.rerun(**{n: m}))


def _ignored(c: _Case) -> Iterator[Candidate]:
    for name, value in c.hyper().items():
        fixed = {"its default": c.defaults.get(name), "0": 0.0, "1": 1.0}
        for what, other in fixed.items():
            if other is None or close(other, value):
                continue
            if isinstance(value, (int, np.integer)) and not isinstance(other, (int, np.integer)):
                other = type(value)(other)
            shown = f"its default {_sym(name)} = {other}" if what == "its default" else f"{_sym(name)} = {other}"
            text = (f"your result is what {shown} gives, whatever `{name}` is passed ({_show(value)} here):"
                    f" is `{name}` ignored somewhere?")
            yield Candidate(("ignored", name, what), text, lambda n=name, o=other: c.rerun(**{n: o}))


def _swapped(c: _Case) -> Iterator[Candidate]:
    hyper = [(n, v) for n, v in c.hyper().items() if np.asarray(v).dtype.kind == "f"]
    for i, (a, va) in enumerate(hyper):
        for b, vb in hyper[i + 1:]:
            if close(va, vb):
                continue
            text = (f"your result is the expected one with `{a}` and `{b}` exchanged: "
                    f"are {_sym(a)} and {_sym(b)} swapped?")
            yield Candidate(("swapped", a, b), text, lambda a=a, b=b, va=va, vb=vb: c.rerun(**{a: vb, b: va}))


def _eps_inside(c: _Case) -> Iterator[Candidate]:
    eps = c.args.get("eps")
    if eps is None or c.leaves is None:
        return

    def predict() -> Any:
        e = np.asarray(eps, dtype=float)
        doubled = _float_leaves(c.rerun(eps=2 * e))
        if doubled is None or np.any(e <= 0):
            return None
        out = []
        for i, (one, two) in enumerate(zip(c.leaves, doubled)):
            base = c.step_input(i)
            if base is None or close(one, two, 1e-12, 0):
                out.append(one)
                continue
            d1, d2 = one - base, two - base
            with np.errstate(all="ignore"):
                k = e / (1 / d2 - 1 / d1)  # d = k/(r + ε)
                r = k / d1 - e
                inside = k / np.sqrt(r**2 + e)
            out.append(np.where(d1 == 0, one, base + inside))
        return _rebuild(c.want, out)

    text = "ε sits inside the square root, √(x + ε); the lecture's update adds it outside, √x + ε"
    yield Candidate(("eps-inside",), text, predict)


def _sign(c: _Case) -> Iterator[Candidate]:
    if c.leaves is None:
        return
    leaves, n = c.leaves, len(c.leaves)
    for i, leaf in enumerate(leaves):
        base = c.step_input(i)
        label = c.label(i)
        if base is not None:
            flipped = [*leaves[:i], 2 * base - leaf, *leaves[i + 1:]]
            yield Candidate(("step-sign", label), f"your step of `{label}` goes the wrong way: it is minus the expected"
                            f" change of `{label}` (check the sign of the update)",
                            lambda f=flipped: _rebuild(c.want, f))
    whole = [-leaf for leaf in leaves]
    yield Candidate(("sign",), "your result is minus the expected one: check the sign"
                    + (" (of every output)" if n > 1 else ""), lambda: _rebuild(c.want, whole))
    for i, leaf in enumerate(leaves):
        label = c.label(i)
        if n > 1:
            one = [*leaves[:i], -leaf, *leaves[i + 1:]]
            yield Candidate(("sign", label), f"`{label}` has the wrong sign, the other outputs are right",
                            lambda o=one: _rebuild(c.want, o))
        if leaf.ndim >= 1 and leaf.shape[-1] >= 2:
            for j, where in ((0, "first"), (-1, "last")):
                entry = leaf.copy()
                entry[..., j] = -entry[..., j]
                rest = [*leaves[:i], entry, *leaves[i + 1:]]
                yield Candidate(("sign-entry", label, where), f"the {where} entry of `{label}` ({label}[..., {j}]) has"
                                " the wrong sign, the others are right", lambda r=rest: _rebuild(c.want, r))


def _expressions(c: _Case) -> list[tuple[str, Any]]:
    """Expressions of the case a result may be wrongly scaled by: (how it reads, its value)."""
    out: list[tuple[str, Any]] = []
    t = c.args.get("t")
    for name, value in c.hyper().items():
        if name in COUNTERS and name != "top":
            continue
        v, s = np.asarray(value, dtype=float), _sym(name)
        if name.startswith(("beta", "rho", "drop")) or name in ("momentum", "gamma"):
            if isinstance(t, (int, np.integer)) and not isinstance(t, bool) and t >= 1:
                out += [(f"(1 − {s}ᵗ)", 1 - v**t), (f"{s}ᵗ", v**t)]  # first: at t = 1 they tie with 1 − β, β
            out.append((f"(1 − {s})", 1 - v))
        out.append((s, v))
    y, index = c.args.get("y"), c.args.get("index")
    if y is not None and np.ndim(y) >= 1:
        m = np.shape(y)[-1]
        out.append(("m (the number of examples)", float(m)))
        if index is not None and np.size(index) not in (0, m):
            out.append(("m/|B| (examples over batch size)", m / np.size(index)))
    r_plus = c.args.get("r_plus")
    if r_plus is not None and np.ndim(r_plus) >= 1:
        out.append(("N (the number of directions)", float(np.shape(r_plus)[0])))
        top = c.args.get("top")
        if isinstance(top, (int, np.integer)) and top > 0:
            out.append(("N/b", np.shape(r_plus)[0] / top))
    out.append(("2", 2.0))
    return out


def _factor(c: _Case) -> Iterator[Candidate]:
    if c.leaves is None:
        return
    leaves = c.leaves
    exprs = _expressions(c)
    for i, leaf in enumerate(leaves):
        base = c.step_input(i)
        label = c.label(i)
        change = leaf - base if base is not None else leaf
        what = f"your change of `{label}`" if base is not None else f"`{label}`"

        def scaled(f: Any, i: int = i, base: Any = base, change: Any = change) -> Any:
            new = change * f if base is None else base + change * f
            return _rebuild(c.want, [*leaves[:i], np.broadcast_to(new, leaves[i].shape).copy(), *leaves[i + 1:]])

        for shown, value in exprs:
            value = np.asarray(value, dtype=float)
            if np.any(value == 0) or np.all(np.isclose(value, 1)) or not np.all(np.isfinite(value)):
                continue
            yield Candidate(("factor", label, shown, "extra"),
                            f"{what} is {shown} × the expected one ({shown} = {_show(value)} here): a factor {shown}"
                            " too many", lambda v=value, s=scaled: s(v))
            yield Candidate(("factor", label, shown, "missing"),
                            f"{what} is the expected one divided by {shown} ({shown} = {_show(value)} here): a factor"
                            f" {shown} missing", lambda v=value, s=scaled: s(1 / v))
        ratio = c.ratios.get(i)
        if ratio is not None:
            yield Candidate(("factor", label, "constant"),
                            f"on this case {what} is {ratio:.4g} × the expected one in every element: "
                            "a constant factor is wrong",
                            lambda r=ratio, s=scaled: s(r))


FAMILIES = (_off_by_one, _ignored, _swapped, _eps_inside, _sign, _factor)


def candidates(exercise: Any, args: tuple, want: Any, got: Any, run: Callable[[tuple], Any]) -> list[Candidate]:
    """Every candidate of every family on one case (lazy: a prediction is computed when it is asked for)."""
    c = _Case(exercise, args, want, run)
    c.ratios = _ratios(c, got)
    return [cand for family in FAMILIES for cand in family(c)]


def _ratios(c: _Case, got: Any) -> dict[int, float]:
    """Per float output, got/want (of the change, for an update) when it is one constant other than 1."""
    theirs = _float_leaves(got) if c.leaves is not None else None
    if theirs is None or len(theirs) != len(c.leaves):
        return {}
    out = {}
    for i, (w, g) in enumerate(zip(c.leaves, theirs)):
        base = c.step_input(i)
        if g.shape != w.shape:
            continue
        dw, dg = (w - base, g - base) if base is not None else (w, g)
        nonzero = np.abs(dw) > 1e-12
        if not nonzero.any():
            continue
        with np.errstate(all="ignore"):
            r = dg[nonzero] / dw[nonzero]
        first = r.flat[0]
        if np.all(np.isfinite(r)) and np.allclose(r, first, rtol=1e-6) and not np.isclose(first, 1.0) and first != 0:
            out[i] = float(first)
    return out


# --------------------------------------------------------------------------- verdict-level diagnoses


def float32(got: Any, want: Any) -> str | None:
    """The values are right to float32 precision but some output is float32."""
    theirs = got if isinstance(got, (tuple, list)) else [got]
    if any(isinstance(g, np.ndarray) and g.dtype == np.float32 for g in theirs) and close(got, want, 1e-4, 1e-6):
        return ("your result is float32 (the values are right to about 7 digits): compute and return float64"
                " (no dtype=np.float32, no .astype(np.float32))")
    return None


_BATCHED = re.compile(r"^(K|S) = \d+|leading axes|runs at once|schedules at once|matrices at once")


def is_batched(case_name: str) -> bool:
    """A case whose inputs hold several runs at once (its name says so: "K = 3 runs ...", "two leading axes")."""
    return bool(_BATCHED.search(case_name))


def only_batched(failed: list[str], passed: list[str]) -> str | None:
    """Every failed value case is a batch of runs while a one-run case passed."""
    if failed and all(is_batched(n) for n in failed) and any(not is_batched(n) for n in passed):
        return ("only the cases with several runs at once fail (inputs of shape (K, d), hyper-parameters of shape"
                " (K, 1)) while one run passes: work along the last axis (axis=-1, [..., i], keepdims=True) and let"
                " the leading axes broadcast")
    return None
