#!/usr/bin/env node
// Signs a darklaunch ruleset into a snapshot with Node's built-in crypto: no dependencies,
// no darklaunch binary. The recipe of docs/signing.md; tests/cli.rs runs this exact file.
//
//   node sign-node.mjs --key ci-2026.pem --key-id ci-2026 --environment prod \
//        [--expires 7d | --expires 2026-12-31T00:00:00Z] [--version N] [--issued-at RFC3339] \
//        ruleset.json > snapshot.json
//
// Repeat --key/--key-id (paired by position) for several signatures (keyring thresholds).
// The key is a PKCS#8 PEM Ed25519 private key (darklaunch keygen, openssl genpkey, or
// crypto.generateKeyPairSync('ed25519')). Node 18 or later.
import { readFileSync } from 'node:fs';
import { createPrivateKey, sign } from 'node:crypto';
import { parseArgs } from 'node:util';

const PAYLOAD_TYPE = 'application/vnd.darklaunch.snapshot.v1+json';
const METADATA = ['version', 'issued_at', 'expires', 'environment'];
const NAME = /^[A-Za-z0-9._:-]{1,128}$/;

function fail(message) {
  console.error(`sign-node: ${message}`);
  process.exit(2);
}

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    key: { type: 'string', multiple: true },
    'key-id': { type: 'string', multiple: true },
    environment: { type: 'string' },
    expires: { type: 'string', default: '7d' },
    version: { type: 'string' },
    'issued-at': { type: 'string' },
  },
});
const keys = opt.key ?? [];
const keyIds = opt['key-id'] ?? [];
if (positionals.length !== 1) fail('give exactly one RULESET.json');
if (keys.length === 0 || keys.length !== keyIds.length) fail('give --key and --key-id in pairs');
if (!NAME.test(opt.environment ?? '')) fail('--environment: 1-128 of A-Z a-z 0-9 . _ - :');
for (const id of keyIds) if (!NAME.test(id)) fail(`--key-id ${JSON.stringify(id)}: 1-128 of A-Z a-z 0-9 . _ - :`);

// Times: whole seconds, RFC 3339 in UTC. The default version is the issue time in Unix
// seconds, so it grows with every publish made at least a second after the previous one.
const rfc3339 = (ms) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
const issuedMs = opt['issued-at'] ? Date.parse(opt['issued-at']) : Math.floor(Date.now() / 1000) * 1000;
if (Number.isNaN(issuedMs)) fail('--issued-at: not a time');
const units = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };
const duration = /^(\d+)([smhdw])$/.exec(opt.expires);
const expiresMs = duration ? issuedMs + Number(duration[1]) * units[duration[2]] : Date.parse(opt.expires);
if (Number.isNaN(expiresMs) || expiresMs <= issuedMs) fail('--expires: a time after the issue time, or 7d / 12h / 30m');
const version = opt.version ?? String(Math.floor(issuedMs / 1000));
if (!/^(0|[1-9][0-9]{0,19})$/.test(version) || BigInt(version) >= 2n ** 64n) fail('--version: an unsigned 64-bit integer');

// The payload: the ruleset's own bytes with the four signed fields inserted after its opening
// brace. Nothing is re-serialised, so key order, numbers and formatting stay exactly as
// reviewed in git. JSON.parse is only a sanity check here; run `darklaunch lint` in CI to
// validate the ruleset itself.
const text = readFileSync(positionals[0], 'utf8');
const document = JSON.parse(text);
if (document === null || typeof document !== 'object' || Array.isArray(document)) fail('the ruleset is not a JSON object');
for (const field of METADATA) {
  if (Object.hasOwn(document, field)) fail(`the ruleset already has "${field}": remove it, signing sets it`);
}
const body = text.trim();
const header =
  `{"version":${version},"issued_at":"${rfc3339(issuedMs)}","expires":"${rfc3339(expiresMs)}",` +
  `"environment":"${opt.environment}",`;
const payload = Buffer.from(header + body.slice(1), 'utf8');

// DSSE pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body.
const pae = Buffer.concat([
  Buffer.from(`DSSEv1 ${Buffer.byteLength(PAYLOAD_TYPE)} ${PAYLOAD_TYPE} ${payload.length} `, 'utf8'),
  payload,
]);

const signatures = keys.map((file, i) => {
  const key = createPrivateKey(readFileSync(file));
  if (key.asymmetricKeyType !== 'ed25519') fail(`${file}: not an Ed25519 key`);
  // Ed25519 takes no digest: the algorithm argument is null.
  return { keyid: keyIds[i], sig: sign(null, pae, key).toString('base64') };
});

const envelope = { payload: payload.toString('base64'), payloadType: PAYLOAD_TYPE, signatures };
process.stdout.write(JSON.stringify(envelope) + '\n');
