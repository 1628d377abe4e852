# Wegwijs: every routine task has a target. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
BIN       := $(VENV)/bin
PY        := $(BIN)/python
RASA      := $(BIN)/rasa
INSTALLED := $(VENV)/.installed
SPACY_NL  := build/spacy/nl/meta.json
TRAINED   := models/.trained
MODEL_INPUTS := config.yml domain.yml $(shell find data components -name '*.yml' -o -name '*.py' 2>/dev/null) $(SPACY_NL)

# Quiet TensorFlow's start-up chatter; keep Rasa's own logging (what Rasa still lets through: bot/ops/quiet.py).
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONWARNINGS := ignore::DeprecationWarning
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help install spacy train run chat validate unit stories e2e test eval bench profile lint format duplicates clean
.PHONY: production-setup run-production scale

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(INSTALLED) ## Create .venv (Python 3.10) with the pinned dependencies
$(INSTALLED): pyproject.toml requirements.lock tools/find-python.sh
	@test -x $(PY) || "$$(tools/find-python.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade 'pip==24.3.1'
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

spacy: $(SPACY_NL) ## Prepare the Dutch spaCy pipeline (nl_core_news_sm if installed, else our own)
$(SPACY_NL): $(INSTALLED) bot/ops/spacy_pipeline.py
	$(PY) -m bot.ops.spacy_pipeline build/spacy/nl

train: $(TRAINED) ## Train the model when data, domain or config changed
$(TRAINED): $(INSTALLED) $(MODEL_INPUTS)
	@# Rasa's log goes to build/train.log; the terminal gets a progress line (bot/ops/train.py).
	@$(PY) -m bot.ops.train --log build/train.log --num-threads 2
	@touch $@

run: $(TRAINED) ## Start the Rasa server and the action server on localhost
	@$(PY) -m bot.ops.cli check-config
	@# Rasa's SQLite tracker store (endpoints.yml) lives in var/ and does not create the folder.
	@mkdir -p var
	@echo "Wegwijs starts: the web server, Rasa (loading the model) and the action server; a line says when they all answer."
	@# Rasa and rasa_sdk reset the warning filters, so bot/ops/quiet.py drops the third-party deprecation
	@# warnings from the output (errors and other warnings pass); bot/ops/ready.py prints the ready line.
	@set -o pipefail; $(BIN)/honcho start --no-prefix -f Procfile 2>&1 | $(PY) -m bot.ops.quiet

production-setup: $(INSTALLED) ## Install nginx (Debian's package) for the production profile, when missing
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { apt-get update -qq && apt-get install -y -qq nginx; }

run-production: $(TRAINED) production-setup ## Scaled out on this machine: nginx, Rasa replicas, action servers, PostgreSQL, Redis
	@$(PY) -m bot.ops.cli check-config
	$(BIN)/bot serve --profile production

chat: $(INSTALLED) ## Chat with the running bot in the terminal
	@$(BIN)/bot chat

validate: $(INSTALLED) ## Check training data, domain and stories for conflicts
	@# Rasa 3.6 exits 0 on some warnings despite --fail-on-warnings: fail on any warning line too.
	@mkdir -p build
	set -o pipefail; $(RASA) data validate --fail-on-warnings --max-history 5 2>&1 | tee build/validate.log
	@! grep -E "UserWarning|ERROR" build/validate.log

unit: $(INSTALLED) $(SPACY_NL) production-setup ## Unit tests (bot/, actions/, components/; the nginx config is checked by nginx itself)
	$(BIN)/pytest -m 'not e2e and not scale' -q

stories: $(TRAINED) ## Test stories: every conversation path must be predicted exactly
	$(RASA) test core --stories tests/stories --fail-on-prediction-errors --out build/results/stories

e2e: $(TRAINED) browser ## Conversations over REST with the real Rasa and action servers
	$(BIN)/pytest -m e2e -q

eval: $(TRAINED) ## NLU scores on held-out data; fails below the intent macro-F1 gate
	$(PY) -m tools.nlu_eval

scale: $(TRAINED) production-setup ## Replicas, faults and recovery with PostgreSQL and Redis (skipped without them)
	$(BIN)/pytest -m scale -q

# The widget's browser tests: Debian's chromium (a test tool's own browser download is not possible
# here) and axe-core from npm, pinned.
AXE_VERSION := 4.14.1
AXE := build/node_modules/axe-core/axe.min.js
.PHONY: browser
browser: $(AXE) ## Install Debian's chromium and axe-core for the widget's browser tests
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)
$(AXE):
	npm install --prefix build --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_VERSION)
	@test -f $@

test: lint validate unit stories e2e eval scale ## Everything CI runs

bench: $(TRAINED) production-setup ## Ours (production profile) against stock Rasa 3.6: msg/s, latency, memory
	$(PY) -m tools.bench

profile: $(TRAINED) ## Where a replica's CPU goes per message (py-spy over the bench conversations, in one process)
	$(PY) -m tools.profile --sample 60

LINTED := bot actions components serving tools tests

lint: $(INSTALLED) ## ruff (lint and format) and mypy, pinned
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

duplicates: ## The workplace's duplicate finder on the change (before a commit; not part of make test)
	duplicates --change

format: $(INSTALLED) ## Sort imports and format the code (what `make lint` checks)
	$(BIN)/ruff check --select I --fix $(LINTED)
	$(BIN)/ruff format $(LINTED)

clean: ## Remove trained models and build output (keeps .venv)
	rm -rf models build results .rasa
