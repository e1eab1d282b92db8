# Each target bootstraps .venv from the pinned requirements on a fresh machine (only python3 needed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format migrations-check messages bench loadtest loadtest-cluster soak drill-restore

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## run: migrate, load the curated data in data/, and serve the site on http://127.0.0.1:8000/
run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_fixtures data/
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: lint, then the whole test suite (on PostgreSQL when DATABASE_URL is set)
test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: $(VENV)/.dev
	$(BIN)/python manage.py makemigrations --check --dry-run

## messages: refresh the translation catalogues and compile them (needs GNU gettext)
messages: $(VENV)/.dev
	$(BIN)/python manage.py makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'tests/*'
	$(BIN)/python manage.py compilemessages --locale zh_Hans --ignore '.venv/*'

## bench: page, throughput and import figures on N synthetic programmes (PostgreSQL; needs wrk)
N ?= 100000
BENCH_ARGS ?=
bench: $(VENV)/.dev
	command -v wrk >/dev/null || [ "$$(id -u)" != 0 ] || apt-get install -y -q wrk
	$(BIN)/python bench/run.py --programs $(N) $(BENCH_ARGS)

## loadtest: 60 s of mixed traffic through gunicorn on PostgreSQL; fails on any error response
loadtest: $(VENV)/.dev
	command -v wrk >/dev/null || [ "$$(id -u)" != 0 ] || apt-get install -y -q wrk
	$(BIN)/python bench/loadtest.py --programs $(or $(LOAD_N),20000) --seconds 60

## loadtest-cluster: the same mix through scripts/cluster's load balancer, in phases with faults
## (bench/drills.py); fails on a missed check, or an error where a database could answer
loadtest-cluster: $(VENV)/.dev
	command -v wrk >/dev/null || [ "$$(id -u)" != 0 ] || apt-get install -y -q wrk
	$(BIN)/python bench/cluster_loadtest.py --programs $(or $(LOAD_N),20000) --phase-seconds $(or $(PHASE_SECONDS),20)

## soak: SOAK_MINUTES (10) of the mix through the load balancer, a curator saving every 2 s; fails on
## any error, or a worker whose memory grew by more than 10 %
soak: $(VENV)/.dev
	command -v wrk >/dev/null || [ "$$(id -u)" != 0 ] || apt-get install -y -q wrk
	$(BIN)/python bench/soak.py --programs $(or $(LOAD_N),20000) --minutes $(or $(SOAK_MINUTES),10)

## drill-restore: dumpdata, pg_dump and the fixture files, each restored into an empty PostgreSQL
## database; fails unless every public answer is the original's
drill-restore: $(VENV)/.dev
	$(BIN)/python bench/drill_restore.py
