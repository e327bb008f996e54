"""The instructor's grader: the child's codec and limits, cell extraction, the CLI and CSV, the corpus of
bad submissions (tests/grading_corpus/) and every known mistake of gdcourse.mistakes."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import runpy
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gdcourse.checks import EXERCISES, VISIBLE_SEED, CheckFailed, check
from gdcourse.grading import grader, notebook, pids
from gdcourse.grading.channel import parse
from gdcourse.grading.child import Opaque, decode, encode
from gdcourse.grading.cli import format_gradebook, main
from gdcourse.grading.grader import COLUMNS, WHOLE_NOTEBOOK, Row, grade_notebook, grade_source, gradebook, safe_text
from gdcourse.grading.judge import CREDIT_RULE, Outcome, expected, judge
from gdcourse.grading.sandbox import SANDBOX_ENV, Limits, run_function, sandbox_problem
from gdcourse.mistakes import MISTAKES

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
CORPUS_DIR = Path(__file__).with_name("grading_corpus")
CORPUS = sorted(CORPUS_DIR.glob("*.py"))
SEED = 20240917  # the instructor's seed in these tests (never VISIBLE_SEED)
LIMITS = Limits(timeout=5.0, case_timeout=1.0)  # a busy machine: python + numpy may take seconds to start


def _require_sandbox() -> None:
    """The grader's tests run inside bubblewrap. Where it cannot run they are skipped with the reason, except
    in CI (GDCOURSE_REQUIRE_SANDBOX=1, set by .ci/run after installing it), where that is a failure."""
    problem = sandbox_problem()
    if problem and os.environ.get("GDCOURSE_REQUIRE_SANDBOX") == "1":
        pytest.fail(f"the sandbox must work here: {problem}")
    if problem:
        pytest.skip(f"bubblewrap cannot run here ({problem}); `make grader-deps` installs it")


@pytest.fixture
def sandboxed() -> None:
    _require_sandbox()


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


@pytest.mark.usefixtures("sandboxed")
def test_child_runs_cases_reports_mutation_and_exceptions_and_no_gdcourse_import():
    cell = "def f(a, b):\n    if b < 0:\n        raise ValueError('b')\n    a += b\n    return a\n"
    cases = [[encode(np.ones(2)), 1.0], [encode(np.ones(2)), -1.0]]
    run = run_function(["import numpy as np"], cell, "f", ["a", "b"], cases, LIMITS)
    assert run.cell_status == "ok" and run.ended == "exit code 0" and run.modules == []
    first, second = run.outcomes
    assert first["kind"] == "value" and first["mutated"] == ["a"]
    assert decode(first["value"]).tolist() == [2.0, 2.0]
    assert (second["kind"], second["type"], second["mutated"]) == ("exception", "ValueError", [])


@pytest.mark.usefixtures("sandboxed")
def test_child_times_out_one_slow_case_and_still_runs_the_next():
    cell = "import time\ndef f(x):\n    if x:\n        time.sleep(30)\n    return 1.0\n"
    run = run_function([], cell, "f", ["x"], [[True], [False]], Limits(timeout=5.0, case_timeout=0.3))
    assert run.outcomes[0]["kind"] == "timeout" and run.outcomes[1]["kind"] == "value"
    assert run.seconds < 5


@pytest.mark.usefixtures("sandboxed")
def test_child_is_killed_at_the_wall_clock_limit():
    cell = "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\ndef f():\n    while True:\n        pass\n"
    start = time.perf_counter()
    run = run_function([], cell, "f", [], [[]], Limits(timeout=1.0, case_timeout=0.2))
    assert run.ended == "timeout" and run.outcomes == [None]
    assert time.perf_counter() - start < 3


@pytest.mark.usefixtures("sandboxed")
def test_ipython_only_lines_in_a_graded_cell_are_ignored_not_a_syntax_error():
    cell = "%%time\n!echo hi\ndef f(x):\n    %timeit x\n    return x % 3\n"
    run = run_function([], cell, "f", ["x"], [[7]], LIMITS)
    assert run.cell_status == "ok" and decode(run.outcomes[0]["value"]) == 1


@pytest.mark.usefixtures("sandboxed")
def test_child_runs_in_a_temporary_directory_with_a_clean_environment():
    cell = "import os\ndef f():\n    return [os.getcwd() == os.environ['TMPDIR'], sorted(set(os.environ) - {'PWD'})]\n"
    run = run_function([], cell, "f", [], [[]], LIMITS)
    assert decode(run.outcomes[0]["value"]) == [True, sorted(SANDBOX_ENV)]


# --------------------------------------------------------------------------- notebooks and the CSV


def test_graded_cells_setup_and_lookup_by_id():
    nb = _solution("07_adam")
    cells = notebook.graded_cells(nb)
    assert [(c.id, c.exercise) for c in cells] == [("graded-adam_step", "adam_step"), ("graded-adam_run", "adam_run")]
    assert notebook.setup_sources(nb) == ["import numpy as np"]
    assert "def adam_step" in notebook.source(notebook.cell_by_id(nb, "graded-adam_step"))
    assert notebook.cell_by_id(nb, "no-such-id") is None
    assert notebook.source({"source": ["a\n", "b"]}) == "a\nb"


def test_grade_source_refuses_the_visible_seed():
    with pytest.raises(ValueError, match="visible seed"):
        grade_source("gd_step", "", [], 2, VISIBLE_SEED)


@pytest.mark.usefixtures("sandboxed")
def test_a_comment_naming_gdcourse_is_not_an_import():
    source = "def gd_step(theta, grad, lr=0.1):\n    # as gdcourse.GD does\n    if np.any(np.asarray(lr) <= 0):\n" \
             "        raise ValueError('lr')\n    return theta - lr * grad\n"
    grade = grade_source("gd_step", source, ["import numpy as np"], 2, SEED, LIMITS)
    assert (grade.score, grade.flags, grade.status) == (2, "", "ok")


def test_the_credit_note_agrees_with_the_number_of_cases():
    assert grader.credit_note(1, 6) == " (its 1 bad-argument case counts only once all 6 value cases pass)"
    assert grader.credit_note(3, 6) == " (its 3 bad-argument cases count only once all 6 value cases pass)"
    assert grader.credit_note(2, 1) == " (its 2 bad-argument cases count only once its 1 value case passes)"


@pytest.mark.usefixtures("sandboxed")
def test_a_cell_that_only_raises_earns_nothing_and_is_told_why():
    ex = EXERCISES["gd_step"]
    wants = [expected(ex, c) for c in ex.cases(np.random.default_rng(SEED))]
    raising = sum(w.kind == "exception" for w in wants)
    source = "def gd_step(theta, grad, lr=0.1):\n    raise ValueError('lr')\n"
    grade = grade_source("gd_step", source, [], 2, SEED, LIMITS)
    assert (grade.score, grade.cases_passed, grade.status) == (0, raising, "failed")
    assert grade.message.endswith(grader.credit_note(raising, len(wants) - raising)), grade.message


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


@pytest.mark.usefixtures("sandboxed")
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


@pytest.mark.usefixtures("sandboxed")
def test_one_notebook_only_some_exercises():
    rows = grade_notebook(SOLUTIONS / "05_momentum.ipynb", SOLUTIONS / "05_momentum.ipynb", SEED,
                          student="me", limits=LIMITS, only={"momentum_step"})
    assert [(r.student, r.exercise, r.score, r.status) for r in rows] == [("me", "momentum_step", 3.0, "ok")]


# --------------------------------------------------------------------------- the corpus of bad submissions


def _build(entry: dict, target: Path, solutions: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if "make" in entry:  # a file that is not a plain notebook (FIFO, symlink): the entry makes it
        entry["make"](target, solutions / f"{entry['NOTEBOOK']}.ipynb")
        return
    nb = json.loads((solutions / f"{entry['NOTEBOOK']}.ipynb").read_text(encoding="utf-8"))
    ids = {c.exercise: c.id for c in notebook.graded_cells(_solution(entry["NOTEBOOK"]))}
    for exercise, source in entry["CELLS"].items():
        next(c for c in nb["cells"] if c.get("id") == ids[exercise])["source"] = source.strip("\n") + "\n"
    edited = entry["edit"](nb) if "edit" in entry else nb
    target.write_text(edited if isinstance(edited, str) else json.dumps(edited), encoding="utf-8")


def _student(path: Path, entry: dict) -> str:
    return entry.get("STUDENT", path.stem)


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory) -> dict:
    """Every corpus entry graded in one CLI run (2 jobs, inside the sandbox), against a private copy of
    solutions/; the CSV it must always write, read back, and what it printed."""
    _require_sandbox()
    root = tmp_path_factory.mktemp("corpus")
    solutions = root / "solutions"
    shutil.copytree(SOLUTIONS, solutions)
    for path in CORPUS:
        entry = runpy.run_path(str(path))
        _build(entry, root / "submitted" / _student(path, entry) / f"{entry['NOTEBOOK']}.ipynb", solutions)
    out = root / "grades.csv"
    args = ["--solutions", str(solutions), "--out", str(out), "--seed", str(SEED), "--jobs", "2"]
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        code = main([str(root / "submitted"), *args, "--timeout", str(LIMITS.timeout),
                     "--case-timeout", str(LIMITS.case_timeout)])
    assert code == 0
    return {"frame": pd.read_csv(out, keep_default_na=False, dtype={"student": str}), "csv": out,
            "printed": printed.getvalue(), "solutions": solutions, "root": root, "end": time.monotonic()}


@pytest.fixture(scope="module")
def corpus_grades(corpus_run) -> pd.DataFrame:
    return corpus_run["frame"]


def test_the_corpus_covers_every_kind_of_bad_submission():
    assert len(CORPUS) >= 35
    assert all(runpy.run_path(str(p)).get("__doc__") for p in CORPUS)


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_corpus_entry_loses_marks_only_on_what_it_breaks(path, corpus_grades):
    entry = runpy.run_path(str(path))
    student = safe_text(_student(path, entry))
    rows = corpus_grades[(corpus_grades.student == student) & (corpus_grades.notebook == entry["NOTEBOOK"])]
    graded = [c.exercise for c in notebook.graded_cells(_solution(entry["NOTEBOOK"]))]
    if "WHOLE" in entry:  # one row for the notebook: refused or unreadable
        assert len(rows) == 1, rows
        row = rows.iloc[0]
        assert (row.exercise, row.score, row.status) == (WHOLE_NOTEBOOK, 0, entry["WHOLE"]), row.to_dict()
        assert row.max_score == sum(c.points for c in notebook.graded_cells(_solution(entry["NOTEBOOK"])))
        assert entry.get("IN_MESSAGE", {}).get("*", "") in row.message, row.message
        return
    assert list(rows.exercise) == graded
    for row in rows.itertuples():
        want = entry["EXPECT"].get(row.exercise, "full")
        got = f"{row.exercise}: {row.score}/{row.max_score} [{row.status}] {row.flags} {row.message}"
        assert {"full": row.score == row.max_score, "less": row.score < row.max_score,
                "zero": row.score == 0, "any": True}[want], f"expected {want}, got {got}"
        assert row.status == entry.get("STATUS", {}).get(row.exercise, row.status), got
        assert entry.get("FLAGS", {}).get(row.exercise, "") in row.flags, got
        assert entry.get("IN_MESSAGE", {}).get(row.exercise, "") in row.message, got
        assert "unsandboxed" not in row.flags, got


def _csv_rows(path: Path) -> list[Row]:
    with open(path, newline="", encoding="utf-8") as f:
        return [Row(**{**r, "score": float(r["score"]), "max_score": float(r["max_score"]),
                       "cases_passed": int(r["cases_passed"])}) for r in csv.DictReader(f)]


def test_the_csv_reads_back_as_the_gradebook_the_grader_printed(corpus_run):
    rows = _csv_rows(corpus_run["csv"])
    assert len(rows) == len(corpus_run["frame"]) > len(CORPUS)
    assert corpus_run["printed"].startswith(format_gradebook(rows) + "\nseed ")


def test_no_field_of_the_csv_can_be_read_as_a_spreadsheet_formula(corpus_run):
    with open(corpus_run["csv"], newline="", encoding="utf-8") as f:
        fields = [value for record in csv.reader(f) for value in record]
    assert fields and not [v for v in fields if v.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'=HYPERLINK(" in corpus_run["frame"].student.tolist()[0] or any(
        v.startswith("'=HYPERLINK(") for v in fields)


def test_safe_text_neutralises_formulas_and_replaces_what_utf8_cannot_encode():
    for start in "=+-@\t\r":
        assert safe_text(f"{start}1+2") == f"'{start}1+2"
    assert safe_text("0.5") == "0.5" and safe_text("adam_step: x = -1") == "adam_step: x = -1"
    assert safe_text("a\ud800b") == "a\ufffdb" and safe_text("a\ud800b").encode("utf-8")
    assert Row("=x", "n", "e", 1.0, 2.0, 1, "", "ok", "-y").student == "'=x"


def test_no_process_started_by_a_submission_outlives_the_grading(corpus_run):
    markers = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if b"313.37" in cmdline.read_bytes():
                markers.append(cmdline.parent.name)
        except OSError:
            pass
    assert markers == []


def test_the_gradebook_is_not_rewritten_after_the_grader_printed_it(corpus_run):
    time.sleep(max(0.0, corpus_run["end"] + 2.5 - time.monotonic()))  # the daemon would write after 1 s
    again = pd.read_csv(corpus_run["csv"], keep_default_na=False, dtype={"student": str})
    pd.testing.assert_frame_equal(again, corpus_run["frame"])
    assert "rewritten" not in again.message.tolist()


def test_the_solutions_graded_against_are_unchanged_and_nothing_was_added(corpus_run):
    copy = corpus_run["solutions"]
    assert sorted(p.name for p in copy.iterdir()) == sorted(p.name for p in SOLUTIONS.iterdir())
    for path in SOLUTIONS.iterdir():
        assert (copy / path.name).read_bytes() == path.read_bytes(), path.name


# --------------------------------------------------------------------------- the sandbox itself


@pytest.mark.usefixtures("sandboxed")
def test_the_sandbox_shows_only_the_runtime_and_numpy_and_cannot_import_gdcourse():
    cell = f"""
