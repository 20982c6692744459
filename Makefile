# The two commands of the README: `make run` and `make test`. Everything else here is what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test demo clean

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

# Binds to 127.0.0.1: with no sign-in configured the app runs as a single local admin.
run: $(VENV)/.runtime data/demo.xlsx
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

test: $(VENV)/.dev
	$(PY) -m pytest

clean:
	rm -rf $(VENV) data/demo.xlsx data/cache.duckdb
