// Numbers through the npm package: a ruleset's number text reaches JavaScript as exactly the
// double `JSON.parse` reads from it (src/decimal.rs reads correctly rounded and writes the
// shortest text that reads back), and a context number equals the ruleset literal it was
// written from.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Flags } from '../../pkg/src/node.js';
import { envelope, keyPair, LOAD_NOW } from './sign.mjs';

const signer = keyPair('ci');
const options = { keys: signer.keys, environment: 'test', now: LOAD_NOW };

// Source texts: halfway cases, long digit strings, the ends of the double range, and numbers
// serde_json's default conversion read one ulp off (1e-30, 3e30, 5.7e-99).
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

test('number and JSON variant values are what JSON.parse reads from the ruleset', () => {
  const flags = load(NUMBERS.map((text, i) => `"n${i}":{"variants":{"v":${text}},"off":"v","default":"v"},`
    + `"j${i}":{"variants":{"v":{"x":[${text},{"y":${text}}]}},"off":"v","default":"v"}`).join(','));
  try {
    NUMBERS.forEach((text, i) => {
      const expected = JSON.parse(text);
      // Integral number variants are served as integers, so -0 as 0 (src/ruleset/value.rs);
      // inside JSON values -0 stays.
      const number = Object.is(expected, -0) ? 0 : expected;
      assert.ok(Object.is(flags.evaluate(`n${i}`).value, number), `${text}: ${flags.evaluate(`n${i}`).value}`);
      assert.ok(Object.is(flags.explain(`n${i}`).value, number), text);
      assert.deepEqual(flags.evaluate(`j${i}`).value, { x: [expected, { y: expected }] }, text);
    });
  } finally {
    flags.free();
  }
});

test('a context number equals the ruleset literal it was written from', () => {
  const flags = load(NUMBERS.map((text, i) => `"r${i}":{"variants":{"on":true,"off":false},"off":"off",`
    + `"rules":[{"if":{"attr":"x","op":"eq","value":${text}},"serve":"on"}],"default":"off"}`).join(','));
  try {
    NUMBERS.forEach((text, i) => {
      const x = JSON.parse(text);
      assert.equal(flags.evaluate(`r${i}`, { x }).value, true, text);
      assert.equal(flags.evaluate(`r${i}`, { x: x + Math.abs(x) * 2 ** -52 + 5e-324 }).value, false, text);
    });
  } finally {
    flags.free();
  }
});