import os, socket, sys
def f():
    try:
        import gdcourse
        imported = True
    except ImportError:
        imported = False
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=1)
        network = True
    except OSError:
        network = False
    pids = [p for p in os.listdir("/proc") if p.isdigit()]
    return [imported, network, os.getuid(), len(pids) <= 3, os.path.exists({str(ROOT)!r}),
            os.path.exists({str(SOLUTIONS)!r}), os.access("/usr", os.W_OK), os.access("/opt", os.W_OK), os.getcwd(),
            sys.flags.isolated]
"""
    run = run_function([], cell, "f", [], [[]], LIMITS)
    assert decode(run.outcomes[0]["value"]) == [False, False, 65534, True, False, False, False, False, "/tmp", 1]


@pytest.mark.usefixtures("sandboxed")
def test_a_child_flooding_the_channel_or_holding_it_open_is_cut_off_in_time():
    flood = "import os, sys\nwhile True:\n    os.write(int(sys.argv[1]), b'x' * 65536)\n"
    start = time.perf_counter()
    run = run_function([], flood, "f", [], [[]], Limits(timeout=5.0, case_timeout=4.0))
    assert run.ended == "too much output" and run.cell_status == "malformed"
    silent = "import os, time\nif os.fork() == 0:\n    time.sleep(60)\ndef f():\n    return 1\n"
    run = run_function([], silent, "f", [], [[]], LIMITS)
    assert run.ended == "exit code 0" and decode(run.outcomes[0]["value"]) == 1
    assert time.perf_counter() - start < 8


FORK_BOMB = """
import os, time
forks = 0
try:
    while forks < 300:  # a real bomb never stops; 300 keeps this test harmless where the cap fails
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
        forks += 1
