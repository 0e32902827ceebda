// Object and array variant values through the npm package: served as the ruleset wrote them
// (the core hands each value's signed JSON text to JS verbatim), frozen, and refused at load
// when an object inside repeats a key.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Flags, SnapshotError } from '../../pkg/src/node.js';
import { envelope, keyPair, LOAD_NOW } from './sign.mjs';

const signer = keyPair('ci');
const options = { keys: signer.keys, environment: 'test', now: LOAD_NOW };

/** A signed snapshot of `flagsText`, raw JSON text (so members stay in the order written). */
function load(flagsText) {
  const payload = Buffer.from(`{"schema":"darklaunch/v1","version":1,"issued_at":"2026-01-01T00:00:00Z",`
    + `"expires":"2999-01-01T00:00:00Z","environment":"test","flags":{${flagsText}}}`);
  return Flags.load(envelope(payload, signer), options);
}

test('object and array values keep the members, order and escapes they were signed with', () => {
  const object = '{ "zeta": 1, "alpha": {"b": [true, null, "x\\"\\u00e9"], "a": -0.5},\n "mid": [] }';
  const flags = load(`"obj":{"variants":{"v":${object},"w":{}},"off":"w","default":"v"},`
    + `"arr":{"variants":{"v":[3, {"k": "\\ud83d\\ude00"}]},"off":"v","default":"v"}`);
  const value = flags.getValue('obj', {});
  assert.deepEqual(value, JSON.parse(object));
  assert.deepEqual(Object.keys(value), ['zeta', 'alpha', 'mid'], 'members in the order written, not sorted');
  assert.deepEqual(Object.keys(value.alpha), ['b', 'a']);
  assert.equal(value.alpha.b[2], 'x"é');
  assert.ok(Object.isFrozen(value) && Object.isFrozen(value.alpha.b));
  assert.deepEqual(flags.evaluate('obj', {}).value, value);
  assert.deepEqual(flags.getValue('arr', {}), [3, { k: '😀' }]);
  assert.deepEqual(flags.evaluateAll({}).obj.value, value);
  flags.free();
});

test('a key twice in an object value is refused at load, with the pointer to it', () => {
  assert.throws(
    () => load('"obj":{"variants":{"v":{"a":{"b":1,"b":2}}},"off":"v","default":"v"}'),
    (error) => error instanceof SnapshotError && error.code === 'DUPLICATE_KEY'
      && error.path === '/flags/obj/variants/v/a/b',
  );
});
