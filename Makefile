# hatch: two commands set everything up on a machine with only Node.js and npm:
#   make demo   installs Bun (npm package, pinned) and the dependencies, builds dist/hatch, runs a demo
#   make test   typecheck, lint and every test (unit, golden fixtures, e2e against dist/hatch)
SHELL := /bin/bash
BUN := node_modules/.bin/bun
SOURCES := $(shell find src -name '*.ts' -not -name '*.test.ts' 2>/dev/null) package.json scripts/build.ts scripts/bytecode-order.ts scripts/compile-flags.ts

.PHONY: all install build demo test test-unit test-e2e test-reliability typecheck lint check fmt bench clean release

all: build

# npm installs the pinned Bun binary from the npm registry along with every dependency.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@test -x $(BUN) || { echo "Bun was not installed by npm (node_modules/.bin/bun missing)"; exit 1; }
	@touch $@

install: node_modules/.installed

dist/hatch: node_modules/.installed $(SOURCES)
	$(BUN) scripts/build.ts

build: dist/hatch

demo: build
	$(BUN) scripts/demo.ts

# Start-up, list and sync timings, peers (installed into bench/tmp/peers), written to bench/RESULTS.md.
bench: build
	$(BUN) scripts/bench.ts

# dist/release: five cross-compiled binaries and SHA256SUMS (Bun runtimes fetched from npm).
release: install
	$(BUN) scripts/release.ts

typecheck: install
	node_modules/.bin/tsc --noEmit -p .

lint: install
	node_modules/.bin/biome check .

fmt: install
	node_modules/.bin/biome check --write .

test-unit: install
	$(BUN) test --timeout 60000 --path-ignore-patterns 'test/e2e/**' --path-ignore-patterns 'test/reliability/**'

test-e2e: build
	$(BUN) test --timeout 60000 test/e2e

# The reliability suite at full counts (hundreds of kill -9s, parallel syncs, fuzzing, injected
# faults, a 20 MB host file); `make test` runs the same files in a bounded form.
test-reliability: build
	HATCH_RELIABILITY=full $(BUN) test --timeout 1800000 test/reliability

test: typecheck lint build
	$(BUN) test --timeout 60000

check: test

clean:
	rm -rf dist .demo
