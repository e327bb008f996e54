"""tools/build_html.py: titles and goals for the index, the external-URL finder, the site's notebooks."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
_spec = importlib.util.spec_from_file_location("build_html", ROOT / "tools" / "build_html.py")
build_html = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_html)

GOALS_CELL = """# Lecture 4 — Choosing the learning rate

**Learning goals.** After this lecture you can

- derive the stability limit $\\alpha < 2/L$ of gradient descent on a quadratic, and tell the step 1/L
  from the best constant step;
- run a learning-rate sweep.
## Not a goal
"""
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_summary_reads_the_title_and_the_goal_list_with_continued_items():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(GOALS_CELL),
                                         nbformat.v4.new_markdown_cell("- a list later on is not a goal")])
    assert build_html.summary(nb, "04_x") == ("Lecture 4 — Choosing the learning rate", [
        "derive the stability limit $\\alpha < 2/L$ of gradient descent on a quadratic, and tell the step 1/L "
        "from the best constant step;",
        "run a learning-rate sweep."])


def test_summary_of_a_notebook_without_heading_or_goals():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    assert build_html.summary(nb, "07_topic") == ("07_topic", [])


PAGE = """<html><head>
<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"></script>
<script src="_static/vendor/mathjax/es5/tex-chtml.js"></script>
<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Lato">
<link rel="stylesheet" href="_static/theme.css">
<style>@font-face { src: url("https://example.org/font.woff2") } .x { background: url(_static/a.png) }</style>
</head><body>
<img src="data:image/png;base64,iVBORw0KGgo=" srcset="big.png 2x, http://example.com/huge.png 3x">
<div style="background-image: url('HTTPS://example.net/bg.png')"></div>
<a href="https://arxiv.org/abs/1412.6980">Adam</a> <a href="02_batch.html">next</a> <a href="mailto:x@y.z">mail</a>
<iframe src="about:blank"></iframe><script src="javascript:void(0)"></script>
</body></html>"""


def test_external_urls_finds_every_load_from_another_host_and_only_those():
    assert build_html.external_urls(PAGE) == [
        "//fonts.googleapis.com/css?family=Lato", "HTTPS://example.net/bg.png",
        "http://example.com/huge.png", "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js",
        "https://example.org/font.woff2"]
    assert build_html.external_urls(PAGE, links=True) == ["https://arxiv.org/abs/1412.6980"]
    assert build_html.external_urls('@import url("https://fonts.googleapis.com/css?family=News+Cycle");\n'
                                    "src: url(fonts/a.woff) format('woff')", css=True) == [
        "https://fonts.googleapis.com/css?family=News+Cycle"]


def _slider_output() -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data={
        WIDGET_VIEW: {"model_id": "a1", "version_major": 2, "version_minor": 0},
        "text/plain": "interactive(children=(FloatLogSlider(value=0.1, description='α'),))"})


def test_site_notebook_replaces_widgets_and_links_the_notebook(tmp_path):
    quiz = nbformat.v4.new_output("display_data", data={
        WIDGET_VIEW: {"model_id": "q1", "version_major": 2, "version_minor": 0},
        "text/markdown": "**Reflect**\n\n1. Which? <details><summary>Answer</summary>B</details>",
        "text/plain": "Quiz"})
    other = nbformat.v4.new_output("display_data", data={
        WIDGET_VIEW: {"model_id": "b1", "version_major": 2, "version_minor": 0}, "text/plain": "Button()"})
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Lecture 1 — Slopes"),
        nbformat.v4.new_code_cell("_ = widgets.explore(f, lr=widgets.lr_slider())", outputs=[_slider_output()]),
        nbformat.v4.new_code_cell("quiz.show()", outputs=[quiz]),
        nbformat.v4.new_code_cell("ipywidgets.Button()", outputs=[other])])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    path = tmp_path / "01_slopes.ipynb"
    nbformat.write(nb, path)

    site = build_html.site_notebook(path, tmp_path / "no-frames")  # frames never built
    assert "widgets" not in site.metadata
    assert '<a href="notebooks/01_slopes.ipynb" download>' in site.cells[1].source
    outputs = [out for cell in site.cells if cell.cell_type == "code" for out in cell.outputs]
    assert all(WIDGET_VIEW not in out["data"] for out in outputs)
    assert "needs a running kernel" in outputs[0]["data"]["text/html"]
    assert "its frames were not built" in outputs[0]["data"]["text/html"]
    assert outputs[1]["data"]["text/markdown"].startswith("**Reflect**")  # the quiz keeps its Markdown copy
    assert "needs a running kernel" in outputs[2]["data"]["text/html"]
    assert nbformat.read(path, as_version=4) == nb  # the lecture itself is untouched


def test_prepare_writes_a_book_of_the_lectures_with_index_toc_and_downloads(tmp_path):
    first = tmp_path / "01_first.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(GOALS_CELL)]), first)
    second = tmp_path / "02_second.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Lecture 2")]), second)
    src = tmp_path / "src"
    try:
        build_html.prepare([first, second], src, tmp_path / "frames")
    except FileNotFoundError as exc:  # the MathJax copy needs `make assets` once
        pytest.skip(str(exc))
    index = (src / "index.md").read_text(encoding="utf-8")
    assert "- [Lecture 4 — Choosing the learning rate](01_first.ipynb)\n  - derive the stability limit" in index
    assert index.index("01_first.ipynb") < index.index("(02_second.ipynb)")
    toc = (src / "_toc.yml").read_text()
    assert '"chapters": [\n  {\n   "file": "01_first"\n  },\n  {\n   "file": "02_second"' in toc
    assert (src / "_extra" / "notebooks" / "02_second.ipynb").read_bytes() == second.read_bytes()
    assert (src / "_vendor" / "vendor" / "mathjax" / "es5" / "tex-chtml.js").exists()
    assert '"mathjax_path": "vendor/mathjax/es5/tex-chtml.js"' in (src / "_config.yml").read_text()
