"""Sliders that move without a kernel: every `explore` slider of a lecture, evaluated at build time.

Run:  .venv/bin/python tools/static_sliders.py [--out DIR] [--max-frames N] NOTEBOOK ...
      (`make html` and `make slides` run it; frames land in build/frames/<lecture>/)

Each lecture runs in-process by tools/notebook_runner.py (its code cells in one namespace,
from its own folder, Agg backend, `gdcourse.widgets.explore` recorded instead of displayed). Then each
recorded slider function is called on its slider grid: every value of a one-slider function (a
FloatLogSlider's 10^(min + k·step), a FloatSlider's min + k·step, a SelectionSlider's options); where
the product of several sliders' grids is larger than `--max-frames`, the slider with the most values
takes every 2nd, 3rd, ... value (always keeping the initial value and both ends) until the product fits.
A call shows what the Output widget under the sliders shows in JupyterLab: the figures it draws (rendered
as `explore` renders them, `widgets.figure_png`, or as the inline backend does for a function that calls
`plt.show`), its printed text, and the exception it raises. PNGs are reduced to 256 colours
(`compact_png`) and stored once each.

Writes DIR/<lecture>/sliders.json (per slider function: its sliders, their values and readouts, and
the frame of every grid point) and the PNGs beside it. `static_html` turns one entry into the HTML
that replaces the widget in the built page: range inputs whose readout and figure come from the same
grid point, so they always agree; a note says which grid the frames cover, or why a slider needs a
kernel.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import html
import io
import itertools
import json
import math
import os
import re
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))  # where this file lies: for the import below when it is imported by path
import notebook_runner  # noqa: E402  (first: it sets MPLBACKEND=Agg before matplotlib is imported)

# isort: split

import IPython.display  # noqa: E402
import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402
from IPython.display import Image  # noqa: E402
from matplotlib._pylab_helpers import Gcf  # noqa: E402
from PIL import Image as PILImage  # noqa: E402

import gdcourse.widgets  # noqa: E402

MAX_FRAMES = 96  # grid points per slider function; build_html.py fails a lecture page over 15 MB
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_EXPLORE_CALL = re.compile(r"\bexplore\(")


def readout(widget: Any, value: Any) -> str:
    """The slider's readout of `value`: its `readout_format` (Python's format mini-language), or the label."""
    if hasattr(widget, "_options_values"):
        return str(widget._options_labels[list(widget._options_values).index(value)])
    fmt = getattr(widget, "readout_format", "")
    if isinstance(widget, ipywidgets.IntSlider) or not fmt:
        return str(value)
    return format(value, fmt.removesuffix("~"))


def axes(ui: ipywidgets.interactive) -> tuple[list[dict], list[str]]:
    """The sliders of an explore box as axes {kwarg, label, values, readouts, initial}, and what cannot be
    precomputed (widgets with no finite list of values)."""
    found, unknown = [], []
    for widget in ui.kwargs_widgets:
        if isinstance(widget, ipywidgets.fixed):
            continue
        if isinstance(widget, ipywidgets.Checkbox):
            values = [False, True]
        elif isinstance(widget, (ipywidgets.FloatLogSlider, ipywidgets.FloatSlider, ipywidgets.IntSlider)) or hasattr(
                widget, "_options_values"):
            values = notebook_runner.slider_values(widget)
        else:
            unknown.append(f"{widget.description or widget._kwarg} ({type(widget).__name__})")
            continue
        initial = widget.get_interact_value()
        index = min(range(len(values)), key=lambda i: abs(values[i] - initial) if isinstance(initial, (int, float))
                    and not isinstance(initial, bool) else (values[i] != initial))
        found.append({"kwarg": widget._kwarg, "label": widget.description or widget._kwarg, "values": values,
                      "readouts": [readout(widget, v) for v in values], "initial": index, "of": len(values)})
    return found, unknown


def thin(count: int, stride: int, initial: int) -> list[int]:
    """Every `stride`-th index of range(count) counted from `initial` (so it keeps its value), and both ends."""
    return sorted({0, count - 1, *range(initial % stride, count, stride)}) if count else []


def coarsen(found: list[dict], max_frames: int) -> list[dict]:
    """The axes thinned until the product of their lengths is at most `max_frames`: the axis with the most
    values takes every 2nd, 3rd, ... one, keeping the initial value and both ends (each keeps >= 2 values)."""
    strides = [1] * len(found)

    def counts() -> list[int]:
        return [len(thin(len(a["values"]), s, a["initial"])) for a, s in zip(found, strides)]

    while math.prod(counts()) > max_frames and max(counts()) > 3:
        strides[counts().index(max(counts()))] += 1
    result = []
    for axis, stride in zip(found, strides):
        picks = thin(len(axis["values"]), stride, axis["initial"])
        result.append({**axis, "values": [axis["values"][i] for i in picks],
                       "readouts": [axis["readouts"][i] for i in picks], "initial": picks.index(axis["initial"])})
    return result


class _Collector(io.TextIOBase):
    """stdout/stderr into the frame's item list, next to the figures, in the order they came."""

    def __init__(self, items: list[list[str | bytes]]):
        self.items = items

    def write(self, text: str) -> int:
        if self.items and self.items[-1][0] == "text":
            self.items[-1][1] += text
        elif text:
            self.items.append(["text", text])
        return len(text)