except OSError:
    pass
def f():
    return forks
"""


@pytest.mark.parametrize("sandbox", [True, False], ids=["bwrap", "no-sandbox"])
def test_a_fork_bomb_stops_at_the_process_cap_and_leaves_nothing_behind(sandbox):
    if sandbox:
        _require_sandbox()
    if not pids.capped():  # root where no pids cgroup can be made: gdcourse-grade warns (next test)
        pytest.skip("processes cannot be capped here: root, and no writable pids cgroup hierarchy")
    run = run_function([], FORK_BOMB, "f", [], [[]], LIMITS)
    assert run.ended == "exit code 0" and decode(run.outcomes[0]["value"]) < LIMITS.processes
    if pids.hierarchy() is not None:
        assert not list(pids.hierarchy().glob(f"gdcourse-{os.getpid()}-*"))  # its cgroup was removed


def test_the_grader_warns_when_it_cannot_cap_processes(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(pids, "capped", lambda: False)
    (tmp_path / "sub").mkdir()
    assert main([str(tmp_path / "sub"), "--out", str(tmp_path / "g.csv"), "--no-sandbox"]) == 0
    assert "not capped at 16: only the time limit stops a fork bomb" in capsys.readouterr().err


def test_the_grader_refuses_without_bubblewrap_and_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("gdcourse.grading.sandbox.sandbox_problem", lambda: "bubblewrap (bwrap) is not installed")
    (tmp_path / "sub" / "ann").mkdir(parents=True)
    shutil.copy(SOLUTIONS / "08_schedules.ipynb", tmp_path / "sub" / "ann")
    args = [str(tmp_path / "sub"), "--solutions", str(SOLUTIONS), "--out", str(tmp_path / "g.csv"), "--seed", "7"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "apt-get install bubblewrap" in err and "--no-sandbox" in err and not (tmp_path / "g.csv").exists()
    assert main([*args, "--no-sandbox", "--jobs", "1"]) == 0
    frame = pd.read_csv(tmp_path / "g.csv", keep_default_na=False)
    assert (frame["flags"] == "unsandboxed").all() and (frame.score == frame.max_score).all()
    assert "WITHOUT the sandbox" in capsys.readouterr().out


def _attack(name: str, tmp_path: Path, *flags: str) -> pd.DataFrame:
    """Grade one corpus entry through the real command line in a subprocess (its argv holds --seed)."""
    entry = runpy.run_path(str(CORPUS_DIR / f"{name}.py"))
    _build(entry, tmp_path / "sub" / name / f"{entry['NOTEBOOK']}.ipynb", SOLUTIONS)
    out = tmp_path / f"g{len(flags)}.csv"
    command = [sys.executable, "-m", "gdcourse.grading.cli", str(tmp_path / "sub"), "--solutions", str(SOLUTIONS),
               "--out", str(out), "--seed", str(SEED), "--jobs", "1", *flags]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return pd.read_csv(out, keep_default_na=False).set_index("exercise")


@pytest.mark.usefixtures("sandboxed")
def test_the_seed_leaks_through_proc_without_the_sandbox_and_not_with_it(tmp_path):
    """The attack is real: unsandboxed, the child reads the grader's command line (the cell raises)."""
    assert _attack("reads_the_seed", tmp_path).loc["gd_step", "status"] == "ok"
    leaked = _attack("reads_the_seed", tmp_path, "--no-sandbox").loc["gd_step"]
    assert leaked.status == "cell-error" and "leaked the seed" in leaked.message and leaked["flags"] == "unsandboxed"


