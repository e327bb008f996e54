"""A traced kernel body compiled into one loop over the elements, when numba is installed (``gdcourse[fast]``).

``_blocks.Program`` runs a body one numpy call at a time: Adam's six lines are 14 passes over every block. With numba,
the same calls become one loop that reads each element of θ, g and the state once and writes each returned array
once, so a large step costs about its memory traffic. Each call becomes the scalar operation numpy's loop does for
float64 (the same IEEE operation, with numpy's NaN rules), so the numbers are bitwise those of the numpy calls
(tests/test_optimizers.py compares them on every kernel and option). A body calling anything else runs as blocks.
The generated source is kept per body structure and compiled once per process (0.2 s; the first also imports numba:
0.8 s), so only large arrays take this path.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable
from typing import Any

import numpy as np

AVAILABLE = importlib.util.find_spec("numba") is not None
"""numba is importable (it is imported only when a large step first needs it)."""

SCALAR = {
    np.add: "{0} + {1}",
    np.subtract: "{0} - {1}",
    np.multiply: "{0} * {1}",
    np.divide: "{0} / {1}",
    np.negative: "-{0}",
    np.positive: "+{0}",
    np.square: "{0} * {0}",
    np.reciprocal: "1.0 / {0}",
    np.sqrt: "np.sqrt({0})",
    np.absolute: "abs({0})",
    np.sign: "sign({0})",
    np.maximum: "maximum({0}, {1})",
    np.minimum: "minimum({0}, {1})",
    np.greater: "{0} > {1}",
    np.greater_equal: "{0} >= {1}",
    np.less: "{0} < {1}",
    np.less_equal: "{0} <= {1}",
    np.equal: "{0} == {1}",
    np.not_equal: "{0} != {1}",
    np.where: "({1} if {0} else {2})",
    np.clip: "clip({0}, {1}, {2})",
}
"""Each function a body may call, as the scalar expression of numpy's float64 loop."""

HELPERS = '''
@numba.njit(inline="always")
def maximum(a, b):  # numpy's maximum: a NaN on either side wins; of two zeros, b
    return a if (a > b or a != a) else b

@numba.njit(inline="always")
def minimum(a, b):
    return a if (a < b or a != a) else b

@numba.njit(inline="always")
def sign(x):  # numpy's sign of floats: sign(-0.0) is +0.0, a NaN stays
    return 1.0 if x > 0 else (-1.0 if x < 0 else (0.0 if x == 0 else x))

@numba.njit(inline="always")
def clip(x, lo, hi):  # numpy's clip of floats: max(x, lo) then min(., hi), a NaN x stays
    y = x if (x != x or x > lo) else lo
    return y if (y != y or y < hi) else hi
'''


def loop(program: Any) -> Callable | None:
    """The compiled loop of ``program`` (None when its body calls a function outside ``SCALAR``), called as
    ``loop(n, *inputs, *outputs, *constants(program))`` on flat arrays; it returns whether θ and g (inputs 0 and 1)
    were finite."""
    if any(func not in SCALAR for func, _ in program.calls):
        return None
    structure = tuple((func, tuple(getattr(a, "node", None) for a in operands)) for func, operands in program.calls)
    return _compiled(program.n_inputs, structure, tuple(program.returned_nodes()))


def constants(program: Any) -> list[Any]:
    """The numbers of the body in the order of the loop's constant arguments (they change from step to step: the
    bias corrections of Adam; one compiled loop serves every step)."""
    return [a.item() if isinstance(a, np.ndarray) else a for _, operands in program.calls for a in operands
            if not hasattr(a, "node")]


def source(n_inputs: int, structure: tuple, returned: tuple[int, ...]) -> str:
    """The Python source of the loop over elements i: read the inputs, one line per call, write the returned values."""
    n_constants = sum(node is None for _, nodes in structure for node in nodes)
    names = iter(range(n_constants))
    body = [f"x{n_inputs + i} = " + SCALAR[func].format(*(f"x{node}" if node is not None else f"c{next(names)}"
                                                          for node in nodes))
            for i, (func, nodes) in enumerate(structure)]
    arguments = [f"a{k}" for k in range(n_inputs)] + [f"o{k}" for k in range(len(returned))]
    arguments += [f"c{j}" for j in range(n_constants)]
    lines = [f"def loop(n, {', '.join(arguments)}):", "    finite = True", "    for i in range(n):"]
    lines += [f"        x{k} = a{k}[i]" for k in range(n_inputs)]
    lines.append("        finite &= np.isfinite(x0) & np.isfinite(x1)")
    lines += [f"        {line}" for line in body]
    lines += [f"        o{k}[i] = x{node}" for k, node in enumerate(returned)]
    lines.append("    return finite")
    return "\n".join(lines)


@functools.cache
def _compiled(n_inputs: int, structure: tuple, returned: tuple[int, ...]) -> Callable:
    """The njit-compiled loop (numpy's error model: x/0 is inf, not an exception), once per body structure."""
    import numba

    namespace = {"np": np, "numba": numba}
    exec(HELPERS + "\n" + source(n_inputs, structure, returned), namespace)  # noqa: S102 - built from SCALAR
    return numba.njit(error_model="numpy")(namespace["loop"])
