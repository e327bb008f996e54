"""tools/install_cell.py: every lecture opens with the cell that installs gdcourse where it is missing."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("install_cell", ROOT / "tools" / "install_cell.py")
install_cell = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(install_cell)

LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))
URL = install_cell.repository_url()
SOURCE = install_cell.install_source(URL)


def _lecture() -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 01 Title"),
        nbformat.v4.new_code_cell("import gdcourse as gc", execution_count=1),
        nbformat.v4.new_markdown_cell("text"),
    ])


def test_the_cell_goes_before_the_first_code_cell_and_a_second_run_changes_nothing():
    nb = _lecture()
    assert install_cell.with_install_cell(nb, SOURCE) is True
    assert [c.get("id") for c in nb.cells][1] == "install-gdcourse"
    assert [c.source for c in nb.cells][1:3] == [SOURCE, "import gdcourse as gc"]
    before = nbformat.writes(nb)
    assert install_cell.with_install_cell(nb, SOURCE) is False
    assert nbformat.writes(nb) == before


def test_a_stale_or_misplaced_cell_is_rewritten_once_in_front_of_the_code():
    nb = _lecture()
    install_cell.with_install_cell(nb, "%pip install old-url")
    nb.cells.append(nb.cells.pop(1))  # moved to the end by an edit
    assert install_cell.with_install_cell(nb, SOURCE) is True
    assert [c.get("id") for c in nb.cells].count("install-gdcourse") == 1
    assert nb.cells[1].source == SOURCE and nb.cells[2].source == "import gdcourse as gc"


def test_the_cell_installs_from_the_one_repository_url_and_only_when_missing(tmp_path):
    assert URL.startswith("https://github.com/") and URL.count("/") == 4
    assert f'%pip install --quiet "gdcourse @ git+{URL}"' in SOURCE
    # Where gdcourse imports, the cell does nothing (run in an IPython shell, as a kernel runs it).
    code = ("from IPython.core.interactiveshell import InteractiveShell\n"
            "import sys\n"
            f"result = InteractiveShell.instance().run_cell({SOURCE!r})\n"
            "sys.exit(0 if result.success else 1)")
    env = {**os.environ, "IPYTHONDIR": str(tmp_path / "ipython")}  # keep $HOME clean
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert ran.returncode == 0 and "pip" not in ran.stdout.lower(), ran.stdout + ran.stderr
    # Where it does not import, the cell runs `%pip install` from the repository (the magic is recorded).
    code = ("from IPython.core.interactiveshell import InteractiveShell\n"
            "import sys\n"
            "sys.modules['gdcourse'] = None  # `import gdcourse` raises ImportError\n"
            "shell, calls = InteractiveShell.instance(), []\n"
            "shell.register_magic_function(calls.append, 'line', 'pip')\n"
            f"result = shell.run_cell({SOURCE!r})\n"
            "print(calls)\n"
            "sys.exit(0 if result.success else 1)")
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout.strip() == repr([f'install --quiet "gdcourse @ git+{URL}"'])


@pytest.mark.parametrize("notebook", LECTURES, ids=lambda path: path.stem)
def test_every_lecture_opens_with_the_install_cell(notebook):
    nb = nbformat.read(notebook, as_version=4)
    first_code = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert first_code.get("id") == "install-gdcourse" and first_code.source == SOURCE, (
        f"{notebook.name}: run `make install-cells`")
