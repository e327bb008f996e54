"""One offline build of the course site and slides, shared by tests/test_site.py and tests/test_site_browser.py.

`offline_build()` runs the commands `make html` and `make slides` run (tools/static_sliders.py, then
tools/build_html.py and tools/build_slides.py) inside `unshare --net` with just the loopback up, into
build/test-site/ (replaced): the site and slides of every lecture, the slider frames of lecture 01 only
(computing them runs the lecture; the other lectures' explore boxes then say they need a kernel). It runs
once per test session; the tests then read its output. `skip_reason()` says why it cannot run here (no
unshare or no network namespace allowed, the `site` extra or the `make assets` files missing), or '' when
it can.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LECTURE = ROOT / "notebooks" / "01_gradient_descent.ipynb"
LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))
OUT = ROOT / "build" / "test-site"


def _unshare_prefix() -> list[str]:
    """`unshare --net` (as root), or with a user namespace mapping us to root where we are not."""
    return ["unshare", "--net"] if os.geteuid() == 0 else ["unshare", "--net", "--map-root-user"]


@functools.cache
def skip_reason() -> str:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return "the offline build test needs `unshare` and `ip` (util-linux, iproute2) to remove the network"
    probe = subprocess.run([*_unshare_prefix(), "sh", "-c", "ip link set lo up"], capture_output=True, text=True)
    if probe.returncode:
        return f"cannot create a network namespace here (`unshare --net`: {probe.stderr.strip()[:200]})"
    if importlib.util.find_spec("jupyter_book") is None:
        return "the site needs the `site` extra: run `make assets` (make test does)"
    if not (ROOT / "build" / ".assets" / "mathjax" / ".verified").exists():
        return "the pages' scripts are not fetched yet: run `make assets` (make test does)"
    return ""


@dataclass(frozen=True)
class Build:
    html: Path
    slides: Path
    frames: Path
    log: str


@functools.cache
def offline_build() -> Build:
    """Build every lecture's site and slides (lecture 01's frames) with no network; raises with the log if a
    step fails."""
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    python, lecture = shlex.quote(sys.executable), shlex.quote(str(LECTURE))
    lectures = " ".join(shlex.quote(str(path)) for path in LECTURES)
    html, slides, frames = OUT / "html", OUT / "slides", OUT / "frames"
    steps = [
        f"{python} tools/static_sliders.py --out {shlex.quote(str(frames))} {lecture}",
        f"{python} tools/build_html.py --out {shlex.quote(str(html))} --frames {shlex.quote(str(frames))} "
        f"--src {shlex.quote(str(OUT / 'src'))} {lectures}",
        f"{python} tools/build_slides.py --out {shlex.quote(str(slides))} --frames {shlex.quote(str(frames))} "
        f"{lectures}",
    ]
    env = {**os.environ, "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(OUT / ".mpl"), "IPYTHONDIR": str(OUT / ".ipython"),
           "PYTHONHASHSEED": "0"}
    # `ip route get` fails when no route leaves the namespace: proves the build below ran offline.
    script = "ip link set lo up && ! ip route get 1.1.1.1 >/dev/null 2>&1 && " + " && ".join(steps)
    result = subprocess.run([*_unshare_prefix(), "sh", "-c", script], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=900)
    log = result.stdout + result.stderr
    if result.returncode:
        raise RuntimeError(f"offline build failed ({result.returncode}):\n{log[-4000:]}")
    return Build(html, slides, frames, log)
