# Tegoed — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.DEFAULT_GOAL := help

help: ## Show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/tegoed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/tegoed

install: $(BIN)/tegoed ## Create .venv and install Tegoed with its test tools

# The demo is a developer's machine: DEBUG gives the development key and plain HTTP.
demo: export DEBUG := true
demo: install ## Migrate the SQLite database under var/, load a demo administration and serve it
	mkdir -p var
	$(BIN)/tegoed migrate --no-input
	$(BIN)/tegoed compilemessages --ignore '.venv' -v 0 2>/dev/null || true
	$(BIN)/tegoed demo-data --organization demo --customers 300 --invoices 3000 --seed 1 --if-empty --with-login
	@echo "Serving on http://$(HOST)/ — stop with Ctrl-C"
	$(BIN)/tegoed runserver $(HOST)

test: install ## Run the whole test suite (SQLite unless DATABASE_URL says otherwise)
	$(BIN)/pytest -q $(PYTEST_ARGS)

check: export DEBUG := true
check: install ## Lint (ruff) and check migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/tegoed makemigrations --check --dry-run

# Benchmarks measure production's settings (DEBUG off) over plain HTTP with a throwaway key.
bench: export SECRET_KEY ?= bench-only-key-$(shell head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
bench: export TEGOED_HTTPS ?= false
bench: install ## Run the benchmarks; figures are printed and written to bench/results/
	$(BIN)/python -m bench

.PHONY: help install demo test check bench
