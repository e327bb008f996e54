"""solutions/ is the one source of truth: its graded cells match the registry of checks, exercises/ is its
generated copy (up to date, stubs that raise), every solution gets full marks and every stub zero."""

from __future__ import annotations

import ast
import inspect
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest

from gdcourse.checks import EXERCISES, check
from gdcourse.grading import notebook
from gdcourse.grading.generate import BEGIN, END, exercise_notebook, render, stub
from gdcourse.grading.grader import grade_folder
from gdcourse.grading.sandbox import Limits

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISE_FILES = sorted((ROOT / "exercises").glob("*.ipynb"))
NAMES = [p.stem for p in SOLUTIONS]


def _cells(path: Path) -> list:
    return nbformat.read(path, as_version=4).cells


def _graded(path: Path) -> list:
    return [c for c in _cells(path) if "exercise" in c.metadata.get("gdcourse", {})]


def _function(source: str) -> ast.FunctionDef:
    [fn] = [node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]
    return fn


# --------------------------------------------------------------------------- one source of truth


def test_every_exercise_of_the_registry_is_graded_in_exactly_one_solution_notebook():
    found = [(c.metadata.gdcourse["exercise"], p.stem) for p in SOLUTIONS for c in _graded(p)]
    assert sorted(found) == sorted((name, ex.notebook) for name, ex in EXERCISES.items())
    assert [p.stem[:2] for p in SOLUTIONS] == [f"{k:02d}" for k in range(1, len(SOLUTIONS) + 1)]
    assert len(SOLUTIONS) >= 9 and all(2 <= len(_graded(p)) <= 4 for p in SOLUTIONS)


def test_exercises_are_up_to_date_with_solutions():
    assert [p.name for p in EXERCISE_FILES] == [p.name for p in SOLUTIONS], "run `make exercises`"
    for solution in SOLUTIONS:
        current = (ROOT / "exercises" / solution.name).read_text(encoding="utf-8")
        assert current == render(solution), f"exercises/{solution.name} is stale: run `make exercises`"


@pytest.mark.parametrize("path", SOLUTIONS, ids=NAMES)
def test_graded_cells_have_stable_ids_points_one_solution_region_and_a_check_right_after(path):
    cells = _cells(path)
    for i, cell in enumerate(cells):
        info = cell.metadata.get("gdcourse", {})
        if "exercise" not in info:
            continue
        name = info["exercise"]
        assert cell.id == f"graded-{name}" and info["points"] > 0
        assert cell.source.count(BEGIN) == 1 and cell.source.count(END) == 1
        after = cells[i + 1]
        assert after.source == f"check({name})" and after.metadata.gdcourse == {"check": name}
        assert cells[i - 1].cell_type == "markdown" and "$" in cells[i - 1].source  # the statement, an equation


@pytest.mark.parametrize("path", SOLUTIONS, ids=NAMES)
def test_setup_cells_are_tagged_and_need_nothing_from_gdcourse(path):
    nb = notebook.load(path)
    assert notebook.setup_sources(nb) == ["import numpy as np"]


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_graded_signature_matches_the_reference(name):
    ex = EXERCISES[name]
    [cell] = [c for c in _graded(ROOT / "solutions" / f"{ex.notebook}.ipynb")
              if c.metadata.gdcourse["exercise"] == name]
    fn = _function(cell.source)
    args = [a.arg for a in fn.args.args]
    defaults = [ast.literal_eval(d) for d in fn.args.defaults]
    ref = inspect.signature(ex.reference).parameters.values()
    assert fn.name == name and tuple(args) == ex.arg_names == tuple(p.name for p in ref)
    assert defaults == [p.default for p in ref if p.default is not inspect.Parameter.empty]
    assert ast.get_docstring(fn), "the docstring states the equation"


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_each_solution_passes_its_visible_check_in_process(name, capsys):
    ex = EXERCISES[name]
    [cell] = [c for c in _graded(ROOT / "solutions" / f"{ex.notebook}.ipynb")
              if c.metadata.gdcourse["exercise"] == name]
    namespace = {"np": np}
    exec(cell.source, namespace)
    check(namespace[name])
    assert capsys.readouterr().out.startswith(f"✓ {name}: ")


# --------------------------------------------------------------------------- the generated exercises


def test_stub_keeps_the_signature_and_docstring_and_indentation():
    source = 'def f(x):\n    """doc"""\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n'
    assert stub(source, "f") == 'def f(x):\n    """doc"""\n    # YOUR CODE HERE\n    raise NotImplementedError("f")\n'
    with pytest.raises(ValueError, match="exactly one"):
        stub("def f(x):\n    return x\n", "f")
    with pytest.raises(ValueError, match="exactly one"):
        stub(source + source, "f")


@pytest.mark.parametrize("path", EXERCISE_FILES, ids=[p.stem for p in EXERCISE_FILES])
def test_exercise_notebooks_have_stubs_no_outputs_and_failing_checks_tagged(path):
    solution = {c.id: c for c in _cells(ROOT / "solutions" / path.name)}
    for cell in _cells(path):
        assert cell.id in solution and cell.metadata.get("gdcourse") == solution[cell.id].metadata.get("gdcourse")
        tags = cell.metadata.get("tags", [])
        assert "nbval-check-output" not in tags
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [] and cell.execution_count is None
        info = cell.metadata.get("gdcourse", {})
        assert ("raises-exception" in tags) == ("check" in info or "uses" in info)
        if "exercise" in info:
            namespace = {"np": np}
            exec(cell.source, namespace)
            fn = namespace[info["exercise"]]
            with pytest.raises(NotImplementedError, match=info["exercise"]):
                fn(*[None] * len(inspect.signature(fn).parameters))


