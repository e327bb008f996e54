"""Give every cell of the lectures its slide type, so each lecture presents as slides.

Run:  .venv/bin/python tools/slides.py [--check] [NOTEBOOK ...]     (default: notebooks/*.ipynb)

The rule (the headings of a lecture are its slides; change a heading to change the slides):
- a markdown cell whose first line is a level-1 or level-2 heading (`# ...`, `## ...`) → "slide"
- a markdown cell whose first line is a level-3 heading (`### ...`)                     → "subslide"
- any other markdown cell that follows a code cell                                    → "subslide"
- every other cell (code, text that follows text)                                     → "-" (same slide:
  written as no slide type, nbformat's default, since jupyterlab-deck hides cells marked "-")
So a section is one horizontal slide and each "text, then its code and figure" step below it is one
vertical subslide that fits a screen.

Only `metadata.slideshow` of each cell is written: sources, outputs, ids, tags and every other
metadata stay byte for byte as they were (the JSON is read and written as nbformat writes it), and a
notebook that already follows the rule is not rewritten. `--check` writes nothing and exits 1 listing
the notebooks that do not follow the rule. Slides: `make slides` (reveal.js via nbconvert) or live in
JupyterLab with jupyterlab-deck (`pip install -e ".[present]"`).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/: found also when a test loads this file by path
import notebook_cli  # noqa: E402

_HEADING = re.compile(r"(#{1,6})[ \t]")


def slide_type(cell: dict, previous: dict | None = None) -> str:
    """The slide type the rule gives a cell (nbformat JSON) that comes after the cell `previous`."""
    if cell.get("cell_type") != "markdown":
        return "-"
    source = cell.get("source", "")
    text = "".join(source) if isinstance(source, list) else source
    heading = _HEADING.match(text.lstrip("\n").split("\n", 1)[0].lstrip(" "))
    level = len(heading.group(1)) if heading else 0
    if level in (1, 2):
        return "slide"
    if level == 3 or (previous or {}).get("cell_type") == "code":
        return "subslide"
    return "-"


def slide_types(cells: list[dict]) -> list[str]:
    """The slide type of every cell of a notebook, in order."""
    return [slide_type(cell, previous) for previous, cell in zip([None, *cells], cells)]


def _dumps(notebook: dict) -> str:
    """JSON text exactly as nbformat (and so Jupyter) writes a notebook."""
    return json.dumps(notebook, sort_keys=True, indent=1, ensure_ascii=False, separators=(",", ": ")) + "\n"


def _with_slide_type(cell: dict, kind: str) -> dict:
    """`cell` with `metadata.slideshow.slide_type` = kind; "-" (same slide) is nbformat's default, so it is
    left unset: jupyterlab-deck 0.2 shows no cell whose slide type is an explicit "-"."""
    metadata = {key: value for key, value in cell.get("metadata", {}).items() if key != "slideshow"}
    slideshow = {key: value for key, value in cell.get("metadata", {}).get("slideshow", {}).items()
                 if key != "slide_type"}
    if kind != "-":
        slideshow["slide_type"] = kind
    return {**cell, "metadata": {**metadata, "slideshow": slideshow} if slideshow else metadata}


def slide_type_of(cell: dict) -> str:
    """The slide type a cell has (nbformat: none set means "-")."""
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def with_slides(notebook: dict) -> dict:
    """A copy of `notebook` whose every cell has the slide type the rule gives it."""
    cells = [_with_slide_type(cell, kind) for cell, kind in zip(notebook["cells"], slide_types(notebook["cells"]))]
    return {**notebook, "cells": cells}


def apply(path: Path, check: bool = False) -> bool:
    """Set the slide types of the notebook at `path` (unless `check`); True if it did not follow the rule."""
    text = path.read_text(encoding="utf-8")
    notebook = json.loads(text)
    updated = with_slides(notebook)
    changed = updated != notebook
    if changed and not check:
        path.write_text(_dumps(updated), encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    return notebook_cli.main(argv, __doc__, apply, found="needs slide metadata",
                             done="slide metadata set", check_help="a notebook needs changes")


if __name__ == "__main__":
    sys.exit(main())
