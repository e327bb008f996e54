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

import sys
from pathlib import Path

import nbformat

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/: found also when a test loads this file by path
import notebook_cli  # noqa: E402

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
    source = install_source(repository_url())

    def add_cell(path: Path, check: bool) -> bool:
        return notebook_cli.edit_in_place(path, lambda notebook: with_install_cell(notebook, source), check)

    return notebook_cli.main(argv, __doc__, add_cell, found="install cell missing or stale",
                             done="install cell written", check_help="a cell is missing or stale")


if __name__ == "__main__":
    sys.exit(main())
