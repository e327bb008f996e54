"""tools/static_sliders.py: slider grids, coarsening, frames as the Output widget shows them, the page HTML."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import ipywidgets
import matplotlib.pyplot as plt
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
_spec = importlib.util.spec_from_file_location("static_sliders", ROOT / "tools" / "static_sliders.py")
static_sliders = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(static_sliders)

from gdcourse import widgets  # noqa: E402

DRAW = '''
def draw(lr, n):
    """A figure whose title is its arguments; n = 3 raises, as a bad slider value can."""
    print(f"lr={lr:.3g} n={n}")
    if n == 3:
        raise ValueError("n = 3 is not allowed")
    plt.plot([0, 1], [0, lr * n])
    plt.title(f"lr={lr:.3g} n={n}")
'''
CELLS = [
    "%matplotlib inline\nimport ipywidgets\nimport matplotlib.pyplot as plt\nfrom gdcourse import widgets\n" + DRAW,
    "_ = widgets.explore(draw, lr=widgets.lr_slider(0.1, min_exp=-2, max_exp=0), "
    "n=ipywidgets.IntSlider(1, min=1, max=3))",
    "_ = widgets.explore(draw, lr=widgets.lr_slider(0.1, min_exp=-1, max_exp=0), n=ipywidgets.fixed(2))",
    "_ = widgets.explore(lambda text: print(text), text=ipywidgets.Text('hi'))",
]


def _stored(code: str) -> nbformat.NotebookNode:
    """A code cell as Jupyter stores an executed explore cell: the interactive box's view."""
    return nbformat.v4.new_code_cell(code, outputs=[nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": "0", "version_major": 2, "version_minor": 0},
        "text/plain": "interactive(children=(…))"})])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lecture")
    path = folder / "01_toy.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELLS[0])]
                                            + [_stored(code) for code in CELLS[1:]]), path)
    out = folder / "frames"
    static_sliders.build(path, out)
    return path, out / "01_toy", json.loads((out / "01_toy" / "sliders.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("count, stride, initial, expected", [
    (10, 1, 4, list(range(10))),
    (10, 3, 4, [0, 1, 4, 7, 9]),
    (100, 10, 90, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 99]),
    (2, 5, 1, [0, 1]),
])
def test_thin_keeps_the_initial_value_and_both_ends(count, stride, initial, expected):
    assert static_sliders.thin(count, stride, initial) == expected


def _axis(values, initial, fmt=".3g"):
    return {"kwarg": "x", "label": "x", "values": list(values), "readouts": [format(v, fmt) for v in values],
            "initial": initial, "of": len(values)}


def test_coarsen_fits_a_large_grid_and_keeps_each_initial_value():
    lr = _axis([10 ** (-1 + 0.1 * k) for k in range(27)], 13)  # lecture 05's α slider
    beta = _axis([k / 100 for k in range(100)], 90, ".2f")  # and its β slider
    grid = static_sliders.coarsen([lr, beta], 96)
    sizes = [len(axis["values"]) for axis in grid]
    assert sizes[0] * sizes[1] <= 96 and min(sizes) >= 5  # both sliders still move in several steps
    assert grid[0]["readouts"][grid[0]["initial"]] == "2" and grid[1]["readouts"][grid[1]["initial"]] == "0.90"
    assert grid[1]["readouts"][0] == "0.00" and grid[1]["readouts"][-1] == "0.99"
    assert [a["of"] for a in grid] == [27, 100]
    assert static_sliders.coarsen([lr], 96) == [lr]  # a grid that fits is left whole


def test_readouts_follow_each_sliders_format():
    assert static_sliders.readout(widgets.lr_slider(0.1), 10 ** -1.3) == "0.0501"
    assert static_sliders.readout(widgets.beta_slider(0.9), 0.9) == "0.90"
    assert static_sliders.readout(ipywidgets.IntSlider(3), 7) == "7"
    assert static_sliders.readout(ipywidgets.SelectionSlider(options=[("0.001", 0), ("0.1", 1)]), 1) == "0.1"