@pytest.mark.usefixtures("sandboxed")
def test_execing_the_solution_pays_without_the_sandbox_and_not_with_it(tmp_path):
    setup = notebook.setup_sources(_solution("07_adam"))
    source = runpy.run_path(str(CORPUS_DIR / "reads_solutions.py"))["CELLS"]["adam_step"]
    stolen = grade_source("adam_step", source, setup, 4, SEED, LIMITS, sandbox=False)
    assert (stolen.score, stolen.flags) == (4, "unsandboxed")
    assert grade_source("adam_step", source, setup, 4, SEED, LIMITS).status == "not-implemented"


@pytest.mark.usefixtures("sandboxed")
def test_an_error_while_grading_one_submission_is_its_row_and_the_run_goes_on(monkeypatch):
    real = grader.grade_source

    def flaky(exercise, *args, **kwargs):
        if exercise == "ewma":
            raise OverflowError("int too large to convert")
        return real(exercise, *args, **kwargs)

    monkeypatch.setattr(grader, "grade_source", flaky)
    rows = grade_notebook(SOLUTIONS / "05_momentum.ipynb", SOLUTIONS / "05_momentum.ipynb", SEED, student="me",
                          limits=LIMITS)
    assert [(r.exercise, r.status) for r in rows] == [("ewma", "error"), ("momentum_step", "ok"),
                                                      ("nesterov_step", "ok"), ("momentum_to_pytorch", "ok")]
    assert "OverflowError" in rows[0].message and rows[0].score == 0
    assert all(r.score == r.max_score for r in rows[1:])


