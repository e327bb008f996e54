"""JupyterLab in headless Chromium, as a student sees it (used by tests/test_browser.py).

`LabServer` runs `jupyter lab` on 127.0.0.1 (free port, token, every Jupyter/matplotlib directory in a
temp dir, news and update checks off, autosave off) over a temp copy of the course, so that running the
lectures never writes into the repository. `LecturePage` opens one lecture in a fresh page and starts
Run All; its `check` waits for the run, moves the sliders with the keyboard and returns what a student
would have seen go wrong; with `present=True` it then starts jupyterlab-deck on the first slider's slide
and moves that slider there, as an instructor would. `LecturePages` opens the next lecture while one is
checked, so that two kernels use the two cores of a small machine.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

# User settings written before Lab starts: no news toast, no network checks, never save the copy,
# and every cell attached to the DOM (windowing would leave off-screen widgets unrendered).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}

ALPHA_LABEL = re.compile(r"^\s*(α|alpha|lr|η|eta|learning[ _]rate|step[ _]size)", re.IGNORECASE)
BETA_LABEL = re.compile(r"^\s*(β|beta|momentum|μ|mu)\b", re.IGNORECASE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """`jupyter lab` over a temp copy of `notebooks_dir`; `stop()` always leaves no process behind."""

    def __init__(self, notebooks_dir: Path, work: Path):
        self.work = work
        self.root = work / "course"
        shutil.copytree(notebooks_dir, self.root / notebooks_dir.name,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = work / "lab.log"
        self.proc: subprocess.Popen | None = None
        self._shutdowns: list[threading.Thread] = []

    def _environment(self) -> dict[str, str]:
        dirs = {name: self.work / name.lower() for name in (
            "HOME", "MPLCONFIGDIR", "IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR",
            "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR")}
        for path in dirs.values():
            path.mkdir(parents=True, exist_ok=True)
        for plugin, values in LAB_SETTINGS.items():
            path = dirs["JUPYTERLAB_SETTINGS_DIR"] / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        # The user data dir comes first on the kernel path: pin `python3` to this interpreter.
        spec = dirs["JUPYTER_DATA_DIR"] / "kernels" / "python3" / "kernel.json"
        spec.parent.mkdir(parents=True)
        spec.write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (ipykernel)", "language": "python"}))
        env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
        env.update({name: str(path) for name, path in dirs.items()})
        return env

    def start(self, timeout: float = 60.0) -> None:
        cmd = [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.expose_app_in_browser=True",
        ]
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(cmd, env=self._environment(), stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise RuntimeError(f"jupyter lab not ready after {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def api(self, method: str, path: str):
        request = urllib.request.Request(f"{self.base}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def notebook_url(self, relpath: str) -> str:
        # One workspace per notebook: a new page never restores the previous notebook's tabs.
        workspace = re.sub(r"\W", "-", relpath)
        return f"{self.base}/lab/workspaces/{workspace}/tree/{relpath}?token={self.token}"

    def shutdown_kernels(self, relpath: str | None = None) -> None:
        """Shut down the kernel of the notebook at `relpath`, or every kernel."""
        for session in self.api("GET", "/api/sessions"):
            if relpath is None or session["path"] == relpath:
                self.api("DELETE", f"/api/sessions/{session['id']}")

    def shutdown_kernel_soon(self, relpath: str) -> None:
        """Shut down the notebook's kernel in the background (a kernel takes ~1.5 s to exit)."""
        thread = threading.Thread(target=self.shutdown_kernels, args=(relpath,), daemon=True)
        thread.start()
        self._shutdowns.append(thread)

    def stop(self) -> None:
        """Ask the server to shut down (it stops its kernels), then kill its process group."""
        if self.proc is None:
            return
        for thread in self._shutdowns:
            thread.join(timeout=15)
        try:
            self.shutdown_kernels()
            self.api("POST", "/api/shutdown")
            self.proc.wait(timeout=10)
        except (OSError, urllib.error.URLError, subprocess.TimeoutExpired):
            pass
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
                self.proc.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        self.proc = None


@dataclass
class NotebookReport:
    """What went wrong in one lecture, as a student would have seen it; `problems` empty means fine."""

    problems: list[str] = field(default_factory=list)
    sliders_moved: list[str] = field(default_factory=list)
    slides_moved: list[str] = field(default_factory=list)  # moved while the lecture was presented as slides
    slides_seconds: float = 0.0  # of `seconds`, spent presenting
    widgets: int = 0
    seconds: float = 0.0


