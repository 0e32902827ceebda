# The two commands of the README, plus the steps they are made of.
#   make run   - the main job: the npm package built, the demo page and the edge worker on 127.0.0.1
#   make test  - every check CI runs (installs what it needs first; safe to re-run)
#   make pkg   - the npm package in pkg/ (pkg-template/build.mjs)
# Both start with `setup`, which is idempotent and fast on the second run.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
CARGO ?= cargo

.PHONY: run test setup setup-rust setup-wasm setup-node setup-browser lint lint-wasm test-rust test-nostd test-schema test-reference pkg test-js test-demo demo test-openfeature \
	test-wasm-node test-wasm-browser test-package test-types test-worker worker bench-worker test-run \
	bench bench-npm bench-compare bench-scaling fuzz-build-if-available fuzz-build fuzz fuzz-cmin

run: pkg
	node examples/run.mjs

test: setup lint lint-wasm test-rust test-nostd test-wasm-node test-wasm-browser test-schema test-reference \
	test-js test-package test-types test-openfeature test-worker test-demo test-run fuzz-build-if-available
	@echo "make test: all checks passed"

setup: setup-rust setup-wasm setup-node setup-browser

# rustup is idempotent: already-installed targets and components are skipped quickly.
setup-rust:
	@rustup component add rustfmt clippy >/dev/null 2>&1 || true
	@rustup target list --installed | grep -qx wasm32v1-none || rustup target add wasm32v1-none

