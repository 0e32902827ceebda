// Load errors with their codes, update() atomicity, free(), and evaluation that never throws
// (wasm memory over many loads: memory.test.mjs).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Flags, SnapshotError } from '../../pkg/src/node.js';
import { envelope, keyPair, LOAD_NOW, snapshot } from './sign.mjs';

const signer = keyPair('ci');
const other = keyPair('ci');
const ruleset = {
  schema: 'darklaunch/v1',
  flags: {
    dark: { variants: { on: true, off: false }, off: 'off', default: { rollout: { variants: { on: 1 }, percent: 30 } } },
    copy: { variants: { a: 'Buy now', b: 'Buy' }, off: 'a', rules: [{ if: { attr: 'country', op: 'eq', value: 'DE' }, serve: 'b' }], default: 'a' },
  },
};
const options = { keys: signer.keys, environment: 'test', now: LOAD_NOW };
const v1 = snapshot(ruleset, signer, { version: 1 });
const v2 = snapshot({ ...ruleset, flags: { ...ruleset.flags, dark: { ...ruleset.flags.dark, enabled: false } } }, signer, { version: 2 });

function code(fn) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof SnapshotError, `not a SnapshotError: ${error}`);
    assert.ok(error instanceof Error);
    return error.code;
  }
  assert.fail('did not throw');
}

test('load errors carry the core codes', () => {
  assert.equal(code(() => Flags.load('garbage', options)), 'MALFORMED_ENVELOPE');
  assert.equal(code(() => Flags.load(new Uint8Array(0), options)), 'MALFORMED_ENVELOPE');
  assert.equal(code(() => Flags.load(42, options)), 'MALFORMED_ENVELOPE');
  assert.equal(code(() => Flags.load(null, options)), 'MALFORMED_ENVELOPE');
  assert.equal(code(() => Flags.load(new Uint8Array(22 * 1024 * 1024), options)), 'ENVELOPE_TOO_LARGE');
  assert.equal(code(() => Flags.load(snapshot(ruleset, other), options)), 'SIGNATURE_INVALID');
  assert.equal(code(() => Flags.load(v1, { ...options, environment: 'prod' })), 'WRONG_ENVIRONMENT');
  assert.equal(code(() => Flags.load(v1, { ...options, keys: { ci: 'AAAA' } })), 'KEY_REJECTED');
  assert.equal(code(() => Flags.load(v1, { ...options, lastVersion: 5 })), 'ROLLBACK');
  assert.equal(code(() => Flags.load(v1, { ...options, lastVersion: 1 })), 'VERSION_CONFLICT');
  const late = Date.parse('3000-01-01T00:00:00Z');
  assert.equal(code(() => Flags.load(v1, { ...options, now: late })), 'EXPIRED');
  const unsigned = Buffer.from(JSON.stringify({ ...ruleset, version: 1, issued_at: '2026-01-01T00:00:00Z', expires: '2999-01-01T00:00:00Z', environment: 'test', flags: { x: { variants: { a: 1 }, off: 'b', default: 'a' } } }));
  assert.equal(code(() => Flags.load(envelope(unsigned, signer), options)), 'UNKNOWN_VARIANT');
  const error = (() => { try { Flags.load(v1, { ...options, environment: 'prod' }); } catch (e) { return e; } })();
  assert.equal(error.path, '/environment');
  assert.match(error.message, /^WRONG_ENVIRONMENT at \/environment/);
});

test('the keyring refuses a non-canonical key that is a valid point (y = p + 3)', () => {
  const encoding = new Uint8Array(32).fill(0xff);
  encoding[0] = 0xed + 3;
  encoding[31] = 0x7f;
  const keys = { ...signer.keys, odd: Buffer.from(encoding).toString('base64') };
  const error = (() => { try { Flags.load(v1, { ...options, keys }); } catch (e) { return e; } })();
  assert.equal(error?.code, 'KEY_REJECTED');
  assert.equal(error.detail, 'non-canonical encoding');
  assert.equal(error.path, '/keys/odd');
});

test('stale snapshots load only when allowed, and say STALE', () => {
  const late = Date.parse('3000-01-01T00:00:00Z');
  const flags = Flags.load(v1, { ...options, now: late, allowStale: true });
  assert.equal(flags.evaluate('copy', flags.context({}, { now: late })).reason, 'STALE');
  flags.free();
});

