# BOH: `make demo` runs a demo chain on embedded SQLite; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
URL    := http://$(HOST):$(PORT)/

# Tools that only need settings to load run with development defaults (no secret key needed).
DEV    := BOH_DEBUG=1
CHECK  := BOH_TESTING=1

.PHONY: setup demo test lint typecheck pytest messages system-deps runtime-deps clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# gettext, chromium and a CJK font for the checks; runtime-deps: gettext only, for the demo.
system-deps:
	@bash scripts/system-deps

runtime-deps:
	@bash scripts/system-deps --runtime

# Each module keeps its translations in src/boh/<module>/locale; .mo files are built here.
messages: $(STAMP) runtime-deps
	@for dir in src/boh/*/locale; do \
	  [ -d "$$dir" ] || continue; \
	  (cd "$$dir/.." && $(DEV) $(CURDIR)/$(BIN)/boh compilemessages >/dev/null) \
	    || { echo "compilemessages failed in $$dir" >&2; exit 1; }; \
	done

setup: system-deps $(STAMP) messages

demo: $(STAMP) messages
	$(DEV) $(BIN)/boh migrate --no-input
	$(DEV) $(BIN)/boh demo --url $(URL) --background
	$(DEV) $(BIN)/boh serve --host $(HOST) --port $(PORT) --with-worker

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(CHECK) $(BIN)/mypy

# pytest reads its settings module from pyproject.toml; a DJANGO_SETTINGS_MODULE set in the
# shell would win over it, so it is named here.
pytest: $(STAMP)
	DJANGO_SETTINGS_MODULE=boh.settings_test $(BIN)/pytest $(PYTEST_ARGS)

# In the order of docs/architecture.md: cheapest first, each step stops the run on failure.
test: setup
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory typecheck
	$(CHECK) $(BIN)/boh check
	$(CHECK) $(BIN)/boh makemigrations --check --dry-run
	$(MAKE) --no-print-directory pytest

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
