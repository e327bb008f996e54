"""The instructor's grader: the child's codec and limits, cell extraction, the CLI and CSV, the corpus of
bad submissions (tests/grading_corpus/) and every known mistake of gdcourse.mistakes."""

from __future__ import annotations

import json
import runpy
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gdcourse.checks import EXERCISES, VISIBLE_SEED, CheckFailed, check
from gdcourse.grading import notebook
from gdcourse.grading.child import Opaque, decode, encode
from gdcourse.grading.cli import main
from gdcourse.grading.grader import COLUMNS, Row, grade_notebook, grade_source, gradebook
from gdcourse.grading.judge import Outcome
from gdcourse.grading.sandbox import Limits, run_function
from gdcourse.mistakes import MISTAKES

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
CORPUS = sorted(Path(__file__).with_name("grading_corpus").glob("*.py"))
SEED = 20240917  # the instructor's seed in these tests (never VISIBLE_SEED)
LIMITS = Limits(timeout=3.0, case_timeout=0.3)


def _solution(name: str) -> dict:
    return notebook.load(SOLUTIONS / f"{name}.ipynb")


def _points(exercise: str) -> float:
    nb = _solution(EXERCISES[exercise].notebook)
    return next(c.points for c in notebook.graded_cells(nb) if c.exercise == exercise)


# --------------------------------------------------------------------------- the codec


def test_encode_decode_round_trip_keeps_values_dtypes_and_python_types():
    value = (np.arange(6.0).reshape(2, 3), [np.int32(4), 2.5, 3, True, None], np.float64(np.nan), np.zeros((2, 0)))
    back = decode(json.loads(json.dumps(encode(value))))
    assert isinstance(back, tuple) and isinstance(back[1], list)
    np.testing.assert_array_equal(back[0], value[0])
    assert back[1][0].dtype == np.int32 and back[1][0].shape == ()
    assert [type(x) for x in back[1][1:]] == [float, int, bool, type(None)]
    assert np.isnan(back[2]) and back[3].shape == (2, 0)


def test_encode_never_calls_a_students_object_and_subclasses_become_plain_arrays():
    class Liar:
        def __eq__(self, other):
            raise AssertionError("never called")

    class Sub(np.ndarray):
        def tolist(self):
            raise AssertionError("never called")

    assert encode(Liar()) == {"__object__": "Liar"}
    assert isinstance(decode(encode(Liar())), Opaque)
    assert encode(np.ones(2).view(Sub))["__ndarray__"] == [1.0, 1.0]
    assert encode(np.array(["a"])) == {"__object__": "array of dtype <U1"}
    assert encode(np.zeros(10**5)) == {"__object__": "array of shape (100000,)"}


@pytest.mark.parametrize(
    "bad",
    [
        {"__ndarray__": [1], "dtype": "object", "shape": [1]},
        {"__ndarray__": [1, 2], "dtype": "float64", "shape": [3]},
        {"__tuple__": 5},
        {"unexpected": 1},
        "x" * 1001,  # longer than MAX_STRING: encode never writes it
    ],
)
def test_decode_rejects_what_encode_cannot_have_written(bad):
    with pytest.raises(ValueError):
        decode(bad)


def test_outcome_of_a_missing_or_garbled_case_is_lost_not_an_error():
    assert Outcome.from_event(None, "killed").kind == "lost"
    garbled = {"kind": "value", "value": {"__ndarray__": "x", "dtype": "object", "shape": [1]}}
    assert Outcome.from_event(garbled).kind == "malformed"


# --------------------------------------------------------------------------- the child process


def test_child_runs_cases_reports_mutation_and_exceptions_and_no_gdcourse_import():
    cell = "def f(a, b):\n    if b < 0:\n        raise ValueError('b')\n    a += b\n    return a\n"
    cases = [[encode(np.ones(2)), 1.0], [encode(np.ones(2)), -1.0]]
    run = run_function(["import numpy as np"], cell, "f", ["a", "b"], cases, LIMITS)
    assert run.cell_status == "ok" and run.ended == "exit code 0" and run.modules == []
    first, second = run.outcomes
    assert first["kind"] == "value" and first["mutated"] == ["a"]
    assert decode(first["value"]).tolist() == [2.0, 2.0]
    assert (second["kind"], second["type"], second["mutated"]) == ("exception", "ValueError", [])


def test_child_times_out_one_slow_case_and_still_runs_the_next():
    cell = "import time\ndef f(x):\n    if x:\n        time.sleep(30)\n    return 1.0\n"
    run = run_function([], cell, "f", ["x"], [[True], [False]], LIMITS)
    assert run.outcomes[0]["kind"] == "timeout" and run.outcomes[1]["kind"] == "value"
    assert run.seconds < 3


