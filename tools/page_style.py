"""What the course site and the slides change in a lecture before rendering it: hidden sources stay hidden, and
outputs fit the page they are on.

JupyterLab folds the source of a quiz cell (``metadata.jupyter.source_hidden``): that source holds every answer
and its explanation, while the quiz's own output keeps each answer in a ``<details>`` the reader opens.
jupyter-book and nbconvert ignore that flag and printed the source above the quiz; `hide_hidden_sources` gives
such cells the tag ``remove-input`` (jupyter-book) and ``transient.remove_source`` (nbconvert), so the static
pages show the question and its options, and each answer only after a click (no script needed).

A table of code names (lecture 08's course/PyTorch/Keras table) has words such as
``PiecewiseConstantDecay(boundaries=[m`` that no line can break, so the browser made the table wider than the
content column. `breakable_tables` puts a break point (``<wbr>``) inside such words: after ``(``, ``[``, ``_``,
``=``, ``/`` and between a lower- and an upper-case letter; numbers keep their digits together. `CSS` sets
output tables a little smaller, wraps the slides' long lines of code (a slide cannot scroll sideways), and
lets an equation wider than a phone scroll in its own line (inline math too: Sphinx's ``span.math`` is an
inline flex box, so scrolling keeps its baseline). A table that still does not fit scrolls inside its own
output box (jupyter-book and nbconvert give that box ``overflow-x: auto``), never the page.
"""

from __future__ import annotations

import re

import nbformat

CSS = """\
/* tools/page_style.py: output tables and equations fit the content column or scroll in their own box. */
.cell_output table { font-size: .8em; }
.jp-OutputArea-output table { font-size: .7em; }  /* slides: nbconvert sets their type at 20px */
:is(.cell_output, .jp-OutputArea-output) :is(td, th) { padding: .2em .4em; }
mjx-container[display="true"], span.math { overflow-x: auto; overflow-y: hidden; max-width: 100%; }
/* Phones: a lecture's title in the theme's 2.6rem took the whole first screen (lecture 08's, 7 lines). */
@media (max-width: 576px) { .bd-article h1 { font-size: 2rem; } .bd-article h2 { font-size: 1.5rem; } }
/* Slides: a line of code or printed text longer than the slide wraps (the site scrolls it in its box). */
.jp-Cell pre { white-space: pre-wrap; overflow-wrap: anywhere; box-sizing: border-box; }
"""

_CELL_TEXT = re.compile(r"(<t[dh]\b[^>]*>)([^<]+)")
_ENTITY = re.compile(r"(&#?\w+;)")
_BREAK = re.compile(r"(?<=[(\[_=/])(?=[^\s)\]])|(?<=[a-z])(?=[A-Z])")


def breakable(page: str) -> str:
    """`page` (HTML) with a <wbr> at each break point inside the words of its table cells (not inside entities)."""
    def cell(match: re.Match) -> str:
        parts = _ENTITY.split(match[2])
        return match[1] + "".join(p if n % 2 else _BREAK.sub("<wbr>", p) for n, p in enumerate(parts))

    return _CELL_TEXT.sub(cell, page)


def breakable_tables(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """`nb` with `breakable` applied to every HTML output that holds a table (in place; returns `nb`)."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            page = out.get("data", {}).get("text/html")
            if page is not None and "<table" in "".join(page):
                out["data"]["text/html"] = breakable("".join(page))
    return nb


def hide_hidden_sources(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """`nb` with the source of every cell that JupyterLab shows folded removed from the rendered page (in place)."""
    for cell in nb.cells:
        if cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"):
            tags = cell.metadata.setdefault("tags", [])
            tags += [] if "remove-input" in tags else ["remove-input"]
            cell.metadata.setdefault("transient", {})["remove_source"] = True
    return nb
