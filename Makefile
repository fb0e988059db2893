# Liege — the two front-door commands are `make run` and `make test`.
SHELL := /bin/bash
APT_PACKAGES := python3-dev python3-venv libyaml-dev zlib1g-dev pkgconf
# Only the tests need these: real nginx as a uwsgi_pass client, tmux to drive uwsgitop and `liege top`,
# Debian's PyYAML to read the Kubernetes manifests of docs/kubernetes.md.
TEST_APT_PACKAGES := nginx tmux python3-yaml
VENV := .venv
PY := $(VENV)/bin/python
SWIFT_FLAGS := -Xswiftc -warnings-as-errors
BIN := .build/debug/liege
RELEASE_BIN := .build/release/liege
# `make install`: PREFIX for the binary, the systemd unit and the docs; the vassals directory is always
# under SYSCONFDIR (/etc). DESTDIR stages everything under another root (packaging).
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
DESTDIR ?=
BINDIR = $(PREFIX)/bin
UNITDIR = $(PREFIX)/lib/systemd/system
DOCDIR = $(PREFIX)/share/doc/liege
VERSION := $(shell sed -n 's/.*string = "\(.*\)".*/\1/p' Sources/LiegeConfig/LiegeVersion.swift)
DEB_DIR := .build/deb
# dpkg-deb -Z: xz for a release; the tests build with gzip, which is much faster to compress
DEB_COMPRESSION ?= xz
DEB := $(DEB_DIR)/liege_$(VERSION)_$(shell dpkg --print-architecture).deb

.PHONY: all build release install deb test unit-test integration-test run deps test-deps apt-install venv docs bench bench-smoke clean

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

# The Swift runtime is linked in (--static-swift-stdlib): the binary needs only Debian's libc, libstdc++,
# libpython3, libyaml and zlib, so it runs on hosts without the Swift toolchain (`make install`, `make deb`).
release: deps
	swift build -c release --static-swift-stdlib $(SWIFT_FLAGS)

# The emperor's unit (packaging/liege-emperor.service, shown in docs/systemd.md) and an empty vassals
# directory; systemd also reads units from /usr/local/lib/systemd/system. Starts nothing. Installs the
# binary `make release` built (building it only if there is none), so `sudo make install` never runs
# the Swift build as root.
$(RELEASE_BIN):
	$(MAKE) --no-print-directory release

install: $(RELEASE_BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(SYSCONFDIR)/liege/vassals
	install -m 755 $(RELEASE_BIN) $(DESTDIR)$(BINDIR)/liege
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' packaging/liege-emperor.service \
	  > $(DESTDIR)$(UNITDIR)/liege-emperor.service
	chmod 644 $(DESTDIR)$(UNITDIR)/liege-emperor.service
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/
	install -m 644 docs/*.md $(DESTDIR)$(DOCDIR)/docs/

# A Debian package of `make install` with PREFIX=/usr; Depends comes from the binary's libraries
# (packaging/deb-control.sh). Only dpkg-deb is needed. Install it with `apt install ./$(DEB)`.
deb: release
	rm -rf $(DEB_DIR)/root
	$(MAKE) --no-print-directory install DESTDIR=$(abspath $(DEB_DIR)/root) PREFIX=/usr SYSCONFDIR=/etc
	bash packaging/deb-control.sh $(RELEASE_BIN) $(VERSION) $(DEB_DIR)/root
	dpkg-deb --root-owner-group -Z$(DEB_COMPRESSION) --build $(DEB_DIR)/root $(DEB)

unit-test: build
	swift test $(SWIFT_FLAGS)

# Also builds the (static) release binary: the packaging tests install it; bench-smoke reuses it.
integration-test: build release venv test-deps
	LIEGE_BIN=$(abspath $(BIN)) LIEGE_RELEASE_BIN=$(abspath $(RELEASE_BIN)) $(PY) -m pytest -q -p no:cacheprovider Tests/integration

test: unit-test integration-test bench-smoke

# The emperor on ./vassals: every *.ini there is an app (hello on :8000, jobs on :8001, cheap on :8002).
run: build
	$(BIN) --emperor vassals

docs: build
	$(BIN) --print-options-markdown > docs/options.md

# Liege side by side with uWSGI, gunicorn, granian, uvicorn, daphne and nginx (bench/README.md). Installs
# on first use, builds the release binary, about 14 minutes. BENCH_ARGS passes options, e.g.
# BENCH_ARGS="--scenarios hello".
bench:
	$(MAKE) --no-print-directory release
	bash bench/setup.sh
	.bench/venv/bin/python bench/bench.py $(BENCH_ARGS)

# The harness end to end with tiny durations (about 70 s after installs): checks only that a
# table comes out. No timing is asserted; it fails only when the harness itself breaks.
bench-smoke:
	$(MAKE) --no-print-directory release
	bash bench/setup.sh
	set -o pipefail; .bench/venv/bin/python bench/bench.py --smoke --json bench/results-smoke.json $(BENCH_ARGS) \
	  | tee .bench/smoke.txt; grep -q '^| scenario' .bench/smoke.txt

clean:
	rm -rf .build
