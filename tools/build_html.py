"""Render the lectures to a static site for students without a kernel: build/html/.

Run:  .venv/bin/python tools/build_html.py [--out DIR] [--no-execute] [NOTEBOOK ...]
      (default: every notebooks/*.ipynb into build/html/; `make html` runs this)

Each lecture is executed afresh (nbclient, in a temp copy of its folder, so nothing in the repository
is rewritten) and rendered by nbconvert's HTML exporter: figures and markdown images are embedded in
the page, and the widgets' state (which nbclient records while executing) is embedded too, so every
slider shows its first figure. Moving a slider needs a kernel: the page says so. `index.html` lists the
lectures with the title and learning goals read from their first cells, and links between lectures
(`02_x.ipynb`) point to the pages (`02_x.html`).

The pages load MathJax, require.js and @jupyter-widgets/html-manager from public CDNs when viewed; offline,
math shows as TeX and widgets as their text (TOOLING.md says how to serve both beside the pages).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune

ROOT = Path(__file__).resolve().parent.parent
_GOALS = re.compile(r"learning goals?|you will learn|by the end of this", re.IGNORECASE)
_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s+(.*)")
_LOCAL_NOTEBOOK_LINK = re.compile(r'href="(?![a-z][a-z0-9+.-]*:)([^"#]*?)\.ipynb(#[^"]*)?"', re.IGNORECASE)


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


def execute(path: Path, timeout: int = 60) -> nbformat.NotebookNode:
    """The notebook at `path` executed in a temp copy of its folder, widget state recorded."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / path.parent.name
        shutil.copytree(path.parent, folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        for attempt in (1, 2):
            nb = nbformat.read(folder / path.name, as_version=4)
            client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                    resources={"metadata": {"path": str(folder)}})
            try:
                return client.execute()
            except CellTimeoutError:  # ipykernel 7.4 sometimes stalls on an interact cell (TOOLING.md)
                if attempt == 2:
                    raise
                print(f"  {path.name}: a cell timed out, executing once more", flush=True)
    raise AssertionError("unreachable")


def render(nb: nbformat.NotebookNode, path: Path) -> str:
    """nbconvert's HTML page of `nb` with embedded images and links to sibling lectures as .html."""
    exporter = HTMLExporter(embed_images=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"path": str(path.parent), "name": path.stem}})
    return _LOCAL_NOTEBOOK_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)


def index_page(entries: list[tuple[str, str, list[str]]]) -> str:
    """The course's front page: one entry (page, title, goals) per lecture."""
    items = []
    for page, title, goals in entries:
        goal_list = "".join(f"<li>{markdown2html_mistune(goal).strip().removeprefix('<p>').removesuffix('</p>')}</li>"
                            for goal in goals)
        items.append(f'<li><a href="{html.escape(page)}">{html.escape(title)}</a>'
                     + (f"<ul class=\"goals\">{goal_list}</ul>" if goals else "") + "</li>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>gdcourse: gradient descent, lecture by lecture</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script src="{HTMLExporter().mathjax_url}"></script>
<style>body{{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
.lectures{{list-style:none;padding:0}} .lectures>li{{margin-bottom:1rem}} .lectures>li>a{{font-size:1.15rem;font-weight:600}} .goals{{color:#333}}</style>
</head><body>
<h1>gdcourse: gradient descent, lecture by lecture</h1>
<p>Each page is a lecture as executed on the course's kernels, with its figures. The sliders show their
first figure only: to move them, open the notebook in JupyterLab (<code>make lab</code>).</p>
<ul class="lectures">
{chr(10).join(items)}
</ul>
</body></html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "html")
    parser.add_argument("--no-execute", action="store_true", help="render the stored outputs as they are")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    args.out.mkdir(parents=True, exist_ok=True)
    entries = []
    for path in paths:
        start = time.perf_counter()
        nb = nbformat.read(path, as_version=4) if args.no_execute else execute(path)
        page = f"{path.stem}.html"
        (args.out / page).write_text(render(nb, path), encoding="utf-8")
        entries.append((page, *summary(nb, path.stem)))
        print(f"{page:<40} {'rendered' if args.no_execute else 'executed and rendered'} in "
              f"{time.perf_counter() - start:.1f} s", flush=True)
    (args.out / "index.html").write_text(index_page(entries), encoding="utf-8")
    print(f"wrote {len(entries)} lectures and index.html to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
