# Managed Behaviour Portal — the two commands a new machine needs:
#   make run    set up and serve the portal with demo data on SQLite (http://127.0.0.1:5000),
#               with a background job worker beside it
#   make test   set up (Chromium, PostgreSQL 15 if missing) and run every test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
export FLASK_APP := portal
# apt needs root: use sudo when not root (CI and these machines run as root).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PG_BIN := /usr/lib/postgresql/15/bin

.PHONY: run port-free test system-deps letter-deps vnu translations compile-translations assets lint clean

# Every package, transitive ones included, at the version and sha256 hash in requirements/
# (written by scripts/lock_requirements.py from pyproject.toml): pip refuses anything else.
$(VENV)/.run-installed: pyproject.toml requirements/run.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/run.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml requirements/test.lock $(VENV)/.run-installed
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/test.lock
	$(BIN)/pip check
	touch $@

# The port is checked first: a taken port is reported before minutes of set-up.
run: port-free letter-deps $(VENV)/.run-installed compile-translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load
	@# A job worker beside the web server (imports, report PDFs, subject access), stopped when the server stops
	@# or on Ctrl-C (the EXIT trap; the trailing kill keeps bash from exec-ing flask run).
	@# Links in emails, and the one host the portal answers for, follow HOST and PORT.
	export PORTAL_BASE_URL=$${PORTAL_BASE_URL:-http://$(HOST):$(PORT)}; \
	$(BIN)/flask demo welcome; \
	$(BIN)/flask jobs work & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	  $(BIN)/flask run --host $(HOST) --port $(PORT); kill $$worker

port-free:
	@$(PYTHON) scripts/check_port.py $(HOST) $(PORT)

# Lint first (ruff check with the complexity rule, and formatting): it takes seconds.
test: system-deps letter-deps vnu $(VENV)/.test-installed compile-translations lint
	$(BIN)/python -m pytest

# Debian packages the tests need: Chromium for browser tests (never `playwright install`),
# PostgreSQL 15 for the database tests' private server, and ClamAV's clamscan for the
# virus-scanning tests (given an EICAR-only signature database by the test run). Only what is
# missing is installed: a machine whose Node.js comes with its own npm refuses Debian's npm.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	[ -x $(PG_BIN)/initdb ] || missing="$$missing postgresql-15"; \
	command -v clamscan >/dev/null || missing="$$missing clamav"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    $$missing >/dev/null; \
	fi

# The W3C Nu HTML Checker for the valid-HTML tests (issue 16), at the version and integrity
# hash in tests/vnu/package-lock.json; run with Debian's Java (its download script is skipped).
VNU_JAR := tests/vnu/node_modules/vnu-jar/build/dist/vnu.jar
vnu: $(VNU_JAR)
$(VNU_JAR): tests/vnu/package-lock.json
	npm ci --prefix tests/vnu --ignore-scripts --no-audit --no-fund --silent
	touch $@

# What letters need: Pango for WeasyPrint, and fonts for every script the portal writes in
# — Latin with diacritics, Arabic/Urdu, Bengali, Gurmukhi, Cyrillic (Noto) (issue 5); the
# espeak-ng voices and lame for audio letters, liblouis for braille-ready ones (issue 7).
letter-deps:
	@if ! fc-list 2>/dev/null | grep -q "Noto Naskh Arabic" || ! ldconfig -p | grep -q libpangoft2-1.0 \
	    || ! command -v espeak-ng >/dev/null || ! command -v lame >/dev/null \
	    || ! command -v lou_translate >/dev/null; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core \
	    fonts-noto-core espeak-ng lame liblouis-bin >/dev/null; \
	fi

translations: $(VENV)/.run-installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  --project "Managed Behaviour Portal" --copyright-holder "Alliance Homes" \
	  -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(MAKE) compile-translations

compile-translations: $(VENV)/.run-installed
	@$(BIN)/pybabel compile -d translations --statistics

# Rebuild static/ from package.json (needs Node.js; the built files are committed).
assets:
	./scripts/build_assets.sh

lint: $(VENV)/.test-installed
	$(BIN)/ruff check portal tests benchmarks scripts
	$(BIN)/ruff format --check portal tests benchmarks scripts

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache
