// update() swaps snapshots atomically in JS, as tests/concurrency.rs checks natively: every
// variant value of version N names N (and the flag sets of odd and even versions differ), so
// an evaluateAll result, or the per-flag evaluations of one request, that mixed two versions
// would show it. Updates come between evaluations, from concurrent async tasks, and from
// inside an evaluation (a context's toJSON or getter calling update()). A failed update
// leaves every result unchanged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

import { Flags, SnapshotError } from '../../pkg/src/node.js';
import { envelope, keyPair, LOAD_NOW, snapshot } from './sign.mjs';

const signer = keyPair('ci');
const stranger = keyPair('ci');
const options = { keys: signer.keys, environment: 'test', now: LOAD_NOW };
const FLAGS = 40;

/** Flag keys of version `n`: odd versions drop flag-0, even ones add `extra-{n % 4}`. */
function keysOf(n) {
  const keys = Array.from({ length: FLAGS }, (_, i) => `flag-${i}`);
  return n % 2 === 1 ? keys.slice(1) : [...keys, `extra-${n % 4}`];
}

/** Version `n`: static flags, rules, 50% rollouts, disabled flags; every value names `n`. */
function rulesetOf(n) {
  const flags = {};
  keysOf(n).forEach((key, i) => {
    const variants = { a: `v${n}:a`, b: `v${n}:b`, off: `v${n}:off` };
    const serves = ['a', { rollout: { variants: { a: 1, b: 1 }, percent: 50 } }, 'b'];
    flags[key] = {
      variants,
      off: 'off',
      enabled: i % 7 !== 6,
      ...(i % 4 === 3 ? {} : { rules: [{ if: { attr: 'country', op: 'in', values: ['DE', 'FR'] }, serve: 'b' }] }),
      default: serves[i % 3],
    };
  });
  return { schema: 'darklaunch/v1', flags };
}

const VERSIONS = 120;
const signed = Array.from({ length: VERSIONS + 1 }, (_, n) => (n === 0 ? undefined : snapshot(rulesetOf(n), signer, { version: n })));
const users = ['DE', 'US', 'FR', 'JP', 'BR', 'NL'].map((country, i) => ({ targetingKey: `user-${i}`, country }));

/** The one version a set of evaluations names, after checking none is an error or mixed. */
function versionOf(evaluations) {
  const versions = new Set();
  for (const [key, e] of evaluations) {
    assert.equal(e.errorCode, null, `${key}: ${e.errorCode}`);
    const named = /^v(\d+):(a|b|off)$/.exec(e.value);
    assert.ok(named, `${key}: ${e.value}`);
    assert.equal(e.version, BigInt(named[1]), `${key}: value of v${named[1]} reported as version ${e.version}`);
    versions.add(Number(named[1]));
  }
  assert.equal(versions.size, 1, `mixed versions: ${[...versions]}`);
  return [...versions][0];
}

/** Checks one evaluateAll result: wholly one version, with exactly that version's flags. */
function checkAll(all) {
  const n = versionOf(Object.entries(all));
  assert.deepEqual(Object.keys(all), keysOf(n));
  return n;
}

/** One request with a prepared context: every flag evaluated one by one. */
function perFlagRequest(flags, user) {
  const ctx = flags.context(user);
  try {
    const keys = flags.keys;
    const n = versionOf(keys.map((key) => [key, flags.evaluate(key, ctx)]));
    assert.deepEqual(keys, keysOf(n));
    for (const key of keys) assert.match(String(flags.getValue(key, ctx, 'fallback')), new RegExp(`^v${n}:`));
    return n;
  } finally {
    ctx.free();
  }
}

test('updates between evaluateAll calls and per-flag requests: each result wholly one version', () => {
  const flags = Flags.load(signed[1], options);
  const seen = [];
  for (let n = 1; n <= VERSIONS; n++) {
    if (n > 1) assert.equal(flags.update(signed[n]), true);
    for (const user of users) {
      seen.push(checkAll(flags.evaluateAll(user)));
      const ctx = flags.context(user);
      seen.push(checkAll(flags.evaluateAll(ctx)));
      ctx.free();
      seen.push(perFlagRequest(flags, user));
    }
    assert.deepEqual(new Set(seen.splice(0)), new Set([n]));
    assert.equal(flags.version, BigInt(n));
  }
  flags.free();
});

test('concurrent async readers and an updater never see a mix', async () => {
  const flags = Flags.load(signed[1], options);
  let done = false;
  const updater = (async () => {
    for (let n = 2; n <= VERSIONS; n++) {
      await yieldToLoop();
      assert.equal(flags.update(signed[n]), true);
    }
    done = true;
  })();
  const reader = async (i) => {
    const versions = [];
    while (!done) {
      const user = users[versions.length % users.length];
      versions.push(i % 2 === 0 ? checkAll(flags.evaluateAll(user)) : perFlagRequest(flags, user));
      await yieldToLoop();
    }
    return versions;
  };
  const [, ...seen] = await Promise.all([updater, reader(0), reader(1), reader(2)]);
  for (const versions of seen) {
    // Readers see the swaps happen, and versions never go back.
    assert.ok(new Set(versions).size > VERSIONS / 4, `a reader saw only ${new Set(versions).size} versions`);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b));
  }
  flags.free();
});

test('an update from inside an evaluation (toJSON, a getter): the whole result is the new version', () => {
  const flags = Flags.load(signed[1], options);
  let next = 2;
  const updating = () => ({ targetingKey: 'user-1', country: 'DE', toJSON() { flags.update(signed[next++]); return { ...this, toJSON: undefined }; } });
  const getter = () => ({ get targetingKey() { flags.update(signed[next++]); return 'user-2'; } });
  for (const make of [updating, getter]) {
    for (const evaluateWith of [
      // Twice: the flag set grows, then shrinks.
      (ctx) => checkAll(flags.evaluateAll(ctx)),
      (ctx) => checkAll(flags.evaluateAll(ctx)),
      (ctx) => versionOf([['flag-1', flags.evaluate('flag-1', ctx)]]),
      (ctx) => versionOf([['flag-2', flags.explain('flag-2', ctx)]]),
      (ctx) => Number(/^v(\d+):/.exec(flags.getValue('flag-3', ctx, 'fallback'))[1]),
    ]) {
      const before = next;
      assert.equal(evaluateWith(make()), before, 'evaluated with the snapshot the update installed');
      assert.equal(flags.version, BigInt(before));
    }
    // isEnabled: no boolean flags here, but it must not throw either.
    assert.equal(flags.isEnabled('flag-1', make()), false);
  }
  flags.free();
});

test('a failed update leaves every result unchanged', () => {
  const flags = Flags.load(signed[2], options);
  const contexts = users.map((user) => flags.context(user));
  const snapshotOf = () => ({
    version: flags.version,
    keys: flags.keys,
    digest: flags.digest,
    all: users.map((user) => flags.evaluateAll(user)),
    prepared: contexts.map((ctx) => flags.evaluateAll(ctx)),
    explained: flags.keys.map((key) => flags.explain(key, users[0])),
  });
  const before = snapshotOf();
  const tampered = JSON.parse(signed[5]);
  tampered.payload = Buffer.from(Buffer.from(tampered.payload, 'base64').toString().replace('v5:a', 'v6:a')).toString('base64');
  const invalid = envelope(Buffer.from(JSON.stringify({ ...rulesetOf(9), version: 9, issued_at: '2026-01-01T00:00:00Z',
    expires: '2999-01-01T00:00:00Z', environment: 'test', flags: { x: { variants: { a: 1 }, off: 'b', default: 'a' } } })), signer);
  const failures = [
    ['forged', snapshot(rulesetOf(5), stranger, { version: 5 }), 'SIGNATURE_INVALID'],
    ['tampered', JSON.stringify(tampered), 'SIGNATURE_INVALID'],
    ['rollback', signed[1], 'ROLLBACK'],
    ['same version, other bytes', snapshot(rulesetOf(7), signer, { version: 2 }), 'VERSION_CONFLICT'],
    ['wrong environment', snapshot(rulesetOf(5), signer, { version: 5, environment: 'prod' }), 'WRONG_ENVIRONMENT'],
    ['expired', snapshot(rulesetOf(5), signer, { version: 5, expires: '2025-01-01T00:00:00Z', issuedAt: '2024-12-01T00:00:00Z' }), 'EXPIRED'],
    ['does not compile', invalid, 'UNKNOWN_VARIANT'],
    ['garbage', 'garbage', 'MALFORMED_ENVELOPE'],
    ['not bytes', 42, 'MALFORMED_ENVELOPE'],
    ['too large', new Uint8Array(23 * 1024 * 1024), 'ENVELOPE_TOO_LARGE'],
  ];
  for (const [name, input, code] of failures) {
    assert.throws(() => flags.update(input, { now: LOAD_NOW }), (error) => error instanceof SnapshotError && error.code === code, name);
    assert.deepEqual(snapshotOf(), before, name);
  }
  // A failure between successful updates changes nothing either.
  assert.equal(flags.update(signed[3]), true);
  const after3 = users.map((user) => flags.evaluateAll(user));
  assert.throws(() => flags.update(signed[2]), { code: 'ROLLBACK' });
  assert.deepEqual(users.map((user) => flags.evaluateAll(user)), after3);
  assert.equal(checkAll(after3[0]), 3);
  for (const ctx of contexts) ctx.free();
  flags.free();
});
