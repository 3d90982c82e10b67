# vcd-mock: two commands do everything on a Debian 12 machine (as root) that has a Swift 6 toolchain on PATH.
#   make run    serve the default fixtures on http://127.0.0.1:8080 (ARGS='--port 9000' to pass flags)
#   make test   install what is missing, then run every test: Swift suites, the pyvcloud clients, the README
#               walk-through and the AMQP suite, with an isolated RabbitMQ (scripts/rabbitmq) up for all of them
SHELL := /bin/bash
APT_PACKAGES := libmicrohttpd-dev libxml2-dev librabbitmq-dev pkg-config curl python3 python3-venv rabbitmq-server
PYVCLOUD_VERSIONS := 23.0.4 18.2.2
VENVS := .build/venvs
AMQP_VENV := $(VENVS)/amqp-tests
RABBIT := scripts/rabbitmq
ARGS ?=

# The test broker's state dir and AMQP port: scripts/rabbitmq and the tests (which stop and start it) read these.
export VCD_MOCK_RABBIT_DIR ?= $(CURDIR)/.build/rabbitmq
export VCD_MOCK_RABBIT_PORT ?= 5673

# Runs $(1) with the test broker up and VCD_MOCK_TEST_AMQP_URL exported; stops the broker afterwards,
# on failure and on Ctrl-C too. A broker that does not start fails the run (scripts/rabbitmq prints its log).
with-broker = set -e; trap 'trap "" PIPE; $(RABBIT) stop || true' EXIT; trap 'exit 130' INT TERM HUP PIPE; \
	$(RABBIT) start; \
	export VCD_MOCK_TEST_AMQP_URL=$$($(RABBIT) url); \
	echo "make: broker up: VCD_MOCK_TEST_AMQP_URL=$$VCD_MOCK_TEST_AMQP_URL VCD_MOCK_RABBIT_DIR=$$VCD_MOCK_RABBIT_DIR"; \
	$(1)

AMQP_PYTEST = $(AMQP_VENV)/bin/python -m pytest IntegrationTests/amqp -v --binary .build/debug/vcd-mock

.PHONY: run test deps swift-test pyvcloud pyvcloud-admin readme amqp amqp-venv build bench clean

run: deps
	swift run vcd-mock $(ARGS)

# Build first, then one broker for every step (swift-test sees VCD_MOCK_TEST_AMQP_URL too).
test: deps build amqp-venv
	@$(call with-broker,$(MAKE) --no-print-directory pyvcloud pyvcloud-admin readme swift-test amqp)

# Installs the C libraries (and the Python bits the client tests need) only when something is missing.
deps:
	@command -v swift >/dev/null || { echo "make: no swift on PATH: install a Swift 6 toolchain (see README)"; exit 1; }
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make: installing $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps
	swift build --build-tests

swift-test: build
	swift test

# Real clients: pyvcloud from PyPI, each version in its own venv, driving the real server binary.
pyvcloud: build
	@set -e; for v in $(PYVCLOUD_VERSIONS); do \
	  venv=$(VENVS)/pyvcloud-$$v; \
	  if ! $$venv/bin/python -c "import pyvcloud" 2>/dev/null; then \
	    python3 -m venv $$venv && $$venv/bin/pip install -q "pyvcloud==$$v"; \
	  fi; \
	  $$venv/bin/python IntegrationTests/pyvcloud/flow.py --binary .build/debug/vcd-mock; \
	done

# Orgs, users, metadata and the entity resolver with pyvcloud 23.0.4 (pika reads a notification from the broker).
ADMIN_PY = $(VENVS)/pyvcloud-23.0.4/bin/python IntegrationTests/pyvcloud/admin.py --binary .build/debug/vcd-mock
pyvcloud-admin: build
	@v=$(VENVS)/pyvcloud-23.0.4; $$v/bin/python -c "import pyvcloud, pika" 2>/dev/null || { python3 -m venv $$v && $$v/bin/pip install -q pyvcloud==23.0.4 pika==1.4.4; }; if [ -n "$$VCD_MOCK_TEST_AMQP_URL" ]; then $(ADMIN_PY); else $(call with-broker,$(ADMIN_PY)); fi

# README's curl walk-through, run verbatim against a fresh server.
readme: build
	bash IntegrationTests/readme/walkthrough.sh .build/debug/vcd-mock

# The AMQP suite (IntegrationTests/amqp, pytest): the real binary against the real broker. Under `make test` the
# broker is already up; alone, `make amqp` starts and stops it itself. Never skips: no broker = failure.
amqp: build amqp-venv
	@if [ -n "$$VCD_MOCK_TEST_AMQP_URL" ]; then $(AMQP_PYTEST); else $(call with-broker,$(AMQP_PYTEST)); fi

amqp-venv: $(AMQP_VENV)/.installed

$(AMQP_VENV)/.installed: IntegrationTests/amqp/requirements.txt
	@rm -rf $(AMQP_VENV)
	python3 -m venv $(AMQP_VENV)
	$(AMQP_VENV)/bin/pip install -q -r IntegrationTests/amqp/requirements.txt
	@touch $@

bench:
	scripts/bench

clean:
	rm -rf .build
