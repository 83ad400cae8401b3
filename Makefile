# The two commands of the README: `make demo` and `make test`. Nothing else is needed but
# Python 3.11+ and make; every Python package comes from requirements/*.txt (the lock).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: demo test lint format lock clean-demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-%: requirements/%.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r $<
	touch $@

# Every process of the demo (web, worker, scheduler, seeding) gets the port it serves on: links in
# e-mails and calendar files follow it.
# (Not PORT: honcho gives each process a PORT of its own.)
DEMO := DJANGO_SETTINGS_MODULE=promosante.settings.local SITE_URL=http://127.0.0.1:$(PORT)

demo: $(VENV)/.installed-base
	mkdir -p var
	$(DEMO) $(BIN)/python manage.py demo_prepare
	$(DEMO) $(BIN)/python manage.py migrate --noinput
	$(DEMO) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(DEMO) $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Plateforme : http://127.0.0.1:$(PORT)/  (Ctrl+C pour arrêter)"
	@echo "  Les e-mails envoyés s'affichent dans ce terminal."
	@echo ""
	$(DEMO) WEB_PORT=$(PORT) $(BIN)/honcho --no-prefix -f Procfile.demo start 2>&1 | cat || true

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=promosante.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n auto

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-resolve the lock after changing pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --python-version 3.11 -o requirements/base.txt
	uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements/dev.txt
