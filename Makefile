# Wyze cloud toolkit. `make` lists the targets; every target sets itself up first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# mitmproxy 11.0.2 is the newest on Python 3.11; 3.12+ gets mitmproxy 12 (see .ci/).
PYMINOR := $(shell $(PYTHON) -c 'import sys; print(sys.version_info[1])')
CONSTRAINTS ?= $(if $(filter 11,$(PYMINOR)),.ci/constraints-mitmproxy11.txt,.ci/constraints-mitmproxy12.txt)
STAMP := $(VENV)/.setup-done
CAPTURES ?= captures
PORT ?= 8080
LISTEN_HOST ?= 127.0.0.1
NAME ?=
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup test capture lint-captures validate docs docs-check bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

setup: $(STAMP) ## create .venv with the project and its dev tools (idempotent)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	@touch $@

test: setup ## run the test suite (unit, property-based and end-to-end through real mitmdump)
	$(PY) -m pytest $(PYTEST_ARGS)

capture: setup ## record Wyze traffic: proxy on LISTEN_HOST:PORT, cassette into CAPTURES (NAME=...)
	$(VENV)/bin/mitmdump --listen-host $(LISTEN_HOST) --listen-port $(PORT) \
	    -s addons/capture.py --set capture_dir=$(CAPTURES) $(if $(NAME),--set capture_name=$(NAME))

lint-captures: setup ## fail on anything in CAPTURES that looks like an unredacted secret
	$(PY) -m wyzeproto.lint $(CAPTURES)

validate: setup ## validate every interaction in CAPTURES against schemas/ (-v: VALIDATE_ARGS=-v)
	$(PY) -m wyzeproto.validate $(VALIDATE_ARGS) $(CAPTURES)

docs: setup ## regenerate captures/reference, docs/api.md and docs/openapi.yaml from schemas/
	$(PY) -m wyzeproto.schema_reference
	$(PY) -m wyzeproto.docs

docs-check: setup ## fail when docs/ or captures/reference/ are older than schemas/ (CI)
	$(PY) -m wyzeproto.schema_reference --check
	$(PY) -m wyzeproto.docs --check

bench: setup ## measure speed against anchors measured in the same run; writes bench/results.json
	$(PY) -m bench
