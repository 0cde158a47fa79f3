# Two commands: `make run` serves the map, `make test` runs every test.
# Each sets up what it needs on a fresh machine (virtualenv, Python packages, Chromium).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed

.PHONY: run serve bench loadtest soak test test-js validate install lock run-deps test-deps clean \
	messages new-language

# --- Python packages: exact versions from the lock file -----------------------------------
# requirements.txt pins every package (test and lock extras, pip and setuptools included),
# resolved on Python 3.11 by `make lock`; installs take it as it is, without resolving.
LOCK := requirements.txt
LOCK_ARGS ?=  # `make lock LOCK_ARGS=--upgrade` moves every pin to the newest allowed release

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
	  echo "$(LOCK) is resolved for Python 3.11: run with PYTHON=python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet "$$(grep '^pip==' $(LOCK))"
	$(BIN)/pip install --quiet --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check  # a lock that misses a dependency of pyproject.toml fails here
	touch $(STAMP)

install: $(STAMP)

# Not after `install`: its `pip check` fails on purpose while the lock lags pyproject.toml.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet --no-deps -r $(LOCK)  # pip-tools at its locked version
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet $(LOCK_ARGS) \
	  --extra test --extra lock --build-deps-for editable --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links --no-emit-trusted-host -o $(LOCK) pyproject.toml
	$(MAKE) --no-print-directory install

# Debian packages: fonts for the exported maps (Noto Sans Arabic for Arabic names), and for
# the tests Chromium (Playwright never downloads a browser here) and poppler's pdfinfo.
RUN_PACKAGES := fonts-dejavu-core fonts-noto-core
# The server tests: nginx in front of gunicorn (deploy/nginx.conf), LibreOffice as a
# reader of CSV exports (tests/test_csv_injection.py).
SERVER_TEST_PACKAGES := nginx libreoffice-calc-nogui
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils $(SERVER_TEST_PACKAGES)

define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  SUDO=$$(command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

run-deps:
	$(call apt_install,$(RUN_PACKAGES))

test-deps:
	$(call apt_install,$(TEST_PACKAGES))

run: install run-deps
	FLASK_APP=wsgi.py $(BIN)/flask run --host $(HOST) --port $(PORT)

# Production-style serving: several workers, each holding the data and hot-reloading it.
serve: install run-deps
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py --workers 4 --threads 4 --timeout 60 \
	  --bind $(HOST):$(PORT) wsgi:app

# gunicorn, 2 workers, 8 readers for 60 s while the data changes and breaks (docs/performance.md)
soak: install
	$(BIN)/python -m bench.soak --duration 60 --readers 8

# TimeSliderChoropleth's page needs d3, jQuery and moment, the frame comparison MapLibre GL JS
# (bench/pages/maplibre.js): pinned in bench/package-lock.json.
bench/node_modules: bench/package.json bench/package-lock.json
	npm ci --prefix bench --no-audit --no-fund
	touch bench/node_modules

# Every size, TimeSliderChoropleth and the frame comparison (project / bare canvas / MapLibre):
# about 10 min on 2 quiet cores, one table with PASS/FAIL per target (docs/performance.md).
bench: install test-deps bench/node_modules
	$(BIN)/python -m bench.run

# 64 connections for 30 s on loopback against /, /api/state and a snapshot (docs/performance.md)
loadtest: install
	@command -v wrk >/dev/null 2>&1 || { \
	  SUDO=$$(command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench.load_test

# eslint for the page's JavaScript and axe-core for the accessibility test, pinned in
# package-lock.json (never served).
node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch node_modules

# The page's engine under node: the golden files are written from the Python Timeline
# first, so they always describe the code being tested.
test-js: install node_modules
	$(BIN)/python -m tests.js_golden tests/js/golden
	node --test tests/js/
	npx --no-install eslint mapapp/static bench/pages tests/js eslint.config.js

# bench/node_modules: the bench's tests load its MapLibre page for real.
test: install test-deps test-js bench/node_modules
	$(BIN)/ruff check mapapp tests conftest.py wsgi.py data/build bench deploy
	$(BIN)/mypy
	$(BIN)/pytest -q

# Interface strings (docs/i18n.md): extract every msgid into the template, then merge it
# into each language's catalogue (new msgids empty, changed ones fuzzy until reviewed).
CATALOGUES := mapapp/translations
messages: install
	$(BIN)/python -m mapapp.i18n extract $(CATALOGUES)/messages.pot
	if ls $(CATALOGUES)/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	  $(BIN)/pybabel -q update -i $(CATALOGUES)/messages.pot -d $(CATALOGUES) \
	    --no-wrap --ignore-obsolete; fi

# `make new-language LANG_CODE=fr`: a new catalogue, every msgstr empty.
new-language: messages
	$(BIN)/pybabel init -i $(CATALOGUES)/messages.pot -d $(CATALOGUES) -l $(LANG_CODE) --no-wrap

validate: install
	$(BIN)/mapapp validate data

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache node_modules tests/js/golden
