# The two commands of the README, plus the steps they are made of.
#   make run   - the main job: evaluate the example dark launch for a population of users
#   make test  - every check CI runs (installs what it needs first; safe to re-run)
#   make pkg   - the npm package in pkg/ (pkg-template/build.mjs)
# Both start with `setup`, which is idempotent and fast on the second run.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
CARGO ?= cargo

.PHONY: run test setup setup-rust setup-wasm setup-node setup-browser lint lint-wasm test-rust test-nostd test-schema test-reference pkg test-js \
	bench bench-npm bench-compare bench-scaling fuzz-build-if-available fuzz-build fuzz fuzz-cmin

run: setup-rust
	$(CARGO) run --quiet --release --example dark_launch -- examples/rulesets/dark-launch.json

test: setup lint lint-wasm test-rust test-nostd test-schema test-reference test-js fuzz-build-if-available
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

# The bindings are linted for the target they are built for.
lint-wasm:
	$(CARGO) clippy --target wasm32-unknown-unknown --no-default-features --features wasm --lib -- -D warnings

# --features cli adds the darklaunch binary and tests/cli.rs (which needs node and openssl).
test-rust:
	$(CARGO) test --features cli --all-targets
	$(CARGO) test --doc

# The core must build with core + alloc only.
test-nostd:
	$(CARGO) build --lib --no-default-features --target wasm32v1-none

test-schema:
	npm run --silent test:schema

# The Python reference model must agree with the corpus and vectors it generated.
test-reference:
	cd tests/conformance/reference && python3 bucketing.py --selftest && python3 run_corpus.py

pkg: setup
	node pkg-template/build.mjs

# The npm package in Node: the conformance corpus, bucketing vectors, errors, update, free.
test-js: pkg
	node --test tests/js/*.test.mjs

# Benchmarks are measured, never run as tests. See docs/performance.md.
bench:
	$(CARGO) bench --bench evaluate

bench-npm: pkg
	node benches/npm.mjs

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
