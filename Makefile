# Two commands for a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,fast,plan]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/intscore rank examples/requests.csv

# Never installs system packages: without a browser the browser tests are skipped, and say so.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict src
	$(BIN)/pytest -rs -n auto

# intscore vs a DuckDB SQL script on 1k/100k/1M-row request logs (generated, not committed).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# A long fuzz run: 20,000 generated backlogs and configs through the CLI (and both engines),
# and 20,000 generated logs through both engines; INTSCORE_FUZZ_EXAMPLES changes the count.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/test_fuzz.py -q -p no:cacheprovider \
		tests/test_duckdb_engine.py::test_generated_logs_rank_alike_on_both_engines \
		--hypothesis-show-statistics

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
