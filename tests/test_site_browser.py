"""The offline build of tests/site_support.py in headless Chromium, every request to another host refused.

From file:// (no server at all) and from a static server on 127.0.0.1: a static slider moved with the keyboard
shows, for each position, the frame whose readout it shows; MathJax typesets from the local copy; the site's
search finds a term; (with the passage it is in, from a server); the phone layout hides the sidebar and nothing
overflows sideways; the slides' slider moves too. Every lecture page and every slide, at 1280 and 390 px wide:
nothing passes the content column (or the slide) outside a box that scrolls, and a table wider than its box
scrolls there only on a phone or where the whole table is on one screen. A quiz's answers show only once the
reader opens them, on the site and on the slides.
Screenshots go to build/screenshots/site_*.png. Skipped like tests/test_browser.py without Chromium.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import os
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import site_support  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
if not os.access(CHROMIUM, os.X_OK) or importlib.util.find_spec("playwright") is None:
    pytest.skip(f"needs Chromium at {CHROMIUM} and playwright: run `make browser-deps`", allow_module_level=True)
if site_support.skip_reason():
    pytest.skip(site_support.skip_reason(), allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

SCREENSHOTS = ROOT / "build" / "screenshots"
STEM = site_support.LECTURE.stem
# From file:// Sphinx's search lists the pages found but cannot fetch them for a summary under each.
FILE_SEARCH_ERRORS = ("Failed to fetch",)


@pytest.fixture(scope="module")
def build() -> site_support.Build:
    return site_support.offline_build()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class OfflinePage:
    """A page in its own context: requests other than file: and data: are refused and recorded."""

    def __init__(self, browser, width: int = 1280, height: int = 900, allow: str = "file:"):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.allow = allow
        self.refused: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route) -> None:
        if route.request.url.startswith((self.allow, "data:")):
            route.continue_()
        else:
            self.refused.append(route.request.url)
            route.abort()

    def open(self, path: Path | str, query: str = "") -> None:
        self.page.goto((path.as_uri() if isinstance(path, Path) else path) + query)
        self.page.wait_for_load_state("load")

    def check_clean(self, known: tuple[str, ...] = ()) -> None:
        assert self.refused == [], f"requests to other hosts: {self.refused}"
        assert [e for e in self.errors if not e.startswith(known)] == []

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def offline(browser):
    pages: list[OfflinePage] = []

    def make(**viewport) -> OfflinePage:
        pages.append(OfflinePage(browser, **viewport))
        return pages[-1]

    yield make
    for page in pages:
        page.close()


def _move_and_check(page, box, presses: list[str]) -> list[str]:
    """Press each key on the box's first slider; after each, the figure is the frame of the readout shown."""
    data = json.loads(box.locator('script[type="application/json"]').text_content())
    readouts, slider = data["axes"][0]["readouts"], box.locator("input[type=range]").first
    seen = []
    for key in presses:
        before = box.locator(".gd-frame img").first.get_attribute("src")
        slider.focus()
        page.keyboard.press(key)
        page.wait_for_function("([img, src]) => img.getAttribute('src') !== src",
                               arg=[box.locator(".gd-frame img").first.element_handle(), before], timeout=5000)
        shown = box.locator("output").first.inner_text()
        index = readouts.index(shown)
        assert slider.input_value() == str(index)
        point = "_".join([str(index)] + [i.input_value() for i in box.locator("input[type=range]").all()[1:]])
        expected = [data["prefix"] + item[1] for item in data["frames"][point] if item[0] == "img"]
        img = box.locator(".gd-frame img").first
        assert img.get_attribute("src") == expected[0], f"readout {shown}: figure {img.get_attribute('src')}"
        assert img.get_attribute("alt").startswith(f"figure at {data['axes'][0]['label']} = {shown}")
        assert img.evaluate("el => el.complete && el.naturalWidth > 100")  # the file loaded
        seen.append(shown)
    return seen


