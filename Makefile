# Everything a fresh machine needs (python3 >= 3.11 and make) is installed from here: the virtual
# environment, the pinned dependency tree (requirements.lock) and this package in editable mode, with uv.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export AIRACE_SOURCES ?= $(CURDIR)/data/sources.yaml
export AIRACE_DUCKDB_PATH ?= $(CURDIR)/data/airace.duckdb
# The working folder belongs to one sources file (its name and a checksum of its absolute path), so that
# `AIRACE_SOURCES=mine.yaml make run` and a plain `make run` never load each other's documents: each has
# its own working file, dlt state (data/work/<tag>/dlt_pipelines) and sensor file index beside it.
SOURCES_TAG := $(basename $(notdir $(AIRACE_SOURCES)))-$(firstword $(shell printf '%s' '$(abspath $(AIRACE_SOURCES))' | cksum))
export AIRACE_WORK_DUCKDB_PATH ?= $(CURDIR)/data/work/$(SOURCES_TAG)/airace_work.duckdb
# One "materialization planned" event per asset for a ranged run instead of one per partition (month):
# fewer writes to Dagster's SQLite storage before the run starts.
export DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS ?= 1

.PHONY: help venv env browser run run-scaled report screenshots backfill dev test test-fast lint format lock clean

# `make backfill` without both days stops here, before anything is installed or started.
ifneq ($(filter backfill,$(MAKECMDGOALS)),)
ifeq ($(and $(START),$(END)),)
$(error make backfill needs START=YYYY-MM-DD END=YYYY-MM-DD (publication days, both included))
endif
endif

help:
	@echo "make run        set up, materialise every asset over the bundled corpus into $$AIRACE_DUCKDB_PATH"
	@echo "make run-scaled the same job on a throwaway PostgreSQL (Dagster instance, lake catalog) and a local"
	@echo "                Dask cluster of WORKERS=2 worker processes, all on 127.0.0.1 and stopped at the end"
	@echo "make report     rebuild the HTML report (data/report/index.html) from the published file, offline"
	@echo "make backfill   START=YYYY-MM-DD END=YYYY-MM-DD: re-derive the months holding those days"
	@echo "make env        the paths the other targets use (sources, published and working files, DAGSTER_HOME)"
	@echo "make test       set up and run the whole test suite (slow end-to-end and browser tests included)"
	@echo "make test-fast  the suite without tests marked slow"
	@echo "make postgres   install Debian's postgresql package if missing (the PostgreSQL tests need it)"
	@echo "make dev        the Dagster UI on http://127.0.0.1:3000 (DAGSTER_HOME=$(DAGSTER_HOME))"
	@echo "make lint       ruff check and format check"
	@echo "make eval       extraction quality on the labelled set (ARGS=--write-baseline re-writes the baseline)"
	@echo "make eval-real  quality on real pages: TEXTS=folder of fetched passages, SPLIT=dev|test|all"
	@echo "make screenshots refresh docs/lineage.png and docs/report.png (a run, dagster dev, headless chromium)"
	@echo "make bench      floor vs naive dlt vs our pipeline at $(BENCH_SIZES) docs -> bench/RESULTS.md"
	@echo "                (smaller: make bench BENCH_SIZES=10000; more options: ARGS=--help)"

# uv, itself from the package index, installs the 119 pinned packages in parallel: about 12 s on this
# machine with an empty cache, where pip took 3 to 5 minutes of every fresh CI run. --native-tls trusts the
# system's certificates, as pip does; --compile-bytecode writes the .pyc files as pip does, which matters
# where PYTHONDONTWRITEBYTECODE is set: without them every Dagster step process compiled Dagster again, and
# the test suite took 19.5 minutes instead of 12.5.
UV_FLAGS := --quiet --native-tls --compile-bytecode --python $(BIN)/python

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "airace_pipeline needs Python >= 3.11; set PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==0.13.9"
	$(BIN)/uv pip install $(UV_FLAGS) -r requirements.lock
	$(BIN)/uv pip install $(UV_FLAGS) --no-deps -e .
	touch $(STAMP)

# The instance settings (the duckdb pool's limit of one step) come with the environment, so that
# `dagster` commands typed by hand after `make venv` queue on the pool like `make run` does.
venv: $(STAMP) $(DAGSTER_HOME)/dagster.yaml