# The wasm target and the wasm-bindgen CLI of exactly the crate's version (Cargo.toml).
# No --locked: the CLI's lockfile names a crate version this registry lacks.
WASM_BINDGEN_VERSION := 0.2.130
setup-wasm:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@wasm-bindgen --version 2>/dev/null | grep -qx 'wasm-bindgen $(WASM_BINDGEN_VERSION)' || \
		$(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

# Debian's Chromium and its driver: wasm-bindgen-test and Playwright drive them headless
# (npm's Playwright cannot download a browser here: docs in ../shared/toolchain.md).
setup-browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
		else \
			sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
		fi; \
	fi

# Reinstall node packages only when the lockfile changed since the last install.
setup-node:
	@if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.package-lock.json.installed; then \
		npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.package-lock.json.installed; \
	fi

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --all-targets --features cli -- -D warnings
	$(CARGO) clippy --lib --no-default-features -- -D warnings

# The bindings (and their wasm test) are linted for the target they are built for.
lint-wasm:
	$(CARGO) clippy --target wasm32-unknown-unknown --no-default-features --features wasm --lib --test wasm_corpus -- -D warnings
	$(CARGO) clippy --target wasm32-unknown-unknown --no-default-features --features wasm-module --lib -- -D warnings

# --features cli adds the darklaunch binary and tests/cli.rs (which needs node and openssl);
# --features wasm the unit tests of the bindings (src/wasm/), which also build natively.
test-rust:
	$(CARGO) test --features cli --all-targets
	$(CARGO) test --lib --features wasm wasm::
	$(CARGO) test --doc

# The core must build with core + alloc only.
test-nostd:
	$(CARGO) build --lib --no-default-features --target wasm32v1-none

# The corpus and bucketing vectors inside wasm (tests/wasm_corpus/): one test binary, run by
# wasm-bindgen-test-runner in Node, then in headless Chromium through chromedriver
# (webdriver.json holds the browser's flags). The runner's limits (5 s to start the driver,
# 20 s per test) are raised for a loaded machine; a hang still ends.
WASM_TEST := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	WASM_BINDGEN_TEST_DRIVER_TIMEOUT=60 WASM_BINDGEN_TEST_TIMEOUT=300 \
	$(CARGO) test --target wasm32-unknown-unknown --no-default-features --features wasm --test wasm_corpus
test-wasm-node: setup-wasm
	$(WASM_TEST)

test-wasm-browser: setup-wasm setup-browser
	WASM_BINDGEN_USE_BROWSER=1 $(WASM_TEST)

test-schema:
	npm run --silent test:schema

# The Python reference model must agree with the corpus and vectors it generated.
test-reference:
	cd tests/conformance/reference && python3 bucketing.py --selftest && python3 run_corpus.py

pkg: setup
	node pkg-template/build.mjs

# The npm package in Node: the conformance corpus, bucketing vectors, errors, update, free;
# once through the ES module build (import), once through the CommonJS one (require).
test-js: pkg
	node --test tests/js/*.test.mjs
	DARKLAUNCH_ENTRY=require node --test --import ./tests/js/require.mjs tests/js/*.test.mjs

# The packed tarball installed into a temporary project and used from Node (import, require),
# Deno, workerd (miniflare) and Chromium (esbuild bundles), plus its types through `exports`.
test-package: pkg
	node --test --test-timeout=300000 tests/package/package.test.mjs

# The package's declarations, strict, against a file that uses every exported type.
test-types: pkg
	node_modules/.bin/tsc -p tests/types

# The OpenFeature providers with the real SDKs: resolvers, events, the source, and the
# examples of docs/openfeature.md (Node, a Worker in workerd via Miniflare, React).
test-openfeature: pkg
	node --test tests/openfeature/*.test.mjs

# The demo page (www/) in Debian's Chromium through playwright-core, its explanations checked
# against the CLI's `eval`; the server's own tests. Screenshots go to test-results/demo/.
test-demo: pkg
	$(CARGO) build --quiet --features cli --bin darklaunch
	node --test tests/browser/*.test.mjs

# The demo page on http://127.0.0.1:8080/ (PORT=… to change), snapshots signed at start-up.
demo: pkg
	node www/serve.mjs

# The Cloudflare Worker example in workerd (Miniflare) with local origins, and the package
# under Deno and Vercel's edge-runtime. One file at a time: each starts its own workerd.
test-worker: pkg
	node --test --test-concurrency=1 tests/worker/*.test.mjs tests/runtimes/*.test.mjs

# The main job's command as a process: both servers answer, SIGINT stops them.
test-run: pkg
	node --test tests/run/*.test.mjs

# The worker on 127.0.0.1:8787 with a demo snapshot and demo origins, until Ctrl-C.
worker: pkg
	node examples/cloudflare-worker/dev.mjs

# Benchmarks are measured, never run as tests. See docs/performance.md.
bench:
	$(CARGO) bench --bench evaluate

bench-npm: pkg
	node benches/npm.mjs

bench-worker: pkg
	node benches/worker-load.mjs

# darklaunch, flagd-core and GrowthBook on one workload, in one run (benches/compare/run.mjs).
bench-compare: pkg
	node benches/compare/run.mjs

# Scaling curves of the package (flags, rules, segment and context size, wasm memory):
# writes docs/scaling.json and docs/scaling.svg (benches/scaling/).
bench-scaling: pkg
	node benches/scaling/run.mjs

# Fuzzing (docs/security.md#fuzzing): cargo-fuzz on the nightly toolchain. `make test` replays
# the committed corpora on stable (tests/fuzz_corpus.rs) and builds the targets only when
# `cargo +nightly fuzz` works. Targets run one at a time, in one process, each for
# FUZZ_SECONDS; sanitizers are off (the crate forbids unsafe code; speed buys executions).
FUZZ_TARGETS := envelope payload evaluate
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -O -s none

fuzz-build-if-available:
	@if $(CARGO) +nightly fuzz --version >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory fuzz-build; \
	else \
		echo "fuzz-build: skipped (needs a nightly toolchain and cargo-fuzz: cargo install cargo-fuzz)"; \
	fi

fuzz-build:
	$(CARGO) +nightly fuzz build $(FUZZ_FLAGS)

# Seeds (conformance rulesets and the example, as payloads and signed envelopes) go to
# target/fuzz-seeds; new inputs land in fuzz/corpus/<target>; run `make fuzz-cmin` after.
fuzz: fuzz-build
	rm -rf target/fuzz-seeds
	FUZZ_SEEDS=$(CURDIR)/target/fuzz-seeds $(CARGO) test --quiet --test fuzz_corpus write_fuzz_seeds -- --ignored
	for target in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus/$$target; \
		$(CARGO) +nightly fuzz run $(FUZZ_FLAGS) $$target fuzz/corpus/$$target target/fuzz-seeds/$$target -- \
			-max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1; \
	done

fuzz-cmin:
	for target in $(FUZZ_TARGETS); do $(CARGO) +nightly fuzz cmin $(FUZZ_FLAGS) $$target fuzz/corpus/$$target; done
