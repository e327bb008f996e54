"""Vectorization: 1,000 (α, β) momentum runs as one batched call versus a Python loop of single runs.

Run:  .venv/bin/python benchmarks/vectorization.py [--repeats N]

The grid is 40 step sizes α (log-spaced 10⁻³ … 1) × 25 momenta β (0 … 0.99), 200 steps of
``gc.Momentum(lr, beta)`` each on the 2-D ravine ``gc.quadratic(kappa=10)`` from its customary start.
Batched: α and β of shape (1000, 1), params (1000, 2), one ``step`` per time step. Looped: one run per
(α, β) with params of shape (2,). Timed twice, for the bare kernel and for ``gc.minimize`` (which
adds the history and the stopping rules a lecture uses). Prints the batched median and the (single) loop
time side by side, the ratio and the
largest difference between the two answers; asserts nothing. The course's target is a ratio ≥ 50.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

import gdcourse as gc

STEPS = 200
TARGET = 50.0
OBJECTIVE = gc.quadratic(kappa=10.0)
LRS, BETAS = np.meshgrid(np.logspace(-3, 0, 40), np.linspace(0.0, 0.99, 25), indexing="ij")
LR, BETA = LRS.reshape(-1, 1), BETAS.reshape(-1, 1)  # (1000, 1): row k is run k
X0 = np.asarray(OBJECTIVE.start, dtype=float)


def kernel_run(lr: float | np.ndarray, beta: float | np.ndarray) -> np.ndarray:
    """The end point(s) after STEPS momentum steps: the kernel alone, one step call per time step."""
    optimizer = gc.Momentum(lr=lr, beta=beta)
    x = np.array(np.broadcast_to(X0, np.broadcast_shapes(np.shape(lr), X0.shape)))  # (1000, 2) or (2,)
    state = optimizer.init(x)
    for _ in range(STEPS):
        x, state = optimizer.step(x, OBJECTIVE.grad(x), state)
    return x


def minimize_run(lr: float | np.ndarray, beta: float | np.ndarray) -> np.ndarray:
    """The end point(s) of ``gc.minimize``, as a lecture calls it."""
    return gc.minimize(OBJECTIVE, X0, gc.Momentum(lr=lr, beta=beta), steps=STEPS).trajectory[-1]


def batched(run: Callable) -> np.ndarray:
    return run(LR, BETA)


def looped(run: Callable) -> np.ndarray:
    return np.stack([run(float(lr), float(beta)) for lr, beta in zip(LR[:, 0], BETA[:, 0])])


def timed(function: Callable[[], np.ndarray], repeats: int) -> tuple[float, np.ndarray]:
    """Median wall-clock seconds of `repeats` calls, and the last result."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="timings of each batched call (median reported)")
    args = parser.parse_args()
    print(f"{len(LR)} (α, β) configurations × {STEPS} momentum steps on {OBJECTIVE.name}, κ = {OBJECTIVE.kappa:g}")
    print(f"{'':<22} {'batched':>10} {'Python loop':>12} {'ratio':>8}  max |Δ end point|")
    for name, run in (("gc.Momentum.step", kernel_run), ("gc.minimize", minimize_run)):
        t_batch, x_batch = timed(lambda: batched(run), args.repeats)
        t_loop, x_loop = timed(lambda: looped(run), 1)  # seconds long: once is precise enough
        ratio = t_loop / t_batch
        verdict = "meets" if ratio >= TARGET else "MISSES"
        print(f"{name:<22} {t_batch * 1e3:8.1f} ms {t_loop:10.2f} s {ratio:7.0f}×  "
              f"{np.max(np.abs(x_batch - x_loop)):.1e}   ({verdict} the ≥ {TARGET:g}× target)")


if __name__ == "__main__":
    main()
