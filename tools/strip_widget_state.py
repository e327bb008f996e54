"""Remove the widget state an executed notebook stores, so re-executing an unchanged notebook changes no line.

Run:  .venv/bin/python tools/strip_widget_state.py [--check] NOTEBOOK ...     (`make execute` runs it)

Executing a notebook (nbconvert, nbclient) stores every widget model in `metadata.widgets` under a random
id, and each slider cell's output points at its model by that id: 76-309 kB and ~200 changed lines per
lecture and per run. Without the kernel the state is dead anyway: a slider only moves when its cell runs.
So the notebook's `metadata.widgets` goes, and each output's widget view goes with it, together with the
widget's text form (`interactive(children=(FloatLogSlider(...`). What else the output carries stays (the
quiz's markdown, a figure); an output left with nothing is dropped, so an unrun slider cell shows nothing,
and the static figure above it is what GitHub, nbviewer and a freshly opened notebook show. Everything else
is written as nbformat writes it. `--check` writes nothing and exits 1 naming the notebooks that carry state.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/: found also when a test loads this file by path
import notebook_cli  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _without_views(outputs: list) -> list:
    kept = []
    for output in outputs:
        data = output.get("data", {})
        if WIDGET_VIEW in data:
            output["data"] = {mime: value for mime, value in data.items() if mime not in (WIDGET_VIEW, "text/plain")}
            if not output["data"]:
                continue
        kept.append(output)
    return kept


def strip(notebook: nbformat.NotebookNode) -> bool:
    """Remove the widget state and views from `notebook` in place; True if there was any."""
    changed = notebook.metadata.pop("widgets", None) is not None
    for cell in notebook.cells:
        if cell.cell_type == "code" and any(WIDGET_VIEW in output.get("data", {}) for output in cell.outputs):
            cell.outputs = _without_views(cell.outputs)
            changed = True
    return changed


def main(argv: list[str] | None = None) -> int:
    return notebook_cli.main(argv, __doc__, lambda path, check: notebook_cli.edit_in_place(path, strip, check),
                             found="carries widget state", done="widget state removed",
                             check_help="a notebook carries state", default=None)


if __name__ == "__main__":
    sys.exit(main())
