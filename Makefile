# The two commands of the README: `make run` and `make test`. Everything else here is what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test demo clean assets catalog

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when the pins change.
$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

data/demo.xlsx: $(VENV)/.runtime
	$(PY) -m data.build_demo --out data/demo.xlsx

demo: data/demo.xlsx

# The compiled catalogs: built here ahead of time, and by the app itself at first use when missing or older
# than their .po (schemas/i18n.py), so `streamlit run app.py` alone needs no make. The Khmer font is committed
# in static/ (Noto Sans Khmer from the pinned fontpkg-noto-sans-khmer, OFL-1.1, licence beside it; a test
# checks they are the same file): Streamlit serves it from the very first request, before any script ran.
CATALOGS := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/backoffice.po))

locale/%/LC_MESSAGES/backoffice.mo: locale/%/LC_MESSAGES/backoffice.po $(VENV)/.runtime
	$(VENV)/bin/pybabel compile --domain backoffice --input-file $< --output-file $@

assets: $(CATALOGS)

# After changing texts in the code: extract them and merge into each language's .po (then translate what is new).
catalog: $(VENV)/.runtime
	$(VENV)/bin/pybabel extract --mapping-file babel.cfg --keywords N_ --no-location --sort-output --project "CCPCR Back Office" --output-file locale/backoffice.pot .
	$(VENV)/bin/pybabel update --domain backoffice --input-file locale/backoffice.pot --output-dir locale --no-fuzzy-matching --ignore-obsolete

# Binds to 127.0.0.1: with no sign-in configured the app runs as a single local admin. It answers to this
# computer's own names only (server.allowedHosts): a web page elsewhere that points its name at 127.0.0.1 (DNS
# rebinding) cannot open the app's connection; the app refuses such a Host itself too (ui/auth.py).
# `streamlit run app.py` alone gives the same app: it builds the demo workbook and the catalogs on first start;
# `make run` builds them beforehand.
LOOPBACK_HOSTS := --server.allowedHosts localhost --server.allowedHosts 127.0.0.1 --server.allowedHosts ::1
run: $(VENV)/.runtime data/demo.xlsx assets
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) $(LOOPBACK_HOSTS) --server.headless true --browser.gatherUsageStats false

# The whole suite in one process, one test after another (as CI). The slowest tests are listed at the end, to see
# where the time goes. `make test PYTEST_ARGS="-n auto --dist loadgroup"` runs one worker per core (pytest-xdist):
# each test module on one worker, every browser test on the same one, one at a time (tests/conftest.py); about
# half the time, but the live-refresh browser test then fails (see tests/conftest.py).
PYTEST_ARGS ?=
test: $(VENV)/.dev assets
	$(PY) -m pytest $(PYTEST_ARGS) --durations=15

clean:
	rm -rf $(VENV) data/demo.xlsx data/cache.duckdb $(CATALOGS)
