"""Large elementwise steps without a new array per line: a kernel's ``update`` is traced, then run on blocks.

``Optimizer.step`` on large params calls the kernel's ``update`` once on ``Traced`` stand-ins for θ, g and the
state's arrays. Every operation of the body (an operator, a ufunc such as ``np.sqrt`` or ``np.maximum``,
``np.where``, ``np.clip``) is recorded instead of computed, so the body, written as its equations, becomes a list of
calls: a ``Program``. ``Program.run`` compiles that list into one loop when numba is installed (``_compiled``);
otherwise it applies the list to consecutive blocks of the flattened arrays, each call
writing into a block-sized buffer that is reused once its value is dead, and the values the step returns straight
into the returned arrays. The same functions on the same operands in the same order: the numbers are bitwise those
of ``update`` on the whole arrays. Only the memory traffic changes: a block's buffers stay in the cache, and nothing
of the size of params is allocated but the arrays the step returns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import _compiled

BLOCK = 16 * 1024
"""Elements per block: 128 KB per float64 buffer, so that the few buffers a step keeps alive and its blocks of θ, g
and the state stay in a core's L2 cache (Adam without numba at 10⁶ parameters: 23, 19, 13, 13 and 16 ms per step
with blocks of 4K, 8K, 16K, 32K and 64K)."""


def _where(condition: Any, x: Any, y: Any, out: np.ndarray) -> np.ndarray:
    """``np.where(condition, x, y)`` written into ``out`` (np.where has no ``out``)."""
    np.copyto(out, y)
    np.copyto(out, x, where=condition)
    return out


_WRITERS = {np.where: _where, np.clip: np.clip}
"""The non-ufunc functions a kernel body may call on arrays, and how each writes into ``out``."""

_FAST_POWERS = {2: np.square, -1: np.reciprocal, 0.5: np.sqrt}
"""Powers that ``ndarray.__pow__`` computes with another ufunc (numpy's fast_scalar_power); ``x**2`` must be
``np.square(x)`` here too for the numbers to be those of the whole arrays."""


class Traced(np.lib.mixins.NDArrayOperatorsMixin):
    """Stands for one array of the step while ``update`` is traced: arithmetic on it records a call."""

    __slots__ = ("program", "node", "dtype")

    def __init__(self, program: Program, node: int, dtype: np.dtype) -> None:
        self.program, self.node, self.dtype = program, node, dtype

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if method != "__call__" or kwargs or ufunc.nout != 1:
            return NotImplemented
        return self.program.record(ufunc, inputs)

    def __array_function__(self, func: Callable, types: Any, args: Sequence, kwargs: dict) -> Any:
        if func not in _WRITERS or kwargs:
            return NotImplemented
        return self.program.record(func, args)

    def __pow__(self, exponent: Any) -> Any:
        fast = _FAST_POWERS.get(exponent) if type(exponent) in (int, float) else None
        return self.program.record(fast, (self,)) if fast else self.program.record(np.power, (self, exponent))


def _operand(arg: Any) -> Any:
    """An argument of a traced call: a traced array, or a number (an array of one element becomes 0-d: a (1, 1)
    hyper-parameter must not add axes to the flat blocks)."""
    if isinstance(arg, Traced) or np.ndim(arg) == 0:
        return arg
    if np.size(arg) != 1:
        raise ValueError(f"a kernel body run on blocks takes numbers besides its arrays, got shape {np.shape(arg)}")
    return np.reshape(arg, ())


_DTYPES: dict[tuple, np.dtype] = {}


def _result_dtype(func: Callable, key: tuple, operands: tuple) -> np.dtype:
    """The dtype of ``func(*operands)``: that of the call on one-element arrays (computed once per signature)."""
    if (func, key) not in _DTYPES:
        samples = [np.ones(1, a.dtype) if isinstance(a, Traced) else a for a in operands]
        with np.errstate(all="ignore"):
            _DTYPES[func, key] = np.asarray(func(*samples)).dtype
    return _DTYPES[func, key]


class Program:
    """The calls of a kernel body, traced on stand-ins for its arrays, to be run on blocks of those arrays."""

    def __init__(self, n_inputs: int) -> None:
        self.n_inputs = n_inputs
        self.calls: list[tuple[Callable, tuple]] = []  # node n_inputs + i is calls[i]
        self.dtypes = [np.dtype(np.float64)] * n_inputs
        self.outputs: list[Any] = []

    @classmethod
    def trace(cls, body: Callable[..., Sequence], n_inputs: int) -> Program:
        """Record ``body(*stand_ins)``: each of its returned values is a traced array or a value kept as it is."""
        program = cls(n_inputs)
        stand_ins = [Traced(program, node, program.dtypes[node]) for node in range(n_inputs)]
        program.outputs = list(body(*stand_ins))
        return program

    def record(self, func: Callable, args: Sequence) -> Traced:
        """Append ``func(*args)``, of the dtype that numpy gives it (bool for a comparison, else float64)."""
        operands = tuple(map(_operand, args))
        self.calls.append((func, operands))
        dtype = _result_dtype(func, tuple(getattr(a, "dtype", type(a)) for a in operands), operands)
        self.dtypes.append(dtype)
        return Traced(self, len(self.dtypes) - 1, dtype)

    def returned_nodes(self) -> list[int]:
        """The nodes of the traced values the body returns that are not inputs, each once, in order."""
        nodes = [value.node for value in self.outputs if isinstance(value, Traced) and value.node >= self.n_inputs]
        return list(dict.fromkeys(nodes))

    def run(self, inputs: Sequence[np.ndarray], check: Callable[[np.ndarray, np.ndarray], None]) -> list[Any]:
        """The traced body on ``inputs`` (arrays of one shape, the first two θ and g): compiled into one loop when
        numba is installed (``_compiled``), else on consecutive blocks of their flattened elements.
        ``check(θ_block, g_block)`` raises if a block of flat θ or g has a non-finite element (called before each
        block's calls; for the compiled loop, once on the whole arrays if the loop saw one). Returns the body's
        values: new arrays of the inputs' shape for traced ones (an input returned unchanged is that input), the
        others as they were."""
        flat = [np.ravel(array) for array in inputs]
        arrays = {node: np.empty(np.shape(inputs[0]), self.dtypes[node]) for node in self.returned_nodes()}
        loop = _compiled.loop(self) if _compiled.AVAILABLE else None
        if loop is not None:
            outputs = [array.reshape(-1) for array in arrays.values()]
            if not loop(len(flat[0]), *flat, *outputs, *_compiled.constants(self)):
                check(flat[0], flat[1])
        else:
            self._run_blocks(flat, arrays, check)
        whole = {**dict(enumerate(inputs)), **arrays}
        return [whole[v.node] if isinstance(v, Traced) else v for v in self.outputs]

    def _run_blocks(self, flat: list[np.ndarray], arrays: dict[int, np.ndarray],
                    check: Callable[[np.ndarray, np.ndarray], None]) -> None:
        """The calls on consecutive blocks of ``BLOCK`` elements, each writing into a reused block-sized buffer or,
        for a returned value, into its array of ``arrays``."""
        slots, dtypes = self._slots(arrays)
        buffers = [np.empty(BLOCK, dtype) for dtype in dtypes]
        targets = [arrays[self.n_inputs + i].reshape(-1) if slot is None else buffers[slot]
                   for i, slot in enumerate(slots)]
        n = len(flat[0])
        for start in range(0, n, BLOCK):
            block = slice(start, min(start + BLOCK, n))
            values = [array[block] for array in flat]
            check(values[0], values[1])
            for (func, operands), target, slot in zip(self.calls, targets, slots):
                out = target[block] if slot is None else target[: block.stop - start]
                args = [values[a.node] if isinstance(a, Traced) else a for a in operands]
                values.append(_WRITERS.get(func, func)(*args, out=out))

    def _slots(self, arrays: dict[int, np.ndarray]) -> tuple[list[int | None], list[np.dtype]]:
        """Where each call writes: None when the step returns its value (into ``arrays``), else the number of a
        block-sized buffer, reused from a value of the same dtype that no later call reads. Returns the slots and
        the buffers' dtypes."""
        last_read = {a.node: i for i, (_, operands) in enumerate(self.calls) for a in operands if isinstance(a, Traced)}
        dtypes: list[np.dtype] = []
        free: list[int] = []
        slot_of: dict[int, int] = {}
        slots: list[int | None] = []
        for i, (func, operands) in enumerate(self.calls):
            dead = [slot_of.pop(a.node) for a in operands if isinstance(a, Traced) and a.node in slot_of
                    and last_read[a.node] == i]
            if isinstance(func, np.ufunc):  # elementwise: may write over an operand it reads for the last time
                free += dead
            node = self.n_inputs + i
            if node in arrays:
                slots.append(None)
            else:
                reuse = [s for s in free if dtypes[s] == self.dtypes[node]]
                if reuse:
                    free.remove(reuse[-1])
                    slot_of[node] = reuse[-1]
                else:
                    dtypes.append(self.dtypes[node])
                    slot_of[node] = len(dtypes) - 1
                slots.append(slot_of[node])
            if not isinstance(func, np.ufunc):
                free += dead
        return slots, dtypes
