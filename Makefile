# The two commands: `make run` (demo server) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Test-only settings; production reads real values from the environment (README).
TEST_ENV := SECRET_KEY=insecure-test-key-not-for-production SECURE_SSL_REDIRECT=0 \
	FIELD_ENCRYPTION_KEY=insecure-test-field-key

.PHONY: run test install install-test lint format messages check layout clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	flock $(VENV)/.pip.lock $(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	flock $(VENV)/.pip.lock $(BIN)/pip install --quiet -e ".[test,postgres]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_holidays
	DEBUG=1 $(BIN)/python manage.py load_demo
	# Pages open on the demo year's last day (PORTAL_TODAY, README "Settings"), read from the
	# demo's spec; set PORTAL_TODAY yourself to choose another day.
	DEBUG=1 PORTAL_TODAY=$${PORTAL_TODAY:-$$(DEBUG=1 $(BIN)/python manage.py load_demo --last-day)} \
		$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install-test
	$(TEST_ENV) $(BIN)/pytest $(ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install-test
	$(TEST_ENV) $(BIN)/python manage.py check
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# The layout (docs/architecture.md): import-linter's contracts in pyproject.toml (the layers,
# no import cycles inside an app) and the size bars (modules <= 500 lines, functions <= 80).
# Both run even when the first fails; either failing fails the target.
layout: install-test
	@status=0; \
	$(BIN)/lint-imports || status=1; \
	$(BIN)/python tools/check_sizes.py || status=1; \
	exit $$status

# Needs GNU gettext (apt-get install gettext); the compiled catalogues are committed.
# flock: several people (or helpers) may run it in one working tree.
messages: install-test
	flock locale/.lock env DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans -l en --no-obsolete \
		--ignore=.venv --ignore=staticfiles --ignore=tests
	flock locale/.lock $(BIN)/python locale/catalogues.py

# The resident-ledger import benchmark (docs/benchmarks.md, "Registry import"): 10,000 rows,
# fast path vs django-import-export's defaults; fails below 4x or above 300 MB.
.PHONY: bench-registry
bench-registry: install-test
	$(TEST_ENV) $(BIN)/python bench/registry_import.py $(ARGS)

# The whole benchmark suite (docs/benchmarks.md): page throughput under gunicorn + wrk at 1x
# and 10x data, the admin at division scale vs 1/100 (both on local PostgreSQL, databases
# portal_perf_bench_*, generated once by `manage.py generate_scale_data`), then the registry
# import and the monthly scores; bench/report.py writes the figures into docs/benchmarks.md.
# Takes 20-30 minutes the first time (data generation), about 15 afterwards.
BENCH_OUT ?= /tmp/hx-bench
.PHONY: bench
bench: install-test
	mkdir -p $(BENCH_OUT)
	$(BIN)/python bench/throughput.py --json $(BENCH_OUT)/throughput.json; echo $$? > $(BENCH_OUT)/throughput.rc
	$(BIN)/python bench/admin_scale.py --json $(BENCH_OUT)/admin.json; echo $$? > $(BENCH_OUT)/admin.rc
	$(TEST_ENV) $(BIN)/python bench/registry_import.py > $(BENCH_OUT)/registry.txt 2>&1; echo $$? > $(BENCH_OUT)/registry.rc
	$(BIN)/python bench/scores.py --rows 1000000 > $(BENCH_OUT)/scores.txt 2>&1; echo $$? > $(BENCH_OUT)/scores.rc
	$(BIN)/python bench/report.py $(BENCH_OUT) docs/benchmarks.md
	@! grep -qv '^0$$' $(BENCH_OUT)/*.rc || (echo "a benchmark missed its goal: see $(BENCH_OUT)" && false)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .import_linter_cache
