"""How long a slider move takes: the function behind the slider re-runs, then its figure is drawn.

Run:  .venv/bin/python benchmarks/slider_latency.py [--repeats N]

A move is timed as ``gdcourse.widgets.explore`` serves it: call the function with the next slider
value (recompute + draw), render every figure it opened to PNG bytes (``widgets.figure_png``), close
them. The column "tight" renders with ``bbox_inches="tight"`` instead, as ``%matplotlib inline``
does for a figure drawn outside ``explore``. Prints the wall-clock median and 90th percentile and the CPU
median per slider function, and the load average (other processes inflate wall time); asserts
nothing. The course's target is a median under 150 ms.

To add a lecture's slider, append a ``Slider(name, function, values)`` to SLIDERS: ``values`` maps
each slider argument to the values the benchmark cycles through (a move changes every argument).
"""

from __future__ import annotations

import argparse
import io
import os
import time
from dataclasses import dataclass
from typing import Any, Callable

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib._pylab_helpers import Gcf  # noqa: E402

import gdcourse as gd  # noqa: E402
from gdcourse.widgets import descent_1d, descent_2d, figure_png, training_curve  # noqa: E402

TARGET_MS = 150.0


@dataclass(frozen=True)
class Slider:
    name: str
    function: Callable[..., Any]
    values: dict[str, list[Any]]


LR_GRID = [float(10**e) for e in np.arange(-3.0, 0.01, 0.1)]  # the lr_slider grid
RAVINE = gd.quadratic(kappa=10.0, L=1.0)  # built once, as lecture 4 does: its contour grid is cached
TABLE_X, TABLE_Y = gd.xy(gd.classification_table(seed=0))
TABLE_Z = gd.standardize(TABLE_X).Z
PERCEPTRON = gd.LogisticRegression(n_features=2)

SLIDERS: list[Slider] = [
    Slider(
        "04 ravine_path(lr): GD, 200 steps on a 2-D contour (target)",
        lambda lr: descent_2d(RAVINE, gd.GD(lr), steps=200),
        {"lr": [v for v in LR_GRID if v >= 0.01] + [10**0.1, 10**0.2, 10**0.3, 10**0.4]},
    ),
    Slider(
        "01 descend(lr): GD on θ⁴ − 8θ², 30 steps from θ0 = 1",
        lambda lr: descent_1d(gd.double_well, gd.GD(lr), x0=1.0, steps=30),
        {"lr": [v for v in LR_GRID if v <= 10**-0.5]},
    ),
    Slider(
        "03 try_batch(batch_size, lr): perceptron, 2 epochs",
        lambda batch_size, lr: training_curve(PERCEPTRON, TABLE_Z, TABLE_Y, gd.GD(lr), batch_size=batch_size,
                                              epochs=2, theta0=np.zeros(3)),
        {"batch_size": [32, 64, 128, 256, 512, 1153], "lr": [0.01, 0.1, 1.0, 10.0]},
    ),
]


def render_open_figures(tight: bool) -> None:
    """PNG bytes of every open figure (as ``explore``, or as the inline backend with ``tight``); close them."""
    for manager in Gcf.get_all_fig_managers():
        if tight:
            manager.canvas.figure.savefig(io.BytesIO(), format="png", bbox_inches="tight")
        else:
            figure_png(manager.canvas.figure)
    plt.close("all")


def time_slider(slider: Slider, repeats: int, tight: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Wall-clock and CPU milliseconds of ``repeats`` moves, each with the next value of every argument
    (after one warm-up). CPU time is what the move costs on an idle machine; wall time includes
    whatever else runs."""
    wall, cpu = [], []
    for i in range(repeats + 1):
        kwargs = {k: v[i % len(v)] for k, v in slider.values.items()}
        w0, c0 = time.perf_counter(), time.process_time()
        slider.function(**kwargs)
        render_open_figures(tight)
        wall.append(1e3 * (time.perf_counter() - w0))
        cpu.append(1e3 * (time.process_time() - c0))
    return np.array(wall[1:]), np.array(cpu[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    print(f"{'slider function':<62} {'median ms':>9} {'p90 ms':>7} {'CPU median':>10} {'tight median':>12}")
    for slider in SLIDERS:
        wall, cpu = time_slider(slider, args.repeats)
        tight, _ = time_slider(slider, args.repeats, tight=True)
        flag = "" if np.median(wall) < TARGET_MS else f"  (over the {TARGET_MS:g} ms target)"
        print(f"{slider.name:<62} {np.median(wall):9.1f} {np.percentile(wall, 90):7.1f} {np.median(cpu):10.1f}"
              f" {np.median(tight):12.1f}{flag}")
    print(f"load average over the last minute: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
