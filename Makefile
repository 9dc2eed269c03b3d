# Every target sets itself up: a fresh clone needs only python3 (3.10+) and make.
#   make run PROMPT="generate 50 German customers"          the main job (ROWS=, LOCALE= override)
#   make test                                               ruff, unit tests, nbval on every notebook
#   make notebooks                                          re-execute every notebook in place, in order
#   make checkpoints                                        retrain the shipped models in data/ (on purpose)

PYTHON ?= python3
VENV   ?= .venv
# A CPU-friendly default; any torch>=2.6 works: make TORCH='torch>=2.6' test
TORCH  ?= torch==2.13.0
PROMPT ?= generate a hospital dataset
ROWS   ?=
SEED   ?= 0
LOCALE ?=
PORT   ?= 8000

PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))

.PHONY: setup run test lint unit nbval notebooks checkpoints benchmark serve load-test doctor ablation clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "$(TORCH)"
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

# The prompt and the numbers travel as data: make exports them to the environment without
# expanding them ($(value ...)), and the shell reads them inside double quotes, so a `$5`, a
# backtick or a `;` in PROMPT reaches the program as typed and never runs as a command.
run: export TST_PROMPT = $(value PROMPT)
run: export TST_ROWS = $(value ROWS)
run: export TST_SEED = $(value SEED)
run: export TST_LOCALE = $(value LOCALE)
run: $(STAMP)
	$(PY) -m helpers generate --seed "$$TST_SEED" $${TST_ROWS:+--rows "$$TST_ROWS"} \
		$${TST_LOCALE:+--locale "$$TST_LOCALE"} -- "$$TST_PROMPT"

lint: $(STAMP)
	$(PY) -m ruff check helpers tests notebooks scripts

unit: $(STAMP)
	$(PY) -m pytest tests -q

nbval: $(STAMP)
	$(PY) -m pytest --nbval-lax --nbval-current-env -q $(NOTEBOOKS)

test: $(STAMP)
	$(PY) -m ruff check helpers tests notebooks scripts
	$(PY) -m pytest -q tests $(NOTEBOOKS) --nbval-lax --nbval-current-env

notebooks: $(STAMP)
	@for nb in $(NOTEBOOKS); do \
		echo "executing $$nb"; \
		$(PY) -m jupyter nbconvert --to notebook --execute --inplace \
			--ExecutePreprocessor.timeout=600 \
			--ExecutePreprocessor.record_timing=False "$$nb" || exit 1; \
		$(PY) scripts/clean_notebooks.py "$$nb"; \
	done

checkpoints: $(STAMP)
	$(PY) scripts/refresh_checkpoints.py

benchmark: $(STAMP)
	$(PY) -m pip install --quiet -e ".[bench]"
	$(PY) scripts/benchmark_generation.py
	$(PY) scripts/benchmark_generation.py --linked

serve: $(STAMP)
	$(PY) -m uvicorn helpers.api:app --host 127.0.0.1 --port $(PORT)

load-test: $(STAMP)
	$(PY) scripts/load_test.py
	@if command -v wrk >/dev/null; then $(PY) scripts/load_test.py --wrk; \
	else echo "wrk is not installed: skipped its run (apt-get install wrk)"; fi

doctor: $(STAMP)
	$(PY) -m helpers doctor

ablation: $(STAMP)
	$(PY) scripts/ablation.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache notebooks/work
