# Two commands on a fresh machine: `make run` (the demo on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi.py
# PostgreSQL for `make test-postgres` (CI uses the machine's server, database `test`).
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: run test test-postgres db-check bench bench-load frontend clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# The whole suite on SQLite: solver, web app and the browser tests in the system Chromium.
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The database-backed tests again on PostgreSQL.
test-postgres: $(STAMP)
	TEST_DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m pytest --ignore=tests/browser --ignore=tests/solver --ignore=tests/bench $(PYTEST_ARGS)

# Migrations build the schema from nothing and match the models (no drift).
db-check: $(STAMP)
	rm -f /tmp/scheduler-db-check.sqlite3
	DATABASE_URL=sqlite:////tmp/scheduler-db-check.sqlite3 $(BIN)/flask db upgrade
	DATABASE_URL=sqlite:////tmp/scheduler-db-check.sqlite3 $(BIN)/flask db check
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/flask db upgrade
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/flask db check

# The engines' timings, then thousands of adversarial instances judged by the independent oracle
# (both write bench/RESULTS.md; the adversarial run replaces only its own section).
bench: $(STAMP)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.adversarial --count 2000

# Load test of the web pages at national scale on PostgreSQL (bench/LOAD.md); seeds the database
# LOAD_DATABASE_URL (default scheduler_load on 127.0.0.1) if it has no assessors yet.
bench-load: $(STAMP)
	$(BIN)/python -m bench.load.seed
	$(BIN)/python -m bench.load.run

# Rebuild GOV.UK Frontend assets into scheduler/static (output is committed).
frontend:
	bash frontend/build.sh

clean:
	rm -rf $(VENV) instance/*.sqlite3 .pytest_cache
