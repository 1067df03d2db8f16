# git-conductor — build, test, install, benchmark.
PREFIX ?= /usr/local
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build test install uninstall bench demo clean

all: build

# libgit2 comes from the system (Debian: libgit2-dev); install it when pkg-config cannot find it.
# universal-ctags gives the repository map its symbols (docs/context.md); without it the
# built-in scanner is used, so a failed install is not fatal.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libgit2; then \
		echo "installing libgit2-dev and pkg-config with apt-get"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libgit2-dev pkg-config; \
	fi
	@if ! ctags --version 2>/dev/null | grep -q "Universal Ctags"; then \
		echo "installing universal-ctags with apt-get"; \
		($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq universal-ctags) || \
			echo "warning: universal-ctags could not be installed; the built-in symbol scanner will be used"; \
	fi

build: deps
	$(SWIFT) build

# Tests run one at a time: many block a thread while real child processes run, and on a
# 2-core machine Swift's cooperative pool has only two threads, so parallel tests could
# starve each other (a hang seen twice in ~20 runs). Serial, the suite takes about 40 s.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

install: deps
	$(SWIFT) build -c release --product git-conductor
	install -d "$(PREFIX)/bin"
	install -m 755 .build/release/git-conductor "$(PREFIX)/bin/git-conductor"

uninstall:
	rm -f "$(PREFIX)/bin/git-conductor"

# Prints a table of timings against the budgets in docs/benchmarks.md; not part of `make test`.
bench: deps
	$(SWIFT) build -c release --product git-conductor
	$(SWIFT) build -c release --product conductor-synth
	$(SWIFT) build -c release --product conductor-bench
	.build/release/conductor-bench

# The main job, offline: a scripted run in a throw-away repository (git conductor demo).
demo: build
	.build/debug/git-conductor demo

clean:
	rm -rf .build
