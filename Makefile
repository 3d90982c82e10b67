# vcd-mock: two commands do everything on a Debian 12 machine (as root) that has a Swift 6 toolchain on PATH.
#   make run    serve the default fixtures on http://127.0.0.1:8080 (ARGS='--port 9000' to pass flags)
#   make test   install what is missing, then run every test: Swift suites, the pyvcloud clients, the README
#               walk-through, the AMQP suite and the control API over a veth pair (IntegrationTests/netns), with an
#               isolated RabbitMQ (scripts/rabbitmq) up for all of them; every suite runs, then a summary
SHELL := /bin/bash
APT_PACKAGES := libmicrohttpd-dev libxml2-dev librabbitmq-dev libgnutls28-dev pkg-config curl python3 python3-venv rabbitmq-server iproute2
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
	url=$$($(RABBIT) url) || { echo "make: scripts/rabbitmq url failed (exit $$?): no broker URL for the tests"; exit 1; }; \
	[ -n "$$url" ] || { echo "make: scripts/rabbitmq url printed nothing"; exit 1; }; \
	export VCD_MOCK_TEST_AMQP_URL=$$url; \
	echo "make: broker up: VCD_MOCK_TEST_AMQP_URL=$$VCD_MOCK_TEST_AMQP_URL VCD_MOCK_RABBIT_DIR=$$VCD_MOCK_RABBIT_DIR"; \
	$(1)

AMQP_PYTEST = $(AMQP_VENV)/bin/python -m pytest IntegrationTests/amqp -v --binary .build/debug/vcd-mock

.PHONY: run test deps swift-test pyvcloud pyvcloud-admin negotiated vcdcli query-clients vapps readme amqp amqp-venv netns stress build bench clean

run: deps
	swift run vcd-mock $(ARGS)

# Build first, then one broker for every suite (swift-test sees VCD_MOCK_TEST_AMQP_URL too). scripts/test-suites
# runs every suite even when one fails (logs in .build/test-logs/), then sums up; non-zero exit if any failed.
TEST_SUITES := pyvcloud pyvcloud-admin negotiated vcdcli query-clients vapps readme swift-test amqp netns stress
test: deps build amqp-venv
	@$(call with-broker,scripts/test-suites $(TEST_SUITES))

# Installs the C libraries (and the Python bits the client tests need) only when something is missing.
deps:
	@command -v swift >/dev/null || { echo "make: no swift on PATH: install a Swift 6 toolchain (see README)"; exit 1; }
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make: installing $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# Progress lines ([12/300] Compiling ...) are dropped; warnings and errors are shown.
build: deps
	@set -o pipefail; swift build --build-tests 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\] ' || true; }

swift-test: build
	swift test

# Real clients: pyvcloud from PyPI, each version in its own venv, driving the real server binary.
pyvcloud: build
	@failed=0; for v in $(PYVCLOUD_VERSIONS); do \
	  venv=$(VENVS)/pyvcloud-$$v; \
	  if ! $$venv/bin/python -c "import pyvcloud" 2>/dev/null; then \
	    { python3 -m venv $$venv && $$venv/bin/pip install -q "pyvcloud==$$v"; } || { echo "pyvcloud $$v: 0 passed, 1 failed (install)"; failed=1; continue; }; \
	  fi; \
	  $$venv/bin/python IntegrationTests/pyvcloud/flow.py --binary .build/debug/vcd-mock || failed=1; \
	done; exit $$failed

# pyvcloud 23.0.4 as users run it: API version negotiated (no api_version) over HTTPS and HTTP, then pinned to 29.0-36.0.
negotiated: build
	@v=$(VENVS)/pyvcloud-23.0.4; $$v/bin/python -c "import pyvcloud" 2>/dev/null || { python3 -m venv $$v && $$v/bin/pip install -q pyvcloud==23.0.4; }; $$v/bin/python IntegrationTests/pyvcloud/negotiated.py --binary .build/debug/vcd-mock

