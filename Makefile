# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PANTAU_DATABASE_URL ?= sqlite:///./var/pantau.db

.PHONY: install run test bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

## run: set up, load the sample matrix into an empty store, start the service
run: install
	$(BIN)/pantau seed
	$(BIN)/pantau serve

## test: the whole suite (PostgreSQL too when PANTAU_TEST_DATABASE_URL is set)
test: install
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/append.py

clean:
	rm -rf $(VENV) var *.egg-info
