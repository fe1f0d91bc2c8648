# zhibiao: two commands do all set-up on a fresh machine (Python 3.11 + make).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test bench robustness train train-scorer loo clean

SOURCES := $(shell find pipeline rules -type f -not -name '*.pyc')

# make run: the package alone (no test tools, no spaCy: extraction runs the model with numpy),
# a regular install (an editable one makes setuptools warn), redone when a source changes
$(STAMP): pyproject.toml $(SOURCES)
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	test -f $(TEST_STAMP) || $(BIN)/pip install -q .  # after make test, the editable install serves
	touch $(STAMP)

# make test / make train: the test tools and spaCy (the train extra) on top, editable
$(TEST_STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,train]'
	-$(BIN)/pip install -q atheris  # coverage-guided fuzzing where it installs; tests skip it otherwise
	touch $(TEST_STAMP)

## make run: install, extract corpus/, print a summary and where the output is
run: $(STAMP)
	@mkdir -p out
	$(BIN)/zhibiao extract corpus/speeches -o out/claims.jsonl
	@$(BIN)/python scripts/summary.py out/claims.jsonl

## make test: the full test suite (rules' examples, grammar, offsets, CLI, schema, eval floor)
test: $(TEST_STAMP)
	$(BIN)/ruff check pipeline tests scripts
	$(BIN)/python -m pytest -q

## make bench: throughput of the pipeline beside jieba, rjieba and OpenCC (the 27 reports of 2026), one process; a worker's peak RSS
bench: $(STAMP)
	$(BIN)/python scripts/bench.py

## make robustness: the damage suite (masks, lost %, line breaks, page furniture, spaces,
## Taiwan phrasing, pinyin): F1 per damage type vs undamaged, rules alone
robustness: $(TEST_STAMP)
	$(BIN)/python scripts/robustness.py

## make train: rebuild the shipped INDICATOR model from corpus/ (fixed seed, ~95 s), then the
## claim scorer on its claims
train: $(TEST_STAMP)
	$(BIN)/zhibiao train --corpus corpus
	$(MAKE) train-scorer

## make train-scorer: rebuild the claim scorer from every gold document of corpus/ and the
## facts of weakened rules (fixed seed; leave-one-document-out picks its threshold and draws
## docs/scorer-reliability.png; about 10 min on 2 busy cores)
train-scorer: $(TEST_STAMP)
	$(BIN)/zhibiao train-scorer --corpus corpus --weakened --plot docs/scorer-reliability.png

## make loo: leave-one-document-out, rules alone vs rules + model (~30 min for 20 documents)
loo: $(TEST_STAMP)
	$(BIN)/python scripts/loo.py corpus

clean:
	rm -rf $(VENV) out build *.egg-info .pytest_cache .ruff_cache