# vcd-cli 24.1.0 with no -V against --tls: README's "Any client, any version" block, verbatim.
vcdcli: build
	@v=$(VENVS)/vcd-cli-24.1.0; $$v/bin/python -c "import vcd_cli" 2>/dev/null || { python3 -m venv $$v && $$v/bin/pip install -q vcd-cli==24.1.0; }; bash IntegrationTests/vcdcli/login.sh .build/debug/vcd-mock $$v/bin

# The query service through real clients: pyvcloud 23.0.4 at API 5.5, then vcd-cli 24.1.0 pinned to -V 5.5.
query-clients: build
	@set -e; p=$(VENVS)/pyvcloud-23.0.4; c=$(VENVS)/vcd-cli-24.1.0; $$p/bin/python -c 'import pyvcloud' 2>/dev/null || { python3 -m venv $$p && $$p/bin/pip install -q pyvcloud==23.0.4; }; [ -x $$c/bin/vcd ] || { python3 -m venv $$c && $$c/bin/pip install -q vcd-cli==24.1.0; }; $$p/bin/python IntegrationTests/pyvcloud/query.py --binary .build/debug/vcd-mock; bash IntegrationTests/vcdcli/query.sh .build/debug/vcd-mock $$c/bin/vcd

# Orgs, users, metadata and the entity resolver with pyvcloud 23.0.4 (pika reads a notification from the broker).
ADMIN_PY = $(VENVS)/pyvcloud-23.0.4/bin/python IntegrationTests/pyvcloud/admin.py --binary .build/debug/vcd-mock
pyvcloud-admin: build
	@v=$(VENVS)/pyvcloud-23.0.4; $$v/bin/python -c "import pyvcloud, pika" 2>/dev/null || { python3 -m venv $$v && $$v/bin/pip install -q pyvcloud==23.0.4 pika==1.4.4; }; if [ -n "$$VCD_MOCK_TEST_AMQP_URL" ]; then $(ADMIN_PY); else $(call with-broker,$(ADMIN_PY)); fi

# vApps through pyvcloud 23.0.4 (instantiate, power on/off, undeploy, delete) and vcd-cli 24.1.0 (vcd vapp ...).
vapps: build
	@set -e; v=$(VENVS)/pyvcloud-23.0.4; $$v/bin/python -c "import pyvcloud" 2>/dev/null || { python3 -m venv $$v && $$v/bin/pip install -q pyvcloud==23.0.4; }; $$v/bin/python IntegrationTests/pyvcloud/vapps.py --binary .build/debug/vcd-mock; c=$(VENVS)/vcd-cli-24.1.0; [ -x $$c/bin/vcd ] || { python3 -m venv $$c && $$c/bin/pip install -q vcd-cli==24.1.0; }; bash IntegrationTests/vcdcli/vapps.sh .build/debug/vcd-mock $$c/bin/vcd

# README's curl walk-through, run verbatim against a fresh server.
readme: build
	bash IntegrationTests/readme/walkthrough.sh .build/debug/vcd-mock
	bash IntegrationTests/readme/vapps.sh .build/debug/vcd-mock
	bash IntegrationTests/readme/blocking.sh .build/debug/vcd-mock

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

# Control API from another address (401/403) and /mock/health 503, through the real server: a network
# namespace with a veth pair (needs root and iproute2; traffic stays on this machine).
netns: build
	bash IntegrationTests/netns/control.sh .build/debug/vcd-mock

# 200 concurrent clients x 50 task POSTs with the real broker: ids unique, tasks listed once, events and confirmed
# notifications for every one (IntegrationTests/stress). Alone, `make stress` starts and stops the broker itself.
STRESS = $(AMQP_VENV)/bin/python IntegrationTests/stress/stress.py --binary .build/debug/vcd-mock
stress: build amqp-venv
	@if [ -n "$$VCD_MOCK_TEST_AMQP_URL" ]; then $(STRESS); else $(call with-broker,$(STRESS)); fi
bench:
	scripts/bench

clean:
	rm -rf .build