@contextlib.contextmanager
def capturing(items: list[list]) -> Iterator[None]:
    """What the Output widget of an explore box would show, appended to `items` as ["png", bytes] / ["text", str]."""

    def show(*args: Any, **kwargs: Any) -> None:  # the inline backend's plt.show
        for manager in Gcf.get_all_fig_managers():
            items.append(["png", print_figure(manager.canvas.figure, "png")])
        plt.close("all")

    def display(*objs: Any, **kwargs: Any) -> None:  # a slider function that displays an image or a value
        for obj in objs:
            items.append(["png", obj.data] if isinstance(obj, Image) else ["text", repr(obj) + "\n"])

    collector = _Collector(items)
    with contextlib.ExitStack() as stack:
        for obj, attr, value in ((plt, "show", show), (IPython.display, "display", display)):
            stack.callback(setattr, obj, attr, getattr(obj, attr))
            setattr(obj, attr, value)
        stack.enter_context(contextlib.redirect_stdout(collector))
        stack.enter_context(contextlib.redirect_stderr(collector))
        yield


def frame(ui: ipywidgets.interactive, kwargs: dict[str, Any]) -> list[list]:
    """The items the Output widget shows after the sliders move to `kwargs` (fixed arguments kept): the
    slider function runs (unwrapped from explore's figure serving), then each figure it opened is
    rendered as explore renders it (`widgets.figure_png`)."""
    items: list[list] = []
    arguments = {**{w._kwarg: w.get_interact_value() for w in ui.kwargs_widgets}, **kwargs}
    func = getattr(ui.f, "__wrapped__", ui.f)
    before = set(plt.get_fignums())
    with capturing(items):
        try:
            func(**arguments)
            for num in sorted(set(plt.get_fignums()) - before):
                items.append(["png", gdcourse.widgets.figure_png(plt.figure(num))])
        except Exception as exc:  # interactive shows the traceback under the sliders
            items.append(["error", f"{type(exc).__name__}: {exc}"])
        finally:
            plt.close("all")
    return items


def compact_png(data: bytes) -> bytes:
    """The PNG with at most 256 colours, undithered (a third of the bytes for the course's line and contour
    figures, the same to the eye), so a lecture's frames stay within the page budget."""
    image = PILImage.open(io.BytesIO(data)).convert("RGB")
    buffer = io.BytesIO()
    image.quantize(colors=256, method=PILImage.Quantize.MEDIANCUT, dither=PILImage.Dither.NONE).save(
        buffer, format="png", optimize=True)
    return buffer.getvalue()


def _store(items: list[list], folder: Path) -> list[list[str]]:
    """Items with each PNG compacted, written once to `folder` (named by its hash) and replaced by its file name."""
    stored = []
    for kind, data in items:
        if kind == "png":
            data = compact_png(data)
            name = hashlib.sha1(data).hexdigest()[:16] + ".png"
            if not (folder / name).exists():
                (folder / name).write_bytes(data)
            stored.append(["img", name])
        else:
            stored.append([kind, data])
    return stored


