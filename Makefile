# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint unit ui e2e bench clean i18n

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

test: $(STAMP) lint
	$(BIN)/pytest -q $(PYTEST_ARGS)

unit: $(STAMP)
	$(BIN)/pytest -q tests/unit

# Every benchmark, one after another (several minutes: they build branch-scale data once).
bench: $(STAMP)
	set -e; for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

# New interface messages into the Chinese catalogue (translations kept; fill the empty msgstr).
PO := src/policeroom/locale/zh_CN/LC_MESSAGES/policeroom.po
i18n: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output --omit-header -o .venv/policeroom.pot src/policeroom
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date \
		--init-missing -l zh_CN -D policeroom -i .venv/policeroom.pot -o $(PO)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
