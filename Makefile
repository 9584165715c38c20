# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PANTAU_DATABASE_URL ?= sqlite:///./var/pantau.db

.PHONY: install run test test-quick lint bench bench-scale clean translations

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The project's own modules compiled ahead: where PYTHONDONTWRITEBYTECODE is set (this machine,
# the Dockerfile) an editable install would otherwise compile ~45 modules on every command's start
# (0.06-0.1 s of `pantau import`); a module edited later is compiled afresh, as without this.
install: $(BIN)/.installed
	@$(BIN)/python -m compileall -q events projections notifications service >/dev/null

## run: set up, load the sample matrix and the demo's example contacts into an empty store, start
## the service on PORT (8000) with its local mailbox on SINK_PORT (8025): `make run PORT=8080 SINK_PORT=2525`
PORT ?= 8000
SINK_PORT ?= 8025
run: export PANTAU_SINK_PORT ?= $(SINK_PORT)
run: export PANTAU_RULES ?= service/data/demo-rules.toml
run: export PANTAU_BASE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(BIN)/pantau seed --demo
	@echo "Sign in at http://127.0.0.1:$(PORT)/ as the first admin: name empty, this token as the password (a new one each start):"
	@$(BIN)/pantau users ensure-admin | tail -n 1
	$(BIN)/pantau serve --port $(PORT)

# pytest keeps each test module as it rewrote it for its asserts (in __pycache__, ignored by git):
# where PYTHONDONTWRITEBYTECODE is set (this machine, CI's) it could not, and rewrote all ~250 test
# modules on every run, half of collecting the unit tier (8 s, 3.5 s once kept). Empty is unset.
test test-quick: export PYTHONDONTWRITEBYTECODE =

## test: lint, the quick tier (unit), then the rest (store, service, browser; PostgreSQL too when
## PANTAU_TEST_DATABASE_URL is set); the first failing step stops the run
test: install lint
	$(BIN)/pytest -q -m unit $(PYTEST_ARGS)
	$(BIN)/pytest -m "not unit" $(PYTEST_ARGS)

## test-quick: the unit tier only (pure folds, rules, rendering: seconds, no database)
test-quick: install
	$(BIN)/pytest -q -m unit $(PYTEST_ARGS)

## lint: ruff's checks, ruff's formatting (checked, not applied) and mypy, on the whole tree
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## bench: the store, alert and API benchmarks (each prints its figures and its baseline)
bench: install
	$(BIN)/python bench/append.py
	$(BIN)/python bench/alerts.py
	$(BIN)/python bench/api_load.py
	$(BIN)/python bench/cli_startup.py

## bench-scale: registries of 2,000 and 20,000 partnerships on PostgreSQL (PANTAU_TEST_DATABASE_URL's
## server, a fresh database each): import, a desk's reads, the matrix, alerts, rebuild (SCALE_ARGS=--sizes ...)
bench-scale: install
	$(BIN)/python bench/scale.py $(SCALE_ARGS)

clean:
	rm -rf $(VENV) var *.egg-info

## translations: gather the words of the code and templates into the catalogues, then compile them
## (a translator edits notifications/locale/{id,en}/LC_MESSAGES/messages.po with any PO editor)
translations: install
	mkdir -p var
	$(BIN)/pybabel extract -F babel.cfg -k t -k N_ --no-location --omit-header -o var/messages.pot .
	$(BIN)/python -m notifications.catalogue_keep var/messages.pot
	# id and en only: the partner's catalogues (ko, ja, zh_Hans) hold its letters' and page's words alone (docs/partner.md)
	for lang in id en; do $(BIN)/pybabel update -i var/messages.pot -d notifications/locale -l $$lang --no-fuzzy-matching --ignore-obsolete --width 100 || exit 1; done
	$(BIN)/pybabel compile -d notifications/locale --statistics
