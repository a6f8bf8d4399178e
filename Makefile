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

.PHONY: run test test-postgres db-check backup restore bench bench-load frontend lock clean

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
	TEST_DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m pytest --ignore=tests/browser --ignore=tests/solver --ignore=tests/oracle --ignore=tests/bench $(PYTEST_ARGS)

# Migrations build the schema from nothing and match the models (no drift).
db-check: $(STAMP)
	rm -f /tmp/scheduler-db-check.sqlite3
	DATABASE_URL=sqlite:////tmp/scheduler-db-check.sqlite3 $(BIN)/flask db upgrade
	DATABASE_URL=sqlite:////tmp/scheduler-db-check.sqlite3 $(BIN)/flask db check
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/flask db upgrade
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/flask db check

# Backups of the PostgreSQL database in DATABASE_URL (pg_dump custom format; README: "Backups").
# `make backup` writes BACKUP (default backups/scheduler-<UTC time>.dump); `make restore BACKUP=...`
# replaces the database's contents with the backup, then checks the schema against the migrations.
ifeq ($(origin BACKUP), undefined)
BACKUP := backups/scheduler-$(shell date -u +%Y%m%dT%H%M%SZ).dump
endif
PG_DSN = $(subst +psycopg,,$(DATABASE_URL))

backup:
	@case "$(DATABASE_URL)" in postgresql*) ;; *) echo "Set DATABASE_URL to the PostgreSQL database to back up" >&2; exit 2;; esac
	mkdir -p $(dir $(BACKUP))
	pg_dump --format=custom --no-owner --no-privileges --file="$(BACKUP).partial" "$(PG_DSN)"
	mv "$(BACKUP).partial" "$(BACKUP)"
	@echo "Backup written to $(BACKUP)"

restore: $(STAMP)
	@case "$(DATABASE_URL)" in postgresql*) ;; *) echo "Set DATABASE_URL to the PostgreSQL database to restore into" >&2; exit 2;; esac
	@test -f "$(BACKUP)" || { echo "No backup at $(BACKUP): give BACKUP=path/to/file.dump" >&2; exit 2; }
	pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$(PG_DSN)" "$(BACKUP)"
	DATABASE_URL="$(DATABASE_URL)" $(BIN)/flask db check
	DATABASE_URL="$(DATABASE_URL)" $(BIN)/flask cache clear

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
	rm -rf $(VENV) .venv-tools instance/*.sqlite3 .pytest_cache