# Dagster's storage: PostgreSQL (deploy/dagster-postgres.yaml) when AIRACE_DAGSTER_PG_URL holds a
# connection URL, SQLite files in DAGSTER_HOME (dagster.yaml) otherwise. The choice is checked on every
# call and the installed file replaced when it differs, so switching either way never leaves the other one.
# The URL must name the psycopg2 driver (postgresql+psycopg2://...): SQLAlchemy 2.1 takes a bare
# postgresql:// for psycopg 3's, which dagster-postgres does not work with.
DAGSTER_YAML := $(if $(AIRACE_DAGSTER_PG_URL),deploy/dagster-postgres.yaml,dagster.yaml)
$(DAGSTER_HOME)/dagster.yaml: FORCE
	@case "$$AIRACE_DAGSTER_PG_URL" in ""|postgresql+psycopg2://*) ;; *) \
	  echo "AIRACE_DAGSTER_PG_URL must start with postgresql+psycopg2:// (Dagster's driver; docs/scaling-postgres.md)"; exit 1;; esac
	@mkdir -p $(DAGSTER_HOME)
	@cmp -s $(DAGSTER_YAML) $@ || { cp $(DAGSTER_YAML) $@ && echo "installed $(DAGSTER_YAML) as $@"; }

.PHONY: FORCE
FORCE:

env:
	@echo "AIRACE_SOURCES=$(AIRACE_SOURCES)"
	@echo "AIRACE_DUCKDB_PATH=$(AIRACE_DUCKDB_PATH)"
	@echo "AIRACE_WORK_DUCKDB_PATH=$(AIRACE_WORK_DUCKDB_PATH)"
	@echo "AIRACE_REPORT_DIR=$(or $(AIRACE_REPORT_DIR),$(dir $(AIRACE_DUCKDB_PATH))report)"
	@echo "DAGSTER_HOME=$(DAGSTER_HOME)"

run: $(STAMP) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m airace_pipeline run

# Scale-out on one machine (airace_pipeline/cluster/scaled_run.py): its own DAGSTER_HOME and working file
# in a temporary folder, the published file the same as make run's.
WORKERS ?= 2
run-scaled: $(STAMP) postgres
	$(BIN)/python -m airace_pipeline.cluster.scaled_run --workers $(WORKERS)

# The report alone, from the current published file (`make run` builds it too, as the `report` asset).
report: $(STAMP)
	$(BIN)/python -m airace_pipeline report

# The README's two pictures, taken in headless chromium after a run on temporary files (docs/screenshots.py).
screenshots: $(STAMP) browser
	$(BIN)/python docs/screenshots.py

backfill: $(STAMP) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m airace_pipeline run --start "$(START)" --end "$(END)"

dev: $(STAMP) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

# The UI test drives Debian's chromium (browser downloads do not work offline); install it if missing.
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "make test needs Debian's chromium package: apt-get install chromium (as root)"; exit 1; fi; }

# The PostgreSQL tests start a throwaway cluster (airace_pipeline/cluster/postgres.py) from Debian's server
# binaries; install them if missing. (Debian's package also creates and starts a system cluster on port
# 5432; nothing here uses it.)
.PHONY: postgres
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
	  else echo "make test needs Debian's postgresql package: apt-get install postgresql (as root)"; exit 1; fi; }

test: $(STAMP) browser postgres
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

.PHONY: eval
eval: $(STAMP)
	$(BIN)/python -m airace_pipeline.evaluation $(ARGS)

# Real-text evaluation: the passages are not in the repository (data/eval/real/README.md
# says how to fetch them); TEXTS is the folder holding them, SPLIT dev, test or all.
TEXTS ?= data/real_texts
SPLIT ?= dev
.PHONY: eval-real
eval-real: $(STAMP)
	$(BIN)/python -m airace_pipeline.evaluation.real_cli check --texts $(TEXTS)
	$(BIN)/python -m airace_pipeline.evaluation.real_cli score --texts $(TEXTS) --split $(SPLIT) $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check airace_pipeline airace_pipeline_tests bench docs
	$(BIN)/ruff format --check airace_pipeline airace_pipeline_tests bench docs

format: $(STAMP)
	$(BIN)/ruff check --fix airace_pipeline airace_pipeline_tests bench docs
	$(BIN)/ruff format airace_pipeline airace_pipeline_tests bench docs

# Floor (DuckDB SQL), naive dlt load and our pipeline on the same generated documents (cached in
# bench/.data/); prints the figures and writes bench/RESULTS.md. The 1M size takes a long while.
BENCH_SIZES ?= 10000,100000,200000,1000000
.PHONY: bench
# First the scale-out figures (bench/scaleout.json): Dagster's bookkeeping on SQLite and PostgreSQL, and
# extraction in one process, the local pool and Dask with 1 and 2 workers; bench.run puts them in RESULTS.md.
bench: $(STAMP) postgres
	$(BIN)/python -m bench.instance_storage --rounds 3
	$(BIN)/python -m bench.distributed_extraction --docs 5000 --rounds 2
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES) $(ARGS)

# Regenerate the full pinned tree from pyproject's direct pins (needs the package registry).
lock:
	rm -rf /tmp/airace-lock-venv && $(PYTHON) -m venv /tmp/airace-lock-venv
	/tmp/airace-lock-venv/bin/python -m pip install --quiet -e ".[dev]"
	/tmp/airace-lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^airace' > requirements.lock

clean:
	rm -rf $(VENV) $(DAGSTER_HOME) data/work
