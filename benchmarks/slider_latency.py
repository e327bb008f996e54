"""How long a slider move takes, for the real function behind every slider of every lecture.

Run:  .venv/bin/python benchmarks/slider_latency.py [--repeats N] [--notebook NAME ...]

Set-up: each lecture notebook (notebooks/*.ipynb) runs in-process as tools/notebook_runner.py runs it:
its code cells in one fresh namespace, from its own folder, with the Agg backend, ``explore`` boxes
recorded instead of displayed, ``plt.show`` as the inline backend. The set-up time printed per notebook is
that whole execution (the sweeps of lectures 07 and 09 take seconds); it is not part of any move.

A move is what a slider change runs: the wrapper ``explore`` put around the function (it calls the
function with the new values, renders each figure the function opened with ``widgets.figure_png`` and
closes it; a function that calls ``plt.show`` itself is served by the runner's inline ``show`` instead),
then any figure left open is closed. The moves sweep each slider in turn over its own values (the others
at their initial values; ``fixed`` values stay fixed): a FloatLogSlider over base**(min … max by step),
a FloatSlider or IntSlider over min … max by step, a SelectionSlider over its options. ``--repeats N``
moves are spread evenly along that sweep (all of it, cycled, when it is shorter), so values where a run
diverges are timed too: a student sees them. A move that raises is timed and counted ("errors"): the
student sees a traceback under the slider.

Prints per slider function the wall-clock median and 90th percentile, the CPU median (this process,
all threads: what the move costs on an idle machine), the CPU median of the first visits only (values not
seen before: ``explore`` replays a move already seen from its cache, so with fewer values than moves the
overall median may be a replay) and how its figures were served, against issue 16's target of 150 ms
median CPU per move ("under (wall over)": only the load of other processes puts the wall clock over),
and the load average. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from notebook_runner import PNGS, function_name, notebook_context, run_notebook, slider_values  # noqa: E402

# isort: split
import ipywidgets  # noqa: E402  (after notebook_runner, which sets MPLBACKEND=Agg before matplotlib)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

TARGET_MS = 150.0
TARGET_SLIDER = ("04_learning_rate.ipynb", "ravine_path")  # the 200-step 2-D contour slider


def sweep(ui: ipywidgets.interactive) -> list[dict[str, Any]]:
    """Argument values after each move: each slider in turn over its values, the others at their initial ones."""
    initial = {w._kwarg: w.get_interact_value() for w in ui.kwargs_widgets}
    states = [initial]
    for widget in ui.kwargs_widgets:
        states += [{**initial, widget._kwarg: v} for v in slider_values(widget)]
    return [s for previous, s in zip(states, states[1:]) if s != previous]  # a move changes something


def time_slider(
    ui: ipywidgets.interactive, folder: Path, repeats: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], Counter[str]]:
    """Wall-clock and CPU ms of ``repeats`` moves along the sweep, which moves were first visits, the
    errors raised, the PNGs by route."""
    states = sweep(ui)
    picks = (np.round(np.linspace(0, len(states) - 1, repeats)).astype(int) if repeats <= len(states)
             else np.arange(repeats) % len(states))
    wall, cpu, errors = [], [], []
    PNGS.clear()
    with notebook_context(folder, []):
        for i in picks:
            w0, c0 = time.perf_counter(), time.process_time()
            try:
                ui.f(**states[i])
            except Exception as exc:  # interactive shows the traceback under the slider
                errors.append(f"{type(exc).__name__}: {exc}"[:100])
            plt.close("all")
            wall.append(1e3 * (time.perf_counter() - w0))
            cpu.append(1e3 * (time.process_time() - c0))
    first = np.zeros(len(picks), dtype=bool)
    first[np.unique(picks, return_index=True)[1]] = True
    return np.array(wall), np.array(cpu), first, errors, Counter(PNGS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="timed moves per slider function")
    parser.add_argument("--notebook", action="append", default=[], metavar="NAME",
                        help="only notebooks whose file name contains NAME (repeatable), e.g. 04")
    args = parser.parse_args()
    paths = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb"))
             if not args.notebook or any(name in p.name for name in args.notebook)]
    print(f"{'slider function':<58} {'moves':>5} {'median ms':>9} {'p90 ms':>7} {'CPU median':>10} {'CPU 1st':>7}"
          f" {'errors':>6}  {'PNGs/move':<14} vs {TARGET_MS:g} ms CPU")
    total_setup, notes, medians = 0.0, [], []
    for path in paths:
        found, setup, error = run_notebook(path)
        total_setup += setup
        print(f"· {path.name}: set-up {setup:.1f} s, {len(found)} slider function(s)"
              + (f"; STOPPED at {error}" if error else ""))
        for ui in found:
            name = function_name(ui)
            wall, cpu, first, errors, pngs = time_slider(ui, path.parent, args.repeats)
            median, cpu_median = np.median(wall), np.median(cpu)
            routes = " + ".join(f"{n / len(wall):.3g} {route}" for route, n in pngs.items()) or "none"
            verdict = "OVER" if cpu_median >= TARGET_MS else "under" if median < TARGET_MS else "under (wall over)"
            if (path.name, name.split("(")[0]) == TARGET_SLIDER:
                verdict += "  <- the issue's target"
            print(f"  {name:<56} {len(wall):5d} {median:9.1f} {np.percentile(wall, 90):7.1f}"
                  f" {cpu_median:10.1f} {np.median(cpu[first]):7.1f} {len(errors):6d}  {routes:<14} {verdict}")
            notes += [f"{path.name} {name}: {e}" for e in sorted(set(errors))]
            medians.append((cpu_median, np.median(cpu[first])))
    print(f"set-up total {total_setup:.1f} s for {len(paths)} notebook(s) (executed once, not timed as moves)")
    print(f"under {TARGET_MS:g} ms median CPU per move: {sum(m < TARGET_MS for m, _ in medians)} of {len(medians)}"
          f" slider functions; on first visits alone: {sum(f < TARGET_MS for _, f in medians)} of {len(medians)}")
    for note in notes:
        print(f"error under a slider: {note}")
    print(f"load average over the last minute: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
