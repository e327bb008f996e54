"""Kernel throughput: one Adam step on 10⁶ and 10⁷ float64 parameters, against the memory bound and torch.

Run:  .venv/bin/python benchmarks/kernel_throughput.py [--repeats N]

An Adam step must read θ, g, m, v and write θ, m, v: seven passes over arrays of n float64. A plain
NumPy copy (``np.copyto``) of one such array is two passes, so 3.5 copies is the memory-bandwidth
bound of a step. Timed side by side in one run (medians of chained steps, after one warm-up step):
the copy, ``gd.Adam().step`` (pure: it returns new arrays and checks its inputs), and
``torch.optim.Adam`` on the CPU over the same numbers when torch is importable (torch is not a course
dependency: it is skipped with a message otherwise). Prints ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time
from collections.abc import Callable

import numpy as np

import gdcourse as gd

SIZES = (10**6, 10**7)
PASSES_PER_COPY, PASSES_PER_ADAM_STEP = 2, 7


def median_seconds(step: Callable[[], object], repeats: int) -> float:
    step()  # warm-up: first-touch page faults, torch's lazy state
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def numpy_copy(n: int, rng: np.random.Generator) -> Callable[[], None]:
    source, target = rng.standard_normal(n), np.empty(n)
    return lambda: np.copyto(target, source)


def gdcourse_adam(n: int, rng: np.random.Generator) -> Callable[[], None]:
    optimizer = gd.Adam(lr=1e-3)
    params, grad = rng.standard_normal(n), rng.standard_normal(n)
    box = [params, optimizer.init(params)]

    def step() -> None:
        box[0], box[1] = optimizer.step(box[0], grad, box[1])

    return step


def torch_adam(n: int, rng: np.random.Generator) -> Callable[[], None]:
    import torch

    param = torch.nn.Parameter(torch.from_numpy(rng.standard_normal(n)))
    param.grad = torch.from_numpy(rng.standard_normal(n))
    optimizer = torch.optim.Adam([param], lr=1e-3)
    return optimizer.step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=10, help="timed steps per variant (median reported)")
    args = parser.parse_args()
    has_torch = importlib.util.find_spec("torch") is not None
    if has_torch:
        import torch

        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads (numpy: one thread per ufunc)")
    else:
        print("torch.optim.Adam: skipped, torch is not importable (not a course dependency; "
              "install it in another environment to compare)")
    bound = PASSES_PER_ADAM_STEP / PASSES_PER_COPY
    print(f"{'n':>10} {'copy':>9} {'bandwidth':>11} {'bound':>9} {'gd.Adam':>9} {'/copy':>6} {'/bound':>7}"
          + (f" {'torch':>9} {'gd/torch':>9}" if has_torch else ""))
    for n in SIZES:
        rng = np.random.default_rng(0)
        t_copy = median_seconds(numpy_copy(n, rng), args.repeats)
        t_adam = median_seconds(gdcourse_adam(n, rng), args.repeats)
        gb_per_s = PASSES_PER_COPY * 8 * n / t_copy / 1e9
        row = (f"{n:>10.0e} {t_copy * 1e3:6.2f} ms {gb_per_s:6.1f} GB/s {bound * t_copy * 1e3:6.2f} ms "
               f"{t_adam * 1e3:6.1f} ms {t_adam / t_copy:5.1f}× {t_adam / (bound * t_copy):6.1f}×")
        if has_torch:
            t_torch = median_seconds(torch_adam(n, rng), args.repeats)
            row += f" {t_torch * 1e3:6.1f} ms {t_adam / t_torch:8.2f}×"
        print(row)
    print(f"bound = {bound:g} copies (an Adam step reads θ, g, m, v and writes θ, m, v); "
          "'/bound' is how many times slower than the memory bound gd.Adam runs")


if __name__ == "__main__":
    main()
