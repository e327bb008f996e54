"""Executed notebooks keep no widget state (random model ids): re-executing one changes no line."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("strip_widget_state", ROOT / "tools" / "strip_widget_state.py")
strip_widget_state = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(strip_widget_state)

STORED = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))
VIEW = strip_widget_state.WIDGET_VIEW


def _executed() -> nbformat.NotebookNode:
    """A notebook as nbconvert leaves it: widget state, a slider view, a quiz view with markdown, a figure."""
    view = {"model_id": "00e788b95f3f41c1ad8567b1c7925a66", "version_major": 2, "version_minor": 0}
    out = nbformat.v4.new_output
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("_ = interact(f, lr=(0, 1))", outputs=[
            out("display_data", data={VIEW: view, "text/plain": "interactive(children=(FloatSlider(…"})]),
        nbformat.v4.new_code_cell("quiz()", outputs=[
            out("display_data", data={VIEW: view, "text/plain": "Quiz(…)", "text/markdown": "**Reflect**"})]),
        nbformat.v4.new_code_cell("plot()", outputs=[
            out("stream", name="stdout", text="x\n"),
            out("display_data", data={"image/png": "iVBOR", "text/plain": "<Figure>"})]),
    ])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"00e7": {}}, "version_major": 2}}
    return nb


def test_strip_drops_state_and_views_and_keeps_every_other_output():
    nb = _executed()
    assert strip_widget_state.strip(nb) is True
    assert "widgets" not in nb.metadata
    assert [c.outputs for c in nb.cells] == [
        [], [{"output_type": "display_data", "metadata": {}, "data": {"text/markdown": "**Reflect**"}}],
        _executed().cells[2].outputs]
    assert strip_widget_state.strip(nb) is False


def test_check_names_a_notebook_with_state_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "01.ipynb"
    nbformat.write(_executed(), path)
    text = path.read_text()
    assert strip_widget_state.main(["--check", str(path)]) == 1
    assert path.read_text() == text and f"carries widget state: {path}" in capsys.readouterr().out
    assert strip_widget_state.main([str(path)]) == 0
    assert strip_widget_state.main(["--check", str(path)]) == 0


@pytest.mark.parametrize("notebook", STORED, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_no_stored_notebook_carries_widget_state(notebook):
    nb = nbformat.read(notebook, as_version=4)
    views = [n for n, cell in enumerate(nb.cells) for o in cell.get("outputs", []) if VIEW in o.get("data", {})]
    assert "widgets" not in nb.metadata and not views, (
        f"{notebook.name}: widget state stored (cells {views}): `make execute` strips it, "
        f"or run `.venv/bin/python tools/strip_widget_state.py {notebook.relative_to(ROOT)}`")
