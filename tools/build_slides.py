"""The lectures as reveal.js slides that work with no network: build/slides/NN_topic.slides.html.

Run:  .venv/bin/python tools/build_slides.py [--out DIR] [--frames DIR] [NOTEBOOK ...]
      (`make slides` runs it after `make assets` and tools/static_sliders.py)

nbconvert's SlidesExporter renders each lecture's stored outputs (slide types from tools/slides.py)
with reveal.js, require.js, jQuery, the widget HTML manager and MathJax 3 all copied into DIR/vendor/
from build/.assets/ (tools/assets.py: pinned, hash-checked), and the template in
tools/templates/gdcourse-reveal (MathJax 3 configured locally, no mermaid module from a CDN). As on the
course site, each explore box becomes sliders whose frames were computed at build time
(tools/static_sliders.py), so a slider moves its figure during the talk with no kernel; for live
sliders present from JupyterLab. Output tables fit the slide or scroll in their own box, and a source that
JupyterLab hides (a quiz's, which holds its answers) is left out (tools/page_style.py).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import assets  # noqa: E402
import page_style  # noqa: E402
import static_sliders  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates"
VENDOR = {  # package -> folder under DIR/vendor/
    "reveal.js": "reveal.js", "requirejs": "requirejs", "jquery": "jquery",
    "@jupyter-widgets/html-manager": "html-manager", "mathjax": "mathjax",
}


def exporter() -> SlidesExporter:
    """The SlidesExporter with every URL it writes pointing into vendor/ beside the slides."""
    return SlidesExporter(
        extra_template_basedirs=[str(TEMPLATES)], template_name="gdcourse-reveal",
        reveal_url_prefix="vendor/reveal.js", reveal_scroll=True, reveal_theme="white",
        require_js_url="vendor/requirejs/require.js", jquery_url="vendor/jquery/dist/jquery.min.js",
        widget_renderer_url="vendor/html-manager/dist/embed-amd.js",
        mathjax_url="vendor/mathjax/es5/tex-chtml.js")


def slides(path: Path, out: Path, frames: Path) -> Path:
    """Write the slides of the lecture at `path` (and its frames) into `out`; returns the page."""
    manifest_path = frames / path.stem / "sliders.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else None
    nb = static_sliders.static_notebook(nbformat.read(path, as_version=4), manifest, f"frames/{path.stem}/")
    resources = {"metadata": {"name": path.stem, "path": str(path.parent)}, "gdcourse_css": page_style.CSS}
    nb = page_style.hide_hidden_sources(page_style.breakable_tables(nb))
    body, _ = exporter().from_notebook_node(nb, resources=resources)
    page = out / f"{path.stem}.slides.html"
    page.write_text(body, encoding="utf-8")
    shutil.rmtree(out / "frames" / path.stem, ignore_errors=True)
    if (frames / path.stem).is_dir():
        shutil.copytree(frames / path.stem, out / "frames" / path.stem, ignore=shutil.ignore_patterns("sliders.json"))
    return page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "slides")
    parser.add_argument("--frames", type=Path, default=ROOT / "build" / "frames",
                        help="where tools/static_sliders.py wrote the frames")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    args.out.mkdir(parents=True, exist_ok=True)
    for package, name in VENDOR.items():
        assets.copy(package, args.out / "vendor" / name)
    for path in paths:
        start = time.perf_counter()
        page = slides(path, args.out, args.frames)
        print(f"{page.name:<45} {time.perf_counter() - start:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
