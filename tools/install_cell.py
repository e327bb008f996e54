"""Give every lecture its install cell: the first code cell installs gdcourse where it is missing.

Run:  .venv/bin/python tools/install_cell.py [--check] [NOTEBOOK ...]     (`make install-cells`;
      default: notebooks/*.ipynb)

In Colab, or any kernel without the course, the lecture's imports would fail; the cell installs the
package from the course's repository first, and does nothing where gdcourse is importable (a local
`make lab`, Binder, a JupyterHub image). The repository URL comes from pyproject.toml's
[project.urls] Source, the one place it is written; `binder_url` and `colab_url` build the launch links
from it (README's links are checked against them; a site builder can import them). The cell has the stable id
`install-gdcourse`; it is inserted before the first code cell, or rewritten in place when it exists, so running
the tool again changes nothing. `--check` writes nothing and exits 1 naming the notebooks whose cell is missing
or stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
CELL_ID = "install-gdcourse"


def repository_url(root: Path = ROOT) -> str:
    """The course's public repository, as pyproject.toml names it."""
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]["Source"]


def binder_url(notebook: str, url: str | None = None) -> str:
    """Binder link that opens `notebook` (a path in the repository) in JupyterLab; branch HEAD."""
    owner_repo = (url or repository_url()).removeprefix("https://github.com/")
    return f"https://mybinder.org/v2/gh/{owner_repo}/HEAD?urlpath=lab/tree/{notebook}"


def colab_url(notebook: str, url: str | None = None) -> str:
    """Colab link that opens `notebook` (a path in the repository) from the main branch."""
    owner_repo = (url or repository_url()).removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{owner_repo}/blob/main/{notebook}"


def install_source(url: str) -> str:
    """The install cell's code for the repository at `url`."""
    return ("# Colab or a kernel without the course: install its helper package (does nothing where it is installed).\n"
            "try:\n"
            "    import gdcourse\n"
            "except ImportError:\n"
            f'    %pip install --quiet "gdcourse @ git+{url}"')


def with_install_cell(notebook: nbformat.NotebookNode, source: str) -> bool:
    """Insert or update the install cell of `notebook` in place; True if it changed."""
    cells = notebook.cells
    existing = [n for n, cell in enumerate(cells) if cell.get("id") == CELL_ID]
    first_code = next((n for n, cell in enumerate(cells) if cell.cell_type == "code" and n not in existing), len(cells))
    if existing == [first_code - 1] and cells[existing[0]].source == source:
        return False
    for n in reversed(existing):
        del cells[n]
    first_code = next((n for n, cell in enumerate(cells) if cell.cell_type == "code"), len(cells))
    cell = nbformat.v4.new_code_cell(source)
    cell.id = CELL_ID
    cells.insert(first_code, cell)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a cell is missing or stale")
    args = parser.parse_args(argv)
    source = install_source(repository_url())
    changed = []
    for path in args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        if with_install_cell(notebook, source):
            changed.append(path)
            if not args.check:
                nbformat.write(notebook, path)
    for path in changed:
        print(f"{'install cell missing or stale' if args.check else 'install cell written'}: {path}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
