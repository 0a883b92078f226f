# heritage-kg: `make demo` sets up and runs the main job; `make test` sets up and runs the checks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= .heritage-kg
SHARED ?= ../shared
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check

.PHONY: install install-test demo test lint typecheck unit tools eval docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test]'
	@touch $@ $(VENV)/.installed

$(VENV)/.installed-docs: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[docs]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/heritage-kg ingest examples/ --store $(STORE)
	$(BIN)/heritage-kg query heritage-events --store $(STORE)
	$(BIN)/heritage-kg export --format turtle --output out/heritage.ttl --store $(STORE)

# Raptor's rapper checks that exports read the same in an independent toolkit; installed when we can.
tools:
	@command -v rapper >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq raptor2-utils) >/dev/null 2>&1 \
	      || echo "note: could not install raptor2-utils; the rapper tests will be skipped"; \
	  else echo "note: rapper (Debian package raptor2-utils) is missing; the rapper tests will be skipped"; fi; }

lint: install-test
	$(BIN)/ruff check heritage_kg tests bench eval

typecheck: install-test
	$(BIN)/mypy

# The whole suite twice: over the embedded store, then over a SPARQL server (`oxigraph serve` on 127.0.0.1).
unit: install-test tools
	$(BIN)/python -m pytest -q
	HERITAGE_KG_TEST_STORE=sparql $(BIN)/python -m pytest -q

test: lint typecheck unit

eval: install-test
	@if [ -d "$(SHARED)/corpus/articles" ]; then \
	  rm -rf .eval-store && \
	  $(BIN)/heritage-kg ingest $(SHARED)/corpus/articles --store .eval-store && \
	  $(BIN)/heritage-kg query heritage-events --store .eval-store --format csv > .eval-events.csv && \
	  $(BIN)/python $(SHARED)/eval/score.py --gold $(SHARED)/corpus/gold.yaml --pred .eval-events.csv \
	    --articles $(SHARED)/corpus/articles && \
	  $(BIN)/python eval/link_report.py --gold $(SHARED)/corpus/gold.yaml --articles $(SHARED)/corpus/articles \
	    --scorer $(SHARED)/eval/score.py; \
	else echo "eval skipped: $(SHARED)/corpus is absent (the shared development corpus is not part of the project)"; fi

# Browsable HTML documentation of the ontology (pyLODE), generated into docs/ontology/ (not committed).
# pyLODE logs at debug level on stderr: the log is shown only when it fails.
docs: $(VENV)/.installed-docs
	@mkdir -p docs/ontology
	$(BIN)/pylode ontology/heritage-kg.ttl --outputfile docs/ontology/index.html 2>/dev/null \
	  || $(BIN)/pylode ontology/heritage-kg.ttl --outputfile docs/ontology/index.html
	@echo "Wrote docs/ontology/index.html"

clean:
	rm -rf $(STORE) docs/ontology .eval-store .eval-events.csv out .pytest_cache .mypy_cache .ruff_cache
