# secops.vulnmgmt — every entry point. From a fresh clone: `make demo` and `make test` set up everything they need.
PYTHON ?= python3.11
VENV := .venv
VENV_OLDEST := .venv-core216
PY := $(VENV)/bin/python
PIP_FLAGS := --quiet --disable-pip-version-check
CHECKS := $(PY) .ci/checks.py

.DEFAULT_GOAL := help
.PHONY: help venv demo test sanity units unit integration contract lint docs changelog build bench clean browser-deps ee molecule

help:
	@echo "make demo         run the collection against the bundled simulator (sets everything up)"
	@echo "make test         every check CI runs (sanity, unit on two ansible-cores, contract, integration, lint, docs, build)"
	@echo "make sanity | unit | contract | integration | lint | docs | changelog | build | bench | ee | molecule"
	@echo "make docs         plugin docs lint + the HTML site in docs/build/html + the headless-Chromium test"

# The virtualenvs are rebuilt when their pinned requirements change.
$(VENV)/.stamp: requirements.txt requirements-dev.txt tests/simulator/requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP_FLAGS) -U pip 2>&1 | grep -v '^WARNING: Location' || true
	$(PY) -m pip install $(PIP_FLAGS) -r requirements-dev.txt 2>&1 | grep -v '^WARNING: Location' || true
	$(PY) -c "import ansible, requests, werkzeug, trustme, pytest"
	touch $@

$(VENV_OLDEST)/.stamp: requirements.txt .ci/requirements-core216.txt tests/simulator/requirements.txt
	$(PYTHON) -m venv $(VENV_OLDEST)
	$(VENV_OLDEST)/bin/python -m pip install $(PIP_FLAGS) -U pip 2>&1 | grep -v '^WARNING: Location' || true
	$(VENV_OLDEST)/bin/python -m pip install $(PIP_FLAGS) -r .ci/requirements-core216.txt 2>&1 | grep -v '^WARNING: Location' || true
	$(VENV_OLDEST)/bin/python -c "import ansible, requests, pytest"
	touch $@

venv: $(VENV)/.stamp $(VENV_OLDEST)/.stamp

demo: $(VENV)/.stamp
	$(PY) demo/run_demo.py

test: venv browser-deps
	$(CHECKS)

sanity: $(VENV)/.stamp
	$(CHECKS) sanity

units unit: venv
	$(CHECKS) units unit-core2.16

contract: $(VENV)/.stamp
	$(CHECKS) contract

integration: venv
	$(CHECKS) integration integration-core2.16

lint: $(VENV)/.stamp
	$(CHECKS) lint

docs: $(VENV)/.stamp browser-deps
	$(CHECKS) docs docs-site browser

# Headless Chromium for the docs browser test (tests/docs), from Debian, installed only when missing.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { echo "Installing chromium and chromium-driver (apt-get)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; }

# Molecule scenarios of the roles (extensions/molecule/), against the simulator.
molecule: $(VENV)/.stamp
	$(CHECKS) molecule

# Execution environment: stage meta/execution-environment.yml, ansible-builder create (and build if an engine runs).
ee: $(VENV)/.stamp
	$(CHECKS) ee-create

changelog: $(VENV)/.stamp
	$(CHECKS) changelog

build: $(VENV)/.stamp
	$(CHECKS) build importer

bench: $(VENV)/.stamp
	@for b in tests/benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf .cache tests/output dist