# In the page: the notebook's code cells as the kernel left them (nbformat outputs).
_CODE_CELLS_JS = """() => window.jupyterapp.shell.currentWidget.content.widgets
    .map((cell, index) => ({index, type: cell.model.type, count: cell.model.executionCount ?? null,
                            source: cell.model.sharedModel.getSource(), outputs: cell.model.outputs?.toJSON() ?? []}))
    .filter(cell => cell.type === 'code')"""

_NOTEBOOK_READY_JS = """() => {
    const w = window.jupyterapp?.shell.currentWidget;
    return !!(w && w.content && w.context?.isReady && w.sessionContext?.session?.kernel?.status === 'idle');
}"""

_KERNEL_IDLE_JS = "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'"

# Widget views a cell displays (not those nested in Output widgets): rendered, or the error text shown.
_WIDGET_VIEWS_JS = """() => [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')]
    .filter(o => !o.parentElement.closest('.widget-output'))
    .filter(o => o.classList.contains('jupyter-widgets') || o.querySelector(':scope > .jupyter-widgets'))
    .map(o => ({rendered: !!o.querySelector(':scope > .jupyter-widgets'), text: o.innerText.slice(0, 200)}))"""

_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# Tracebacks shown inside Output widgets: an interact callback that raises shows its traceback there,
# not in the cell's own outputs (those are checked on the notebook model).
_WIDGET_ERRORS_JS = """() => [...document.querySelectorAll(
        '.jp-Notebook .widget-output .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
    .map(o => o.innerText).filter(t => /Traceback|^\\s*Cell In\\[|\\w+(Error|Exception):/m.test(t))"""

# What a slider's cell shows: its figures (img src) and the text of its Output widgets.
_CELL_OUTPUT_JS = """cell => ({imgs: [...cell.querySelectorAll('.jp-OutputArea img')].map(i => i.getAttribute('src')),
                       text: [...cell.querySelectorAll('.widget-output')].map(o => o.innerText).join('|')})"""

# A redraw shows a figure not there before (or, in a cell without figures, other text); a traceback
# that replaced the figure is not a redraw.
_REDRAWN_JS = f"""([cell, before]) => {{
    const now = ({_CELL_OUTPUT_JS})(cell);
    return before.imgs.length ? now.imgs.some(src => !before.imgs.includes(src)) : now.text !== before.text;
}}"""


def _check_cells(page, report: NotebookReport) -> None:
    for cell in page.evaluate(_CODE_CELLS_JS):
        for out in cell["outputs"]:
            if out.get("output_type") == "error":
                report.problems.append(f"cell {cell['index']} raised {out['ename']}: {out['evalue']}")
        if cell["source"].strip() and cell["count"] is None:
            report.problems.append(f"cell {cell['index']} did not run")


def _check_widgets(page, report: NotebookReport, timeout_ms: float) -> None:
    """Every widget the kernel displayed has a rendered view, none shows "Error displaying widget"."""
    report.widgets = sum(_WIDGET_MIME in out.get("data", {})
                         for cell in page.evaluate(_CODE_CELLS_JS) for out in cell["outputs"])
    try:
        page.wait_for_function(f"""() => {{
            const views = ({_WIDGET_VIEWS_JS})();  // settled: each one rendered or showing its error
            return views.length >= {report.widgets}
                && views.every(v => v.rendered || v.text.includes('Error displaying widget'));
        }}""", timeout=timeout_ms)
    except PlaywrightTimeout:
        pass  # reported below
    views = page.evaluate(_WIDGET_VIEWS_JS)
    if len(views) != report.widgets:
        report.problems.append(f"{report.widgets} widgets displayed by the kernel, {len(views)} shown")
    for n, view in enumerate(views):
        if "Error displaying widget" in view["text"] or not view["rendered"]:
            report.problems.append(f"widget view {n} not rendered: {view['text']!r}")


def _sliders_to_move(cell) -> list[tuple[str, object]]:
    """(label, slider) pairs to move in one cell: its α and β sliders, else its first slider."""
    sliders = [(s.locator(".widget-label").first.inner_text().strip(), s)
               for s in cell.locator(".widget-slider").all()]
    chosen = [(label, s) for label, s in sliders if ALPHA_LABEL.match(label) or BETA_LABEL.match(label)]
    return chosen or sliders[:1]