test('metadata and the restart path (last = accepted)', () => {
  const flags = Flags.load(v1, options);
  assert.equal(flags.version, 1n);
  assert.equal(flags.keyId, 'ci');
  assert.deepEqual([...flags.keyIds], ['ci']);
  assert.equal(flags.expires, Date.parse('2999-01-01T00:00:00Z'));
  assert.deepEqual(flags.keys, ['dark', 'copy']);
  const again = Flags.load(v1, { ...options, last: flags.accepted });
  assert.equal(again.version, 1n);
  assert.equal(code(() => Flags.load(v1, { ...options, last: { ...flags.accepted, version: '2' } })), 'ROLLBACK');
  flags.free();
  again.free();
});

test('update is atomic: a failed update leaves every result unchanged', () => {
  const flags = Flags.load(v1, options);
  const ctx = flags.context({ targetingKey: 'user-7', country: 'DE' });
  const before = flags.evaluateAll(ctx);
  const tampered = JSON.parse(v2);
  tampered.payload = Buffer.from(Buffer.from(tampered.payload, 'base64').toString().replace('"enabled":false', '"enabled":true')).toString('base64');
  for (const bad of [JSON.stringify(tampered), snapshot(ruleset, other, { version: 2 }), 'nope', 7]) {
    assert.ok(['SIGNATURE_INVALID', 'MALFORMED_ENVELOPE'].includes(code(() => flags.update(bad))));
    assert.deepEqual(flags.evaluateAll(ctx), before);
    assert.equal(flags.version, 1n);
  }
  assert.equal(flags.update(v1), false);
  assert.equal(flags.update(v2), true);
  assert.equal(flags.version, 2n);
  assert.equal(flags.evaluate('dark', ctx).reason, 'DISABLED');
  assert.equal(code(() => flags.update(v1)), 'ROLLBACK');
  assert.equal(flags.evaluate('dark', ctx).reason, 'DISABLED');
  ctx.free();
  flags.free();
});

test('evaluation never throws', () => {
  const flags = Flags.load(v1, options);
  const cyclic = { targetingKey: 'u' };
  cyclic.self = cyclic;
  const contexts = [undefined, null, 42, 'text', [], [1, 2], cyclic, { targetingKey: 10n }, { targetingKey: 'x'.repeat(5 * 1024 * 1024) },
    { targetingKey: { nested: true } }, { targetingKey: 'u', country: 'x'.repeat(5000) }, Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`a${i}`, i]))];
  for (const ctx of contexts) {
    for (const flag of ['dark', 'copy', 'missing', undefined, 3]) {
      const result = flags.evaluate(flag, ctx);
      assert.ok(typeof result.reason === 'string');
      if (result.reason === 'ERROR') assert.ok(result.errorCode && result.value === null);
      assert.equal(typeof flags.isEnabled(flag, ctx), 'boolean');
      assert.equal(flags.getValue(flag, ctx, 'fallback') !== undefined, true);
    }
    assert.equal(Object.keys(flags.evaluateAll(ctx)).length, 2);
    assert.ok(flags.explain('dark', ctx).reason);
  }
  assert.equal(flags.evaluate('dark', cyclic).errorCode, 'INVALID_CONTEXT');
  assert.equal(flags.evaluate('dark', {}).errorCode, 'TARGETING_KEY_MISSING');
  assert.equal(flags.evaluate('dark', flags.contextFromJson('{not json')).errorCode, 'PARSE_ERROR');
  assert.equal(flags.evaluate('missing', {}).errorCode, 'FLAG_NOT_FOUND');
  assert.equal(flags.evaluate('copy', {}, 'boolean').errorCode, 'TYPE_MISMATCH');
  assert.equal(flags.getValue('copy', {}, true), true);
  assert.equal(flags.getValue('copy', { country: 'DE' }, 'x'), 'Buy');
  const freed = flags.context({ country: 'DE' });
  freed.free();
  assert.equal(flags.evaluate('copy', freed).errorCode, 'GENERAL');
  flags.free();
  assert.equal(flags.evaluate('copy', { country: 'DE' }).errorCode, 'GENERAL');
  assert.equal(flags.getValue('copy', {}, 'fallback'), 'fallback');
  assert.deepEqual(Object.values(flags.evaluateAll({})).map((e) => e.errorCode), ['GENERAL', 'GENERAL']);
});
