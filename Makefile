# replykit: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install lint bench report clean browser-deps db-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## demo: set up .venv, then suggest replies for a Danish post and check a Danish draft
demo: $(STAMP)
	@echo '$$ replykit suggest "Mit net er nede igen!! Hele vejen er uden internet" --channel facebook --var customer_name=Peter --var agent_name=Sofie'
	@$(BIN)/replykit suggest "Mit net er nede igen!! Hele vejen er uden internet" --channel facebook \
		--var customer_name=Peter --var agent_name=Sofie
	@echo
	@echo '$$ replykit check demo/draft-da.txt --lang da --channel facebook --customer-name Peter --agent-name Sofie'
	@$(BIN)/replykit check demo/draft-da.txt --lang da --channel facebook --customer-name Peter --agent-name Sofie || true

## test: the whole test suite (rule examples, packs, CLI, sandbox, fuzzing, browser)
test: $(STAMP)
	$(BIN)/python -m pytest

## lint: check the bundled template pack the way PR staff would
lint: $(STAMP)
	$(BIN)/replykit lint

## report: the HTML pack report for PR staff
report: $(STAMP)
	$(BIN)/replykit report -o report.html

## bench: latency, throughput, cold start, memory, pack-size growth, proselint side by side
bench: $(STAMP)
	$(BIN)/python bench/run.py

## browser-deps: Debian's Chromium and ChromeDriver for the HTML report's browser test
browser-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null)

## db-deps: Debian's PostgreSQL server for the feedback store's PostgreSQL tests (started by the tests)
db-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis
