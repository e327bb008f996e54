"""Every lecture in a real JupyterLab in headless Chromium: runs clean, widgets render, sliders redraw,
and the same holds when the instructor presents it as slides.

nbval proves the cells run; this proves what a student sees: no traceback, no "Error displaying widget",
and an α (and β) slider that, moved with the keyboard, redraws the figure under it. Then the lecture is
presented with jupyterlab-deck (the `present` extra): the first slider's slide shows, with its widgets
rendered (not their text form, as jupyterlab-rise shows them), and moving the slider there redraws the
figure. Screenshots of each lecture (NN_topic.png, and NN_topic-slides.png) go to build/screenshots/. Skipped,
with the fix in the reason, when Chromium or Playwright is missing. One Lab server per session over a temp copy
of notebooks/; always shut down.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
_ENABLE = ("to enable it run `make browser-deps` (apt-get install chromium; playwright comes with "
           "`make venv`), or point CHROMIUM= at a Chromium binary")
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"browser suite needs Chromium, none at {CHROMIUM}: {_ENABLE}", allow_module_level=True)
if importlib.util.find_spec("playwright") is None:
    pytest.skip(f"browser suite needs playwright, not installed: {_ENABLE}", allow_module_level=True)

from browser_support import LabServer, LecturePage, LecturePages  # noqa: E402  (imports playwright)
from playwright.sync_api import sync_playwright  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))
SCREENSHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(scope="module")  # module: the Lab server and Playwright end before tests/test_site_browser.py
def lab(tmp_path_factory):
    server = LabServer(ROOT / "notebooks", tmp_path_factory.mktemp("lab"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")  # a sync Playwright left open keeps its event loop running for later modules
def browser_context():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser.new_context(viewport={"width": 1280, "height": 1000})
        finally:
            browser.close()


@pytest.fixture(scope="module")
def lecture_pages(lab, browser_context):
    pages = LecturePages(browser_context, lab)
    yield pages
    pages.close()


def _next_lecture(request) -> Path | None:
    """The lecture of the next selected test of this function, if any (it is opened ahead)."""
    items = request.session.items
    following = items[items.index(request.node) + 1:]
    return next((item.callspec.params["notebook"] for item in following
                 if getattr(item, "originalname", None) == request.node.originalname), None)


@pytest.mark.parametrize("notebook", LECTURES, ids=lambda path: path.stem)
def test_lecture_runs_and_sliders_redraw_in_jupyterlab(notebook: Path, lecture_pages, request):
    page = lecture_pages.take(f"notebooks/{notebook.name}")
    upcoming = _next_lecture(request)
    if upcoming is not None:  # runs in its own kernel while this lecture is checked
        lecture_pages.open_ahead(f"notebooks/{upcoming.name}")
    report = page.check(SCREENSHOTS / f"{notebook.stem}.png", present=True,
                        slides_screenshot=SCREENSHOTS / f"{notebook.stem}-slides.png")
    assert not report.problems, f"{notebook.name}:\n" + "\n".join(report.problems)
    assert report.sliders_moved, f"{notebook.name}: no slider found (every lecture has a Try-it slider)"
    assert report.slides_moved, f"{notebook.name}: no slider moved on the slides"


def _broken_notebook() -> nbformat.NotebookNode:
    """One of each failure a student could meet; the last two cells fail the run itself."""
    code = nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook(cells=[
        code("%matplotlib inline\nimport matplotlib.pyplot as plt\nfrom ipywidgets import interact\n"
             "def draw(title):\n    plt.plot([0, 1], [0, 1])\n    plt.title(title)\n    plt.show()"),
        code("display({'application/vnd.jupyter.widget-view+json':\n"
             "         {'model_id': 'no-such-model', 'version_major': 2, 'version_minor': 0}}, raw=True)"),
        code("_ = interact(lambda lr: draw('same figure for every lr'), lr=(0.0, 1.0, 0.1))"),
        code("def raise_when_moved(beta):\n    if beta != 0.5:\n        raise ValueError(f'beta={beta}')\n"
             "    draw('beta')\n_ = interact(raise_when_moved, beta=(0.0, 1.0, 0.1))"),
        code("1 / 0"),
        code("print('never reached')"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def test_browser_checks_catch_what_a_student_would_see(lab, browser_context):
    """The checks can fail: a notebook with every known failure reports each one."""
    nbformat.write(_broken_notebook(), lab.root / "broken.ipynb")
    report = LecturePage(browser_context, lab, "broken.ipynb").check(screenshot=None, redraw_timeout=1,
                                                                     present=True)
    problems = "\n".join(report.problems)
    assert "Error displaying widget" in problems
    assert "slider 'lr' moved 0.50 -> 0.60 but the figure under it did not change" in problems
    assert "slider 'beta' moved 0.50 -> 0.60 but the figure under it did not change" in problems
    assert "ValueError: beta=0.6" in problems
    assert "cell 4 raised ZeroDivisionError: division by zero" in problems
    assert "cell 5 did not run" in problems
    assert "slides: slider 'lr' moved 0.60 -> 0.70 but the figure under it did not change" in problems
    assert "slides: the slide starts above the screen" in problems  # one slide of six cells: too tall
    assert report.sliders_moved == [] and report.slides_moved == []


def test_slides_check_fails_when_the_deck_hides_the_slider(lab, browser_context):
    """A cell marked "-" explicitly (what tools/slides.py wrote before) is never shown by jupyterlab-deck."""
    code = nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title", metadata={"slideshow": {"slide_type": "slide"}}),
        code("%matplotlib inline\nimport matplotlib.pyplot as plt\nfrom ipywidgets import interact\n"
             "def draw(lr):\n    plt.plot([0, 1], [0, lr])\n    plt.title(f'lr={lr}')\n    plt.show()\n"
             "_ = interact(draw, lr=(0.0, 1.0, 0.1))", metadata={"slideshow": {"slide_type": "-"}}),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, lab.root / "dash.ipynb")
    report = LecturePage(browser_context, lab, "dash.ipynb").check(screenshot=None, present=True)
    assert report.sliders_moved == ["lr 0.50 -> 0.60"]  # fine in the notebook,
    assert report.slides_moved == []  # but not on the slides
    assert any(p.startswith("slides: the deck did not show the slide of cell 1") for p in report.problems)
