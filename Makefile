# Two commands for a newcomer: `make run` and `make test`. Only Python 3.11 and make are needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# uv installs in seconds where it is present; pip (which comes with Python) otherwise.
UV ?= $(shell command -v uv 2>/dev/null)
PIP_INSTALL = $(if $(UV),$(UV) pip install --quiet --python $(BIN)/python,$(BIN)/pip install --quiet)
# `make test` runs on every core (pytest-xdist, a test database and a Redis database per worker).
TEST_WORKERS ?= auto

.PHONY: prod-local run test install install-dev migrate demo lint format messages graphs clean

$(BIN)/python:
ifneq ($(UV),)
	$(UV) venv --quiet --seed --python $(PYTHON) $(VENV)
else
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
endif

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP_INSTALL) -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

## make run: portal on http://127.0.0.1:8000 with SQLite, eager tasks and the mock platform.
run: demo
	$(BIN)/python manage.py runportal 127.0.0.1:$(PORT)

## make prod-local: the docker-compose processes on this machine (gunicorn, workers, beat, mocks)
## against DATABASE_URL (PostgreSQL) and REDIS_URL, for load tests and drills.
prod-local: install
	$(BIN)/python bench/prod_local.py

## make test: the whole suite on every core (integration tests need DATABASE_URL and REDIS_URL;
## see README). TEST_WORKERS=0 runs it in one process.
test: install-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --ignore='.venv/*' --ignore='tests/*' --ignore='bench/*'
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore='.venv/*'

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
