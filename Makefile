# align: `make run` runs the main job, `make test` the test suite. Each creates .venv on
# first use and works alone on a fresh clone: `run` installs only the runtime dependencies
# (no torch, no pytest), `test` adds the dev extras. A stamp file per install remembers what
# is in .venv; it is redone when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: install install-dev run test lint format bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

# The dev extras include everything the main job needs, so they satisfy `run` too.
$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@ $(RUN_STAMP)

install: $(RUN_STAMP)

install-dev: $(DEV_STAMP)

run: $(RUN_STAMP)
	$(BIN)/align run

test: $(DEV_STAMP)
	$(BIN)/python -m pytest -q

lint: $(DEV_STAMP)
	$(BIN)/ruff check align tests bench
	$(BIN)/ruff format --check align tests bench

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix align tests bench
	$(BIN)/ruff format align tests bench

bench: $(DEV_STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# The API reference (pdoc) of the public names in align/__init__.py and every stage.
docs: $(DEV_STAMP)
	rm -rf docs/api
	$(BIN)/pdoc --docformat google -o docs/api align align.text align.mt align.glossary \
		align.aligner align.tmx align.scoring align.run align.model align.errors
	@echo "open docs/api/index.html"

clean:
	rm -rf outputs/* .pytest_cache build *.egg-info docs/api
