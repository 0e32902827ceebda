#!/usr/bin/env bash
# The README's "Command-line tool" round trip: keygen → lint → sign → verify → eval →
# simulate → a second publish → verify against the last version → diff.
# tests/cli.rs runs this script, and checks that every command shown in the README is in it.
#
#   examples/cli-roundtrip.sh [WORK_DIR]
#
# Builds the CLI (cargo build --release --features cli) unless DARKLAUNCH names a binary.
# Fixed times (--issued-at, --now) make the output the same whenever it runs; in CI leave
# them out and the system clock is used.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${DARKLAUNCH:-}" ]; then
  cargo build --quiet --release --features cli --manifest-path "$root/Cargo.toml"
  DARKLAUNCH="$root/target/release/darklaunch"
fi
darklaunch() { "$DARKLAUNCH" "$@"; }
work=${1:-$(mktemp -d)}
mkdir -p "$work"
cd "$work"
cp "$root/examples/rulesets/dark-launch.json" ruleset.json

# 1. A signing key (the .pem is the CI secret) and a keyring of trusted public keys.
darklaunch keygen --key-id ci-2026 --out keys
printf '{"keys": {"ci-2026": "%s"}, "threshold": 1}\n' "$(cat keys/ci-2026.pub)" > keyring.json

# 2. Check and sign the ruleset.
darklaunch lint ruleset.json
darklaunch sign --key keys/ci-2026.pem --key-id ci-2026 --environment prod \
  --issued-at 2026-11-30T09:00:00Z --expires 30d ruleset.json --out snapshot.json

# 3. What a host does: verify, then evaluate.
darklaunch verify --keyring keyring.json --environment prod --now 2026-12-03T10:00:00Z snapshot.json
darklaunch eval --keyring keyring.json --environment prod --now 2026-12-03T10:00:00Z snapshot.json \
  --flag new-checkout --context '{"targetingKey": "user-104", "appVersion": "4.3.1"}'
darklaunch simulate --keyring keyring.json --environment prod --now 2026-12-03T10:00:00Z snapshot.json \
  --flag new-checkout

# 4. The next publish widens stage 1 from 5% to 10%: newer than the last accepted version,
#    and nobody who had the new checkout loses it.
sed 's/"percent": 5$/"percent": 10/' ruleset.json > next.json
darklaunch sign --key keys/ci-2026.pem --key-id ci-2026 --environment prod \
  --issued-at 2026-12-03T12:00:00Z --expires 30d next.json --out next-snapshot.json
darklaunch verify --keyring keyring.json --environment prod --now 2026-12-03T12:00:00Z \
  --last-version 1796029200 next-snapshot.json
darklaunch diff --keyring keyring.json --environment prod --now 2026-12-03T12:00:00Z \
  --at 2026-12-03T12:00:00Z --fail-on-shrink snapshot.json next-snapshot.json
