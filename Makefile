# Two commands do everything on a fresh machine: `make run` and `make test`.
# Both install what they need on first use (a virtualenv in .venv from requirements.lock).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock | cksum | cut -d' ' -f1)
export DAGSTER_HOME ?= $(CURDIR)/.dagster
HOST ?= 127.0.0.1
PORT ?= 3000

.PHONY: install run test test-scale ui eval sql bench lint lock clean browser-check train calibrate calibrate-short \
	geonames snapshots rollback export

install: $(STAMP)

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

## Build and publish the warehouse (ARTICLES_DIR, WAREHOUSE_PATH, NLP_MODEL are honoured).
## Waits first (RUN_LOCK_TIMEOUT) if another run, e.g. the UI's schedule, is writing.
run: install
	$(BIN)/python -m pipelines.runlock
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dg launch --job incidents_job --config pipelines/config/run.yaml
	$(BIN)/python -m pipelines.summary

## The published snapshots, newest first; `make rollback [TO=<snapshot or run id>]` republishes one.
snapshots: install
	$(BIN)/python -m pipelines.publish list

rollback: install
	$(BIN)/python -m pipelines.publish rollback $(if $(TO),--to "$(TO)")

## Run the test suite (what CI runs).
test: install
	$(BIN)/python -m pytest

## Partitioned extraction through celery: Redis (installed if missing) and two celery workers
## started and stopped here, a backfill of several partitions, the published tables compared
## row by row with a single-process run of the same articles.
test-scale: install
	$(BIN)/python -m pipelines.scale_check $(SCALE_ARGS)

## Start the Dagster UI and daemon (schedules, sensors) on $(HOST):$(PORT).
ui: install
	$(BIN)/dagster dev -m pipelines.definitions -h $(HOST) -p $(PORT)

## Score extraction against ../shared/eval (EVAL_ARGS="--only seed" etc.).
EVAL_DIR ?= ../shared/eval
eval: install
	$(BIN)/python -m pipelines.evaluation --eval-dir $(EVAL_DIR) --out warehouse/eval $(EVAL_ARGS)

## Rebuild the sub-event classifier from seeds/training/ (seeds/models/subevent_classifier.pickle).
train: install
	$(BIN)/python -m pipelines.extract.classifier train

## Refit the confidence model on seeds/eval/calibration/ (seeds/models/confidence.json).
calibrate: install
	$(BIN)/python -m pipelines.evaluation.calibrate --out warehouse/eval $(CALIBRATE_ARGS)

## Refit the confidence of short reports (snippets, summaries) on seeds/eval/snippets-calibration/.
calibrate-short: install
	$(BIN)/python -m pipelines.evaluation.calibrate --out warehouse/eval --short-reports snippets-calibration \
		--short-reports notes-calibration

## Add a country's full GeoNames file (every village) to the gazetteer: make geonames COUNTRY=NG
geonames: install
	$(BIN)/python -m pipelines.extract.geonames $(COUNTRY)

## SQL on the published warehouse, read-only: `make sql` (shell) or `make sql Q="..."`.
sql: install
	$(BIN)/python -m pipelines.sql_shell $(if $(Q),--query "$(Q)") $(SQL_ARGS)

## acled_events as ACLED's CSV (its columns, its order) and as Parquet, in REPORTS_DIR.
export: install
	$(BIN)/python -m pipelines.marts.export $(EXPORT_ARGS)

## Throughput: bare model pass, full run, no-op run, +1% run, peak memory, words/s
## (BENCH_ARGS="--articles 20000"; default 2,000 synthetic articles).
bench: install
	$(BIN)/python -m pipelines.benchmark $(BENCH_ARGS)

## Headless Chromium on the UI and the report; refreshes docs/screenshots/ (Debian's chromium).
browser-check: install
	test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)
	$(BIN)/python -m pytest -m browser -p no:cacheprovider tests/test_browser.py

lint: install
	$(BIN)/ruff check pipelines tests

## Re-resolve requirements.in into the hashed lock (needs uv: pip install uv).
lock:
	uv pip compile --python-version 3.11 --generate-hashes requirements.in -o requirements.lock

clean:
	rm -rf warehouse/incidents.duckdb warehouse/.state warehouse/snapshots warehouse/reports warehouse/eval
