# The two commands of the README: `make start` runs the demo, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: start test test-unit test-e2e test-frontend test-postgres bench lint install frontend screenshots \
	pytest-sqlite-and-e2e pytest-postgres-if-available

start: install frontend
	$(PY) -m backend.launcher

# The two pytest runs at once: much of each is spent waiting on servers, subprocesses and the browser.
# --output-sync prints each run's output in one piece when it ends.
test: install frontend lint test-frontend
	$(MAKE) --no-print-directory -j2 --output-sync=target pytest-sqlite-and-e2e pytest-postgres-if-available

# The two halves of `make test`, which has installed and built what they need.
pytest-sqlite-and-e2e:
	$(PY) -m pytest backend/tests e2e

pytest-postgres-if-available:
	$(PY) -m backend.tests.on_postgresql --if-available

# The backend suite again on a throwaway local PostgreSQL server (fails when PostgreSQL is missing).
test-postgres: install
	$(PY) -m backend.tests.on_postgresql

# The login path against the password-hash ceiling; prints a table, writes backend/benchmarks/results.json.
bench: install
	$(PY) -m backend.benchmarks

test-unit: install
	$(PY) -m pytest backend/tests

test-e2e: install frontend
	$(PY) -m pytest e2e

test-frontend: frontend/node_modules/.installed
	cd frontend && npm test

lint: install frontend/node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	cd frontend && npm run lint

install: $(INSTALLED)

$(INSTALLED): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend: frontend/node_modules/.installed
	cd frontend && npm run build && npm run size

screenshots: install frontend
	$(PY) -m e2e.screenshots
