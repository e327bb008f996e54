"""The command line of the tools that rewrite notebooks in place (install_cell.py, slides.py,
strip_widget_state.py):  TOOL [NOTEBOOK ...] [--check]

Each notebook the tool would change is rewritten, or with ``--check`` only named, one line per notebook;
the exit status is 1 when ``--check`` found a notebook to change, else 0.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parent.parent
LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))


def edit_in_place(path: Path, edit: Callable[[Any], bool], check: bool) -> bool:
    """Apply ``edit`` (True when it changed something) to the notebook at ``path``, read as stored (nbformat,
    no conversion), and write it back unless ``check``. Whether the notebook needed the edit."""
    notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    if not edit(notebook):
        return False
    if not check:
        nbformat.write(notebook, path)
    return True


def main(argv: list[str] | None, doc: str, change: Callable[[Path, bool], bool], *, found: str, done: str,
         check_help: str, default: list[Path] | None = LECTURES) -> int:
    """Parse ``[NOTEBOOK ...] [--check]`` (no notebook: ``default``, or an error when it is None), call
    ``change(path, check)`` for each, and print ``found`` (under --check) or ``done`` for those it changed."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    if default is None:
        parser.add_argument("notebooks", nargs="+", type=Path)
    else:
        parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--check", action="store_true", help=f"write nothing; exit 1 if {check_help}")
    args = parser.parse_args(argv)
    changed = [path for path in args.notebooks or default if change(path, args.check)]
    for path in changed:
        print(f"{found if args.check else done}: {path}")
    return 1 if args.check and changed else 0
