# gdcourse: `make lab` opens the course, `make test` runs every test. Both set up .venv first.
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
LAB_ARGS ?=
PYTEST_ARGS ?=
CONSTRAINTS ?= constraints.txt

# Keep matplotlib, IPython and Jupyter from writing under $HOME while tests run.
TEST_ENV := MPLBACKEND=Agg MPLCONFIGDIR=$(CURDIR)/build/.cache/mpl IPYTHONDIR=$(CURDIR)/build/.cache/ipython \
            JUPYTER_CONFIG_DIR=$(CURDIR)/build/.cache/jupyter-config PYTHONHASHSEED=0

.PHONY: help venv lab test lint execute install-cells clean freeze

help:
	@echo "make lab    set up .venv (first time only) and open the course in JupyterLab"
	@echo "make test   set up .venv (first time only) and run unit tests + every notebook under nbval"
	@echo "make execute  re-execute the lectures and solutions in place (after a change to gdcourse)"
	@echo "make install-cells  (re)write the install cell at the top of every lecture"
	@echo "make slides  lectures as reveal.js slides in build/slides/, no network needed to view (live slides: jupyterlab-deck in make lab)"
	@echo "make html   the course site in build/html/index.html: search, sliders that move with no kernel, works offline"
	@echo "make assets  set-up for html/slides (the site extra, pinned npm files): the only step that needs the network"
	@echo "make bench  run every benchmarks/*.py (prints timings and ratios)"
	@echo "make lint   ruff check of every .py and notebook (pyproject's [tool.ruff]; make test runs it too)"
	@echo "make browser-deps  apt-get install Debian's chromium for the browser tests (sudo when not root)"
	@echo "make grader-deps   apt-get install bubblewrap, the sandbox of make grade and its tests (sudo when not root)"
	@echo "make clean  remove .venv and build/"

# The venv is rebuilt when the dependency list or the pinned versions change. The package itself needs no
# JupyterLab (extra `lab`); `present` adds jupyterlab-deck (live slides), which the browser suite tests; `fast`
# adds numba, whose compiled large steps the kernel tests compare bitwise with numpy's.
EXTRAS ?= lab,present,test,fast
# An editable install skips pyproject's data-files, so the course's Lab defaults are copied by hand.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.d/gdcourse.json
$(STAMP): pyproject.toml constraints.txt jupyter-config/gdcourse.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(if $(CONSTRAINTS),-c $(CONSTRAINTS)) -e ".[$(EXTRAS)]"
	mkdir -p $(dir $(LAB_OVERRIDES)) && cp jupyter-config/gdcourse.json $(LAB_OVERRIDES)
	touch $(STAMP)

venv: $(STAMP)

lab: venv
	$(BIN)/jupyter lab --notebook-dir=. notebooks/01_gradient_descent.ipynb $(LAB_ARGS)

test: venv
	$(MAKE) assets || echo "make test: 'make assets' failed (network? npm?): tests/test_site*.py will be skipped" >&2
	mkdir -p build/.cache
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

# The same check tests/test_lint.py runs in make test: every tracked .py and .ipynb, from the root.
lint: venv
	$(BIN)/ruff check

# Re-execute notebooks in place so their stored outputs are what the current gdcourse prints. The widget
# state (random model ids) is not kept, so re-executing an unchanged notebook changes no line.
NOTEBOOKS ?= $(sort $(wildcard notebooks/*.ipynb solutions/*.ipynb))
execute: venv
	for nb in $(NOTEBOOKS); do \
	  echo "executing $$nb"; \
	  $(TEST_ENV) timeout 600 $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=120 --ExecutePreprocessor.record_timing=False "$$nb" || exit 1; \
	  $(BIN)/python tools/strip_widget_state.py "$$nb" || exit 1; \
	done

# Every lecture opens with a cell that installs gdcourse where it is missing (Colab); idempotent.
install-cells: venv
	$(BIN)/python tools/install_cell.py

# Lecture delivery (tools/) and measurements (benchmarks/).
.PHONY: slides html bench browser-deps grader-deps assets frames
LECTURES ?= $(sort $(wildcard notebooks/*.ipynb))
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
SITE_STAMP := $(VENV)/.site-installed
ASSETS_STAMP := build/.assets/.complete

# Set-up, the only steps that use the network: the `site` extra (jupyter-book) and the pinned npm files
# the pages load (tools/assets.json, sha512-checked). After them `make html` and `make slides` run offline.
$(SITE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet $(if $(CONSTRAINTS),-c $(CONSTRAINTS)) -e ".[$(EXTRAS),site]"
	touch $@

$(ASSETS_STAMP): tools/assets.json tools/assets.py | $(STAMP)
	$(BIN)/python tools/assets.py
	touch $@

assets: $(SITE_STAMP) $(ASSETS_STAMP)

# Slider frames for the pages with no kernel, rebuilt when the lecture or gdcourse changes.
FRAMES := $(patsubst notebooks/%.ipynb,build/frames/%/sliders.json,$(LECTURES))
build/frames/%/sliders.json: notebooks/%.ipynb tools/static_sliders.py tools/notebook_runner.py $(wildcard gdcourse/*.py) | $(STAMP)
	mkdir -p build/.cache
	$(TEST_ENV) timeout 1200 $(BIN)/python tools/static_sliders.py --out build/frames $<

frames: $(FRAMES)

slides: assets frames
	mkdir -p build/.cache
	$(TEST_ENV) $(BIN)/python tools/build_slides.py --out build/slides $(LECTURES)

html: assets frames
	mkdir -p build/.cache
	$(TEST_ENV) $(BIN)/python tools/build_html.py --out build/html $(LECTURES)

bench: venv
	mkdir -p build/.cache
	status=0; for script in $(sort $(wildcard benchmarks/*.py)); do \
	  echo "== $$script"; $(TEST_ENV) $(BIN)/python $$script || { echo "== $$script FAILED"; status=1; }; \
	done; exit $$status

# Debian's Chromium for tests/test_browser.py (playwright itself comes with the test extra: no browser download).
browser-deps:
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y chromium

# bubblewrap (bwrap): every graded cell runs inside it (make grade, tests/test_grading.py).
grader-deps:
	command -v bwrap >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y bubblewrap; }

clean:
	rm -rf $(VENV) build

# Re-pin constraints.txt to what .venv has now (after a deliberate upgrade; then re-execute the notebooks).
freeze: venv
	(head -n 2 constraints.txt; $(BIN)/python -m pip freeze --exclude-editable | grep -vi '^gdcourse') > constraints.tmp
	mv constraints.tmp constraints.txt

# Exercises: exercises/ is generated from solutions/ (never edit it by hand); `make grade` grades
# submitted/<student>/NN_topic.ipynb into gradebook.csv inside bubblewrap (make grader-deps installs it;
# GRADE_ARGS="--seed N --jobs 4 ..."; --no-sandbox grades without it and flags every row).
.PHONY: exercises grade
GRADE_ARGS ?=

exercises: venv
	$(BIN)/python -m gdcourse.grading.generate solutions exercises

grade: venv
	$(BIN)/gdcourse-grade submitted --solutions solutions --out gradebook.csv $(GRADE_ARGS)
