"""What every lecture notebook promises, read from the stored file (nbval checks that it runs).

A title and learning goals first, gdcourse imported, a "Try it" prompt beside every slider, a closing
Reflect quiz of 3–5 questions, every code cell stored executed and without an error, no per-cell run
timestamps (they would make every re-execution a diff), and nbval output tags only where they mean
something: compared outputs, or outputs that legitimately vary (widgets, timings).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))
STORED = LECTURES + sorted((ROOT / "solutions").glob("*.ipynb"))
NBVAL_TAGS = {"nbval-check-output", "nbval-ignore-output"}


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def test_there_are_ten_lectures_numbered_in_teaching_order():
    assert [p.name[:3] for p in LECTURES] == [f"{n:02d}_" for n in range(1, 11)]


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_a_lecture_opens_with_its_numbered_title_and_learning_goals(path):
    first = _cells(path)[0]
    number = int(path.name[:2])
    assert first["cell_type"] == "markdown"
    assert re.match(rf"# Lecture {number} — \S", _source(first)), _source(first).splitlines()[0]
    assert "**Learning goals.**" in _source(first)


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_a_lecture_computes_with_gdcourse(path):
    code = "\n".join(_source(c) for c in _cells(path) if c["cell_type"] == "code")
    assert re.search(r"^import gdcourse|^from gdcourse import", code, re.M)


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_every_slider_has_a_try_it_prompt_beside_it(path):
    cells = _cells(path)
    sliders = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and re.search(r"\bexplore\(", _source(c))]
    assert sliders, f"{path.name} has no slider (widgets.explore)"
    for i in sliders:
        near = [_source(c) for c in cells[max(0, i - 2): i + 2] if c["cell_type"] == "markdown"]
        assert any("Try it" in text for text in near), (
            f"{path.name}: the slider in cell {i} has no 'Try it' prompt beside it")


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_a_lecture_ends_with_a_reflect_quiz_of_three_to_five_questions(path):
    quizzes = [_source(c) for c in _cells(path) if c["cell_type"] == "code" and "Quiz(" in _source(c)]
    assert len(quizzes) == 1, f"{path.name}: {len(quizzes)} Quiz cells"
    assert 3 <= len(re.findall(r"\bQuestion\(", quizzes[0])) <= 5
    last_code = [c for c in _cells(path) if c["cell_type"] == "code"][-1]
    assert "Quiz(" in _source(last_code), f"{path.name}: the Reflect quiz is not the last code cell"


@pytest.mark.parametrize("path", STORED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_stored_with_outputs_without_errors_or_timestamps(path):
    for i, cell in enumerate(_cells(path)):
        if cell["cell_type"] != "code" or not _source(cell).strip():
            continue
        assert cell["execution_count"] is not None, f"{path.name}: cell {i} is stored unexecuted (run `make execute`)"
        errors = [o.get("ename") for o in cell["outputs"] if o["output_type"] == "error"]
        assert not errors, f"{path.name}: cell {i} is stored with an error {errors}"
        assert "execution" not in cell["metadata"], (
            f"{path.name}: cell {i} stores run timestamps; re-execute with `make execute`, which does not record them")


@pytest.mark.parametrize("path", STORED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_nbval_tags_are_known_and_never_both(path):
    for i, cell in enumerate(_cells(path)):
        tags = set(cell["metadata"].get("tags", []))
        nbval = {t for t in tags if t.startswith("nbval")}
        assert nbval <= NBVAL_TAGS, f"{path.name}: cell {i} has unknown nbval tags {nbval - NBVAL_TAGS}"
        assert len(nbval) < 2, f"{path.name}: cell {i} is tagged both to check and to ignore its output"


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_a_lecture_imports_gdcourse_as_gc_and_no_other_alias(path):
    code = "\n".join(_source(c) for c in _cells(path) if c["cell_type"] == "code")
    assert "import gdcourse as gc" in code, f"{path.name} does not import gdcourse as gc"
    aliases = re.findall(r"import gdcourse as (\w+)", code) + re.findall(r"^\s*(\w+)\s*=\s*gc\s*$", code, re.M)
    assert set(aliases) == {"gc"}, f"{path.name} binds gdcourse to {sorted(set(aliases))}"
    assert not re.search(r"^\s*gd\s*=", code, re.M), f"{path.name} binds a variable gd, which reads as the old alias"


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_the_quiz_cell_hides_its_source_so_the_answers_stay_folded(path):
    quiz = [c for c in _cells(path) if c["cell_type"] == "code" and "Quiz(" in _source(c)]
    assert quiz and quiz[0]["metadata"].get("jupyter", {}).get("source_hidden") is True, (
        f"{path.name}: the Reflect quiz cell shows its answer indices (set metadata jupyter.source_hidden)")


def test_lecture_01_writes_the_descent_loop_out_before_any_helper_runs_it():
    cells = [_source(c) for c in _cells(ROOT / "notebooks" / "01_gradient_descent.ipynb") if c["cell_type"] == "code"]
    loop = next(i for i, s in enumerate(cells) if re.search(r"for \w+ in range\(steps\):", s))
    assert re.search(r"theta = theta - alpha \* g", cells[loop]), "the loop cell does not write the update θ − α·g"
    helpers = [i for i, s in enumerate(cells) if re.search(r"gc\.(minimize|train)\(|descent_1d\(", s)]
    assert helpers and loop < min(helpers), "a helper runs the loop before the lecture writes it out"