def _move_slider(page, cell, label: str, slider, report: NotebookReport, timeout_ms: float) -> None:
    handle = slider.locator(".noUi-handle").first
    readout = slider.locator(".widget-readout").first
    before_output, before_readout = cell.evaluate(_CELL_OUTPUT_JS), readout.inner_text()
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    handle.focus()
    page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
    try:
        page.wait_for_function("([el, before]) => el.innerText !== before",
                               arg=[readout.element_handle(), before_readout], timeout=5000)
    except PlaywrightTimeout:
        report.problems.append(f"slider {label!r}: the arrow key did not move it ({before_readout})")
        return
    after_readout = readout.inner_text()
    try:
        page.wait_for_function(_REDRAWN_JS, arg=[cell.element_handle(), before_output], timeout=timeout_ms)
        page.wait_for_function(_KERNEL_IDLE_JS, timeout=timeout_ms)
    except PlaywrightTimeout:
        report.problems.append(f"slider {label!r} moved {before_readout} -> {after_readout} "
                               f"but the figure under it did not change within {timeout_ms / 1000:g} s")
        return
    report.sliders_moved.append(f"{label} {before_readout} -> {after_readout}")


# jupyterlab-deck: presenting, and what the slide shows. A cell off the slide is collapsed to 0 px.
_DECK_ON_JS = "() => document.body.dataset.jpDeckMode === 'presenting'"
_FIRST_SLIDER_CELL_JS = """() => window.jupyterapp.shell.currentWidget.content.widgets
    .findIndex(cell => cell.node.querySelector('.widget-slider'))"""
_ON_SLIDE_JS = """index => {
    const cell = window.jupyterapp.shell.currentWidget.content.widgets[index].node, box = cell.getBoundingClientRect();
    return cell.classList.contains('jp-deck-mod-onscreen') && cell.classList.contains('jp-deck-mod-visible')
        && box.height > 0 && box.top >= 0 && box.top < window.innerHeight;
}"""
_SLIDE_JS = """() => {
    const cells = window.jupyterapp.shell.currentWidget.content.widgets.map(w => w.node);
    const on = cells.filter(c => c.classList.contains('jp-deck-mod-onscreen'));
    return {on: on.length, all: cells.length,
            hiddenOff: cells.filter(c => !on.includes(c)).every(c => c.getBoundingClientRect().height === 0),
            textForms: on.filter(c => /^\\s*interactive\\(children=/m.test(c.innerText)).length,
            errors: on.filter(c => c.innerText.includes('Error displaying widget')).length,
            active: window.jupyterapp.shell.currentWidget.content.activeCellIndex,
            boxes: on.map(c => [cells.indexOf(c), Math.round(c.getBoundingClientRect().top),
                                Math.round(c.getBoundingClientRect().height)])};
}"""


def _check_slides(page, report: NotebookReport, screenshot: Path | None, timeout_ms: float) -> None:
    """Present the lecture with jupyterlab-deck, go to the first slider's slide, move that slider there."""
    slides = NotebookReport()
    if not page.evaluate("() => window.jupyterapp.commands.hasCommand('deck:start')"):
        report.problems.append("slides: jupyterlab-deck is not in this Lab (`pip install -e '.[present]'`)")
        return
    index = page.evaluate(_FIRST_SLIDER_CELL_JS)
    page.evaluate("() => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0; }")
    page.evaluate("() => window.jupyterapp.commands.execute('deck:start')")
    try:
        page.wait_for_function(_DECK_ON_JS, timeout=10_000)
        # Jump as a link to the cell would: the deck shows the slide that holds the active cell.
        page.evaluate(f"() => {{ window.jupyterapp.shell.currentWidget.content.activeCellIndex = {index}; }}")
        page.wait_for_function(_ON_SLIDE_JS, arg=index, timeout=10_000)
    except PlaywrightTimeout:
        report.problems.append(f"slides: the deck did not show the slide of cell {index}, the first slider "
                               f"(its slide shows {page.evaluate(_SLIDE_JS)})")
        return
    slide = page.evaluate(_SLIDE_JS)
    if slide["boxes"][0][1] < 0:
        slides.problems.append(f"the slide starts above the screen (cells [index, top, height]: {slide['boxes']})")
    if not slide["hiddenOff"] or slide["on"] >= slide["all"]:
        slides.problems.append(f"the deck shows the whole notebook, not a slide ({slide})")
    if slide["textForms"] or slide["errors"]:
        slides.problems.append(f"widgets on the slide are not rendered ({slide})")
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    for label, slider in _sliders_to_move(cell)[:1]:
        _move_slider(page, cell, label, slider, slides, timeout_ms)
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot))
    page.evaluate("() => window.jupyterapp.commands.execute('deck:stop')")
    report.problems.extend(f"slides: {problem}" for problem in slides.problems)
    report.slides_moved.extend(slides.sliders_moved)


