# BOH: `make demo` runs a demo chain on embedded SQLite; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000

export DJANGO_SETTINGS_MODULE ?= boh.settings

.PHONY: setup demo test lint typecheck pytest messages system-deps serve worker clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

system-deps:
	@bash scripts/system-deps

messages: $(STAMP)
	cd src/boh && BOH_DEBUG=1 ../../$(BIN)/boh compilemessages --ignore=.venv >/dev/null

setup: system-deps $(STAMP) messages

demo: setup
	BOH_DEBUG=1 $(BIN)/boh migrate --no-input
	BOH_DEBUG=1 $(BIN)/boh demo
	BOH_DEBUG=1 $(BIN)/boh serve --host $(HOST) --port $(PORT) --with-worker

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

test: setup lint typecheck
	BOH_TESTING=1 $(BIN)/boh check
	BOH_TESTING=1 $(BIN)/boh makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
