"""Lint is part of the suite: `ruff check` (pyproject's [tool.ruff], line length 120) finds nothing in the course.

It runs from the root over every tracked .py and .ipynb (`make lint` runs the same command); a finding fails the
test with ruff's report, file:line:column and rule, in the message. ruff is pinned in the `test` extra.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent


def ruff_check(*paths: str | Path) -> subprocess.CompletedProcess:
    """`ruff check` from the root with the course's configuration, no cache written into the tree."""
    command = [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", *map(str, paths)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing_in_the_course():
    result = ruff_check()
    if result.returncode != 0 or "All checks passed!" not in result.stdout:
        pytest.fail(f"ruff check (make lint) reports:\n{result.stdout}{result.stderr}", pytrace=False)


def test_a_lecture_line_over_120_fails_and_notebook_idioms_pass(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("%matplotlib inline\nimport numpy as np\n\nx = np.arange(3)\nx"),
                nbformat.v4.new_code_cell("import gdcourse as gc\n\ngc"),
                nbformat.v4.new_code_cell(f'label = "{"α" * 111}"')]  # 9 + 111 + 1 = 121 characters
    path = tmp_path / "lecture.ipynb"
    nbformat.write(nb, path)
    result = ruff_check("--config", ROOT / "pyproject.toml", path)
    findings = [line for line in result.stdout.splitlines() if line.startswith(str(path))]
    assert result.returncode == 1 and len(findings) == 1, result.stdout + result.stderr
    assert "cell 3:1:121: E501 Line too long (121 > 120)" in findings[0]
