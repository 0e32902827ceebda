// Numbers through the npm package: a snapshot loads every number `JSON.parse` reads, serves
// it as `JSON.parse` reads it, and compares context numbers with ruleset literals as the
// doubles `JSON.parse` makes of both (src/decimal.rs reads numbers correctly rounded).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Flags } from '../../pkg/src/node.js';
import { envelope, keyPair, LOAD_NOW } from './sign.mjs';

const signer = keyPair('ci');
const options = { keys: signer.keys, environment: 'test', now: LOAD_NOW };

// Halfway cases, long digit strings, the ends of the double range, and numbers serde_json's
// conversion (the module's before src/decimal.rs) read one ulp off (1e-30, 3e30,
// 9007199254740993.0, 123456789012345678901) or refused (1.7976931348623158e308).
const NUMBERS = [
  '0', '-0', '0.1', '0.3', '-1.5', '1e21', '1e-7', '1e-30', '3e30', '5.7e-99', '0.30000000000000004',
  '9007199254740993', '9007199254740993.0', '123456789012345678901', '-9223372036854775809',
  '123456789012345678901234567890e-10', '0.1000000000000000055511151231257827',
  '5e-324', '2.4703282292062327e-324', '2.4703282292062328e-324', '2.2250738585072011e-308',
  '1.7976931348623157e308', '1.7976931348623158e308', '1e-400',
  `${'9'.repeat(400)}e-100`, `0.${'0'.repeat(300)}${'7'.repeat(500)}`,
];

/** A signed snapshot of `flags`, given as raw JSON text (so the numbers stay as written). */
function load(flagsText) {
  const payload = Buffer.from(`{"schema":"darklaunch/v1","version":1,"issued_at":"2026-01-01T00:00:00Z",`
    + `"expires":"2999-01-01T00:00:00Z","environment":"test","flags":{${flagsText}}}`);
  return Flags.load(envelope(payload, signer), options);
}

/** The next double up from a finite `x` (for the largest, Infinity). */
function nextUp(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x === 0 ? 0 : x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x < 0 ? bits - 1n : bits + 1n);
  return view.getFloat64(0);
}

test('number and JSON variant values load and are what JSON.parse reads', () => {
  const flags = load(NUMBERS.map((text, i) => `"n${i}":{"variants":{"v":${text}},"off":"v","default":"v"},`
    + `"j${i}":{"variants":{"v":{"x":[${text},{"y":${text}}]}},"off":"v","default":"v"}`).join(','));
  try {
    NUMBERS.forEach((text, i) => {
      const expected = JSON.parse(text);
      assert.ok(Object.is(flags.evaluate(`n${i}`).value, expected), text);
      assert.ok(Object.is(flags.explain(`n${i}`).value, expected), text);
      assert.deepEqual(flags.evaluate(`j${i}`).value, { x: [expected, { y: expected }] }, text);
    });
  } finally {
    flags.free();
  }
});

test('context numbers compare with ruleset literals as the doubles JSON.parse reads', () => {
  const rule = (i, op, text) => `"${op}${i}":{"variants":{"on":true,"off":false},"off":"off",`
    + `"rules":[{"if":{"attr":"x","op":"${op}","value":${text}},"serve":"on"}],"default":"off"}`;
  const flags = load(NUMBERS.flatMap((text, i) => ['eq', 'lt', 'gt'].map((op) => rule(i, op, text))).join(','));
  try {
    NUMBERS.forEach((text, i) => {
      const x = JSON.parse(text);
      const holds = (op, value) => flags.evaluate(`${op}${i}`, { x: value }).value;
      assert.deepEqual(['eq', 'lt', 'gt'].map((op) => holds(op, x)), [true, false, false], text);
      const above = nextUp(x);
      if (Number.isFinite(above)) {
        assert.deepEqual(['eq', 'lt', 'gt'].map((op) => holds(op, above)), [false, false, true], `${text}, next up`);
      }
    });
  } finally {
    flags.free();
  }
});
