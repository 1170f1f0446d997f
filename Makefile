# DermDesk developer entry points. `make run` and `make test` are the two commands a fresh Linux
# machine with Python 3.11 needs; everything else is a convenience on top of them. `make check` is the
# quick lane for the edit-test loop (under 2 minutes on 2 cores), `make test` the whole suite for CI
# and before resolving an issue.
#
# The virtual environment is created once and re-installed only when pyproject.toml changes: each
# install leaves a stamp file named after a hash of pyproject.toml, so a second `make test` goes
# straight to the checks.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
KEY    := $(shell (sha256sum pyproject.toml 2>/dev/null || shasum -a 256 pyproject.toml) | cut -c1-16)
RUNTIME_STAMP := $(VENV)/.installed-runtime-$(KEY)
DEV_STAMP     := $(VENV)/.installed-dev-$(KEY)

# torch comes from a plain `pip install torch==2.13.0` (the version the `train` extra pins): on the
# clinic's build machines that resolves to the CPU build, while letting the resolver pick torch as a
# dependency could pull a newer release with gigabytes of CUDA packages.
TORCH_PIN := $(shell sed -n 's/.*"\(torch==[0-9.]*\)".*/\1/p' pyproject.toml | head -n 1)

# Compiled bytecode is kept (in __pycache__, ignored by git) even where the environment says not to write
# it: the suites start hundreds of Python processes, and recompiling every module each time cost the
# quick lane a third of its time.
export PYTHONDONTWRITEBYTECODE :=

# Both lanes run the tests offscreen and list the 15 slowest, so a test that grows slow shows up.
PYTEST := QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q --durations=15
# The quick lane leaves out training and other long tests (`slow`: full-split evaluation, the
# retraining round trip) and the PyInstaller build (`frozen`), see the markers in pyproject.toml, and
# runs one pytest-xdist worker per core. `make test` stays in one process: the frozen build's session
# fixture builds dist/ once, and CI has the time.
QUICK  := -m "not slow and not frozen" -n auto

.PHONY: run check quick-tests test lint system-deps bench model dist venv dev-venv gettext-catalogues gettext-extract qt-translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	rm -f $(VENV)/.installed-runtime-*
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet $(TORCH_PIN)
	$(BIN)/python -m pip install --quiet -e '.[dev,train,central]'
	$(BIN)/python -m compileall -q dermdesk tests scripts installer
	rm -f $(VENV)/.installed-dev-* $(VENV)/.installed-runtime-*
	touch $@ $(RUNTIME_STAMP)

venv: $(RUNTIME_STAMP)

dev-venv: $(DEV_STAMP)

## gettext-catalogues: compile the core's translations (dermdesk/locale/<lang>/LC_MESSAGES/dermdesk.po,
## kept in git) into the .mo files the station reads; run, check, test and dist depend on it
LOCALE_DIR := dermdesk/locale
PO_FILES   := $(wildcard $(LOCALE_DIR)/*/LC_MESSAGES/dermdesk.po)
gettext-catalogues: $(PO_FILES:.po=.mo)

$(LOCALE_DIR)/%/LC_MESSAGES/dermdesk.mo: $(LOCALE_DIR)/%/LC_MESSAGES/dermdesk.po | $(RUNTIME_STAMP)
	$(BIN)/pybabel -q compile -D dermdesk -l $* -i $< -o $@

## gettext-extract: refresh dermdesk/locale/dermdesk.pot from the sources (babel.cfg) and merge it into
## every language's .po (then translate the new entries; tests/i18n checks that none is left)
gettext-extract: $(RUNTIME_STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ --project=DermDesk --copyright-holder="DermDesk developers" --no-location --sort-output -w 110 -o $(LOCALE_DIR)/dermdesk.pot .
	$(BIN)/pybabel -q update -D dermdesk -i $(LOCALE_DIR)/dermdesk.pot -d $(LOCALE_DIR) --no-fuzzy-matching -w 110

## run: start the capture station on the virtual dermatoscope (no camera needed)
run: $(RUNTIME_STAMP) gettext-catalogues qt-translations
	$(BIN)/dermdesk gui --source virtual

## check: lint and the quick tests (no training, PyInstaller build or full-split evaluation) side by
## side, each target's output shown whole when it ends; fails if either fails
check: system-deps $(DEV_STAMP) gettext-catalogues qt-translations
	@$(MAKE) --no-print-directory -j2 --output-sync=target lint quick-tests

quick-tests: $(DEV_STAMP)
	$(PYTEST) $(QUICK)

## test: lint, then the whole test suite (CI, and before resolving an issue)
test: system-deps lint gettext-catalogues qt-translations
	$(PYTEST)

## qt-translations: the window's Korean texts (.qm) from the committed .ts, by pyside6-lrelease
QT_TS := resources/translations/dermdesk_ko.ts
qt-translations: $(QT_TS:.ts=.qm)

%.qm: %.ts | $(RUNTIME_STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

## lint: style, formatting, import contracts and types of the whole package, without running tests
lint: $(DEV_STAMP)
	$(BIN)/ruff check dermdesk tests installer scripts
	$(BIN)/ruff format --check dermdesk tests installer scripts
	$(BIN)/lint-imports
	$(BIN)/mypy dermdesk

## system-deps: the Debian/Ubuntu packages the tests need (Qt's offscreen libraries, poppler-utils,
## binutils, dicom3tools, dcmtk), installed only when missing (scripts/system-deps.sh)
system-deps:
	bash scripts/system-deps.sh

## bench: every registered benchmark (capture, inference, report, startup), as text
bench: $(RUNTIME_STAMP)
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(BIN)/dermdesk bench

## model: train and export the shipped model from both sources (../shared/data/ham10000 and isic-extra)
## under torchrun; PROCESSES=N trains with N processes (cores or GPUs), ARGS passes make_model's flags
PROCESSES ?= 1
model: $(DEV_STAMP)
	$(BIN)/python -m dermdesk.training.launch --processes $(PROCESSES) -- $(ARGS)

## dist: the one-folder app (dist/dermdesk) from installer/dermdesk.spec, checked for excluded
## dependencies, its frozen self-test run offscreen, and on Linux the tarball; FORCE=1 rebuilds even
## when dist/dermdesk was built from the current sources (installer/build.py keeps a key of them)
dist: $(DEV_STAMP) gettext-catalogues qt-translations
	$(BIN)/python installer/build.py $(if $(FORCE),--force) $(if $(filter Linux,$(shell uname -s)),--tarball)
	QT_QPA_PLATFORM=offscreen dist/dermdesk/dermdesk selftest
