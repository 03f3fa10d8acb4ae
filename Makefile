# Two entry points for a fresh clone:
#   make run    installs dockerfix and shows what it would change in the bundled example
#   make test   installs everything the tests need and runs the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test

$(BIN)/dockerfix: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/dockerfix
	$(BIN)/dockerfix examples/go-mcp-server/Dockerfile

test: $(BIN)/dockerfix
	$(BIN)/python -m pytest
