# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make demo   environment, database, demo municipality, server on http://127.0.0.1:8000
#   make test   environment and the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install demo serve test test-e2e lint schema docs clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else "Regie needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/regie migrate --noinput
	$(BIN)/regie demo-data --seed 1 --if-empty
	@echo "Regie draait op http://$(HOST):$(PORT)/ — stoppen met Ctrl+C"
	$(BIN)/regie runserver $(HOST):$(PORT) --noreload

serve: install
	$(BIN)/regie runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# the browser tests alone (also part of `make test`; they skip when Chromium is missing unless REGIE_REQUIRE_BROWSER=1)
test-e2e: install
	REGIE_REQUIRE_BROWSER=1 $(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

schema: install
	$(BIN)/regie spectacular --file docs/api/openapi.yaml --validate

docs: install
	$(BIN)/regie settings-doc > docs/configuration.md

clean:
	rm -rf $(VENV) var .pytest_cache
