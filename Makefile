# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint unit ui e2e bench bench-smoke clean i18n

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/policeroom training

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# The suite runs on pytest-xdist workers, each a process with its own PostgreSQL server and
# templates. Twice as many workers as CPUs, because a UI test spends half its time waiting
# for the app; no more than 8, as each worker may start a server. `--dist worksteal` hands
# a long test's neighbours to idle workers. Serial: `make test TEST_WORKERS=0`.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); w=$$((2 * n)); \
	[ $$w -gt 8 ] && w=8; echo $$w)
PARALLEL = -n $(TEST_WORKERS) --dist worksteal

test: $(STAMP) lint
	$(BIN)/pytest -q $(PARALLEL) $(PYTEST_ARGS)

unit: $(STAMP)
	$(BIN)/pytest -q $(PARALLEL) tests/unit

# Every benchmark, one after another, each figure a ratio to a baseline from the same run.
# The branch-scale database is built once into .bench-cache/ (a minute or two) and reused
# while the generator is unchanged. `make bench-smoke`: every bench on small data, once
# (the suite runs it too, in tests/unit/test_bench_smoke.py).
bench: $(STAMP)
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

bench-smoke: $(STAMP)
	$(BIN)/python bench/run_all.py --smoke

# New interface messages into the Chinese catalogue (translations kept; fill the empty msgstr).
PO := src/policeroom/locale/zh_CN/LC_MESSAGES/policeroom.po
i18n: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output --omit-header -o .venv/policeroom.pot src/policeroom
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date \
		--init-missing -l zh_CN -D policeroom -i .venv/policeroom.pot -o $(PO)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