def record(path: Path) -> tuple[list[ipywidgets.interactive], str]:
    """Run the lecture in-process; its explore boxes in order, and the error that stopped it ('' if none)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a diverging run warns; the figure says so
        found, _, error = notebook_runner.run_notebook(path)
    return found, error


def explore_outputs(nb: nbformat.NotebookNode) -> list[tuple[int, int | None]]:
    """(cell index, output index) of every explore box of the notebook, in order. The output index is that of
    the stored widget view, or None where the cell keeps none (``make execute`` strips widget views, so a
    lecture stores none): the box then goes after the cell's other outputs. A cell holds as many boxes as it
    has ``explore(`` calls or stored views, whichever is more."""
    boxes: list[tuple[int, int | None]] = []
    for c, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        views = [o for o, out in enumerate(cell.get("outputs", [])) if WIDGET_VIEW in out.get("data", {})
                 and str(out["data"].get("text/plain", "")).startswith("interactive(")]
        calls = len(_EXPLORE_CALL.findall(cell.source))
        boxes += [(c, views[k] if k < len(views) else None) for k in range(max(calls, len(views)))]
    return boxes


def build(path: Path, out: Path, max_frames: int = MAX_FRAMES) -> list[dict]:
    """Frames of every explore slider of the lecture at `path` into out/<stem>/; returns the entries written."""
    folder = out.resolve() / path.stem  # absolute: the frames run from the lecture's folder
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    found, error = record(path)
    entries = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for ui in found:
            full, unknown = axes(ui)
            grid = coarsen(full, max_frames)
            entry = {"function": notebook_runner.function_name(ui), "axes": grid, "unknown": unknown, "frames": {}}
            if not unknown:
                with contextlib.ExitStack() as stack:
                    stack.callback(os.chdir, os.getcwd())
                    os.chdir(path.parent)
                    for point in itertools.product(*(range(len(a["values"])) for a in grid)):
                        kwargs = {a["kwarg"]: a["values"][i] for a, i in zip(grid, point)}
                        entry["frames"]["_".join(map(str, point))] = _store(frame(ui, kwargs), folder)
            entries.append(entry)
    nb = nbformat.read(path, as_version=4)
    stored = explore_outputs(nb)
    manifest = {"notebook": path.name, "error": error, "stored_outputs": len(stored), "sliders": entries}
    if len(stored) != len(entries):
        manifest["error"] = manifest["error"] or (f"{len(entries)} explore calls ran, {len(stored)} explore "
                                                  "outputs are stored: re-execute the notebook")
    (folder / "sliders.json").write_text(json.dumps(manifest, ensure_ascii=False, default=float), encoding="utf-8")
    return entries


def _items_html(items: list[list[str]], prefix: str, caption: str) -> str:
    parts = []
    for kind, data in items:
        if kind == "img":
            parts.append(f'<img src="{html.escape(prefix + data)}" alt="figure at {html.escape(caption)}">')
        else:
            parts.append(f'<pre class="gd-{kind}">{html.escape(data)}</pre>')
    return "".join(parts)


_SCRIPT = """<script>(function () {
  var box = document.currentScript.previousElementSibling;
  var data = JSON.parse(box.querySelector('script[type="application/json"]').textContent);
  var inputs = box.querySelectorAll('input[type=range]'), outs = box.querySelectorAll('output');
  var view = box.querySelector('.gd-frame');
  function show() {
    var point = [], caption = [];
    for (var n = 0; n < inputs.length; n++) {
      point.push(inputs[n].value);
      outs[n].textContent = data.axes[n].readouts[+inputs[n].value];
      caption.push(data.axes[n].label + ' = ' + outs[n].textContent);
    }
    var key = point.join('_');
    view.textContent = '';
    (data.frames[key] || []).forEach(function (item) {
      var el = document.createElement(item[0] === 'img' ? 'img' : 'pre');
      if (item[0] === 'img') { el.src = data.prefix + item[1]; el.alt = 'figure at ' + caption.join(', '); }
      else { el.className = 'gd-' + item[0]; el.textContent = item[1]; }
      view.appendChild(el);
    });
    view.setAttribute('data-point', key);
  }
  for (var n = 0; n < inputs.length; n++) { inputs[n].addEventListener('input', show); }
  show();
})();</script>"""

STYLE = """<style>.gd-sliders{border:1px solid #d0d7de;border-radius:6px;padding:.5rem .75rem;margin:.5rem 0}
.gd-sliders label{display:flex;align-items:center;gap:.6rem;margin:.2rem 0;font-family:sans-serif}
.gd-sliders label span{min-width:2.5rem}.gd-sliders input[type=range]{flex:1;max-width:22rem}
.gd-sliders output{min-width:4rem;font-family:monospace}
.gd-sliders .gd-note{font-size:.85em;color:#57606a;margin:.3rem 0}
.gd-frame img{max-width:100%;height:auto}.gd-frame pre{white-space:pre-wrap;margin:.3rem 0}
.gd-frame pre.gd-error{color:#b00020}</style>"""


def note(entry: dict) -> str:
    """The sentence beside the sliders: what the frames cover, or why a kernel is needed."""
    if entry["unknown"]:
        return ("This control needs a running kernel (" + ", ".join(entry["unknown"]) + " has no finite list of "
                "values to precompute): open the notebook in JupyterLab, Binder or Colab to move it.")
    coarse = [f"{a['label']} {len(a['values'])} of its {a['of']} values"
              for a in entry["axes"] if len(a["values"]) < a["of"]]
    text = (f"No kernel runs here: the {len(entry['frames'])} figures were computed when this page was built, one per "
            "slider position")
    return text + (f" on a coarser grid ({', '.join(coarse)})." if coarse else ".") + \
        " In JupyterLab the same sliders recompute on every move."


def static_html(entry: dict, prefix: str) -> str:
    """The HTML that stands for one explore box in a built page; `prefix` is the frames' URL folder + '/'."""
    data = {"axes": [{"label": a["label"], "readouts": a["readouts"]} for a in entry["axes"]],
            "frames": entry["frames"], "prefix": prefix}
    controls = "".join(
        f'<label><span>{html.escape(a["label"])}</span><input type="range" min="0" max="{len(a["values"]) - 1}" '
        f'step="1" value="{a["initial"]}" aria-label="{html.escape(a["label"])}"><output>'
        f'{html.escape(a["readouts"][a["initial"]])}</output></label>' for a in entry["axes"])
    initial = "_".join(str(a["initial"]) for a in entry["axes"])
    caption = ", ".join(f"{a['label']} = {a['readouts'][a['initial']]}" for a in entry["axes"])
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    if entry["unknown"] or not entry["frames"]:
        return f'{STYLE}<div class="gd-sliders gd-needs-kernel"><p class="gd-note">{html.escape(note(entry))}</p></div>'
    return (f'{STYLE}<div class="gd-sliders" data-function="{html.escape(entry["function"])}">'
            f'<script type="application/json">{payload}</script>{controls}'
            f'<p class="gd-note">{html.escape(note(entry))}</p>'
            f'<div class="gd-frame" data-point="{initial}">'
            f'{_items_html(entry["frames"][initial], prefix, caption)}</div>'
            f'</div>{_SCRIPT}')


NEEDS_KERNEL = ('<p class="gd-note">This widget needs a running kernel: open the notebook in JupyterLab, '
                'Binder or Colab to use it.</p>')


def static_notebook(nb: nbformat.NotebookNode, manifest: dict | None, prefix: str) -> nbformat.NotebookNode:
    """A copy of `nb` for a page with no kernel: each explore box replaced by its precomputed sliders
    (`manifest` from sliders.json, frames under the URL `prefix`), each other widget view by its own text
    fallback (the quizzes' Markdown) or a note that it needs a kernel, and no widget state."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    entries = (manifest or {}).get("sliders", [])
    boxes = explore_outputs(nb)
    usable = manifest is not None and len(entries) == len(boxes)
    for k, (c, o) in enumerate(boxes):
        if usable:
            body = static_html(entries[k], prefix)
        else:
            reason = (manifest or {}).get("error") or "its frames were not built"
            body = (f'{STYLE}<div class="gd-sliders gd-needs-kernel">{NEEDS_KERNEL}'
                    f'<p class="gd-note">({html.escape(reason)})</p></div>')
        box = nbformat.v4.new_output("display_data", data={
            "text/html": body, "text/plain": "sliders precomputed at build time"})
        if o is None:
            nb.cells[c].outputs.append(box)
        else:
            nb.cells[c].outputs[o] = box
    for cell in nb.cells:
        for n, out in enumerate(cell.get("outputs", [])):
            data = out.get("data", {})
            if WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                if set(data) <= {"text/plain"}:
                    cell.outputs[n] = nbformat.v4.new_output("display_data", data={"text/html": NEEDS_KERNEL,
                                                                                   "text/plain": "widget"})
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "frames")
    parser.add_argument("--max-frames", type=int, default=MAX_FRAMES, help="grid points per slider function")
    args = parser.parse_args(argv)
    for path in args.notebooks:
        start = time.perf_counter()
        entries = build(path.resolve(), args.out, args.max_frames)
        size = sum(p.stat().st_size for p in (args.out / path.stem).iterdir())
        print(f"{path.stem}: {sum(len(e['frames']) for e in entries)} frames of {len(entries)} slider function(s), "
              f"{size / 1e6:.1f} MB, {time.perf_counter() - start:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
