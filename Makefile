# Synergy Hub — the two set-up commands are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2

.PHONY: install bench-install run dev test lint typecheck checks test-sqlite test-postgres browser-deps messages clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(STAMP)

# The relevance benchmark's English baseline encoder needs PyTorch (pinned CPU build).
bench-install: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev,bench]'

run: install
	HOST=$(HOST) PORT=$(PORT) $(BIN)/synergy run

# For development: DEBUG on, Django's auto-reloading server instead of the production one.
dev: install
	DEBUG=1 HOST=$(HOST) PORT=$(PORT) $(BIN)/synergy run --dev

test: install browser-deps lint typecheck checks test-sqlite test-postgres

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

checks: install
	$(BIN)/synergy check --fail-level WARNING
	$(BIN)/synergy makemigrations --check --dry-run
	$(BIN)/python scripts/check_messages.py
	DJANGO_ENV=production SECRET_KEY=check-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
		SYNERGY_AUDIT_KEYS=check-only:$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
		ALLOWED_HOSTS=hub.example.org $(BIN)/synergy check --deploy --fail-level WARNING

test-sqlite: install
	$(BIN)/pytest -n $(PYTEST_WORKERS)

test-postgres: install
	@if $(BIN)/python scripts/postgres_ready.py "$(POSTGRES_URL)"; then \
		echo "PostgreSQL answers: running the suite on it"; \
		DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -n $(PYTEST_WORKERS); \
	else \
		echo "PostgreSQL does not answer at $(POSTGRES_URL): suite ran on SQLite only"; \
	fi

browser-deps:
	@scripts/ensure_chromium.sh

messages: install
	cd src/synergy_hub && ../../$(BIN)/synergy makemessages -l zh_Hans --no-obsolete --ignore 'matching/engine/*' --ignore 'odrl/*' --ignore 'eligibility/*'
	cd src/synergy_hub && ../../$(BIN)/synergy compilemessages

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
