# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HASH := $(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
# The app with the unit-test tools; then the browser tools on top (Playwright).
STAMP := $(VENV)/.installed-core-$(HASH)
FULL := $(VENV)/.installed-full-$(HASH)
PORT ?= 8501
ADDRESS ?= localhost

.PHONY: run test lint unit browser chromium postgres nginx bench bench-app class-load load-test clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	$(BIN)/python -m scoring compile
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

$(FULL): $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test,browser]'
	touch $(FULL)

## make run: install (first time) and start the app on http://localhost:$(PORT)
## (make run ADDRESS=0.0.0.0 serves a classroom network: docs/deploy.md)
run: $(STAMP)
	$(BIN)/python -m ui.launch --port $(PORT) --address $(ADDRESS)

## make test: install what the tests need (Chromium, PostgreSQL and nginx included) and run
## every test, lint first (the tests start and stop a PostgreSQL server and an nginx of their own)
test: $(FULL) chromium postgres nginx lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

unit: $(STAMP) postgres
	$(BIN)/python -m pytest -m "not browser"

browser: $(FULL) chromium postgres nginx
	$(BIN)/python -m pytest -m browser

chromium:
	@sh scripts/ensure-chromium.sh

postgres:
	@sh scripts/ensure-postgres.sh

nginx:
	@sh scripts/ensure-nginx.sh

bench: $(STAMP)
	$(BIN)/python -m scoring bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis out

bench-app: $(FULL) chromium
	$(BIN)/python scripts/bench_app.py

## make class-load: 30 students join one class session, predict and submit a law
class-load: $(FULL) chromium
	$(BIN)/python scripts/class_load.py --students 30 --json

load-test: $(FULL) chromium
	$(BIN)/python -m pytest tests/load
	$(BIN)/python scripts/load_test.py --browser idle --sessions 1,5,10,10,10,20
	$(BIN)/python scripts/load_test.py --browser none --sessions 1,5,10,20,30 --settle 0