# --------------------------------------------------------------------------- the result channel


def _line(**event) -> bytes:
    return json.dumps(event).encode()


_CELL_OK = _line(event="cell", status="ok", message="", modules=[])
_SENT = [[encode(np.ones(2)), 1.0]]


def _case(**fields) -> bytes:
    return _line(**{"event": "case", "index": 0, "kind": "value", "value": 1.0,
                    "after": [encode(np.ones(2)), None], **fields})


@pytest.mark.parametrize("bad", [
    b"not json", b"[1, 2, 3]", b"10" + b"0" * 30, b"{}", _line(event="case"),
    _case(value={"__ndarray__": [10**30], "dtype": "int64", "shape": [1]}),
    _case(value=10**30), _case(value={"__ndarray__": [1.0], "dtype": "float64", "shape": [2]}),
    _case(value={"__function__": "polynomial", "params": {"coeffs": [1.0]}}),
    _case(value="x" * 1001), _case(index=1), _case(index="0"), _case(kind="pass"), _case(after=None),
    _case(after=[None, None]), _case(extra=1), _case(message=["not", "text"], kind="exception"),
    b"[" * 100_000 + b"]" * 100_000, b"1" * (3 * 2**20),
])
def test_a_case_line_that_the_harness_cannot_have_written_is_that_cases_malformed_failure(bad):
    run = parse(b"\n".join([_CELL_OK, bad, _case(), b""]), _SENT, ["a", "b"])
    assert run.cell_status == "ok" and run.outcomes[0]["kind"] == "malformed"
    assert Outcome.from_event(run.outcomes[0]).kind == "malformed"


