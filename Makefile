# The two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
# The suite on every core (pytest-xdist); PYTEST_ARGS="-n 0" runs it in one process.
PYTEST_ARGS ?= -n auto
# Exported so that the portal builds its links (emails, certificates, badges) on this port.
export PORT
VENV := .venv
PY := $(VENV)/bin/python
# Django 6.1 needs Python 3.12: use python3.12 from PATH, else a pyenv-installed 3.12.
PYTHON312 ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	  $$p -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1 && { echo $$p; break; }; done)
# Debian packages WeasyPrint (Pango), the browser tests (Chromium) and the Nu HTML Checker (Java)
# need.
DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium fonts-dejavu-core \
	default-jre-headless
# The Nu HTML Checker, from npm's vnu-jar, kept out of git in .cache/vnu (its Java download script
# is not run: Debian's Java runs it).
# Pinned, so that a new release's new rules arrive by a change here, not by surprise in CI.
VNU_VERSION := 26.9.27
VNU_JAR := .cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: help demo test test-fast install check-system lint serve migrate seed clean prod-smoke nu-checker

help:
	@echo "make demo   install into .venv if needed, migrate, seed demo data, serve http://127.0.0.1:$(PORT)"
	@echo "make test   run the whole suite (browser tests too when /usr/bin/chromium is installed)"
	@echo "make lint   ruff"
	@echo "make prod-smoke  the production profile (gunicorn, db_worker, PostgreSQL, Redis, S3) and a journey"

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON312)" ]; then echo "Python 3.12 is needed (Django 6.1 requires it): install python3.12 and try again." >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

$(VNU_JAR):
	npm install --silent --no-audit --no-fund --ignore-scripts --prefix .cache/vnu vnu-jar@$(VNU_VERSION)

nu-checker: $(VNU_JAR)

check-system:
	@missing=""; \
	for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0; do \
	  ldconfig -p 2>/dev/null | grep -q "$$lib" || missing="$$missing $$lib"; done; \
	if [ -n "$$missing" ]; then \
	  echo "WeasyPrint needs Pango, which is missing ($$missing)." >&2; \
	  echo "Install it with: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" >&2; exit 1; fi

migrate: install
	@# The cache table first: migrate's post-migrate steps (standard pathways, exams) touch the cache.
	$(PY) manage.py createcachetable
	$(PY) manage.py migrate --no-input -v0

seed: migrate
	$(PY) manage.py seed_demo

demo: check-system seed
	@echo "Serving the demo at http://127.0.0.1:$(PORT) (Ctrl-C to stop)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: check-system install
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Note: /usr/bin/chromium is missing, so the browser tests are left out."; \
	  echo "      Install it with: sudo apt-get install chromium"; fi
	@if ! command -v java >/dev/null || [ ! -f $(VNU_JAR) ]; then \
	  echo "Note: Java or vnu.jar is missing, so the Nu HTML Checker's test is left out."; \
	  echo "      Install them with: sudo apt-get install default-jre-headless && make nu-checker"; fi
	$(PY) -m pytest $(PYTEST_ARGS)

# gunicorn (4 workers) + two db_workers on PostgreSQL, Redis and S3 (moto), a scripted journey.
prod-smoke: check-system install
	$(PY) bench/prod_smoke.py

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles
