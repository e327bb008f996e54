"""How long a slider move takes, for the real function behind every slider of every lecture.

Run:  .venv/bin/python benchmarks/slider_latency.py [--repeats N] [--notebook NAME ...]

Set-up: each lecture notebook (notebooks/*.ipynb) runs in-process, its code cells in one fresh
namespace, from its own folder, with the Agg backend; IPython magics (lines starting with % or !)
become ``pass``. ``gdcourse.widgets.explore`` is replaced by a recorder that builds the same ``interactive``
box without displaying it (so the function runs once, as when the cell runs) and keeps it. ``plt.show``
behaves as the inline backend of a kernel: every open figure rendered to PNG with the tight bounding
box (IPython's ``print_figure``), then all closed; the figures a cell leaves open are flushed the same
way at its end. The set-up time printed per notebook is that whole execution (the sweeps of lectures 07
and 09 take seconds); it is not part of any move.

A move is what a slider change runs: the wrapper ``explore`` put around the function (it calls the
function with the new values, renders each figure the function opened with ``widgets.figure_png`` and
closes it; a function that calls ``plt.show`` itself is served by the inline ``show`` above instead),
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
import contextlib
import io
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ["MPLBACKEND"] = "Agg"

import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402
from matplotlib._pylab_helpers import Gcf  # noqa: E402

import gdcourse.widgets  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 150.0
TARGET_SLIDER = ("04_learning_rate.ipynb", "ravine_path")  # the 200-step 2-D contour slider
PNGS: Counter[str] = Counter()  # figures rendered, by the way they were served


def function_name(ui: ipywidgets.interactive) -> str:
    """``name(argument=slider label, ...)`` of the function behind an ``explore`` box (``ui.f`` wraps it)."""
    func = getattr(ui.f, "__wrapped__", ui.f)
    args = ", ".join(f"{w._kwarg}={'fixed' if isinstance(w, ipywidgets.fixed) else w.description}"
                     for w in ui.kwargs_widgets)
    return f"{func.__name__}({args})"


def slider_values(widget: Any) -> list[Any]:
    """The values a student can put the widget to, in slider order (a fixed value: itself)."""
    if isinstance(widget, ipywidgets.FloatLogSlider):
        exponents = widget.min + widget.step * np.arange(round((widget.max - widget.min) / widget.step) + 1)
        return [float(widget.base**e) for e in exponents]
    if isinstance(widget, (ipywidgets.FloatSlider, ipywidgets.IntSlider)):
        count = round((widget.max - widget.min) / widget.step) + 1
        return [type(widget.value)(widget.min + k * widget.step) for k in range(count)]
    if hasattr(widget, "_options_values"):  # SelectionSlider, Dropdown...: the values behind the labels
        return list(widget._options_values)
    return [widget.get_interact_value()]


def sweep(ui: ipywidgets.interactive) -> list[dict[str, Any]]:
    """Argument values after each move: each slider in turn over its values, the others at their initial ones."""
    initial = {w._kwarg: w.get_interact_value() for w in ui.kwargs_widgets}
    states = [initial]
    for widget in ui.kwargs_widgets:
        states += [{**initial, widget._kwarg: v} for v in slider_values(widget)]
    return [s for previous, s in zip(states, states[1:]) if s != previous]  # a move changes something


def inline_show(*args: Any, **kwargs: Any) -> None:
    """``plt.show`` as the inline backend serves it: each open figure to a tight PNG, then close them all."""
    for manager in Gcf.get_all_fig_managers():
        PNGS["plt.show"] += 1
        print_figure(manager.canvas.figure, "png")
    plt.close("all")


def counted_figure_png(fig: Any, _render: Callable[[Any], bytes] = gdcourse.widgets.figure_png) -> bytes:
    PNGS["explore"] += 1
    return _render(fig)


@contextlib.contextmanager
def notebook_context(folder: Path, found: list[ipywidgets.interactive]) -> Iterator[io.StringIO]:
    """Run from ``folder`` with recording ``explore``, inline-like ``plt.show``, and the output captured."""
    original = gdcourse.widgets.explore

    def recording_explore(func: Callable[..., Any], **kwargs: Any) -> ipywidgets.interactive:
        ui = original(func, **{**kwargs, "show": False})
        found.append(ui)
        return ui

    output = io.StringIO()
    with contextlib.ExitStack() as stack:
        stack.callback(os.chdir, os.getcwd())
        os.chdir(folder)
        stack.enter_context(contextlib.redirect_stdout(output))
        stack.enter_context(contextlib.redirect_stderr(output))  # divergence warnings, printed tables
        for obj, attr, value in ((gdcourse.widgets, "explore", recording_explore), (plt, "show", inline_show),
                                 (gdcourse.widgets, "figure_png", counted_figure_png)):
            saved = getattr(obj, attr)
            setattr(obj, attr, value)
            stack.callback(setattr, obj, attr, saved)
        yield output


def python_source(cell: str) -> str:
    """The cell with its IPython magics (``%matplotlib inline``, ``!pip ...``) replaced by ``pass`` at their
    indentation (a ``%pip install`` under ``except ImportError:`` leaves a valid block); '' for a cell magic."""
    if cell.lstrip().startswith("%%"):
        return ""
    return "\n".join(line[: len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!")) else line
                     for line in cell.splitlines())


def run_notebook(path: Path) -> tuple[list[ipywidgets.interactive], float, str]:
    """Execute the code cells of ``path`` in one fresh namespace: its explore boxes, the seconds, the error."""
    nb = nbformat.read(path, as_version=4)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    found: list[ipywidgets.interactive] = []
    error = ""
    start = time.perf_counter()
    with notebook_context(path.parent, found):
        for index, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
            if "skip-execution" in cell.metadata.get("tags", []):  # as nbclient: a cell for the student to run
                continue
            try:
                exec(compile(python_source(cell.source), f"<{path.name} code cell {index}>", "exec"), namespace)
            except Exception as exc:  # report it; the sliders recorded so far are still timed
                error = f"code cell {index}: {type(exc).__name__}: {exc}"[:120]
                break
            finally:
                inline_show()  # the inline backend flushes what a cell leaves open
    return found, time.perf_counter() - start, error


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