def test_child_is_killed_at_the_wall_clock_limit():
    cell = "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\ndef f():\n    while True:\n        pass\n"
    start = time.perf_counter()
    run = run_function([], cell, "f", [], [[]], Limits(timeout=1.0, case_timeout=0.2))
    assert run.ended == "timeout" and run.outcomes == [None]
    assert time.perf_counter() - start < 3


def test_ipython_only_lines_in_a_graded_cell_are_ignored_not_a_syntax_error():
    cell = "%%time\n!echo hi\ndef f(x):\n    %timeit x\n    return x % 3\n"
    run = run_function([], cell, "f", ["x"], [[7]], LIMITS)
    assert run.cell_status == "ok" and decode(run.outcomes[0]["value"]) == 1


def test_child_runs_in_a_temporary_directory_with_a_clean_environment():
    cell = "import os\ndef f():\n    return [os.getcwd().startswith(os.environ['TMPDIR']), 'PYTHONPATH' in os.environ]\n"
    run = run_function([], cell, "f", [], [[]], LIMITS)
    assert decode(run.outcomes[0]["value"]) == [True, False]


# --------------------------------------------------------------------------- notebooks and the CSV


def test_graded_cells_setup_and_lookup_by_id():
    nb = _solution("07_adam")
    cells = notebook.graded_cells(nb)
    assert [(c.id, c.exercise) for c in cells] == [("graded-adam_step", "adam_step"), ("graded-adamw_step", "adamw_step")]
    assert notebook.setup_sources(nb) == ["import numpy as np"]
    assert "def adam_step" in notebook.source(notebook.cell_by_id(nb, "graded-adam_step"))
    assert notebook.cell_by_id(nb, "no-such-id") is None
    assert notebook.source({"source": ["a\n", "b"]}) == "a\nb"


def test_grade_source_refuses_the_visible_seed():
    with pytest.raises(ValueError, match="visible seed"):
        grade_source("gd_step", "", [], 2, VISIBLE_SEED)


def test_a_comment_naming_gdcourse_is_not_an_import():
    source = "def gd_step(theta, grad, lr=0.1):\n    # as gdcourse.GD does\n    if np.any(np.asarray(lr) <= 0):\n" \
             "        raise ValueError('lr')\n    return theta - lr * grad\n"
    grade = grade_source("gd_step", source, ["import numpy as np"], 2, SEED, LIMITS)
    assert (grade.score, grade.flags, grade.status) == (2, "", "ok")


def test_gradebook_sums_points_per_student_and_notebook_with_the_maximum_row():
    rows = [
        Row("ann", "02_x", "a", 1.0, 2.0, 3, "", "partial", ""),
        Row("ann", "02_x", "b", 3.0, 3.0, 6, "", "ok", ""),
        Row("bob", "02_x", "a", 0.0, 2.0, 0, "", "missing", ""),
        Row("bob", "02_x", "b", 1.5, 3.0, 3, "", "partial", ""),
    ]
    book = gradebook(rows)
    assert book.loc["ann", "02_x"] == 4.0 and book.loc["bob", "total"] == 1.5
    assert book.loc["(max)", "02_x"] == 5.0


def test_cli_writes_the_csv_and_prints_the_gradebook(tmp_path, capsys):
    (tmp_path / "sub" / "ann").mkdir(parents=True)
    (tmp_path / "sub" / "bob").mkdir()
    source = (SOLUTIONS / "08_schedules.ipynb").read_text()
    (tmp_path / "sub" / "ann" / "08_schedules.ipynb").write_text(source)
    out = tmp_path / "grades.csv"
    code = main([str(tmp_path / "sub"), "--solutions", str(SOLUTIONS), "--out", str(out), "--seed", "7", "--jobs", "2"])
    assert code == 0
    frame = pd.read_csv(out, keep_default_na=False)
    assert list(frame.columns) == COLUMNS
    ann, bob = frame[frame.student == "ann"], frame[frame.student == "bob"]
    assert (ann.score == ann.max_score).all() and set(ann.status) == {"ok"}
    assert (bob.score == 0).all() and set(bob.status) == {"missing"}
    printed = capsys.readouterr().out
    assert "08_schedules" in printed and "(max)" in printed and "seed 7" in printed


def test_cli_fails_clearly_without_submissions_or_with_the_visible_seed(tmp_path, capsys):
    assert main([str(tmp_path / "nothing")]) == 2
    (tmp_path / "sub" / "ann").mkdir(parents=True)
    (tmp_path / "sub" / "ann" / "05_momentum.ipynb").write_text((SOLUTIONS / "05_momentum.ipynb").read_text())
    assert main([str(tmp_path / "sub"), "--solutions", str(SOLUTIONS), "--seed", str(VISIBLE_SEED)]) == 2
    assert "visible seed" in capsys.readouterr().err


def test_one_notebook_only_some_exercises():
    rows = grade_notebook(SOLUTIONS / "05_momentum.ipynb", SOLUTIONS / "05_momentum.ipynb", SEED,
                          student="me", limits=LIMITS, only={"momentum_step"})
    assert [(r.student, r.exercise, r.score, r.status) for r in rows] == [("me", "momentum_step", 3.0, "ok")]