def test_a_valid_channel_parses_and_in_place_changes_are_judged_from_the_arguments_after_the_call():
    after = encode(np.array([1.0, 2.0]))
    run = parse(b"\n".join([_CELL_OK, _case(mutated=[], after=[after, None]), b""]), _SENT, ["a", "b"])
    assert run.outcomes[0] == {"kind": "value", "value": 1.0, "mutated": ["a"]}
    assert parse(b"\n".join([b"junk", _CELL_OK]), _SENT, ["a", "b"]).cell_status == "malformed"
    assert parse(_CELL_OK + b"\n" + _case(), _SENT, ["a", "b"]).outcomes[0]["kind"] == "malformed"  # no newline


def test_must_raise_cases_count_only_once_every_value_case_passes():
    ex = EXERCISES["gd_step"]
    cases = ex.cases(np.random.default_rng(SEED))
    wants = [expected(ex, c) for c in cases]
    raising = sum(w.kind == "exception" for w in wants)
    assert 0 < raising < len(cases)
    only_raises = judge(ex, cases, [Outcome("exception", error="ValueError") for _ in cases])
    assert (only_raises.passed, only_raises.credited) == (raising, 0)
    all_right = judge(ex, cases, wants)
    assert all_right.credited == all_right.passed == len(cases)
    one_wrong = judge(ex, cases, [Outcome("value", value=None) if i == 0 else w for i, w in enumerate(wants)])
    assert one_wrong.passed == len(cases) - 1 and one_wrong.credited == len(cases) - 1 - raising
    assert "count only once every one of its value cases passes" in CREDIT_RULE
    assert CREDIT_RULE in (ROOT / "README.md").read_text().replace("\n", " ")
    for folder in (SOLUTIONS, ROOT / "exercises"):  # each notebook's intro says it to the student
        for path in sorted(folder.glob("*.ipynb")):
            intro = " ".join(notebook.source(notebook.load(path)["cells"][0]).split())
            assert "bad-argument cases (calls that must raise ValueError) count only once every one of its value " \
                   "cases passes" in intro, path


# --------------------------------------------------------------------------- reading submissions


def test_read_bytes_refuses_symlinks_fifos_devices_folders_and_oversized_files(tmp_path):
    (tmp_path / "ok.ipynb").write_text("{}")
    (tmp_path / "link.ipynb").symlink_to(tmp_path / "ok.ipynb")
    os.mkfifo(tmp_path / "fifo.ipynb")
    (tmp_path / "dir.ipynb").mkdir()
    (tmp_path / "big.ipynb").write_bytes(b" " * 101)
    assert notebook.read_bytes(tmp_path / "ok.ipynb") == b"{}"
    for name, why in [("link", "symbolic link"), ("fifo", "FIFO"), ("dir", "folder"), ("big", "more than 100")]:
        with pytest.raises(notebook.Refused, match=why):
            notebook.read_bytes(tmp_path / f"{name}.ipynb", limit=100)
    with pytest.raises(notebook.Refused, match="character device"):
        notebook.read_bytes("/dev/zero")


def test_a_cell_source_holding_non_strings_is_an_invalid_notebook_not_a_crash(tmp_path):
    nb = json.loads((SOLUTIONS / "05_momentum.ipynb").read_text())
    nb["cells"][3]["source"] = ["x = 1\n", 3]
    (tmp_path / "05_momentum.ipynb").write_text(json.dumps(nb))
    with pytest.raises(ValueError, match="not a valid notebook"):
        notebook.load(tmp_path / "05_momentum.ipynb")
    with pytest.raises(ValueError, match="neither a string"):
        notebook.source({"source": ["a", None]})


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

    _require_sandbox()

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
