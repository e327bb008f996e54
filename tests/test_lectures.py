"""What every lecture notebook promises, read from the stored file (nbval checks that it runs).

A title and learning goals first, gdcourse imported, a "Try it" prompt beside every slider, a closing
Reflect quiz of 3–5 questions, every code cell stored executed and without an error, no per-cell run
timestamps (they would make every re-execution a diff), nbval output tags only where they mean
something (compared outputs, or outputs that legitimately vary: widgets), and no clock read by a cell that
is run when a notebook is stored: executing a notebook twice gives the same stored outputs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))
STORED = LECTURES + sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
NBVAL_TAGS = {"nbval-check-output", "nbval-ignore-output", "nbval-skip"}
# A cell for the student to run by hand: `make execute` (nbclient) skips "skip-execution", nbval "nbval-skip".
NEVER_RUN = {"skip-execution", "nbval-skip"}
CLOCK = re.compile(r"\b(perf_counter|process_time|thread_time|monotonic|timeit|default_timer)\b|\btime\.time\b"
                   r"|\b(datetime|date)\.(now|today|utcnow)\b|^\s*%%?time(it)?\b", re.M)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _tags(cell: dict) -> set[str]:
    return set(cell["metadata"].get("tags", []))


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
        if cell["cell_type"] != "code" or not _source(cell).strip() or NEVER_RUN <= _tags(cell):
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


def clock_violations(cells: list[dict]) -> list[str]:
    """Why each code cell breaks the rule "a cell that reads a clock is never run when the notebook is stored,
    and stores no output": tagged both skip-execution and nbval-skip (then no stored cell can print what it
    measured either: `make execute` would stop at the name it never defined). Also: the two tags go together."""
    found = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        never_run = _tags(cell) & NEVER_RUN
        if never_run and never_run != NEVER_RUN:
            found.append(f"cell {i} is tagged {sorted(never_run)} without {sorted(NEVER_RUN - never_run)}")
        clock = CLOCK.search(_source(cell))
        if clock and not never_run:
            found.append(f"cell {i} reads a clock ({clock.group().strip()}) and runs when the notebook is stored")
        if never_run and cell.get("outputs"):
            found.append(f"cell {i} is never run when stored but stores outputs")
    return found


def test_the_clock_rule_flags_a_timed_cell_unless_it_is_never_run_and_stores_nothing():
    def code(source, tags=(), outputs=()):
        return {"cell_type": "code", "source": source, "metadata": {"tags": list(tags)}, "outputs": list(outputs)}

    timed = "start = time.perf_counter()\nrun()\nseconds = time.perf_counter() - start"
    printed = {"output_type": "stream", "name": "stdout", "text": "0.8 s"}
    assert clock_violations([code(timed)]) == [
        "cell 0 reads a clock (perf_counter) and runs when the notebook is stored"]
    assert clock_violations([code("print(datetime.now())"), code("%timeit f()"), code("t = time.time()")]) == [
        f"cell {i} reads a clock ({c}) and runs when the notebook is stored"
        for i, c in enumerate(["datetime.now", "%timeit", "time.time"])]
    assert clock_violations([code(timed, ["skip-execution", "nbval-skip"])]) == []
    assert clock_violations([code(timed, ["nbval-skip"])]) == [
        "cell 0 is tagged ['nbval-skip'] without ['skip-execution']"]
    assert clock_violations([code(timed, sorted(NEVER_RUN), [printed])]) == [
        "cell 0 is never run when stored but stores outputs"]
    assert clock_violations([code("import time\nlosses = gc.train(model).losses")]) == []


@pytest.mark.parametrize("path", STORED + EXERCISES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_stored_output_depends_on_a_clock(path):
    assert clock_violations(_cells(path)) == [], path.name


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
