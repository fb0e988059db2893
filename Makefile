# Liege — the two front-door commands are `make run` and `make test`.
SHELL := /bin/bash
APT_PACKAGES := python3-dev python3-venv libyaml-dev pkgconf
# Only the tests need these: real nginx as a uwsgi_pass client, tmux to drive uwsgitop and `liege top`.
TEST_APT_PACKAGES := nginx tmux
VENV := .venv
PY := $(VENV)/bin/python
SWIFT_FLAGS := -Xswiftc -warnings-as-errors
BIN := .build/debug/liege
RELEASE_BIN := .build/release/liege

.PHONY: all build release test unit-test integration-test run deps test-deps apt-install venv docs bench bench-smoke clean

all: build

# System packages: installed when run as root, otherwise the exact command is printed.
deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(TEST_APT_PACKAGES)"

apt-install:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing; \
	  else echo "Liege needs:$$missing"; echo "Run: sudo apt-get update && sudo apt-get install -y$$missing"; exit 1; fi; \
	fi

# The test venv: always made by Debian's /usr/bin/python3 so it matches the libpython we link.
venv: $(VENV)/.stamp
$(VENV)/.stamp: Tests/requirements.txt | deps
	/usr/bin/python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r Tests/requirements.txt
	touch $@

build: deps
	swift build $(SWIFT_FLAGS)

release: deps
	swift build -c release $(SWIFT_FLAGS)

unit-test: build
	swift test $(SWIFT_FLAGS)

integration-test: build venv test-deps
	LIEGE_BIN=$(abspath $(BIN)) $(PY) -m pytest -q -p no:cacheprovider Tests/integration

test: unit-test integration-test bench-smoke

# The emperor on ./vassals: every *.ini there is an app (hello on :8000, jobs on :8001, cheap on :8002).
run: build
	$(BIN) --emperor vassals

docs: build
	$(BIN) --print-options-markdown > docs/options.md

# Liege side by side with uWSGI, gunicorn and nginx (bench/README.md). Installs on first use, builds
# the release binary, about 8 minutes. BENCH_ARGS passes options, e.g. BENCH_ARGS="--scenarios hello".
bench:
	$(MAKE) --no-print-directory release
	bash bench/setup.sh
	.bench/venv/bin/python bench/bench.py $(BENCH_ARGS)

# The harness end to end with tiny durations (well under 60 s after installs): checks only that a
# table comes out. No timing is asserted; it fails only when the harness itself breaks.
bench-smoke:
	$(MAKE) --no-print-directory release
	bash bench/setup.sh
	set -o pipefail; .bench/venv/bin/python bench/bench.py --smoke --json bench/results-smoke.json $(BENCH_ARGS) \
	  | tee .bench/smoke.txt; grep -q '^| scenario' .bench/smoke.txt

clean:
	rm -rf .build
