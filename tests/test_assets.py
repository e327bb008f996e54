"""tools/assets.py: the pages' npm files are pinned, hash-checked, and only the kept paths are unpacked."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("assets", ROOT / "tools" / "assets.py")
assets = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(assets)


def test_every_package_is_pinned_to_a_version_and_a_sha512():
    pins = assets.pins()
    assert set(pins) == {"mathjax", "reveal.js", "requirejs", "jquery", "@jupyter-widgets/html-manager"}
    for name, pin in pins.items():
        assert all(part.isdigit() for part in pin["version"].split(".")), name  # exact, no range
        assert len(base64.b64decode(pin["integrity"].removeprefix("sha512-"))) == 64, name
        assert pin["keep"], name


@pytest.mark.parametrize("member, expected", [
    ("package/es5/tex-chtml.js", True),
    ("package/es5/tex-chtml-full.js", False),
    ("package/es5/input/tex/extensions/ams.js", True),
    ("package/dist/a1b2.woff2", True),
    ("package/dist/embed.js.map", False),
    ("package/dist/sub/x.woff2", True),  # fnmatch: * also matches across /
])
def test_kept_paths(member, expected):
    keep = ["es5/tex-chtml.js", "es5/input/tex/extensions/", "dist/*.woff2"]
    assert assets.kept(member, keep) is expected


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _fake_npm(monkeypatch, data: bytes):
    def run(cmd, cwd, **kwargs):
        (Path(cwd) / "pkg-1.0.0.tgz").write_bytes(data)
        return subprocess.CompletedProcess(cmd, 0, stdout=json.dumps([{"filename": "pkg-1.0.0.tgz"}]))
    monkeypatch.setattr(assets.subprocess, "run", run)
    monkeypatch.setattr(assets.shutil, "which", lambda name: "/usr/bin/npm")


def test_fetch_unpacks_only_the_kept_files_of_a_verified_tarball(tmp_path, monkeypatch):
    data = _tarball({"dist/app.js": b"app", "dist/app.js.map": b"map", "LICENSE": b"MIT"})
    _fake_npm(monkeypatch, data)
    pin = {"version": "1.0.0", "integrity": "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode(),
           "keep": ["LICENSE", "dist/*.js"]}
    folder = assets.fetch("pkg", pin, tmp_path)
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.name != ".verified") == [
        "LICENSE", "dist", "dist/app.js"]
    assert not (tmp_path / "pkg-1.0.0.tgz").exists()
    copied = assets.copy("pkg", tmp_path / "site" / "vendor", tmp_path)
    assert (copied / "dist" / "app.js").read_bytes() == b"app" and not (copied / ".verified").exists()


def test_a_tarball_that_differs_from_its_pin_is_refused_and_deleted(tmp_path, monkeypatch):
    _fake_npm(monkeypatch, _tarball({"dist/app.js": b"tampered"}))
    pin = {"version": "1.0.0", "integrity": "sha512-" + base64.b64encode(b"\0" * 64).decode(), "keep": ["dist/app.js"]}
    with pytest.raises(RuntimeError, match=r"pkg@1\.0\.0: sha512 .* differs from the pin"):
        assets.fetch("pkg", pin, tmp_path)
    assert not (tmp_path / "pkg-1.0.0.tgz").exists() and not (tmp_path / "pkg").exists()
    with pytest.raises(FileNotFoundError, match="run `make assets`"):
        assets.folder("pkg", tmp_path)
