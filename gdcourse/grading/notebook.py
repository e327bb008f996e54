"""Read the cells the grader needs, by id and metadata, from a notebook file (plain JSON, never executed).

In ``solutions/``: a graded cell carries ``metadata.gdcourse = {"exercise": name, "points": p}`` and a
stable cell id; a check cell carries ``metadata.gdcourse = {"check": name}``; setup cells are tagged
``setup`` and hold everything the graded cells need (the grader runs the trusted copies from solutions/).
A submission is only searched for the graded cells' ids: its metadata, tags and other cells are ignored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["GradedCell", "load", "source", "graded_cells", "setup_sources", "cell_by_id", "SETUP_TAG"]

SETUP_TAG = "setup"


@dataclass(frozen=True)
class GradedCell:
    """A graded cell of a solution notebook: its id, the function it defines and its points."""

    id: str
    exercise: str
    points: float


def load(path: str | Path) -> dict[str, Any]:
    """The notebook as a dict; ValueError when the file is not a notebook."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError(f"{path} is not a notebook (no list of cells)")
    return nb


def source(cell: dict[str, Any]) -> str:
    """A cell's source as one string (the format allows a string or a list of lines)."""
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else str(text)


def _meta(cell: dict[str, Any]) -> dict[str, Any]:
    meta = cell.get("metadata")
    return meta if isinstance(meta, dict) else {}


def graded_cells(nb: dict[str, Any]) -> list[GradedCell]:
    """The graded cells of a (trusted) solution notebook, in order."""
    found = []
    for cell in nb["cells"]:
        info = _meta(cell).get("gdcourse", {})
        if cell.get("cell_type") == "code" and "exercise" in info:
            found.append(GradedCell(cell["id"], info["exercise"], float(info["points"])))
    return found


def setup_sources(nb: dict[str, Any]) -> list[str]:
    """The sources of the code cells tagged ``setup``, in order."""
    return [
        source(cell)
        for cell in nb["cells"]
        if cell.get("cell_type") == "code" and SETUP_TAG in _meta(cell).get("tags", [])
    ]


def cell_by_id(nb: dict[str, Any], cell_id: str) -> dict[str, Any] | None:
    """The first code cell with this id, or None."""
    for cell in nb["cells"]:
        if isinstance(cell, dict) and cell.get("id") == cell_id and cell.get("cell_type") == "code":
            return cell
    return None
