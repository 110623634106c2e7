# Two commands do everything on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve check test lint bench schema clean

site: $(STAMP)  ## validate, generate and build the sample exhibition into site/
	$(BIN)/showcase site

serve: $(STAMP)  ## preview with live reload on http://127.0.0.1:8000
	$(BIN)/showcase build
	$(BIN)/mkdocs serve --livereload

check: $(STAMP)  ## validate all content, print every problem
	$(BIN)/showcase check

schema: $(STAMP)  ## regenerate schemas/*.json from the model
	$(BIN)/showcase schema

test: $(TSTAMP)  ## lint and run the whole test suite
	$(BIN)/ruff check scripts tests bench
	$(BIN)/ruff format --check scripts tests bench
	$(BIN)/python -m pytest

bench: $(STAMP)  ## print the benchmark table
	$(BIN)/python bench/run.py

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e .
	touch $@

$(TSTAMP): $(STAMP)
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[test]'
	@# browser tests drive Debian's chromium (Playwright never downloads a browser here)
	command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }
	@# EPUB validation: Debian's epubcheck (Java); tests call its jar
	test -f /usr/share/java/epubcheck.jar || { apt-get update -qq && apt-get install -y -qq epubcheck; }
	@# screenshots show Chinese only with a CJK font (else every character is a box)
	test -d /usr/share/fonts/opentype/noto || { apt-get update -qq && apt-get install -y -qq fonts-noto-cjk; }
	touch $@

clean:
	rm -rf build site .pytest_cache
