# Two commands on a fresh machine: `make run` (the demo on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Exact versions with hashes (pip-compile from pyproject.toml's ranges): every machine installs what was tested.
LOCK := requirements.lock
export FLASK_APP := wsgi.py
# PostgreSQL for `make test-postgres` (CI uses the machine's server, database `test`).
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: run test test-postgres db-check bench bench-load frontend lock clean

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Re-pin after changing a range in pyproject.toml (pip-tools in a venv of its own, not the app's).
lock:
	$(PYTHON) -m venv .venv-tools
	.venv-tools/bin/python -m pip install --quiet pip-tools
	.venv-tools/bin/pip-compile --quiet --generate-hashes --no-emit-index-url --no-emit-find-links \
		--all-extras --strip-extras --output-file $(LOCK) pyproject.toml

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

bench: $(STAMP)
	$(BIN)/python -m bench.run

# Load test of the web pages at national scale on PostgreSQL (bench/LOAD.md); seeds the database
# LOAD_DATABASE_URL (default scheduler_load on 127.0.0.1) if it has no assessors yet.
bench-load: $(STAMP)
	$(BIN)/python -m bench.load.seed
	$(BIN)/python -m bench.load.run

# Rebuild GOV.UK Frontend assets into scheduler/static (output is committed).
frontend:
	bash frontend/build.sh

clean:
	rm -rf $(VENV) .venv-tools instance/*.sqlite3 .pytest_cache
