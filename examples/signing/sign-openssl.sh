#!/usr/bin/env bash
# Signs a darklaunch ruleset into a snapshot with the OpenSSL command line (3.0 or later) and
# POSIX tools: no darklaunch binary. The recipe of docs/signing.md; tests/cli.rs runs this
# exact file.
#
#   sign-openssl.sh KEY.pem KEY_ID ENVIRONMENT RULESET.json > snapshot.json
#
# Optional environment variables:
#   ISSUED_AT  RFC 3339 issue time             (default: now)
#   EXPIRES    RFC 3339 expiry time            (default: ISSUED_AT + 7 days)
#   VERSION    unsigned 64-bit publish counter (default: ISSUED_AT in Unix seconds)
# Uses GNU date (Linux CI runners); on macOS install coreutils and use gdate.
#
# The ruleset must not contain top-level "version", "issued_at", "expires" or "environment"
# (this script adds them; a duplicate key makes every host reject the snapshot). Validate it
# with `darklaunch lint` first.
set -euo pipefail

if [ $# -ne 4 ]; then
  echo "usage: $0 KEY.pem KEY_ID ENVIRONMENT RULESET.json > snapshot.json" >&2
  exit 2
fi
key=$1 keyid=$2 environment=$3 ruleset=$4
type='application/vnd.darklaunch.snapshot.v1+json'
name='^[A-Za-z0-9._:-]{1,128}$'
[[ $keyid =~ $name ]] || { echo "KEY_ID: 1-128 of A-Z a-z 0-9 . _ - :" >&2; exit 2; }
[[ $environment =~ $name ]] || { echo "ENVIRONMENT: 1-128 of A-Z a-z 0-9 . _ - :" >&2; exit 2; }

rfc3339() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
if [ -n "${ISSUED_AT:-}" ]; then issued=$(date -u -d "$ISSUED_AT" +%s); else issued=$(date -u +%s); fi
if [ -n "${EXPIRES:-}" ]; then expires=$(date -u -d "$EXPIRES" +%s); else expires=$((issued + 7 * 86400)); fi
version=${VERSION:-$issued}
[[ $version =~ ^[0-9]{1,20}$ ]] || { echo "VERSION: an unsigned integer" >&2; exit 2; }
[ "$expires" -gt "$issued" ] || { echo "EXPIRES must be after ISSUED_AT" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The payload: the ruleset's bytes with the signed fields inserted after its opening brace.
body=$(cat "$ruleset")
body=${body#"${body%%[![:space:]]*}"} # drop leading whitespace
[[ $body == '{'* ]] || { echo "$ruleset: not a JSON object" >&2; exit 1; }
printf '{"version":%s,"issued_at":"%s","expires":"%s","environment":"%s",%s' \
  "$version" "$(rfc3339 "$issued")" "$(rfc3339 "$expires")" "$environment" "${body#\{}" >"$tmp/payload.json"

# DSSE pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body.
length=$(wc -c <"$tmp/payload.json" | tr -d ' ')
{ printf 'DSSEv1 %d %s %d ' "${#type}" "$type" "$length"; cat "$tmp/payload.json"; } >"$tmp/pae.bin"

# Ed25519 signs the message itself (-rawin); OpenSSL 3 needs it in a file, not a pipe.
openssl pkeyutl -sign -rawin -inkey "$key" -in "$tmp/pae.bin" -out "$tmp/sig.bin"

printf '{"payload":"%s","payloadType":"%s","signatures":[{"keyid":"%s","sig":"%s"}]}\n' \
  "$(openssl base64 -A -in "$tmp/payload.json")" "$type" "$keyid" "$(openssl base64 -A -in "$tmp/sig.bin")"
