# vcd-mock: two commands do everything on a Debian 12 machine (as root) that has a Swift 6 toolchain on PATH.
#   make run    serve the default fixtures on http://127.0.0.1:8080 (ARGS='--port 9000' to pass flags)
#   make test   install what is missing, then run every test: Swift suites and the pyvcloud clients
SHELL := /bin/bash
APT_PACKAGES := libmicrohttpd-dev libxml2-dev librabbitmq-dev pkg-config curl python3 python3-venv
PYVCLOUD_VERSIONS := 23.0.4 18.2.2
VENVS := .build/venvs
ARGS ?=

.PHONY: run test deps swift-test pyvcloud readme build bench clean

run: deps
	swift run vcd-mock $(ARGS)

test: deps pyvcloud readme swift-test

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
	  $$venv/bin/python Tests/pyvcloud/flow.py --binary .build/debug/vcd-mock; \
	done

# README's curl walk-through, run verbatim against a fresh server.
readme: build
	bash Tests/readme/walkthrough.sh .build/debug/vcd-mock

bench:
	scripts/bench

clean:
	rm -rf .build
