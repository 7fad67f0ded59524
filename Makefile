# Two commands for a fresh machine: `make run` and `make test` (see README).
VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
EXTRAS_RUN  := model
EXTRAS_TEST := model,test
STAMP_RUN   := $(VENV)/.installed-run-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
STAMP_TEST  := $(VENV)/.installed-test-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test browser bench clean-output

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[$(EXTRAS_RUN)]"
	touch $@

$(STAMP_TEST): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[$(EXTRAS_TEST)]"
	touch $@

## Install the project and the default spaCy model, then process the sample corpus.
run: $(STAMP_RUN)
	$(BIN)/pipeline run data/raw --out data/processed

## Install with test extras, then run the whole test suite.
test: $(STAMP_TEST) browser
	$(BIN)/python -m pytest -q

## Headless Chromium and its driver for the `pipeline show` browser tests (Debian packages), where missing.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	fi

## Measure speed and memory against bare spaCy (see "Performance" in README.md).
bench: $(STAMP_TEST)
	$(BIN)/pip install --quiet -e ".[$(EXTRAS_TEST),bench]"
	$(BIN)/python bench/throughput.py --docs 120 --small 1000 --large 10000 --memory-paragraphs 1 --out bench/out/throughput.json

clean-output:
	rm -f data/processed/*.parquet data/processed/manifest.json
