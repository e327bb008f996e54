"""The set-up files agree with each other, so conda/Binder users get the pip environment."""

from __future__ import annotations

import re
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10: pytest brings tomli
    import tomli as tomllib

import gdcourse

ROOT = Path(__file__).resolve().parents[1]


def _requirement(text: str) -> tuple[str, str]:
    """'numpy>=1.26' -> ('numpy', '>=1.26'), names normalised as pip does."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", text)
    assert match, f"cannot read requirement {text!r}"
    return re.sub(r"[-_.]+", "-", match[1]).lower(), match[2].replace(" ", "")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _conda_dependencies() -> dict[str, str]:
    """Top-level `- name spec` entries under `dependencies:` in environment.yml (not the pip list)."""
    block = (ROOT / "environment.yml").read_text().split("\ndependencies:\n", 1)[1]
    deps = {}
    for line in block.splitlines():
        match = re.fullmatch(r"  - ([A-Za-z0-9_.\-]+)(=[^=<>]+|[<>=!]=?[^:]+)?", line)
        if match:
            spec = match[2] or ""
            deps[_requirement(match[1])[0]] = "==" + spec[1:] if re.fullmatch(r"=[^=].*", spec) else spec
    return deps


def test_environment_yml_names_the_same_dependencies_as_pyproject():
    project = _pyproject()["project"]
    wanted = dict(_requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"])
    conda = _conda_dependencies()
    conda.pop("python"), conda.pop("pip")
    # Playwright drives a browser for the browser suite only; conda users install it on demand.
    wanted.pop("playwright")
    assert conda == wanted


def test_environment_yml_installs_the_local_package_with_pip():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^  - pip:\n      - -e \.$", text, flags=re.M)
    assert re.search(r"^name: gdcourse$", text, flags=re.M)
    assert re.search(r"^  - python=3\.11$", text, flags=re.M)


def test_constraints_pin_every_runtime_dependency():
    pins = dict(
        _requirement(line.replace("==", " ==", 1))
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    for requirement in _pyproject()["project"]["dependencies"]:
        name, _ = _requirement(requirement)
        assert pins.get(name, "").startswith("=="), f"{name} is not pinned in constraints.txt"


def test_every_public_name_is_documented():
    missing = [
        name
        for name in dir(gdcourse)
        if not name.startswith("_")
        and callable(getattr(gdcourse, name))
        and not (getattr(gdcourse, name).__doc__ or "").strip()
    ]
    assert missing == []
