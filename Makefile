# Wyze cloud toolkit. `make` lists the targets; every target sets itself up first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
TOOL := $(VENV)/bin/wyze-toolkit
# mitmproxy 11.0.2 is the newest on Python 3.11; 3.12+ gets mitmproxy 12 (see .ci/).
PYMINOR := $(shell $(PYTHON) -c 'import sys; print(sys.version_info[1])')
CONSTRAINTS ?= $(if $(filter 11,$(PYMINOR)),.ci/constraints-mitmproxy11.txt,.ci/constraints-mitmproxy12.txt)
STAMP := $(VENV)/.setup-done
CAPTURES ?= captures
PORT ?= 8080
LISTEN_HOST ?= 127.0.0.1
NAME ?=
FROM ?=
TARGET ?=
TLS ?=
LIVE ?=
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup test demo capture import har lint-captures validate drift infer diff docs docs-check replay serve \
	stream-info \
	serve-proxy standin install-check lint-code bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

setup: $(STAMP) ## create .venv with the project and its dev tools (idempotent)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	@echo "setup: creating $(VENV) and installing the project with $(CONSTRAINTS) (first run: a minute or two)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	@touch $@

test: setup ## run the test suite (unit, property-based and end-to-end through real mitmdump)
	$(PY) -m pytest $(PYTEST_ARGS)

demo: setup ## the whole pipeline against a local stand-in cloud: capture, validate, lint, replay
	$(TOOL) demo

capture: setup ## record Wyze traffic: proxy on LISTEN_HOST:PORT, cassette into CAPTURES (NAME=...)
	$(TOOL) capture --listen-host $(LISTEN_HOST) --port $(PORT) --dir "$(CAPTURES)" \
	    $(if $(NAME),--name "$(NAME)")

import: setup ## redact HAR / Charles (.chlsj) sessions in FROM into CAPTURES/NAME.yaml
	@test -n "$(FROM)" -a -n "$(NAME)" || { echo "usage: make import FROM='a.har b.chlsj' NAME=name"; exit 2; }
	$(TOOL) import $(FROM) --out "$(CAPTURES)/$(NAME).yaml"

har: setup ## export the cassettes in CAPTURES as one HAR 1.2 file, OUT (default captures.har)
	$(TOOL) export $(CAPTURES) --out "$(or $(OUT),captures.har)"

lint-captures: setup ## fail on anything in CAPTURES that looks like an unredacted secret
	$(TOOL) lint $(CAPTURES)

validate: setup ## validate every interaction in CAPTURES against schemas/ (-v: VALIDATE_ARGS=-v)
	$(TOOL) validate $(VALIDATE_ARGS) $(CAPTURES)

drift: setup ## list fields in CAPTURES that the schemas do not document yet (a report)
	$(TOOL) drift $(CAPTURES)

infer: setup ## draft schemas for the undocumented endpoints in CAPTURES into OUT (default inferred-schemas)
	$(TOOL) infer $(CAPTURES) --out "$(or $(OUT),inferred-schemas)" $(INFER_ARGS)

diff: setup ## compare two captures endpoint by endpoint: make diff A=old B=new
	@test -n "$(A)" -a -n "$(B)" || { echo "usage: make diff A=old-captures B=new-captures"; exit 2; }
	$(TOOL) diff "$(A)" "$(B)"

docs: setup ## regenerate captures/reference, docs/api.md and docs/openapi.yaml from schemas/
	$(TOOL) docs

docs-check: setup ## fail when docs/ or captures/reference/ are older than schemas/ (CI)
	$(TOOL) docs --check

replay: setup ## re-issue every recorded login and what follows, offline (TARGET=URL, LIVE=1)
	$(TOOL) replay $(CAPTURES) $(if $(TARGET),--target $(TARGET)) $(if $(LIVE),--live)

stream-info: setup ## per camera, what a client connects with (CAPTURES, TARGET=URL, LIVE=1, SHOW_SECRETS=1)
	$(TOOL) stream-info $(if $(TARGET)$(LIVE),,$(CAPTURES)) $(if $(TARGET),--target $(TARGET)) \
		$(if $(LIVE),--live) $(if $(SHOW_SECRETS),--show-secrets)

serve: setup ## answer HTTP on 127.0.0.1:PORT from the cassettes in CAPTURES (never forwards)
	$(TOOL) serve $(CAPTURES) --port $(PORT) $(if $(SESSION),--session $(SESSION))

serve-proxy: setup ## mitmdump on LISTEN_HOST:PORT answering Wyze hosts from CAPTURES
	$(TOOL) serve-proxy --listen-host $(LISTEN_HOST) --port $(PORT) \
	    $(foreach c,$(CAPTURES),--captures $(c)) $(if $(SESSION),--session $(SESSION))

standin: setup ## the stand-in Wyze cloud on 127.0.0.1:PORT with made-up accounts (TLS=1 for HTTPS)
	$(TOOL) standin --port $(PORT) $(if $(TLS),--tls)

install-check: setup ## build the wheel, pip-install it with its dependencies into a fresh venv, run it outside the clone
	@rm -rf build/install-check && mkdir -p build/install-check/run
	@# PYTHONWARNINGS: setuptools warns that schemas/ subfolders look like packages; they are data.
	PYTHONWARNINGS=ignore $(PY) -m pip wheel -q --no-deps --no-build-isolation -w build/install-check/dist .
	$(PYTHON) -m venv build/install-check/venv
	build/install-check/venv/bin/pip install -q -c $(CONSTRAINTS) build/install-check/dist/*.whl
	cp -r captures/reference build/install-check/run/captures
	cd build/install-check/run && for c in validate lint replay; do \
	    ../venv/bin/wyze-toolkit $$c captures > $$c.log || { cat $$c.log; exit 1; }; done
	cd build/install-check/run && ../venv/bin/wyze-toolkit demo

lint-code: setup ## ruff and mypy on the project's code (CI runs it)
	$(VENV)/bin/ruff check addons wyzeproto replay standin demo bench tests
	$(VENV)/bin/mypy

bench: setup ## measure speed against anchors measured in the same run; writes bench/results.json
	$(PY) -m bench
