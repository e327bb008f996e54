"""The course site for students without a kernel: build/html/index.html, built with jupyter-book (Sphinx).

Run:  .venv/bin/python tools/build_html.py [--out DIR] [--frames DIR] [NOTEBOOK ...]
      (`make html` runs it after `make assets` and tools/static_sliders.py; needs the `site` extra)

The pages show each lecture's stored outputs (the notebooks are stored executed; nothing is executed
here), with a sidebar of every lecture, previous/next links, a search box whose index is a local
script (so search works from file:// and from any static host), the theme's phone layout, math
rendered by the MathJax copied into _static/ (tools/assets.py), and a link to download the lecture's
notebook. Output tables and display math fit the content column or scroll in their own box
(tools/page_style.py). Each explore box becomes sliders that move with no kernel
(tools/static_sliders.py: frames computed at build time, read from build/frames/<lecture>/sliders.json);
the quizzes keep their Markdown copy with folded answers, and their source (which holds the answers, and
JupyterLab folds) is left out. Every script, style sheet and font is served from the build
folder: the build needs no network (`unshare --net`) and neither do the pages; `external_urls` finds
any src/href that would load from elsewhere (tests/test_site.py checks the whole output with it).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import assets  # noqa: E402
import page_style  # noqa: E402
import static_sliders  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TITLE = "gdcourse: gradient descent and learning rates"
MAX_PAGE_BYTES = 15_000_000  # a lecture page with its figures and slider frames
_GOALS = re.compile(r"learning goals?|you will learn|by the end of this", re.IGNORECASE)
_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s+(.*)")
# A URL that leaves the site: a scheme (http:, https:, //host) other than the in-page ones.
_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//|^\s*(?!(?:data|javascript|mailto|about|blob):)[a-z][a-z0-9+.-]*:",
                     re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""", re.IGNORECASE)


def summary(nb: nbformat.NotebookNode, fallback_title: str) -> tuple[str, list[str]]:
    """(title, learning goals) of a lecture: its first `# ` heading and the list after "Learning goals"."""
    lines = [line for cell in nb.cells[:4] if cell.cell_type == "markdown" for line in cell.source.splitlines()]
    title = next((line[2:].strip() for line in lines if line.startswith("# ")), fallback_title)
    start = next((n + 1 for n, line in enumerate(lines) if _GOALS.search(line)), len(lines))
    goals = []
    for line in lines[start:]:
        item = _LIST_ITEM.match(line)
        if item:
            goals.append(item.group(1).strip())
        elif goals and line[:1] in (" ", "\t") and line.strip():  # an item continued on the next line
            goals[-1] += " " + line.strip()
        elif line.strip() and goals:  # the list has ended
            break
    return title, goals