class LecturePage:
    """A lecture in its own page with Run All started; `check()` waits for the run and inspects it.

    Opening returns as soon as the run has started, so the next lecture can run in its kernel while
    this one is checked (`LecturePages` does that).
    """

    def __init__(self, context, lab: LabServer, relpath: str):
        self.lab, self.relpath, self.started = lab, relpath, time.monotonic()
        self.page = context.new_page()
        self.page.goto(lab.notebook_url(relpath))
        self.page.wait_for_function(_NOTEBOOK_READY_JS, timeout=60_000)
        # The command settles once every cell has run, or when the run stopped at an error.
        self.page.evaluate("""() => {
            window.gdcourseRun = {done: false};
            window.jupyterapp.commands.execute('notebook:run-all-cells').then(
                () => { window.gdcourseRun = {done: true}; },
                error => { window.gdcourseRun = {done: true, error: String(error)}; });
        }""")

    def check(self, screenshot: Path | None, run_timeout: float = 120.0, render_timeout: float = 15.0,
              redraw_timeout: float = 15.0, present: bool = False,
              slides_screenshot: Path | None = None) -> NotebookReport:
        """Wait for Run All, check cells and widgets, move the sliders, screenshot, close the page.

        With `present`, then present the lecture as slides (jupyterlab-deck) and move the first slider on
        its slide (`report.slides_moved`; problems start with "slides:"), screenshot to `slides_screenshot`.
        """
        report, page = NotebookReport(), self.page
        try:
            try:
                page.wait_for_function("() => window.gdcourseRun.done", timeout=run_timeout * 1000, polling=100)
                page.wait_for_function(_KERNEL_IDLE_JS, timeout=run_timeout * 1000, polling=100)
            except PlaywrightTimeout:
                report.problems.append(f"Run All did not finish within {run_timeout:g} s")
                _check_cells(page, report)
                return report
            _check_cells(page, report)
            _check_widgets(page, report, render_timeout * 1000)
            first_slider_cell = None
            for cell in page.locator(".jp-Notebook .jp-CodeCell:has(.widget-slider)").all():
                for label, slider in _sliders_to_move(cell):
                    first_slider_cell = first_slider_cell or cell
                    _move_slider(page, cell, label, slider, report, redraw_timeout * 1000)
            report.problems.extend(f"traceback in a widget: {text.strip()[-300:]}"
                                   for text in page.evaluate(_WIDGET_ERRORS_JS))
            if screenshot is not None:
                page.evaluate("() => window.jupyterapp.shell.collapseLeft()")  # the notebook, not the file list
                if first_slider_cell is not None:
                    first_slider_cell.evaluate("el => el.scrollIntoView({block: 'start'})")
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot))
            if present and first_slider_cell is not None:
                presenting = time.monotonic()
                _check_slides(page, report, slides_screenshot, redraw_timeout * 1000)
                report.slides_seconds = time.monotonic() - presenting
            return report
        finally:
            self.close()
            report.seconds = time.monotonic() - self.started

    def close(self) -> None:
        self.page.close()
        self.lab.shutdown_kernel_soon(self.relpath)


class LecturePages:
    """Lecture pages opened ahead: `take(a)` returns a's page (opening it if needed), `open_ahead(b)` starts b."""

    def __init__(self, context, lab: LabServer):
        self.context, self.lab = context, lab
        self.ahead: dict[str, LecturePage] = {}

    def open_ahead(self, relpath: str) -> None:
        if relpath not in self.ahead:
            self.ahead[relpath] = LecturePage(self.context, self.lab, relpath)

    def take(self, relpath: str) -> LecturePage:
        return self.ahead.pop(relpath, None) or LecturePage(self.context, self.lab, relpath)

    def close(self) -> None:
        for page in self.ahead.values():
            page.close()
        self.ahead.clear()
