"""The set-up files agree with each other, so conda/Binder users get the pip environment."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

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


def _requirements(*extras: str) -> dict[str, str]:
    """The base dependencies plus those of `extras`, as {name: specifier}."""
    project = _pyproject()["project"]
    lines = project["dependencies"] + [r for extra in extras for r in project["optional-dependencies"][extra]]
    return dict(_requirement(line) for line in lines)


def test_environment_yml_names_the_same_dependencies_as_pyproject():
    # Binder builds from environment.yml: the kernel packages, Lab, live slides, the test tools, numba (fast).
    wanted = _requirements("lab", "present", "test", "fast")
    conda = _conda_dependencies()
    conda.pop("python"), conda.pop("pip")
    # Playwright drives a browser for the browser suite only; conda users install it on demand.
    wanted.pop("playwright")
    assert conda == wanted


def test_environment_yml_installs_the_local_package_with_pip():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^  - pip:\n      - \.$", text, flags=re.M)  # not -e: data-files (Lab defaults) install
    assert re.search(r"^name: gdcourse$", text, flags=re.M)
    assert re.search(r"^  - python=3\.11$", text, flags=re.M)


def test_constraints_pin_every_runtime_dependency():
    pins = dict(
        _requirement(line.replace("==", " ==", 1))
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    for name in _requirements("lab", "present", "test", "fast"):
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


FRONT_ENDS = ("jupyterlab", "jupyter-server", "notebook", "jupyterlab-deck", "jupyterlab-rise")


def test_the_package_needs_no_jupyterlab():
    """Colab, Binder and JupyterLite kernels install the package: JupyterLab is the `lab` extra only."""
    base = _requirements()
    # nbformat: the grader reads notebooks
    assert set(base) == {"numpy", "matplotlib", "ipywidgets", "pandas", "nbformat"}
    assert "jupyterlab" in _requirements("lab") and "jupyterlab-deck" in _requirements("present")


def test_importing_the_package_loads_no_front_end():
    code = ("import json, sys, gdcourse, gdcourse.widgets, gdcourse.plots, gdcourse.grading\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                       cwd=ROOT).stdout)
    assert not {"jupyterlab", "jupyter_server", "nbconvert", "notebook"} & set(loaded)


@pytest.mark.slow
def test_pip_install_without_extras_pulls_no_jupyterlab(tmp_path):
    """What `pip install gdcourse` would install into an empty environment (resolved, not installed: ~15 s)."""
    report = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
         "--disable-pip-version-check", "-c", str(ROOT / "constraints.txt"), "--report", str(report), str(ROOT)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    names = {_requirement(item["metadata"]["name"])[0] for item in json.loads(report.read_text())["install"]}
    assert {"gdcourse", "numpy", "matplotlib", "ipywidgets", "pandas"} <= names
    assert not names & set(FRONT_ENDS), sorted(names & set(FRONT_ENDS))


def _source_url() -> str:
    return _pyproject()["project"]["urls"]["Source"]


def test_citation_cff_is_valid_cff_1_2_0():
    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):  # required by the CFF 1.2.0 schema
        assert cff.get(key), f"CITATION.cff lacks {key}"
    assert all(author.get("name") or author.get("family-names") for author in cff["authors"])
    assert cff["type"] in ("software", "dataset")
    assert cff["version"] == _pyproject()["project"]["version"]
    assert cff["license"] == ["MIT", "CC-BY-4.0"]
    assert cff["repository-code"] == _source_url()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(cff["date-released"]))
    assert set(cff) <= {"cff-version", "message", "type", "title", "abstract", "authors", "version",
                        "date-released", "license", "repository-code", "url", "keywords", "doi"}


def test_code_is_mit_and_content_is_cc_by_4_0():
    assert _pyproject()["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n\nCopyright (c) ")
    legal = (ROOT / "LICENSES" / "CC-BY-4.0.txt").read_text(encoding="utf-8")
    assert legal.startswith("Creative Commons Attribution 4.0 International") and len(legal) > 15_000
    notice = (ROOT / "LICENSE-content.md").read_text(encoding="utf-8")
    assert "CC-BY-4.0" in notice and "LICENSES/CC-BY-4.0.txt" in notice
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "LICENSE-content.md" in readme and "(LICENSE)" in readme


def test_readme_binder_colab_and_hub_links_use_the_one_repository_url():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    owner_repo = _source_url().removeprefix("https://github.com/")
    binder = re.findall(r"https://mybinder\.org/v2/gh/([^/?\s)]+/[^/?\s)]+)/", readme)
    colab = re.findall(r"https://colab\.research\.google\.com/github/([^/\s)]+/[^/\s)]+)/blob/", readme)
    pulls = re.findall(r"git-pull\?repo=([^&\s)]+)", readme)
    assert binder and colab and pulls, "README needs Binder, Colab and nbgitpuller links"
    assert set(binder) == set(colab) == {owner_repo}
    assert set(pulls) == {_source_url().replace(":", "%3A").replace("/", "%2F")}
    lectures = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    linked = set(re.findall(r"notebooks(?:/|%2F)(\d\d_\w+\.ipynb)", readme))
    assert linked and linked <= lectures
    links = _tool("install_cell")
    assert links.binder_url("notebooks/01_gradient_descent.ipynb") in readme
    assert links.colab_url("notebooks/01_gradient_descent.ipynb") in readme


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_course_lab_defaults_ship_with_the_package_and_the_venv():
    """jupyterlab-deck needs `scrollPastEnd` off (else a slide shows scrolled half out of view)."""
    settings = json.loads((ROOT / "jupyter-config" / "gdcourse.json").read_text())
    assert settings["@jupyterlab/notebook-extension:tracker"]["scrollPastEnd"] is False
    data_files = _pyproject()["tool"]["setuptools"]["data-files"]
    assert data_files == {"share/jupyter/lab/settings/overrides.d": ["jupyter-config/gdcourse.json"]}
    assert "cp jupyter-config/gdcourse.json $(LAB_OVERRIDES)" in (ROOT / "Makefile").read_text()


def test_floors_are_versions_the_lectures_print_the_same_numbers_with():
    """numpy 2.2 changes digits that lecture 10 compares and numpy 1.26 cannot import the pinned pandas:
    the floors are numpy 2.3 (which needs Python 3.11) and the first pandas and matplotlib built for numpy 2."""
    base = _requirements()
    floor = {name: tuple(int(p) for p in spec.removeprefix(">=").split(".")) for name, spec in base.items()
             if name in ("numpy", "pandas", "matplotlib")}
    assert floor["numpy"] >= (2, 3) and floor["pandas"] >= (2, 2, 2) and floor["matplotlib"] >= (3, 9)
    assert _pyproject()["project"]["requires-python"] == ">=3.11"
