# secops.vulnmgmt — every entry point. From a fresh clone: `make demo` and `make test` set up everything they need.
# Three ansible-cores are tested: 2.21 on Python 3.12 (.venv: the newest, with every tool), 2.19 and 2.16 on Python
# 3.11. .ci/find-python finds each interpreter by path (pyenv shims refuse inactive versions); override with
# PYTHON_312=/path/to/python3.12 or PYTHON_311=...
FIND_PYTHON := .ci/find-python
VENV := .venv
VENV_219 := .venv-core219
VENV_216 := .venv-core216
PY := $(VENV)/bin/python
PIP_FLAGS := --quiet --disable-pip-version-check
CHECKS := $(PY) .ci/checks.py

.DEFAULT_GOAL := help
.PHONY: help venv demo test sanity units unit integration contract chaos coverage lint docs changelog build bench clean browser-deps java-deps ee molecule

help:
	@echo "make demo         run the collection against the bundled simulator (sets everything up)"
	@echo "make test         every check CI runs (sanity, units, integration on ansible-core 2.21, 2.19, 2.16; contract, coverage, lint, docs, build)"
	@echo "make sanity | unit | contract | integration | chaos | coverage | lint | docs | changelog | build | bench | ee | molecule"
	@echo "make docs         plugin docs lint + the HTML site in docs/build/html + the headless-Chromium test"
	@echo "make browser-deps | java-deps   Chromium (docs browser test) and Java 17 (ansible-rulebook test) from apt, when missing"

# venv DIR PYTHON-VERSION REQUIREMENTS: (re)build a virtualenv from pinned requirements; the stamp says it is done.
define make_venv
	py=$${PYTHON_$(subst .,,$(2)):-$$($(FIND_PYTHON) $(2))} && rm -rf $(1) && "$$py" -m venv $(1)
	$(1)/bin/python -m pip install $(PIP_FLAGS) -U pip 2>&1 | grep -v '^WARNING: Location' || true
	$(1)/bin/python -m pip install $(PIP_FLAGS) -r $(3) 2>&1 | grep -v '^WARNING: Location' || true
	$(1)/bin/python -c "import ansible, requests, werkzeug, pytest, coverage, debian.debian_support, univers.versions"
	touch $(1)/.stamp
endef

# The virtualenvs are rebuilt when their pinned requirements change.
$(VENV)/.stamp: requirements.txt requirements-dev.txt tests/simulator/requirements.txt
	$(call make_venv,$(VENV),3.12,requirements-dev.txt)

$(VENV_219)/.stamp: requirements.txt .ci/requirements-core219.txt .ci/requirements-core-tests.txt tests/simulator/requirements.txt
	$(call make_venv,$(VENV_219),3.11,.ci/requirements-core219.txt)

$(VENV_216)/.stamp: requirements.txt .ci/requirements-core216.txt .ci/requirements-core-tests.txt tests/simulator/requirements.txt
	$(call make_venv,$(VENV_216),3.11,.ci/requirements-core216.txt)

venv: $(VENV)/.stamp $(VENV_219)/.stamp $(VENV_216)/.stamp

demo: $(VENV)/.stamp
	$(PY) demo/run_demo.py

test: venv browser-deps java-deps
	$(CHECKS)

sanity: venv
	$(CHECKS) sanity

units unit: venv
	$(CHECKS) units

contract: $(VENV)/.stamp
	$(CHECKS) contract

integration: venv java-deps
	$(CHECKS) integration

coverage: venv
	$(CHECKS) unit-coverage integration-2.21 chaos coverage

# Faults after the write, concurrent runs and listing churn (tests/chaos/README.md has the figures).
chaos: $(VENV)/.stamp
	$(CHECKS) chaos

lint: $(VENV)/.stamp
	$(CHECKS) lint

docs: $(VENV)/.stamp browser-deps
	$(CHECKS) docs docs-site browser

# apt_when_missing COMMAND PACKAGES: install Debian PACKAGES (with sudo unless root) when COMMAND is not on the PATH.
define apt_when_missing
	@command -v $(1) >/dev/null 2>&1 || { echo "Installing $(2) (apt-get)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(2) >/dev/null; }
endef

# Headless Chromium for the docs browser test (tests/docs).
browser-deps:
	$(call apt_when_missing,chromium,chromium chromium-driver)

# Java 17 for ansible-rulebook (drools), used by the Event-Driven Ansible integration test.
java-deps:
	$(call apt_when_missing,java,openjdk-17-jre-headless)

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

# Fleet benchmarks (20 ms latency on every API request): JSON lines in tests/output/bench.jsonl, then the README tables.
bench: $(VENV)/.stamp
	@mkdir -p tests/output && rm -f tests/output/bench.jsonl
	@for b in tests/benchmarks/bench_*.py; do echo "== $$b"; BENCH_RESULTS=tests/output/bench.jsonl $(PY) $$b || exit 1; done
	$(PY) tests/benchmarks/report.py tests/output/bench.jsonl

clean:
	rm -rf .cache tests/output dist
