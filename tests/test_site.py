"""The course site and slides build with the network removed and load nothing from another host.

One build of every lecture, with lecture 01's slider frames (tests/site_support.py: the commands of
`make html` and `make slides`, inside `unshare --net`), then its output is read: no src/href/url() to
another host in any page or style sheet, navigation and search in place, the download link and MathJax
local, lecture 01's page under 15 MB, and a frame for every slider position. tests/test_site_browser.py
opens the same build in Chromium.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_html  # noqa: E402
import site_support  # noqa: E402

pytestmark = pytest.mark.slow
if site_support.skip_reason():
    pytest.skip(site_support.skip_reason(), allow_module_level=True)

STEM = site_support.LECTURE.stem


@pytest.fixture(scope="module")
def build() -> site_support.Build:
    return site_support.offline_build()


def _pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".html", ".css") and p.is_file())


def test_site_and_slides_load_nothing_from_another_host(build):
    pages = _pages(build.html) + _pages(build.slides)
    assert len([p for p in pages if p.suffix == ".html"]) >= 5  # index, lecture, search, genindex, slides
    remote = {str(p.relative_to(site_support.OUT)): urls for p in pages
              if (urls := build_html.external_urls(p.read_text(encoding="utf-8", errors="replace"),
                                                   css=p.suffix == ".css"))}
    assert remote == {}
    for page in [*build.html.glob("*.html"), *build.slides.glob("*.html")]:  # and every local file they name is there
        parser = build_html._Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        for ref in {re.split(r"[?#]", url)[0] for url in parser.loads + parser.links} - {""}:
            if not re.match(r"[a-z][a-z0-9+.-]*:", ref, re.IGNORECASE):
                assert (page.parent / ref).exists(), f"{page.name} refers to missing {ref}"


def test_lecture_page_has_navigation_search_download_and_local_mathjax(build):
    page = (build.html / f"{STEM}.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="left-prev"\s+href="index.html"', page)  # previous: the course's front page
    assert 'href="search.html"' in page or 'action="search.html"' in page
    assert re.search(r'class="toctree-l1 current active"><a class="current reference internal" href="#">Lecture 1',
                     page)
    assert '<script defer="defer" src="_static/vendor/mathjax/es5/tex-chtml.js' in page
    assert f'<a href="notebooks/{STEM}.ipynb" download>' in page
    assert (build.html / "notebooks" / f"{STEM}.ipynb").read_bytes() == site_support.LECTURE.read_bytes()
    index = (build.html / "index.html").read_text(encoding="utf-8")
    assert f'href="{STEM}.html"' in index and "Lecture 1" in index
    assert '<meta name="viewport" content="width=device-width, initial-scale=1"' in page  # phone layout
    search_index = (build.html / "searchindex.js").read_text(encoding="utf-8")
    assert search_index.startswith("Search.setIndex(") and '"overshoot"' in search_index  # a script: works on file://


def test_every_slider_position_has_its_frame_and_the_page_fits_the_budget(build):
    page = (build.html / f"{STEM}.html").read_text(encoding="utf-8")
    boxes = re.findall(r'<div class="gd-sliders" data-function="([^"]+)">'
                       r'<script type="application/json">(.*?)</script>', page)
    assert [name for name, _ in boxes] == ["descend(lr=α)"]
    data = json.loads(boxes[0][1])
    assert data["axes"][0]["readouts"][0] == "0.001" and len(data["axes"][0]["readouts"]) == 26
    assert sorted(data["frames"], key=int) == [str(k) for k in range(26)]
    images = [item[1] for items in data["frames"].values() for item in items if item[0] == "img"]
    assert len(set(images)) == 26 and all((build.html / data["prefix"] / name).is_file() for name in images)
    weight = build_html.page_weight(build.html, STEM)
    assert 0.3e6 < weight <= build_html.MAX_PAGE_BYTES
    slides = (build.slides / f"{STEM}.slides.html").read_text(encoding="utf-8")
    assert 'data-function="descend(lr=α)"' in slides and "vendor/reveal.js/dist/reveal.js" in slides
