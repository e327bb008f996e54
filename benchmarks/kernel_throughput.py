"""Kernel throughput: one step of gdcourse's kernels on 10⁵, 10⁶, 10⁷ float64 parameters, side by side with a
NumPy copy, the memory-traffic bound and torch.optim.Adam; and the fixed cost of a step on 2 parameters.

Run:  .venv/bin/python benchmarks/kernel_throughput.py [--repeats N]

A step must read and write its arrays at least once. A plain NumPy copy (``np.copyto``) of one array is two
passes (a read, a write), so the memory-traffic bound of a kernel is (its passes / 2) copies: Adam reads θ, g,
m, v and writes θ, m, v (7 passes, 3.5 copies); GD reads θ, g and writes θ (3); ClassicalMomentum and RMSProp
read θ, g and one accumulator and write θ and it (5). Times are the median CPU time of the calling thread
(``time.thread_time``, steady on a shared machine where wall time is not) over chained steps after a warm-up
step. gdcourse's kernels are pure: each step returns new arrays (the page faults of fresh memory included)
and checks its inputs. From 16K parameters a step runs the kernel's body as one loop compiled by numba (the
``fast`` extra); the column "numpy" is gc.Adam without numba, as where numba is not installed (numpy on blocks
of 16K elements from 2^19 parameters, whole arrays below). torch.optim.Adam (in place, one thread, the default
``foreach`` and ``fused``) runs on the same numbers when torch is importable (it is not a course dependency:
skipped with a message otherwise).
Prints times and ratios; asserts nothing. Targets (issue 16): gc.Adam faster than torch's default Adam at 10⁶
and 10⁷ and within 3× of its bound; the per-step overhead at 2 parameters below torch's.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import gdcourse as gc
from gdcourse import _compiled

SIZES = (10**5, 10**6, 10**7)
PASSES_PER_COPY = 2
KERNELS = {  # name: (kernel, passes over memory of one step)
    "Adam": (gc.Adam(lr=1e-3), 7),
    "GD": (gc.GD(lr=1e-3), 3),
    "momentum": (gc.ClassicalMomentum(lr=1e-3, momentum=0.9), 5),
    "RMSProp": (gc.RMSProp(lr=1e-3), 5),
}


def median_seconds(step: Callable[[], object], repeats: int) -> float:
    step()  # warm-up: first-touch page faults, torch's lazy state
    times = []
    for _ in range(repeats):
        start = time.thread_time()
        step()
        times.append(time.thread_time() - start)
    return statistics.median(times)


def numpy_copy(n: int, rng: np.random.Generator) -> Callable[[], None]:
    source, target = rng.standard_normal(n), np.empty(n)
    return lambda: np.copyto(target, source)


def gdcourse_step(kernel: gc.Optimizer, n: int, rng: np.random.Generator) -> Callable[[], None]:
    params, grad = rng.standard_normal(n), rng.standard_normal(n)
    box = [params, kernel.init(params)]

    def step() -> None:
        box[0], box[1] = kernel.step(box[0], grad, box[1])

    return step


def numpy_only(step: Callable[[], None]) -> Callable[[], None]:
    """``step`` as it runs where numba is not installed."""

    def without_numba() -> None:
        available, _compiled.AVAILABLE = _compiled.AVAILABLE, False
        try:
            step()
        finally:
            _compiled.AVAILABLE = available

    return without_numba


def torch_adam(n: int, rng: np.random.Generator, **options: bool) -> Callable[[], None]:
    import torch

    param = torch.nn.Parameter(torch.from_numpy(rng.standard_normal(n)))
    param.grad = torch.from_numpy(rng.standard_normal(n))
    return torch.optim.Adam([param], lr=1e-3, **options).step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=9, help="timed steps per variant (median reported)")
    args = parser.parse_args()
    has_torch = importlib.util.find_spec("torch") is not None
    if has_torch:
        import torch

        torch.set_num_threads(1)  # numpy runs one thread per ufunc: compare like with like
        print(f"torch {torch.__version__}, 1 thread; numpy {np.__version__}")
    else:
        print("torch.optim.Adam: skipped, torch is not importable (not a course dependency; "
              "install it in another environment to compare)")
    if Path("/proc/loadavg").exists():  # a busy machine slows every column, the ratios less
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        print(f"load average (1, 5, 15 min): {load} on {os.cpu_count()} CPUs")
    if not _compiled.AVAILABLE:
        print("numba is not installed (`pip install gdcourse[fast]`): gc.Adam is the numpy column")
    head = f"{'n':>6} {'copy':>8} {'Adam bound':>10} {'gc.Adam':>8} {'/bound':>6} {'numpy':>8} {'/bound':>6}"
    head += f" {'torch':>8} {'fused':>8} {'gc/torch':>8}" if has_torch else ""
    head += "".join(f" {name:>9} {'/bound':>6}" for name in list(KERNELS)[1:])
    print(head + "   (ms of thread CPU time per step)")
    for n in SIZES:
        rng = np.random.default_rng(0)
        repeats = max(args.repeats, int(3e7 // n))
        t_copy = median_seconds(numpy_copy(n, rng), repeats)
        times = {name: median_seconds(gdcourse_step(k, n, rng), repeats) for name, (k, _) in KERNELS.items()}
        bound = {name: passes / PASSES_PER_COPY * t_copy for name, (_, passes) in KERNELS.items()}
        row = f"{n:>6.0e} {t_copy * 1e3:8.3f} {bound['Adam'] * 1e3:10.3f} {times['Adam'] * 1e3:8.3f} "
        row += f"{times['Adam'] / bound['Adam']:5.1f}×"
        t_numpy = median_seconds(numpy_only(gdcourse_step(KERNELS["Adam"][0], n, rng)), repeats)
        row += f" {t_numpy * 1e3:8.3f} {t_numpy / bound['Adam']:5.1f}×"
        if has_torch:
            t_torch = median_seconds(torch_adam(n, rng), repeats)
            t_fused = median_seconds(torch_adam(n, rng, fused=True), repeats)
            row += f" {t_torch * 1e3:8.3f} {t_fused * 1e3:8.3f} {times['Adam'] / t_torch:7.2f}×"
        row += "".join(f" {times[name] * 1e3:9.3f} {times[name] / bound[name]:5.1f}×" for name in list(KERNELS)[1:])
        print(row)
    rng = np.random.default_rng(0)
    small = {name: median_seconds(gdcourse_step(k, 2, rng), 20_000) for name, (k, _) in KERNELS.items()}
    line = "per-step overhead at n = 2: " + ", ".join(f"gc.{name} {t * 1e6:.1f} µs" for name, t in small.items())
    if has_torch:
        line += (f"; torch Adam {median_seconds(torch_adam(2, rng), 20_000) * 1e6:.1f} µs, "
                 f"fused {median_seconds(torch_adam(2, rng, fused=True), 20_000) * 1e6:.1f} µs")
    print(line)
    print("'/bound': how many times its memory-traffic bound a step takes; 'gc/torch' < 1: gc.Adam is faster")


if __name__ == "__main__":
    main()