class _Resources(HTMLParser):
    """The URLs an HTML page loads (src, srcset, poster, data, <link href>, CSS url()) and those it links to
    (<a href>)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loads: list[str] = []
        self.links: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name in ("src", "poster", "data") or (name == "href" and tag != "a"):
                self.loads.append(value)
            elif name == "srcset":
                self.loads += [part.split()[0] for part in value.split(",") if part.strip()]
            elif name == "style":
                self.loads += _CSS_URL.findall(value)
            elif name == "href":
                self.links.append(value)
        self._in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.loads += _CSS_URL.findall(data)


def external_urls(text: str, css: bool = False, links: bool = False) -> list[str]:
    """The URLs of an HTML page (or, with `css`, a style sheet) that a browser would fetch from another host;
    with `links`, the <a href> that lead to another host instead."""
    if css:
        found = _CSS_URL.findall(text)
    else:
        parser = _Resources()
        parser.feed(text)
        found = parser.links if links else parser.loads
    return sorted({url for url in found if _REMOTE.match(url)})


def download_cell(name: str) -> nbformat.NotebookNode:
    """A Markdown cell linking the page to the notebook it was built from (copied beside the site)."""
    return nbformat.v4.new_markdown_cell(
        f'<p class="gd-download"><a href="notebooks/{html.escape(name)}" download>Download this lecture as a '
        f'notebook ({html.escape(name)})</a> to run it and move the sliders live in JupyterLab.</p>')


def site_notebook(path: Path, frames: Path) -> nbformat.NotebookNode:
    """The lecture at `path` as the site shows it: static sliders, no widget state, no source JupyterLab hides
    (the quizzes' answers), a download link."""
    nb = nbformat.read(path, as_version=4)
    manifest_path = frames / path.stem / "sliders.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else None
    nb = static_sliders.static_notebook(nb, manifest, f"frames/{path.stem}/")
    nb = page_style.hide_hidden_sources(page_style.breakable_tables(nb))
    nb.cells.insert(1, download_cell(path.name))
    return nb


def index_page(entries: list[tuple[str, str, list[str]]]) -> str:
    """The course's front page (MyST Markdown): one entry (notebook, title, goals) per lecture."""
    lines = ["# Course overview", "",
             "Ten lectures, from the derivative as a slope to Adam, learning-rate schedules and random search. "
             "Each page is a lecture as executed on the course's own kernels. The sliders under each "
             "*Try it* move here without a kernel: their figures were computed when this site was built. "
             "To change the code, download a lecture's notebook (link at the top of each page) or clone the "
             "course and run `make lab`.", "", "## Lectures", ""]
    for notebook, title, goals in entries:
        lines.append(f"- [{title}]({notebook})")
        lines += [f"  - {goal}" for goal in goals]
    return "\n".join(lines) + "\n"


def config(title: str) -> str:
    """jupyter-book's _config.yml: stored outputs, local MathJax, frames and notebooks copied as they are."""
    return json.dumps({  # YAML is a superset of JSON
        "title": title, "author": "the gdcourse authors", "copyright": "", "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "parse": {"myst_enable_extensions": ["colon_fence", "dollarmath", "amsmath", "substitution", "tasklist"]},
        "html": {"home_page_in_navbar": True, "use_repository_button": False},
        "sphinx": {"config": {
            # jupyter-book's extensions less thebe (it would load its kernel client from a CDN, and declares
            # its URL twice, a page error), comments and intersphinx (both reach other hosts when set up).
            "extensions": ["sphinx_togglebutton", "sphinx_copybutton", "myst_nb", "jupyter_book",
                           "sphinx_external_toc", "sphinx_design", "sphinx_book_theme"],
            "mathjax_path": "vendor/mathjax/es5/tex-chtml.js",
            "html_static_path": ["_vendor"],
            "html_css_files": ["gdcourse.css"],  # tools/page_style.py
            "html_extra_path": ["_extra"],
            "html_show_copyright": False,
            "html_show_sphinx": False,
            "nb_ipywidgets_js": {},
            "html_theme_options": {"use_download_button": False, "home_page_in_toc": True,
                                   "show_navbar_depth": 1, "search_bar_text": "Search the course…",
                                   "navbar_persistent": []},
        }},
    }, indent=1, ensure_ascii=False)


def prepare(paths: list[Path], src: Path, frames: Path) -> None:
    """Write the jupyter-book source of the site for the lectures at `paths` into `src`."""
    shutil.rmtree(src, ignore_errors=True)
    (src / "_extra" / "notebooks").mkdir(parents=True)
    entries = []
    for path in paths:
        nb = site_notebook(path, frames)
        nbformat.write(nb, src / path.name)
        shutil.copy2(path, src / "_extra" / "notebooks" / path.name)
        if (frames / path.stem).is_dir():
            shutil.copytree(frames / path.stem, src / "_extra" / "frames" / path.stem,
                            ignore=shutil.ignore_patterns("sliders.json"))
        entries.append((path.name, *summary(nb, path.stem)))
    (src / "index.md").write_text(index_page(entries), encoding="utf-8")
    (src / "_toc.yml").write_text(json.dumps({"format": "jb-book", "root": "index", "chapters": [
        {"file": path.stem} for path in paths]}, indent=1), encoding="utf-8")
    (src / "_config.yml").write_text(config(TITLE), encoding="utf-8")
    assets.copy("mathjax", src / "_vendor" / "vendor" / "mathjax")  # not _static: jupyter-book loads every .js there
    (src / "_vendor" / "gdcourse.css").write_text(page_style.CSS, encoding="utf-8")


def build(src: Path, out: Path) -> None:
    """jupyter-book build of `src`, its HTML moved to `out` (replaced)."""
    with tempfile.TemporaryDirectory() as work:
        jb = Path(sys.executable).with_name("jupyter-book")
        result = subprocess.run([str(jb), "build", str(src), "--path-output", work, "--builder", "html", "--quiet"],
                                capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"jupyter-book build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        warnings = [line for line in (result.stdout + result.stderr).splitlines() if "WARNING" in line]
        for line in warnings:
            print(f"  {line}")
        shutil.rmtree(out, ignore_errors=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(Path(work) / "_build" / "html"), out)


def page_weight(out: Path, stem: str) -> int:
    """Bytes a lecture page loads beyond the shared theme and MathJax: its HTML, images and frames."""
    page = (out / f"{stem}.html").read_text(encoding="utf-8")
    images = {m for m in re.findall(r'src="(_images/[^"]+)"', page)}
    frames = out / "frames" / stem
    frame_bytes = sum(p.stat().st_size for p in frames.iterdir() if p.is_file()) if frames.is_dir() else 0
    return len(page.encode()) + sum((out / m).stat().st_size for m in images) + frame_bytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "html")
    parser.add_argument("--frames", type=Path, default=ROOT / "build" / "frames",
                        help="where tools/static_sliders.py wrote the frames")
    parser.add_argument("--src", type=Path, default=ROOT / "build" / "site-src",
                        help="jupyter-book source written here")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    start = time.perf_counter()
    prepare(paths, args.src, args.frames)
    build(args.src, args.out)
    heavy = []
    for path in paths:
        weight = page_weight(args.out, path.stem)
        heavy += [path.stem] if weight > MAX_PAGE_BYTES else []
        print(f"{path.stem + '.html':<40} {weight / 1e6:5.1f} MB with its figures and frames")
    print(f"wrote {len(paths)} lectures and index.html to {args.out} in {time.perf_counter() - start:.1f} s")
    if heavy:
        print(f"over the {MAX_PAGE_BYTES / 1e6:g} MB budget of a lecture page: {', '.join(heavy)} "
              "(lower tools/static_sliders.py --max-frames)", file=sys.stderr)
    return 1 if heavy else 0


if __name__ == "__main__":
    sys.exit(main())
