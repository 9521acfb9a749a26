# The two commands: `make run` (the app with Haninge's demo data) and `make test`.
.DEFAULT_GOAL := help
SHELL := /bin/bash

# The first Python >= 3.12 on PATH (pyenv reads .python-version).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= trygghet-i-haninge
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo logins need only the password; `make run REQUIRE_2FA=true` asks for a
# code from an authenticator app too, as production does.
REQUIRE_2FA ?= false
# The demo runs as production does, DEBUG off, so that it shows the pages a
# resident would see (the site's own 404, 403 and 500, not Django's technical
# pages in English): over plain http on this machine, with a key for the demo
# only, the static files served from the apps' folders without collectstatic.
# `make run DEBUG=true` shows Django's debug pages instead.
DEBUG ?= false
RUN_ENV := DEBUG=$(DEBUG) SECRET_KEY=make-run-demo-only-never-in-production \
	ALLOWED_HOSTS=$(HOST),localhost,127.0.0.1 SECURE_SSL_REDIRECT=false \
	SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0 \
	SECURE_HSTS_INCLUDE_SUBDOMAINS=false SECURE_HSTS_PRELOAD=false \
	STATIC_MANIFEST=false WHITENOISE_USE_FINDERS=true

.PHONY: help run test test-tools lint format check-python messages

help:
	@echo "make run    start the app on SQLite with Haninge's demo data, http://$(HOST):$(PORT)/"
	@echo "make test   run the whole test suite (DATABASE_URL chooses the database;"
	@echo "            PYTEST_ARGS=\"-m 'not slow'\" leaves out the browser and server tests)"
	@echo "make lint   ruff check, ruff format --check, lint-imports, makemigrations --check"
	@echo "make messages  compile the Swedish translations (locale/sv/) after a change"

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Medborgarlöfte needs Python 3.12 or newer (Django 6.1), and none was found on PATH."; \
		echo "Install Python 3.12+ (e.g. 'pyenv install 3.12'), or run: make PYTHON=/path/to/python3.12 run"; \
		exit 1; \
	fi

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

# Chromium (browser tests), Java (HTML checker) and npm, from Debian's packages
# where they are missing: the same script CI runs.
test-tools:
	@bash scripts/install-test-tools.sh

# Test tools from npm (package.json, package-lock.json): the Nu Html Checker, vnu.jar.
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime when none is
# on PATH; the tests use the system's Java (Debian's default-jre-headless) instead.
node_modules/.installed: package.json package-lock.json | test-tools
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

run: $(VENV)/.installed
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) DEMO_PASSWORD='$(DEMO_PASSWORD)' $(BIN)/python manage.py load_haninge --demo
	@echo
	@echo "  Medborgarlöfte runs on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "  Demo logins, password '$(DEMO_PASSWORD)':"
	@echo "    samordnare     Kommunsamordnare, Haninge"
	@echo "    kontaktperson  Polisens kontaktperson, Haninge"
	@echo "    samverkanspart Samverkanspart (Haninge Bostäder), rapporterar händelser"
	@echo "  Two-factor authentication: REQUIRE_2FA=$(REQUIRE_2FA) (make run REQUIRE_2FA=true to try it)"
	@echo "  Background tasks (the municipality export): manage.py db_worker, started beside it"
	@echo
	$(RUN_ENV) $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(RUN_ENV) REQUIRE_2FA='$(REQUIRE_2FA)' $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Installs what it needs where it is missing (test-tools, .venv, node_modules).
# The whole suite, on every core. PYTEST_ARGS adds to pytest's options, e.g.
# `make test PYTEST_ARGS="-m 'not slow'"` (the browser, server and subprocess tests
# left out, as CI's SQLite run does) or PYTEST_ARGS=--cov (coverage, .coveragerc).
PYTEST_ARGS ?=
test: test-tools $(VENV)/.installed node_modules/.installed
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

# The project's own Swedish (locale/sv/LC_MESSAGES/*.po) into the .mo files Django
# reads; commit both. Needs GNU gettext (`apt-get install gettext`). Only the
# project's locale: not the packages' in .venv.
messages: $(VENV)/.installed
	DEBUG=true $(BIN)/python manage.py compilemessages --locale sv --ignore=.venv --ignore=node_modules
