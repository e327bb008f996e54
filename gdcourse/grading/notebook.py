"""Read the cells the grader needs, by id and metadata, from a notebook file (never executed).

In ``solutions/``: a graded cell carries ``metadata.gdcourse = {"exercise": name, "points": p}`` and a
stable cell id; a check cell carries ``metadata.gdcourse = {"check": name}``; setup cells are tagged
``setup`` and hold everything the graded cells need (the grader runs the trusted copies from solutions/).
A submission is only searched for the graded cells: by id, or, where no cell has that id (a notebook saved
as nbformat 4.4 has none), by the exercise metadata the graded cell carries; its other cells are ignored.

Files are read defensively: a symlink, a FIFO, a device or a file over ``MAX_BYTES`` is refused without
being opened for reading (``Refused``), and a notebook that is not valid nbformat (a cell whose source
holds non-strings, say) is ``ValueError``.
"""

from __future__ import annotations

import json
import os
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

__all__ = ["GradedCell", "Refused", "read_bytes", "load", "source", "graded_cells", "setup_sources", "cell_by_id",
           "graded_source", "SETUP_TAG", "MAX_BYTES"]

SETUP_TAG = "setup"
MAX_BYTES = 20 * 2**20  # a notebook with its outputs; larger is refused


class Refused(ValueError):
    """A file the grader will not read (symlink, FIFO, device, socket, folder, too large)."""


@dataclass(frozen=True)
class GradedCell:
    """A graded cell of a solution notebook: its id, the function it defines and its points."""

    id: str
    exercise: str
    points: float


def read_bytes(path: str | Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, never following a symlink, never blocking on a FIFO, at most ``limit``."""
    path = Path(path)
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise Refused(f"cannot read {path.name}: {exc.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise Refused(f"{path.name} is a symbolic link")
    if not stat.S_ISREG(info.st_mode):
        raise Refused(f"{path.name} is not a regular file ({_kind(info.st_mode)})")
    if info.st_size > limit:
        raise Refused(f"{path.name} is {info.st_size} bytes, more than {limit}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise Refused(f"cannot read {path.name}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # replaced between the lstat and the open
            raise Refused(f"{path.name} is not a regular file")
        data = f.read(limit + 1)
    if len(data) > limit:
        raise Refused(f"{path.name} is more than {limit} bytes")
    return data


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a file"


def load(path: str | Path) -> dict[str, Any]:
    """The notebook as a validated nbformat-4 dict; ``Refused`` for a file we do not open, ValueError when
    it is not a valid notebook."""
    data = read_bytes(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbformat's warnings about ids it would add
            nb = nbformat.reads(data.decode("utf-8"), as_version=nbformat.NO_CONVERT)
            if nb.get("nbformat") != 4:
                raise ValueError(f"nbformat {nb.get('nbformat')!r}, not 4")
            nbformat.validate(nb)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, nbformat.ValidationError, ValueError,
            TypeError, AttributeError, KeyError) as exc:
        raise ValueError(f"{Path(path).name} is not a valid notebook: {_first_line(exc)}") from None
    return nb


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


def source(cell: dict[str, Any]) -> str:
    """A cell's source as one string (the format allows a string or a list of strings)."""
    text = cell.get("source", "")
    if isinstance(text, str):
        return text
    if isinstance(text, list) and all(isinstance(line, str) for line in text):
        return "".join(text)
    raise ValueError("a cell whose source is neither a string nor a list of strings")


def _meta(cell: Any) -> dict[str, Any]:
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    return meta if isinstance(meta, dict) else {}


def _code_cells(nb: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in nb.get("cells", []) if isinstance(c, dict) and c.get("cell_type") == "code"]


def graded_cells(nb: dict[str, Any]) -> list[GradedCell]:
    """The graded cells of a (trusted) solution notebook, in order."""
    found = []
    for cell in _code_cells(nb):
        info = _meta(cell).get("gdcourse", {})
        if isinstance(info, dict) and "exercise" in info:
            found.append(GradedCell(cell["id"], info["exercise"], float(info["points"])))
    return found


def setup_sources(nb: dict[str, Any]) -> list[str]:
    """The sources of the code cells tagged ``setup``, in order."""
    return [source(cell) for cell in _code_cells(nb) if SETUP_TAG in _meta(cell).get("tags", [])]


def cell_by_id(nb: dict[str, Any], cell_id: str) -> dict[str, Any] | None:
    """The first code cell with this id, or None."""
    return next((cell for cell in _code_cells(nb) if cell.get("id") == cell_id), None)


def graded_source(nb: dict[str, Any], graded: GradedCell) -> str | None:
    """The source of a submission's cell for ``graded``: the code cell with its id, else (no cell has that
    id, e.g. nbformat 4.4 without ids) the first code cell whose metadata names its exercise; None if neither."""
    cell = cell_by_id(nb, graded.id)
    if cell is None:
        cell = next((c for c in _code_cells(nb)
                     if isinstance(_meta(c).get("gdcourse"), dict)
                     and _meta(c)["gdcourse"].get("exercise") == graded.exercise), None)
    return None if cell is None else source(cell)
