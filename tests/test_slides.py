"""tools/slides.py: the slide rule, that it touches nothing but `metadata.slideshow`, and the lectures."""

from __future__ import annotations

import difflib
import importlib.util
import json
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("slides", ROOT / "tools" / "slides.py")
slides = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(slides)

LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))


MD, CODE = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell


@pytest.mark.parametrize("cell, previous, expected", [
    (MD("# 03 Momentum\n\nLearning goals"), None, "slide"),
    (MD("## The idea"), CODE("x = 1"), "slide"),
    (MD("\n  ## Heading after a blank line"), MD("text"), "slide"),
    (MD("### Try it"), MD("text"), "subslide"),
    (MD("What to notice: the path zig-zags."), CODE("plot()"), "subslide"),
    (MD("More text under the same step."), MD("text"), "-"),
    (MD("#### A minor heading"), MD("text"), "-"),
    (MD("#hashtag is not a heading"), None, "-"),
    (MD("Text that mentions\n## a heading on line 2"), None, "-"),
    (CODE("# a comment, not a heading\nx = 1"), MD("text"), "-"),
    (CODE("y = 2"), CODE("x = 1"), "-"),
    (nbformat.v4.new_raw_cell("# raw"), CODE("x = 1"), "-"),
    ({"cell_type": "markdown", "metadata": {}, "source": ["### Split ", "source\n", "lines"]}, None, "subslide"),
])
def test_slide_type_follows_the_headings_and_the_steps(cell, previous, expected):
    assert slides.slide_type(cell, previous) == expected


def test_slide_types_pair_each_cell_with_the_one_before():
    cells = [MD("# Title"), CODE("import numpy"), MD("## Step"), MD("text"), CODE("plot()"), MD("notice")]
    assert slides.slide_types(cells) == ["slide", "-", "slide", "-", "-", "subslide"]


def _lecture_like(tmp_path: Path) -> Path:
    """A notebook as Jupyter writes one: ids, tags, stored outputs, widget state, other metadata."""
    nb = nbformat.v4.new_notebook()
    nb.metadata.update({"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                        "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}}})
    code = nbformat.v4.new_code_cell("print('α = 0.1')\nx = 1", execution_count=3,
                                     metadata={"tags": ["nbval-check-output"], "scrolled": True})
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="α = 0.1\n"),
                    nbformat.v4.new_output("display_data",
                                           data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})]
    nb.cells = [nbformat.v4.new_markdown_cell("# 01 Title\n\n- goal"),
                nbformat.v4.new_markdown_cell("### Try it", metadata={"slideshow": {"slide_type": "skip", "x": 1}}),
                code]
    path = tmp_path / "01_lecture.ipynb"
    nbformat.write(nb, path)
    return path


def test_only_the_slideshow_key_changes_and_a_second_run_changes_nothing(tmp_path):
    path = _lecture_like(tmp_path)
    before_text = path.read_text(encoding="utf-8")
    assert slides.apply(path) is True
    after_text = path.read_text(encoding="utf-8")
    before, after = json.loads(before_text), json.loads(after_text)

    # "-" (same slide) is left unset, nbformat's default: jupyterlab-deck hides cells marked "-".
    assert [c["metadata"].get("slideshow") for c in after["cells"]] == [
        {"slide_type": "slide"}, {"slide_type": "subslide", "x": 1}, None]
    for cell in after["cells"][:2]:
        cell["metadata"].pop("slideshow")
    before["cells"][1]["metadata"].pop("slideshow")
    assert after == before  # outputs, ids, tags, execution counts, notebook metadata: untouched
    # Written exactly as nbformat writes it, so a diff shows only the slideshow lines.
    assert after_text == nbformat.writes(nbformat.reads(after_text, as_version=4)) + "\n"
    removed = [line for line in difflib.ndiff(before_text.splitlines(), after_text.splitlines())
               if line.startswith("- ")]
    assert removed == ['-    "metadata": {},', '-      "slide_type": "skip",']

    assert slides.apply(path) is False
    assert path.read_text(encoding="utf-8") == after_text


def test_check_reports_without_writing(tmp_path, capsys):
    path = _lecture_like(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert slides.main(["--check", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == text
    assert f"needs slide metadata: {path}" in capsys.readouterr().out
    assert slides.main([str(path)]) == 0
    assert slides.main(["--check", str(path)]) == 0


@pytest.mark.parametrize("notebook", LECTURES, ids=lambda path: path.stem)
def test_every_lecture_cell_has_its_slide_type(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    has = [slides.slide_type_of(cell) for cell in cells]
    explicit_same_slide = [n for n, cell in enumerate(cells)
                           if cell.get("metadata", {}).get("slideshow", {}).get("slide_type") == "-"]
    assert not explicit_same_slide, f"{notebook.name}: cells {explicit_same_slide} marked \"-\" (deck hides them)"
    wrong = [(n, got, rule) for n, (got, rule) in enumerate(zip(has, slides.slide_types(cells))) if got != rule]
    assert not wrong, (f"{notebook.name}: cells (index, has, rule) {wrong[:5]}: "
                       f"run `.venv/bin/python tools/slides.py {notebook.relative_to(ROOT)}`")