def test_a_static_slider_moves_the_figure_with_its_readout(build, offline):
    tab = offline()
    tab.open(build.html / f"{STEM}.html")
    page = tab.page
    box = page.locator(".gd-sliders[data-function]").first
    box.scroll_into_view_if_needed()
    assert box.locator("output").first.inner_text() == "0.01"
    seen = _move_and_check(page, box, ["ArrowRight", "ArrowRight", "ArrowRight", "End", "ArrowLeft", "Home"])
    assert seen == ["0.0126", "0.0158", "0.02", "0.316", "0.251", "0.001"]
    for _ in range(18):  # leave it at α = 0.0631, past the edge 2/f''(2) = 0.0625 where the iterates bounce
        page.keyboard.press("ArrowRight")
    assert box.locator("output").first.inner_text() == "0.0631"
    box.locator("input[type=range]").first.evaluate("el => el.parentElement.parentElement.scrollIntoView()")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "site_01_slider_moved.png"))
    # MathJax is the local copy and typesets with its local fonts.
    assert page.evaluate("() => MathJax.version") == "3.2.2"
    page.evaluate(r"""() => { const p = document.createElement('p'); p.id = 'gd-math';
        p.textContent = '\\(\\alpha < 2/L\\)'; document.querySelector('main').prepend(p);
        return MathJax.typesetPromise([p]); }""")
    assert page.locator("#gd-math mjx-container").count() == 1
    tab.check_clean()


