"""Random search on the LQR: rollouts to stabilise and to reach 20 % and 5 % of J*, and batched vs looped.

Run:  .venv/bin/python benchmarks/ars_benchmark.py [--seeds 10] [--iterations 400] [--repeats 5]

Part 1. From K = 0 on the Dean et al. LQR (gc.LQR(), 300-step rollouts), ARS V1-t (N = 8, b = 4),
ARS V1 (N = b = 8) and BRS (N = 8), each with a constant step and with the inverse-time decay
α(t) = α0/(1 + 0.05·t), over ``--seeds`` seeds in one batched search per method. Progress is the exact
relative cost (J(K) − J*)/J*; the table gives the median over the seeds of the rollouts after which it
first drops below ∞ (stabilised), 20 % and 5 % ("not reached" within the budget).

Part 2. The wall-clock of one ARS iteration with N = 32 directions (2N = 64 rollouts): the 64 policies
stacked and rolled out in one call of gc.lqr_rollout, against an evaluation that loops over them one
rollout at a time (the same step otherwise). Medians of ``--repeats`` iterations; prints the ratio.

Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import gdcourse as gc

ALPHA_ARS, ALPHA_BRS, NOISE, DECAY = 0.02, 1e-13, 0.01, 0.05
LEVELS = {"stabilise": np.inf, "within 20 %": 0.2, "within 5 %": 0.05}
METHODS = {  # name -> (kernel class, α0, extra hyper-parameters)
    "ARS V1-t (N = 8, b = 4)": (gc.ARS, ALPHA_ARS, {"directions": 8, "top": 4}),
    "ARS V1 (N = b = 8)": (gc.ARS, ALPHA_ARS, {"directions": 8}),
    "BRS (N = 8)": (gc.BRS, ALPHA_BRS, {"directions": 8}),
}


def rollouts_to_levels(seeds: int, iterations: int) -> None:
    """Median rollouts to each level, constant and decaying step in one batched search per method."""
    decays = np.array([0.0, DECAY])[:, None, None, None]  # axis 0: constant, decaying
    print(f"Rollouts from K = 0 to each level of (J(K) − J*)/J*, median over {seeds} seeds "
          f"(budget {iterations} iterations; ν = {NOISE})")
    print(f"{'method':26s} {'step':24s}" + "".join(f"{name:>14s}" for name in LEVELS) + f"{'budget':>9s}")
    for name, (kernel, alpha, extra) in METHODS.items():
        method = kernel(lr=gc.TimeDecay(alpha, decays), noise=NOISE, **extra)
        run = gc.search(method, np.zeros((2, seeds, 3, 3)), gc.lqr_rollout, iterations, seed=0)
        relative = gc.lqr_relative_cost(run.trajectory)
        reach = np.median(gc.rollouts_to_reach(relative, run.rollouts, list(LEVELS.values())), axis=-1)
        for i, step in enumerate([f"α = {alpha:g}", f"α = {alpha:g}/(1 + {DECAY:g}·t)"]):
            cells = "".join(f"{'not reached' if np.isinf(v) else f'{v:.0f}':>14s}" for v in reach[:, i])
            print(f"{name:26s} {step:24s}{cells}{run.rollouts[-1]:>9d}")


def batched_vs_looped(repeats: int) -> None:
    """One ARS iteration with N = 32: one batched rollout call vs a Python loop over the 64 policies."""
    method = gc.ARS(lr=ALPHA_ARS, noise=NOISE, directions=32)
    K = gc.lqr_optimal_gain().K
    state = method.init(K, seed=0)

    def looped(policies: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return np.array([gc.lqr_rollout(p, rng).reward for p in policies])

    timings = {}
    for name, evaluate in (("batched", gc.lqr_rollout), ("loop over directions", looped)):
        method.step(K, evaluate, state)  # warm-up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            method.step(K, evaluate, state)
            times.append(time.perf_counter() - start)
        timings[name] = statistics.median(times)
    print(f"\nOne ARS iteration, N = 32 (64 rollouts of 300 steps), median of {repeats}:")
    for name, seconds in timings.items():
        print(f"  {name:22s} {1e3 * seconds:8.1f} ms")
    print(f"  ratio loop / batched: {timings['loop over directions'] / timings['batched']:.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rollouts_to_levels(args.seeds, args.iterations)
    batched_vs_looped(args.repeats)


if __name__ == "__main__":
    main()