def test_generation_is_deterministic_and_leaves_the_solution_untouched():
    solution = nbformat.read(SOLUTIONS[0], as_version=4)
    before = nbformat.writes(solution)
    assert nbformat.writes(exercise_notebook(solution)) == nbformat.writes(exercise_notebook(solution))
    assert nbformat.writes(solution) == before


# --------------------------------------------------------------------------- graded end to end


def test_every_solution_gets_full_marks_and_every_exercise_zero(tmp_path):
    for who, files in (("solution", SOLUTIONS), ("exercise", EXERCISE_FILES)):
        (tmp_path / who).mkdir()
        for path in files:
            shutil.copy(path, tmp_path / who / path.name)
    rows = grade_folder(tmp_path, ROOT / "solutions", seed=424242, limits=Limits(timeout=10, case_timeout=1), jobs=2)
    assert len(rows) == 2 * len(EXERCISES)
    for row in rows:
        if row.student == "solution":
            assert (row.score, row.status, row.flags) == (row.max_score, "ok", ""), row
        else:
            assert (row.score, row.status) == (0.0, "not-implemented"), row
            assert row.message == f"{row.exercise}: not implemented yet"


# --------------------------------------------------------------------------- nbgrader-compatible sources

# nbgrader's cell metadata, schema version 3, as its documentation states it (docs: contributor_guide/metadata.rst;
# the JSON schema nbgrader/nbformat/v1.json, and v2/v3's additions cell_type and task): booleans grade, solution,
# locked; a grade_id of letters, digits, _ and -; points >= 0 only on grade cells.
NBGRADER_CELL_SCHEMA = {
    "type": "object",
    "properties": {
        "schema_version": {"type": "integer", "minimum": 3, "maximum": 3},
        "grade": {"type": "boolean"},
        "solution": {"type": "boolean"},
        "locked": {"type": "boolean"},
        "task": {"type": "boolean"},
        "grade_id": {"type": "string", "pattern": "^[a-zA-Z0-9_\\-]+$"},
        "points": {"type": "number", "minimum": 0},
        "checksum": {"type": "string", "minLength": 32, "maxLength": 32},
        "cell_type": {"type": "string", "enum": ["code", "markdown", "raw"]},
    },
    "required": ["grade", "solution", "locked", "grade_id", "schema_version"],
    "additionalProperties": False,
}


@pytest.mark.parametrize("path", SOLUTIONS + EXERCISE_FILES,
                         ids=[f"{p.parent.name}/{p.stem}" for p in SOLUTIONS + EXERCISE_FILES])
def test_cells_carry_valid_nbgrader_metadata(path):
    import jsonschema

    nb = nbformat.read(path, as_version=4)
    ids = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        info = cell.metadata.get("gdcourse", {})
        if meta is None:
            assert not info.keys() & {"exercise", "check"} and cell.id != "setup", cell.id
            continue
        jsonschema.validate(meta, NBGRADER_CELL_SCHEMA)
        ids.append(meta["grade_id"])
        assert ("points" in meta) == meta["grade"]  # nbgrader: points exactly on grade cells
        if cell.cell_type == "markdown" and not meta.get("task", False):
            assert meta["grade"] == meta["solution"]  # nbgrader: a markdown answer is grade AND solution
        assert not meta.get("task", False) or cell.cell_type == "markdown"
        if "exercise" in info:  # an autograded answer, unlocked
            assert (meta["solution"], meta["grade"], meta["locked"]) == (True, False, False)
        if "check" in info:  # its autograder test, worth the exercise's points
            graded = next(c for c in nb.cells if c.metadata.get("gdcourse", {}).get("exercise") == info["check"])
            assert (meta["grade"], meta["locked"], meta["points"]) == (True, True, graded.metadata.gdcourse["points"])
    assert len(ids) == len(set(ids)), "nbgrader grade ids must be unique"


def test_nbgrader_metadata_is_up_to_date_with_the_gdcourse_metadata():
    from gdcourse.grading.generate import sync_nbgrader

    for path in SOLUTIONS:
        nb = nbformat.read(path, as_version=4)
        before = nbformat.writes(nb)
        assert nbformat.writes(sync_nbgrader(nb)) == before, (
            f"run python -m gdcourse.grading.generate --nbgrader ({path.name})")


def test_the_nbgrader_check_rejects_what_nbgrader_rejects():
    import jsonschema

    good = {"grade": True, "solution": False, "locked": True, "grade_id": "check-x", "points": 2, "schema_version": 3}
    jsonschema.validate(good, NBGRADER_CELL_SCHEMA)
    for bad in ({**good, "grade_id": "check x"}, {**good, "points": -1}, {**good, "schema_version": 2},
                {k: v for k, v in good.items() if k != "locked"}, {**good, "extra": 1}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, NBGRADER_CELL_SCHEMA)