@pytest.fixture(scope="module")
def loopback(build):
    """The built site served on 127.0.0.1, as any static host would serve it."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(build.html))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _search(tab, url: str, term: str):
    tab.open(url, f"?q={term}")
    results = tab.page.locator("ul.search li")
    results.first.wait_for(timeout=15_000)
    link = results.first.locator("a").first
    assert f"{STEM}.html" in link.get_attribute("href") and "Lecture 1" in link.inner_text()
    return results.first


def test_the_search_finds_a_term_from_file(build, offline):
    tab = offline()
    _search(tab, (build.html / "search.html").as_uri(), "overshoot")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(SCREENSHOTS / "site_search.png"))
    tab.check_clean(FILE_SEARCH_ERRORS)


def test_the_search_shows_where_the_term_is_on_a_static_host(build, offline, loopback):
    tab = offline(allow=loopback)
    result = _search(tab, f"{loopback}/search.html", "overshoot")
    result.locator("p.context").wait_for(timeout=15_000)
    assert "overshoot" in result.locator("p.context").inner_text().lower()
    tab.page.screenshot(path=str(SCREENSHOTS / "site_search_http.png"))
    tab.check_clean()


def test_the_phone_layout_folds_the_sidebar_and_fits_the_screen(build, offline):
    tab = offline(width=390, height=844)
    tab.open(build.html / f"{STEM}.html")
    page = tab.page
    assert not page.locator(".bd-sidebar-primary").first.is_visible() or page.evaluate(
        "() => document.querySelector('.bd-sidebar-primary').getBoundingClientRect().right <= 0")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 391
    box = page.locator(".gd-sliders[data-function]").first
    box.scroll_into_view_if_needed()
    assert box.evaluate("el => el.getBoundingClientRect().right") <= 390
    assert box.locator(".gd-frame img").first.evaluate("el => el.getBoundingClientRect().width") <= 390
    page.screenshot(path=str(SCREENSHOTS / "site_01_phone.png"))
    tab.check_clean()


def _open_slide_with(tab, path: Path, selector: str) -> None:
    """Open the slides at `path` on the slide that holds the first element matching `selector`."""
    tab.open(path)
    h, v = tab.page.evaluate("""selector => { const s = document.querySelector(selector).closest('section');
        const outer = s.parentElement.closest('section');
        return [[...document.querySelectorAll('.slides > section')].indexOf(outer || s),
                outer ? [...outer.children].filter(e => e.tagName === 'SECTION').indexOf(s) : 0]; }""", selector)
    tab.open(path, f"#/{h}/{v}")


def test_the_slides_slider_moves_offline(build, offline):
    tab = offline()
    path = build.slides / f"{STEM}.slides.html"
    _open_slide_with(tab, path, ".gd-sliders")
    page = tab.page
    box = page.locator(".gd-sliders[data-function]").first
    box.wait_for(state="visible")
    assert _move_and_check(page, box, ["ArrowRight", "ArrowRight"]) == ["0.0126", "0.0158"]
    page.screenshot(path=str(SCREENSHOTS / "site_slides_01_slider.png"))
    tab.check_clean()


# What sticks out of `root` (a page's content column, or a slide): an element past its right edge that is not
# inside a box of its own that scrolls sideways, and a table wider than the box it scrolls in while taller
# than `tallest` px (its scroll bar then lies a screen or more below the columns it hides).
_STICKS_OUT_JS = r"""(root, tallest) => {
    const edge = root.getBoundingClientRect().right - parseFloat(getComputedStyle(root).paddingRight) + 2;
    const scrollBox = e => {
        for (let box = e.parentElement; box && box !== root; box = box.parentElement)
            if (['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) return box;
        return null;
    };
    const label = e => `<${e.tagName.toLowerCase()} class="${e.getAttribute('class') || ''}">`
        + ` ${(e.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60)}`;
    const found = [];
    for (const e of root.querySelectorAll('*')) {
        const r = e.getBoundingClientRect();
        if (r.width && r.right > edge && !scrollBox(e))
            found.push(`${Math.round(r.right - edge)} px past the edge: ${label(e)}`);
    }
    for (const table of root.querySelectorAll('table')) {
        const box = scrollBox(table), height = table.getBoundingClientRect().height;
        if (box && box.scrollWidth > box.clientWidth + 1 && height > tallest)
            found.push(`scrolls sideways ${box.scrollWidth - box.clientWidth} px, ${Math.round(height)} px tall: `
                       + label(table));
    }
    return found.slice(0, 5);
}"""
_TYPESET_JS = "() => window.MathJax && MathJax.startup && MathJax.startup.promise"


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_fits_its_column_and_tables_fit_or_scroll_in_their_box(build, offline, width):
    """The page never scrolls sideways and nothing is cut at the column's edge; at desktop width a table fits
    its column unless it is short (on a phone it may scroll in its own box)."""
    tab = offline(width=width, height=900)
    tallest = tab.page.viewport_size["height"] if width > 600 else float("inf")
    pages = sorted(build.html.glob("[0-9]*.html")) + [build.html / "index.html"]
    assert len(pages) == len(site_support.LECTURES) + 1
    found = {}
    for path in pages:
        tab.open(path)
        tab.page.evaluate(_TYPESET_JS)
        sizes = tab.page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        problems = [] if sizes[0] <= sizes[1] else [f"the page scrolls sideways: {sizes}"]
        problems += tab.page.locator("article.bd-article").evaluate(_STICKS_OUT_JS, tallest)
        if problems:
            found[path.name] = problems
    tab.open(build.html / "08_schedules.html")  # the table of lecture 08 that once ran 541 px past the column
    tab.page.locator("table.dataframe", has_text="ExponentialLR").scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(SCREENSHOTS / f"site_08_framework_table_{width}.png"))
    assert found == {}
    tab.check_clean()


@pytest.mark.parametrize("width", [1280, 390])
def test_every_slide_fits_the_screen_and_tables_fit_or_scroll_in_their_box(build, offline, width):
    """As on the site, for every slide of every lecture (each laid out in turn as reveal.js shows it)."""
    tab = offline(width=width, height=720)
    tallest = tab.page.viewport_size["height"] if width > 600 else float("inf")
    decks = sorted(build.slides.glob("*.slides.html"))
    assert len(decks) == len(site_support.LECTURES)
    found = {}
    for path in decks:
        tab.open(path)
        tab.page.wait_for_selector(".reveal.ready", state="attached")
        tab.page.evaluate(_TYPESET_JS)
        tab.page.add_style_tag(content=".reveal .slides section { display: block !important; }")  # lay out all
        sizes = tab.page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        problems = [] if sizes[0] <= sizes[1] else [f"the page scrolls sideways: {sizes}"]
        problems += tab.page.evaluate(f"""tallest => [...document.querySelectorAll('.reveal .slides section')]
            .filter(slide => !slide.querySelector('section'))
            .flatMap((slide, n) => ({_STICKS_OUT_JS})(slide, tallest).map(problem => `slide ${{n}}: ${{problem}}`))""",
                                      tallest)
        if problems:
            found[path.name] = problems[:5]
    assert found == {}
    tab.check_clean()


def test_one_search_field_on_a_desktop_and_titles_that_leave_room_on_a_phone(build, offline):
    """At 1280 px a page shows one search field, in the sidebar (pydata-sphinx-theme 0.17 added a second in a
    header bar of its own); at 390 px no lecture's title takes more than a third of the first screen."""
    desk = offline(width=1280, height=900)
    desk.open(build.html / f"{STEM}.html")
    assert desk.page.evaluate("""() => [...document.querySelectorAll('.search-button-field, #pst-header')]
        .filter(e => e.checkVisibility() && e.getBoundingClientRect().height > 0)
        .map(e => e.closest('.bd-sidebar-primary') ? 'sidebar' : e.id || 'header')
        """) == ["sidebar"]
    phone = offline(width=390, height=844)
    heights = {}
    for path in sorted(build.html.glob("[0-9]*.html")):
        phone.open(path)
        heights[path.stem] = phone.page.locator("article h1").first.evaluate("el => el.getBoundingClientRect().height")
    assert max(heights.values()) <= 844 / 3, heights
    phone.page.screenshot(path=str(SCREENSHOTS / "site_10_phone_top.png"))
    desk.check_clean()
    phone.check_clean()


def test_the_slide_a_deck_opens_on_fits_the_screen_or_scrolls(build, offline):
    """reveal.js made a slide taller than the screen scroll only after a slide change, so a deck's title slide
    (title, learning goals, install cell) was cut at the bottom of the screen with no way to reach the rest."""
    tab = offline(width=1280, height=720)
    bottoms = {}
    for path in sorted(build.slides.glob("*.slides.html")):
        tab.open(path)
        tab.page.wait_for_selector(".reveal.ready", state="attached")
        tab.page.wait_for_timeout(300)  # Reveal.initialize has resolved
        bottoms[path.name] = tab.page.evaluate("""() => {
            const slide = document.querySelector('.reveal .slides section.present:not(:has(section))');
            const box = slide.getBoundingClientRect(), scrolls = getComputedStyle(slide).overflowY === 'scroll';
            return box.bottom <= innerHeight + 1 || (scrolls && slide.scrollHeight > slide.clientHeight)
                ? 'fits or scrolls' : `${Math.round(box.bottom)} px bottom, cut at ${innerHeight}`; }""")
    assert set(bottoms.values()) == {"fits or scrolls"}, bottoms
    tab.check_clean()


# How many times `text` is on screen: innerText leaves out what is not rendered (the text of a closed <details>,
# the slides reveal.js does not show). On slides, only the slides: reveal.js copies the slide's text, closed
# <details> included, into a 1-pixel status line for screen readers.
_SHOWN_JS = "text => (document.querySelector('.reveal .slides') || document.body).innerText.split(text).length - 1"


def _answers_open_on_click(page, quiz) -> list[str]:
    """Each answer of the quiz under `quiz`: not on screen (nor its explanation anywhere on the page, such as the
    quiz's source) until its "Answer" is clicked, then on screen once."""
    answers = []
    for details in quiz.locator("details").all():
        answer = details.evaluate("d => d.textContent.slice(d.querySelector('summary').textContent.length).trim()")
        tail = answer[-40:]  # within the explanation, which the quiz's source spells out too
        assert page.evaluate(_SHOWN_JS, tail) == 0, f"shown before the click: {answer!r}"
        details.locator("summary").click()
        assert page.evaluate(_SHOWN_JS, tail) == 1, f"not shown after the click: {answer!r}"
        answers.append(answer)
    return answers


def test_a_quiz_shows_its_answers_only_when_asked_on_the_site_and_slides(build, offline):
    tab = offline()
    tab.open(build.html / f"{STEM}.html")
    quiz = tab.page.locator("section", has=tab.page.locator("details")).last
    quiz.scroll_into_view_if_needed()
    answers = _answers_open_on_click(tab.page, quiz)
    assert len(answers) == 4 and answers[0].startswith("B) to 0.57. θ − α·f′(θ)")
    tab.page.locator("details").first.scroll_into_view_if_needed()
    tab.page.screenshot(path=str(SCREENSHOTS / "site_01_quiz.png"))
    path = build.slides / f"{STEM}.slides.html"
    _open_slide_with(tab, path, "details")
    slide = tab.page.locator("section.present:not(:has(section))")
    slide.locator("details").first.wait_for(state="visible")
    assert _answers_open_on_click(tab.page, slide) == answers
    tab.page.screenshot(path=str(SCREENSHOTS / "site_slides_01_quiz.png"))
    tab.check_clean()