# --------------------------------------------------------------------------- the corpus of bad submissions


def _build(entry: dict, target: Path) -> None:
    nb = _solution(entry["NOTEBOOK"])
    ids = {c.exercise: c.id for c in notebook.graded_cells(nb)}
    for exercise, source in entry["CELLS"].items():
        notebook.cell_by_id(nb, ids[exercise])["source"] = source.strip("\n") + "\n"
    edited = entry["edit"](nb) if "edit" in entry else nb
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(edited if isinstance(edited, str) else json.dumps(edited), encoding="utf-8")


@pytest.fixture(scope="module")
def corpus_grades(tmp_path_factory) -> pd.DataFrame:
    """Every corpus entry graded in one CLI run (2 jobs), read back from the CSV it must always write."""
    root = tmp_path_factory.mktemp("corpus")
    for path in CORPUS:
        entry = runpy.run_path(str(path))
        _build(entry, root / "submitted" / path.stem / f"{entry['NOTEBOOK']}.ipynb")
    out = root / "grades.csv"
    args = ["--solutions", str(SOLUTIONS), "--out", str(out), "--seed", str(SEED), "--jobs", "2"]
    assert main([str(root / "submitted"), *args, "--timeout", str(LIMITS.timeout), "--case-timeout", "0.3"]) == 0
    return pd.read_csv(out, keep_default_na=False)


def test_the_corpus_covers_every_kind_of_bad_submission():
    assert len(CORPUS) >= 20
    assert all(runpy.run_path(str(p)).get("__doc__") for p in CORPUS)


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_corpus_entry_loses_marks_only_on_what_it_breaks(path, corpus_grades):
    entry = runpy.run_path(str(path))
    rows = corpus_grades[(corpus_grades.student == path.stem) & (corpus_grades.notebook == entry["NOTEBOOK"])]
    graded = [c.exercise for c in notebook.graded_cells(_solution(entry["NOTEBOOK"]))]
    assert list(rows.exercise) == graded
    for row in rows.itertuples():
        want = entry["EXPECT"].get(row.exercise, "full")
        got = f"{row.exercise}: {row.score}/{row.max_score} [{row.status}] {row.flags} {row.message}"
        assert {"full": row.score == row.max_score, "less": row.score < row.max_score,
                "zero": row.score == 0, "any": True}[want], f"expected {want}, got {got}"
        assert row.status == entry.get("STATUS", {}).get(row.exercise, row.status), got
        assert entry.get("FLAGS", {}).get(row.exercise, "") in row.flags, got
        assert entry.get("IN_MESSAGE", {}).get(row.exercise, "") in row.message, got


def test_hard_coded_visible_answers_pass_check_but_not_the_grader(corpus_grades):
    entry = runpy.run_path(str(Path(__file__).with_name("grading_corpus") / "hardcoded_visible.py"))
    namespace = {"np": np}
    exec(entry["CELLS"]["mse_grad"], namespace)
    check(namespace["mse_grad"])  # the visible cases pass ...
    row = corpus_grades[(corpus_grades.student == "hardcoded_visible") & (corpus_grades.exercise == "mse_grad")]
    assert row.score.item() < 1  # ... the hidden ones do not (only "a perfect fit", gradient 0, by luck)


# --------------------------------------------------------------------------- every known mistake


@pytest.fixture(scope="module")
def mistake_grades() -> dict:
    """Each known mistake graded as its exercise's cell (2 at a time): (score, passed, flags, status, message)."""

    def grade(mistake):
        setup = notebook.setup_sources(_solution(EXERCISES[mistake.exercise].notebook))
        return grade_source(mistake.exercise, mistake.code, setup, _points(mistake.exercise), SEED, LIMITS)

    with ThreadPoolExecutor(2) as pool:
        return dict(zip(MISTAKES, pool.map(grade, MISTAKES)))


@pytest.mark.parametrize("mistake", MISTAKES, ids=[f"{m.exercise}-{m.name}" for m in MISTAKES])
def test_known_mistake_loses_marks_with_its_diagnosis(mistake, mistake_grades):
    score, passed, flags, status, message = mistake_grades[mistake]
    assert score < _points(mistake.exercise), message
    assert status in {"partial", "failed"}, message
    assert mistake.diagnosis in message


@pytest.mark.parametrize("mistake", MISTAKES, ids=[f"{m.exercise}-{m.name}" for m in MISTAKES])
def test_known_mistake_fails_the_visible_check_with_its_diagnosis(mistake):
    namespace = {"np": np}
    exec(mistake.code, namespace)
    with pytest.raises(CheckFailed) as failed:
        check(namespace[mistake.exercise])
    assert mistake.diagnosis in str(failed.value)