def test_every_grid_point_has_the_frame_the_output_widget_would_show(built):
    path, folder, manifest = built
    first, fixed, text = manifest["sliders"]
    assert first["function"] == "draw(lr=α, n=n)" and manifest["error"] == "" and manifest["stored_outputs"] == 3
    assert [(a["label"], len(a["values"]), a["readouts"][a["initial"]]) for a in first["axes"]] == [
        ("α", 21, "0.1"), ("n", 3, "1")]
    assert len(first["frames"]) == 63
    lr_001 = first["axes"][0]["readouts"].index("0.01")
    frame = first["frames"][f"{lr_001}_0"]
    assert frame[0] == ["text", "lr=0.01 n=1\n"] and frame[1][0] == "img"
    # The stored PNG is the figure of draw(0.01, 1), rendered as explore renders it (then compacted).
    plt.plot([0, 1], [0, 0.01])
    plt.title("lr=0.01 n=1")
    expected = static_sliders.compact_png(widgets.figure_png(plt.gcf()))
    plt.close("all")
    assert (folder / frame[1][1]).read_bytes() == expected
    assert first["frames"][f"{lr_001}_2"] == [["text", "lr=0.01 n=3\n"], ["error", "ValueError: n = 3 is not allowed"]]
    assert len({f[1][1] for f in first["frames"].values() if len(f) > 1 and f[1][0] == "img"}) == 42  # all differ
    assert [a["label"] for a in fixed["axes"]] == ["α"] and len(fixed["frames"]) == 11  # a fixed value is no slider
    assert text["unknown"] == ["text (Text)"] and text["frames"] == {}


def test_the_page_html_moves_readout_and_figure_together(built):
    path, folder, manifest = built
    first, _, text = manifest["sliders"]
    page = static_sliders.static_html(first, "frames/01_toy/")
    assert page.count('<input type="range"') == 2 and 'max="20"' in page and 'max="2"' in page
    initial = f"{first['axes'][0]['initial']}_0"
    assert f'data-point="{initial}"' in page and f'src="frames/01_toy/{first["frames"][initial][1][1]}"' in page
    assert "<output>0.1</output>" in page and 'alt="figure at α = 0.1, n = 1"' in page
    data = json.loads(re.search(r'<script type="application/json">(.*?)</script>', page).group(1))
    assert data["frames"] == first["frames"] and data["axes"][1]["readouts"] == ["1", "2", "3"]
    assert "no kernel runs here: the 63 figures" in page.lower() and "coarser" not in page
    assert "needs a running kernel" in static_sliders.static_html(text, "frames/01_toy/")
    coarse = static_sliders.static_html({**first, "axes": static_sliders.coarsen(first["axes"], 10)}, "f/")
    assert "on a coarser grid (α 3 of its 21 values)" in coarse


def test_static_notebook_puts_the_sliders_where_the_boxes_were(built):
    path, folder, manifest = built
    nb = static_sliders.static_notebook(nbformat.read(path, as_version=4), manifest, "frames/01_toy/")
    html = [cell.outputs[0]["data"]["text/html"] for cell in nb.cells[1:]]
    assert 'data-function="draw(lr=α, n=n)"' in html[0] and 'data-function="draw(lr=α, n=fixed)"' in html[1]
    assert "needs a running kernel" in html[2]
    stale_manifest = {**manifest, "sliders": manifest["sliders"][:2],
                      "error": "2 explore calls ran, 3 explore outputs are stored"}
    stale = static_sliders.static_notebook(nbformat.read(path, as_version=4), stale_manifest, "f/")
    assert all("needs a running kernel" in cell.outputs[0]["data"]["text/html"] for cell in stale.cells[1:])
    assert "3 explore outputs are stored" in stale.cells[1].outputs[0]["data"]["text/html"]


def test_compact_png_keeps_the_figure_in_fewer_bytes():
    import io

    import numpy as np
    from PIL import Image

    x = np.linspace(-2, 2, 200)
    plt.contourf(x, x, np.add.outer(x**2, 10 * x**2), levels=30)
    plt.title("a contour figure")
    original = widgets.figure_png(plt.gcf())
    plt.close("all")
    compact = static_sliders.compact_png(original)
    before = np.asarray(Image.open(io.BytesIO(original)).convert("RGB"), dtype=float)
    after = np.asarray(Image.open(io.BytesIO(compact)).convert("RGB"), dtype=float)
    assert after.shape == before.shape
    assert np.abs(after - before).mean() < 1.0 and len(compact) < 0.7 * len(original)
