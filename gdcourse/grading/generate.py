"""Build ``exercises/`` from ``solutions/`` (``make exercises``): the one way exercise notebooks are made.

Per notebook, deterministically: outputs, execution counts and run timestamps cleared, cell ids and the
other metadata kept; in each graded cell the region between ``### BEGIN SOLUTION`` and ``### END SOLUTION``
becomes a stub raising ``NotImplementedError("<name>")``; check cells and cells that call the students'
functions are tagged ``raises-exception`` (so exercises/ runs under nbval while they fail);
``nbval-check-output`` tags are dropped (an exercise stores no outputs to compare).
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

import nbformat

__all__ = ["BEGIN", "END", "stub", "exercise_notebook", "render", "generate", "main"]

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_REGION = re.compile(rf"^([ \t]*){re.escape(BEGIN)}[ \t]*\n.*?^[ \t]*{re.escape(END)}[ \t]*$", re.M | re.S)


def stub(source: str, name: str) -> str:
    """The graded cell's source with its one solution region replaced by the stub."""
    regions = _REGION.findall(source)
    if len(regions) != 1:
        raise ValueError(f"the graded cell of {name} must hold exactly one {BEGIN} … {END} region, found {len(regions)}")
    return _REGION.sub(lambda m: f'{m[1]}# YOUR CODE HERE\n{m[1]}raise NotImplementedError("{name}")', source)


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
    """``python -m gdcourse.grading.generate [SOLUTIONS] [EXERCISES]``."""
    args = sys.argv[1:] if argv is None else argv
    for path in generate(*args[:2]):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
