# Displacement Monitor — `make help` lists the targets.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
DB     ?= sqlite:///displacement.db

.DEFAULT_GOAL := help
.PHONY: help install run test test-fast bench lint format eval clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -c "from displacement_monitor.geo.gazetteer import ensure_gazetteer; print('gazetteer:', ensure_gazetteer())"
	touch $(STAMP)

install: $(STAMP) ## create .venv with the locked dependencies and the package (idempotent)

run: install ## extract the bundled sample articles, store them, serve the dashboard on http://$(HOST):$(PORT)
	$(BIN)/displacement-monitor demo
	$(BIN)/displacement-monitor ingest --samples --db $(DB) --no-progress
	$(BIN)/displacement-monitor serve --db $(DB) --host $(HOST) --port $(PORT)

test: install ## run the whole test suite (SQLite, PostgreSQL, loopback HTTP, browser)
	$(BIN)/python -m pytest -q

test-fast: install ## tests without the slow ones
	$(BIN)/python -m pytest -q -m "not slow and not browser"

eval: install ## score extraction on the dev data with the referee
	$(BIN)/displacement-monitor evaluate

bench: install ## speed and memory benchmarks (see benchmarks/README.md)
	$(BIN)/python benchmarks/bench_extract.py

lint: install ## ruff + mypy
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: install ## apply ruff formatting and safe fixes
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info src/*.egg-info
