"""tools/build_html.py: titles and goals for the index, pages with figures, links and widget state."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
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


def _lecture(tmp_path: Path, name: str, cells: list) -> Path:
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


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


@pytest.mark.parametrize("href, expected", [
    ('href="02_batch.ipynb"', 'href="02_batch.html"'),
    ('href="05_momentum.ipynb#The-ravine"', 'href="05_momentum.html#The-ravine"'),
    ('href="https://example.org/a.ipynb"', 'href="https://example.org/a.ipynb"'),
])
def test_links_to_sibling_lectures_point_to_their_pages(tmp_path, href, expected):
    target = re.search(r'"(.*)"', href).group(1)
    path = _lecture(tmp_path, "01_a.ipynb", [nbformat.v4.new_markdown_cell(f"[next]({target})")])
    page = build_html.render(nbformat.read(path, as_version=4), path)
    assert expected in page


def test_site_from_stored_outputs_has_index_pages_and_embedded_figures(tmp_path):
    figure = nbformat.v4.new_code_cell("plot()", execution_count=1, outputs=[nbformat.v4.new_output(
        "display_data", data={"image/png": "iVBORw0KGgoAAAANSUhEUg==", "text/plain": "<Figure>"})])
    first = _lecture(tmp_path, "01_first.ipynb", [nbformat.v4.new_markdown_cell(GOALS_CELL), figure])
    second = _lecture(tmp_path, "02_second.ipynb", [nbformat.v4.new_markdown_cell("# Lecture 2 <b>&</b>")])
    out = tmp_path / "site"
    assert build_html.main(["--no-execute", "--out", str(out), str(first), str(second)]) == 0

    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="01_first.html">Lecture 4 — Choosing the learning rate</a>' in index
    assert "<li>run a learning-rate sweep.</li>" in index
    assert '<a href="02_second.html">Lecture 2 &lt;b&gt;&amp;&lt;/b&gt;</a>' in index
    assert index.index("01_first.html") < index.index("02_second.html")
    assert 'src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="' in (out / "01_first.html").read_text(encoding="utf-8")


def test_executing_embeds_the_widget_state_of_a_slider(tmp_path):
    slider = nbformat.v4.new_code_cell("from ipywidgets import interact\n_ = interact(lambda lr: print(lr), lr=(0.0, 1.0))")
    path = _lecture(tmp_path, "01_slider.ipynb", [slider])
    nb = build_html.execute(path, timeout=60)
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert {model["model_name"] for model in state.values()} >= {"FloatSliderModel", "OutputModel"}
    page = build_html.render(nb, path)
    assert "application/vnd.jupyter.widget-state+json" in page
    assert not (tmp_path / ".ipynb_checkpoints").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["01_slider.ipynb"]
