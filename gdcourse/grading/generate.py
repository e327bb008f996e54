"""Build ``exercises/`` from ``solutions/`` (``make exercises``): the one way exercise notebooks are made.

Per notebook, deterministically: outputs, execution counts and run timestamps cleared, cell ids and the
other metadata kept; in each graded cell the region between ``### BEGIN SOLUTION`` and ``### END SOLUTION``
becomes a stub raising ``NotImplementedError("<name>")``; check cells and cells that call the students'
functions are tagged ``raises-exception`` (so exercises/ runs under nbval while they fail);
``nbval-check-output`` tags are dropped (an exercise stores no outputs to compare).

The solution notebooks also carry nbgrader's cell metadata (schema version 3), so an instructor who runs
nbgrader can use ``solutions/`` as its source: each graded cell is an autograded answer, its check cell the
autograder test worth the exercise's points, the setup and statement cells read-only.
``python -m gdcourse.grading.generate --nbgrader`` writes that metadata into ``solutions/`` from the
``gdcourse`` metadata (tests/test_exercises.py fails when it is out of date).
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

import nbformat

__all__ = ["BEGIN", "END", "NBGRADER_SCHEMA", "stub", "nbgrader_metadata", "exercise_notebook", "render", "generate",
           "sync_nbgrader", "main"]

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_REGION = re.compile(rf"^([ \t]*){re.escape(BEGIN)}[ \t]*\n.*?^[ \t]*{re.escape(END)}[ \t]*$", re.M | re.S)


def stub(source: str, name: str) -> str:
    """The graded cell's source with its one solution region replaced by the stub."""
    regions = _REGION.findall(source)
    if len(regions) != 1:
        raise ValueError(f"the graded cell of {name} must hold exactly one {BEGIN} … {END} region, "
                         f"found {len(regions)}")
    return _REGION.sub(lambda m: f'{m[1]}# YOUR CODE HERE\n{m[1]}raise NotImplementedError("{name}")', source)


NBGRADER_SCHEMA = 3


def nbgrader_metadata(cell: nbformat.NotebookNode, points: dict[str, float]) -> dict | None:
    """nbgrader's metadata for one solution cell, from its ``gdcourse`` metadata and id (None: no role).

    graded cell: autograded answer (solution); check cell: autograder test (grade, locked, the points);
    setup, import and statement cells: read-only (locked).
    """
    info = cell.metadata.get("gdcourse", {})
    role = {"solution": False, "grade": False, "locked": True}
    if "exercise" in info:
        role = {"solution": True, "grade": False, "locked": False}
    elif "check" in info:
        role = {"solution": False, "grade": True, "locked": True, "points": points[info["check"]]}
    elif not (cell.id in ("setup", "check-import") or cell.id.startswith("statement-")):
        return None
    return {**role, "grade_id": cell.id, "schema_version": NBGRADER_SCHEMA}


def sync_nbgrader(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` (changed in place) with every cell's nbgrader metadata as :func:`nbgrader_metadata` says."""
    points = {c.metadata.gdcourse["exercise"]: c.metadata.gdcourse["points"] for c in nb.cells
              if "exercise" in c.metadata.get("gdcourse", {})}
    for cell in nb.cells:
        meta = nbgrader_metadata(cell, points)
        if meta is None:
            cell.metadata.pop("nbgrader", None)
        else:
            cell.metadata["nbgrader"] = meta
    return nb


def exercise_notebook(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The exercise version of a solution notebook (a new object; the solution is not changed)."""
    nb = copy.deepcopy(solution)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # run timestamps: re-executing solutions/ changes nothing here
        info = cell.metadata.get("gdcourse", {})
        tags = [t for t in cell.metadata.get("tags", []) if t != "nbval-check-output"]
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if "exercise" in info:
                cell.source = stub(cell.source, info["exercise"])
            if ("check" in info or "uses" in info) and "raises-exception" not in tags:
                tags.append("raises-exception")
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
    return nb


def render(solution_path: str | Path) -> str:
    """The exact text ``generate`` writes for one solution notebook."""
    text = nbformat.writes(exercise_notebook(nbformat.read(solution_path, as_version=4)))
    return text if text.endswith("\n") else text + "\n"


def generate(solutions: str | Path = "solutions", exercises: str | Path = "exercises") -> list[Path]:
    """Write ``exercises/NN_topic.ipynb`` for every ``solutions/NN_topic.ipynb``; return the paths written."""
    out = Path(exercises)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(Path(solutions).glob("*.ipynb")):
        target = out / path.name
        target.write_text(render(path), encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> None:
    """``python -m gdcourse.grading.generate [SOLUTIONS] [EXERCISES]``; ``--nbgrader [SOLUTIONS]`` rewrites the
    solutions' nbgrader metadata instead."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--nbgrader"]:
        for path in sorted(Path(*(args[1:2] or ["solutions"])).glob("*.ipynb")):
            nbformat.write(sync_nbgrader(nbformat.read(path, as_version=4)), path)
            print(f"wrote nbgrader metadata into {path}")
        return
    for path in generate(*args[:2]):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
