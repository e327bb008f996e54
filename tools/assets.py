"""The scripts, style sheets and fonts the built pages load, fetched once and served from the build folder.

Run:  .venv/bin/python tools/assets.py [--cache DIR]        (`make assets`; `make html` and `make slides` need it)

tools/assets.json pins each npm package (version and the sha512 `integrity` the registry publishes)
and the paths of it the pages use. This set-up step runs `npm pack NAME@VERSION` once per package into
build/.assets/ (the only step that uses the network), checks the tarball's sha512 against the pin,
and unpacks the kept paths into build/.assets/NAME/. The builds (tools/build_html.py,
tools/build_slides.py) then copy from there and run with no network at all (`unshare --net`). A
tarball whose hash differs from the pin is deleted and the step fails, naming the package.
"""

from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PINS = Path(__file__).with_name("assets.json")
CACHE = ROOT / "build" / ".assets"


def pins() -> dict[str, dict]:
    """Package name -> {version, integrity, keep} from tools/assets.json."""
    return {name: pin for name, pin in json.loads(PINS.read_text(encoding="utf-8")).items() if not name.startswith("_")}


def integrity(path: Path) -> str:
    """npm's `integrity` string of a file: sha512-<base64 digest>."""
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def kept(member: str, keep: list[str]) -> bool:
    """Whether a tarball path (package/...) matches a `keep` pattern (fnmatch) or lies in a kept folder."""
    path = member.removeprefix("package/")
    return any(path.startswith(k) if k.endswith("/") else fnmatch.fnmatchcase(path, k) for k in keep)


def folder(name: str, cache: Path = CACHE) -> Path:
    """Where the kept files of package `name` are unpacked (fails if `fetch` has not run)."""
    path = cache / name.replace("/", "+")
    if not (path / ".verified").exists():
        raise FileNotFoundError(f"{path} is missing: run `make assets` (tools/assets.py) once, with network")
    return path


def fetch(name: str, pin: dict, cache: Path = CACHE) -> Path:
    """Pack, verify and unpack one pinned package (nothing to do when it is there already)."""
    target = cache / name.replace("/", "+")
    stamp = target / ".verified"
    record = json.dumps({"integrity": pin["integrity"], "keep": pin["keep"]})
    if stamp.exists() and stamp.read_text() == record:
        return target
    cache.mkdir(parents=True, exist_ok=True)
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed (Debian: apt-get install npm); it fetches the pages' scripts once")
    env = {**os.environ, "npm_config_cache": str(cache / ".npm-cache")}  # not under $HOME
    out = subprocess.run([npm, "pack", f"{name}@{pin['version']}", "--json", "--pack-destination", str(cache)],
                         cwd=cache, check=True, capture_output=True, text=True, env=env).stdout
    tarball = cache / json.loads(out)[0]["filename"]
    got = integrity(tarball)
    if got != pin["integrity"]:
        tarball.unlink()
        raise RuntimeError(f"{name}@{pin['version']}: sha512 {got} differs from the pin {pin['integrity']} in {PINS}")
    shutil.rmtree(target, ignore_errors=True)
    with tarfile.open(tarball) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and kept(m.name, pin["keep"])]
        missing = [k for k in pin["keep"] if not any(kept(m.name, [k]) for m in members)]
        if missing:
            raise RuntimeError(f"{name}@{pin['version']} has no {missing} (tools/assets.json `keep`)")
        for member in members:
            dest = target / member.name.removeprefix("package/")
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(tar.extractfile(member).read())
    tarball.unlink()
    stamp.write_text(record)
    return target


def copy(name: str, dest: Path, cache: Path = CACHE) -> Path:
    """Copy the kept files of package `name` to `dest` (replacing it); returns `dest`."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(folder(name, cache), dest, ignore=shutil.ignore_patterns(".verified"))
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args(argv)
    for name, pin in pins().items():
        path = fetch(name, pin, args.cache)
        size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        print(f"{name}@{pin['version']}: sha512 verified, {size / 1e6:.1f} MB in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
