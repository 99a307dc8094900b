# ASAN Queue. `make run` serves the demo; `make test` runs everything CI checks.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint typecheck imports pytest deps dev-deps assets browser speech bench clean

run: deps assets speech
	$(PY) serve.py

test: dev-deps assets browser speech lint imports typecheck pytest

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.deps: requirements.txt | $(VENV)/bin/activate
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PIP) install -q -r requirements-dev.txt
	touch $@ $(VENV)/.deps

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed

# Browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
browser:
	@test -x $(CHROMIUM) || (echo "installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || (echo "could not install chromium: run 'sudo apt-get install chromium'" && false))

# The hall's announcements are rendered offline by Debian's espeak-ng (az, ru, en voices).
speech:
	@command -v espeak-ng >/dev/null || (echo "installing Debian espeak-ng for the hall announcements"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng >/dev/null) \
	  || (echo "could not install espeak-ng: run 'sudo apt-get install espeak-ng'" && false))

lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

imports: dev-deps
	$(VENV)/bin/lint-imports

typecheck: dev-deps
	$(VENV)/bin/mypy asan_queue/domain asan_queue/schemas asan_queue/services asan_queue/documents asan_queue/speech

pytest: dev-deps assets
	$(VENV)/bin/pytest -n 2 -q -rs

$(VENV)/.bench-deps: requirements-bench.txt requirements-dev.txt requirements.txt | $(VENV)/bin/activate
	$(PIP) install -q -r requirements-bench.txt
	touch $@ $(VENV)/.dev-deps $(VENV)/.deps

# `make bench` installs what the benches need; each script prints its own figures.
bench: $(VENV)/.bench-deps assets
	$(PY) bench/bench_issue.py

clean:
	rm -rf $(VENV) node_modules instance test-artifacts
