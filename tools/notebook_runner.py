"""Run a lecture notebook in-process and collect its sliders: shared by tools/static_sliders.py (the frames of
the pages with no kernel) and benchmarks/slider_latency.py (how long a slider move takes).

``run_notebook`` executes the code cells of a notebook in one fresh namespace, from its own folder, with the
Agg backend; IPython magics (lines starting with % or !) become ``pass``, and a cell tagged
"skip-execution" is skipped, as nbclient (``make execute``) skips it. ``gdcourse.widgets.explore`` is
replaced by a recorder that builds the same ``interactive`` box without displaying it (so the function
runs once, as when the cell runs) and keeps it. ``plt.show`` behaves as the inline backend of a kernel:
every open figure rendered to PNG with the tight bounding box (IPython's ``print_figure``), then all
closed; the figures a cell leaves open are flushed the same way at its end. ``PNGS`` counts the figures
rendered, by the way they were served. Import it with ROOT/tools on ``sys.path``; importing it sets
MPLBACKEND=Agg before matplotlib is imported.
"""

from __future__ import annotations

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
