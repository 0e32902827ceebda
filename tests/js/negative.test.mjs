// Evaluation never throws: every evaluating method of the npm package (isEnabled, getValue,
// evaluate, evaluateAll, explain, context) with hostile flag keys, contexts, types and freed
// handles returns, with the reason and error code docs/ruleset.md#evaluation gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Context, Flags } from '../../pkg/src/node.js';
import { keyPair, LOAD_NOW, snapshot } from './sign.mjs';

const signer = keyPair('ci');
const options = { keys: signer.keys, environment: 'test', now: LOAD_NOW };
const boolean = (extra) => ({ variants: { on: true, off: false }, off: 'off', ...extra });
const flagsJson = {
  // STATIC: needs nothing from the context.
  static: boolean({ default: 'on' }),
  // SPLIT at 100%: needs a string or integer targeting key.
  split: boolean({ default: { rollout: { variants: { on: 1 }, percent: 100 } } }),
  copy: { variants: { a: 'Buy now', b: 'Buy' }, off: 'a', rules: [{ if: { attr: 'country', op: 'eq', value: 'DE' }, serve: 'b' }], default: 'a' },
  // Prototype-pollution names are ordinary flag keys and attribute names.
  constructor: boolean({ rules: [{ if: { attr: '__proto__', op: 'eq', value: 'yes' }, serve: 'on' }], default: 'off' }),
};
Object.defineProperty(flagsJson, '__proto__', { value: boolean({ default: 'on' }), enumerable: true });
const ruleset = { schema: 'darklaunch/v1', flags: flagsJson };
const flags = Flags.load(snapshot(ruleset, signer), options);
const KEYS = ['static', 'split', 'copy', 'constructor', '__proto__'];

function deeplyNested(depth) {
  let value = {};
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}
const cyclic = { targetingKey: 'u' };
cyclic.self = cyclic;
const indirectCycle = { targetingKey: 'u', a: { b: [] } };
indirectCycle.a.b.push(indirectCycle.a);
// n attributes besides the targeting key (which the limit does not count).
const attributes = (n) => Object.fromEntries([['targetingKey', 'u'], ...Array.from({ length: n }, (_, i) => [`a${i}`, i])]);

// [name, context, error code of `split` (null: it serves), same problem for every flag?]
// A problem with the context itself makes every flag an error; a missing or unusable unit
// only the flags that bucket (`split`). JSON.stringify decides what a plain object says:
// undefined, functions and symbols are left out, NaN and Infinity become null (absent).
const CONTEXTS = [
  ['a valid context', { targetingKey: 'user-1', country: 'DE' }, null, false],
  ['an integer targeting key', { targetingKey: 42 }, null, false],
  ['a 4,096-byte targeting key', { targetingKey: 'x'.repeat(4096) }, null, false],
  ['undefined', undefined, 'TARGETING_KEY_MISSING', false],
  ['null', null, 'TARGETING_KEY_MISSING', false],
  ['an empty object', {}, 'TARGETING_KEY_MISSING', false],
  ['a number', 42, 'INVALID_CONTEXT', true],
  ['NaN', NaN, 'INVALID_CONTEXT', true],
  ['a string', 'user-1', 'INVALID_CONTEXT', true],
  ['a boolean', true, 'INVALID_CONTEXT', true],
  ['an empty array', [], 'INVALID_CONTEXT', true],
  ['an array of objects', [{ targetingKey: 'u' }], 'INVALID_CONTEXT', true],
  ['a BigInt', 10n, 'INVALID_CONTEXT', true],
  ['a Symbol', Symbol('ctx'), 'INVALID_CONTEXT', true],
  ['a function', () => ({ targetingKey: 'u' }), 'INVALID_CONTEXT', true],
  ['a Date', new Date(0), 'INVALID_CONTEXT', true],
  ['a cyclic object', cyclic, 'INVALID_CONTEXT', true],
  ['an indirect cycle', indirectCycle, 'INVALID_CONTEXT', true],
  ['a BigInt attribute', { targetingKey: 'u', n: 10n }, 'INVALID_CONTEXT', true],
  ['a BigInt targeting key', { targetingKey: 10n }, 'INVALID_CONTEXT', true],
  ['a getter that throws', { get targetingKey() { throw new Error('getter'); } }, 'INVALID_CONTEXT', true],
  ['a toJSON that throws', { targetingKey: 'u', toJSON() { throw new Error('toJSON'); } }, 'INVALID_CONTEXT', true],
  ['a toJSON giving a number', { toJSON: () => 5 }, 'INVALID_CONTEXT', true],
  ['a toJSON giving a context', { toJSON: () => ({ targetingKey: 'u' }) }, null, false],
  ['a proxy whose ownKeys throws', new Proxy({}, { ownKeys() { throw new Error('proxy'); } }), 'INVALID_CONTEXT', true],
  ['a 5 MiB targeting key', { targetingKey: 'x'.repeat(5 * 1024 * 1024) }, 'INVALID_CONTEXT', true],
  ['a 5 MiB attribute', { targetingKey: 'u', note: 'y'.repeat(5 * 1024 * 1024) }, 'INVALID_CONTEXT', true],
  ['a 4,097-byte string', { targetingKey: 'u', note: 'x'.repeat(4097) }, 'INVALID_CONTEXT', true],
  ['257 attributes', attributes(257), 'INVALID_CONTEXT', true],
  ['256 attributes', attributes(256), null, false],
  ['a 257-element array', { targetingKey: 'u', roles: Array(257).fill('r') }, 'INVALID_CONTEXT', true],
  ['a lone surrogate', { targetingKey: '\ud800' }, 'INVALID_CONTEXT', true],
  ['a value nested 200 deep', { targetingKey: 'u', deep: deeplyNested(200) }, 'INVALID_CONTEXT', true],
  ['a value nested 100,000 deep', { targetingKey: 'u', deep: deeplyNested(100_000) }, 'INVALID_CONTEXT', true],
  ['a value nested 50 deep (ignored)', { targetingKey: 'u', deep: deeplyNested(50) }, null, false],
  ['a boolean targeting key', { targetingKey: true }, 'INVALID_CONTEXT', false],
  ['a fractional targeting key', { targetingKey: 2.5 }, 'INVALID_CONTEXT', false],
  ['an array targeting key', { targetingKey: ['u'] }, 'INVALID_CONTEXT', false],
  ['an object targeting key (ignored)', { targetingKey: { id: 'u' } }, 'TARGETING_KEY_MISSING', false],
  ['a Symbol targeting key (left out)', { targetingKey: Symbol('u') }, 'TARGETING_KEY_MISSING', false],
  ['an undefined targeting key (left out)', { targetingKey: undefined }, 'TARGETING_KEY_MISSING', false],
  ['a function targeting key (left out)', { targetingKey: () => 'u' }, 'TARGETING_KEY_MISSING', false],
  ['a NaN targeting key (null)', { targetingKey: NaN }, 'TARGETING_KEY_MISSING', false],
  ['an Infinity targeting key (null)', { targetingKey: Infinity }, 'TARGETING_KEY_MISSING', false],
  ['a null targeting key', { targetingKey: null }, 'TARGETING_KEY_MISSING', false],
  ['an inherited targeting key (not own)', Object.create({ targetingKey: 'u' }), 'TARGETING_KEY_MISSING', false],
  ['a Map', new Map([['targetingKey', 'u']]), 'TARGETING_KEY_MISSING', false],
  ['a null-prototype object', Object.assign(Object.create(null), { targetingKey: 'u' }), null, false],
  ['symbol keys (left out)', { targetingKey: 'u', [Symbol('k')]: 1 }, null, false],
  ['own __proto__ and constructor attributes', JSON.parse('{"targetingKey":"u","__proto__":{"targetingKey":"v"},"constructor":"x"}'), null, false],
];

function checkEvaluation(result, code, label) {
  assert.deepEqual(Object.keys(result), ['value', 'variant', 'reason', 'errorCode', 'rule', 'stage', 'version'], label);
  if (code === null) {
    assert.notEqual(result.reason, 'ERROR', label);
    assert.equal(result.errorCode, null, label);
    assert.notEqual(result.value, null, label);
  } else {
    assert.deepEqual({ ...result }, { value: null, variant: null, reason: 'ERROR', errorCode: code, rule: null, stage: null, version: flags.version }, label);
  }
}

test('hostile contexts, plain and prepared, through every evaluating method', () => {
  for (const [name, ctx, splitCode, everyFlag] of CONTEXTS) {
    const prepared = flags.context(ctx);
    assert.ok(prepared instanceof Context, name);
    const expected = (flag) => (flag === 'split' || everyFlag ? splitCode : null);
    for (const input of [ctx, prepared]) {
      const label = `${name} (${input === prepared ? 'prepared' : 'plain'})`;
      for (const flag of KEYS) {
        const code = expected(flag);
        checkEvaluation(flags.evaluate(flag, input), code, `${label}: ${flag}`);
        const enabled = flags.isEnabled(flag, input);
        assert.equal(enabled, code === null && flag !== 'copy' && flags.evaluate(flag, input).value === true, `${label}: isEnabled ${flag}`);
        const fallback = flag === 'copy' ? 'fallback' : false;
        if (code !== null) assert.equal(flags.getValue(flag, input, fallback), fallback, `${label}: getValue ${flag}`);
        const explanation = flags.explain(flag, input);
        assert.equal(explanation.flag, flag, label);
        assert.equal(explanation.reason, code === null ? flags.evaluate(flag, input).reason : 'ERROR', `${label}: explain ${flag}`);
        assert.equal(explanation.errorCode, code, `${label}: explain ${flag}`);
      }
      const all = flags.evaluateAll(input);
      assert.equal(Object.getPrototypeOf(all), Object.prototype, label);
      assert.deepEqual(Object.keys(all), KEYS, label);
      for (const flag of KEYS) checkEvaluation(all[flag], expected(flag), `${label}: evaluateAll ${flag}`);
    }
    prepared.free();
  }
  // Nothing leaked onto the prototypes.
  assert.equal(Object.prototype.targetingKey, undefined);
  assert.equal({}.value, undefined);
});

test('prototype-pollution names are ordinary flag keys and attributes', () => {
  assert.deepEqual(flags.keys, KEYS);
  assert.equal(flags.isEnabled('__proto__', {}), true);
  const all = flags.evaluateAll({});
  assert.ok(Object.hasOwn(all, '__proto__'));
  assert.equal(all.__proto__.value, true); // an own property, not the prototype
  assert.equal(all.value, undefined);
  const proto = JSON.parse('{"__proto__": "yes"}');
  assert.equal(flags.evaluate('constructor', proto).reason, 'TARGETING_MATCH');
  assert.equal(flags.evaluate('constructor', { ['__proto__']: 'yes' }).reason, 'TARGETING_MATCH');
  assert.equal(flags.evaluate('constructor', {}).reason, 'DEFAULT');
  // Inherited members of Object.prototype are not flags.
  for (const key of ['toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']) {
    assert.equal(flags.evaluate(key, {}).errorCode, 'FLAG_NOT_FOUND', key);
  }
});

test('unknown and non-string flag keys: FLAG_NOT_FOUND', () => {
  const keys = ['missing', '', 'Static', 'static ', undefined, null, 0, 3, NaN, true, 1n, Symbol('static'), {}, ['static'],
    new String('static'), { toString: () => 'static' }, { toString() { throw new Error('toString'); } }, 'x'.repeat(1 << 20)];
  for (const key of keys) {
    const label = `${typeof key} #${keys.indexOf(key)}`;
    checkEvaluation(flags.evaluate(key, { targetingKey: 'u' }), 'FLAG_NOT_FOUND', label);
    checkEvaluation(flags.evaluate(key, { targetingKey: 'u' }, 'boolean'), 'FLAG_NOT_FOUND', label);
    assert.equal(flags.isEnabled(key, {}), false, label);
    assert.equal(flags.getValue(key, {}, 'fallback'), 'fallback', label);
    assert.equal(flags.explain(key, {}).errorCode, 'FLAG_NOT_FOUND', label);
  }
});

test('the type argument: TYPE_MISMATCH unless it names the flag\'s type', () => {
  const ctx = { targetingKey: 'u', country: 'DE' };
  assert.equal(flags.evaluate('static', ctx, 'boolean').reason, 'STATIC');
  assert.equal(flags.evaluate('copy', ctx, 'string').value, 'Buy');
  for (const type of [undefined, null]) assert.equal(flags.evaluate('static', ctx, type).reason, 'STATIC');
  for (const type of ['string', 'number', 'object', 'bogus', '', 'Boolean', 42, true, {}, Symbol('boolean'), 1n]) {
    checkEvaluation(flags.evaluate('static', ctx, type), 'TYPE_MISMATCH', String(type?.toString?.() ?? type));
  }
  // The context is checked first, as in the core (Ruleset::evaluate_as).
  checkEvaluation(flags.evaluate('static', 42, 'string'), 'INVALID_CONTEXT', 'plain');
  checkEvaluation(flags.evaluate('static', flags.context(42), 'string'), 'INVALID_CONTEXT', 'prepared');
  checkEvaluation(flags.evaluate('static', flags.contextFromJson('{'), 'string'), 'PARSE_ERROR', 'text');
  // getValue: a fallback of another type is returned as is.
  assert.equal(flags.getValue('static', ctx, 'text'), 'text');
  assert.equal(flags.getValue('static', ctx, 7), 7);
  assert.equal(flags.getValue('static', ctx, 7n), 7n);
  assert.equal(flags.getValue('static', ctx, true), true);
  assert.equal(flags.getValue('static', ctx, undefined), true);
  assert.equal(flags.getValue('copy', ctx, null), 'Buy');
});

test('context text, and odd context options', () => {
  const texts = [['', 'PARSE_ERROR'], ['{', 'PARSE_ERROR'], ['{"a":1,}', 'PARSE_ERROR'], ['"\\ud800"', 'PARSE_ERROR'],
    ['null', 'INVALID_CONTEXT'], ['[]', 'INVALID_CONTEXT'], ['5', 'INVALID_CONTEXT'],
    [42, 'INVALID_CONTEXT'], [undefined, 'INVALID_CONTEXT'], [{ targetingKey: 'u' }, 'INVALID_CONTEXT'],
    ['{"targetingKey":"u"}', null]];
  for (const [text, code] of texts) {
    const ctx = flags.contextFromJson(text);
    checkEvaluation(flags.evaluate('static', ctx), code, String(text));
    ctx.free();
  }
  // Options that are not what they should be: the context still works or says GENERAL.
  // (`now` past the snapshot's expiry serves it as STALE; NaN is 0.)
  for (const [opts, reason] of [[undefined, 'SPLIT'], [null, 'SPLIT'], [{}, 'SPLIT'], [{ now: undefined }, 'SPLIT'],
    [{ now: 'soon' }, 'SPLIT'], [{ now: NaN }, 'SPLIT'], [{ now: -1e300 }, 'SPLIT'], [{ now: 1e300 }, 'STALE']]) {
    const ctx = flags.context({ targetingKey: 'u' }, opts);
    assert.equal(flags.evaluate('split', ctx).reason, reason, JSON.stringify(opts));
    assert.equal(flags.evaluate('split', ctx).value, true, JSON.stringify(opts));
    ctx.free();
  }
  for (const now of [Symbol('now'), 1n]) {
    const ctx = flags.context({ targetingKey: 'u' }, { now });
    checkEvaluation(flags.evaluate('split', ctx), 'GENERAL', typeof now);
    assert.equal(flags.evaluateAll(ctx).split.errorCode, 'GENERAL');
    assert.equal(flags.explain('split', ctx).errorCode, 'GENERAL');
    ctx.free();
  }
  // Something that only pretends to be a prepared context.
  const forged = Object.create(Context.prototype);
  checkEvaluation(flags.evaluate('static', forged), 'GENERAL', 'forged');
  assert.equal(flags.isEnabled('static', forged), false);
  assert.equal(flags.evaluateAll(forged).static.errorCode, 'GENERAL');
  assert.equal(flags.explain('static', forged).errorCode, 'GENERAL');
});

test('freed contexts and freed flags: GENERAL, never a throw', () => {
  const own = Flags.load(snapshot(ruleset, signer), options);
  const ctx = own.context({ targetingKey: 'u' });
  ctx.free();
  ctx.free(); // twice is harmless
  for (const flag of KEYS) {
    checkEvaluation(own.evaluate(flag, ctx), 'GENERAL', flag);
    checkEvaluation(own.evaluate(flag, ctx, 'boolean'), 'GENERAL', flag);
    assert.equal(own.isEnabled(flag, ctx), false);
    assert.equal(own.getValue(flag, ctx, 'fallback'), 'fallback');
    assert.equal(own.explain(flag, ctx).errorCode, 'GENERAL');
    checkEvaluation(own.evaluateAll(ctx)[flag], 'GENERAL', flag);
  }
  const live = own.context({ targetingKey: 'u' });
  const version = own.version;
  own.free();
  own.free();
  assert.equal(own.version, undefined);
  for (const input of [live, { targetingKey: 'u' }, 42]) {
    for (const flag of KEYS) {
      assert.deepEqual(own.evaluate(flag, input), { value: null, variant: null, reason: 'ERROR', errorCode: 'GENERAL', rule: null, stage: null, version: undefined });
      assert.equal(own.evaluate(flag, input, 'string').errorCode, 'GENERAL');
      assert.equal(own.isEnabled(flag, input), false);
      assert.equal(own.getValue(flag, input, 'fallback'), 'fallback');
      assert.equal(own.explain(flag, input).errorCode, 'GENERAL');
      assert.equal(own.evaluateAll(input)[flag].errorCode, 'GENERAL');
    }
    assert.equal(own.evaluate('missing', input).errorCode, 'FLAG_NOT_FOUND');
  }
  // A context is independent of the flags that made it.
  assert.equal(flags.evaluate('split', live).reason, 'SPLIT');
  assert.equal(version, 1n);
  const again = own.context({ targetingKey: 'u' });
  assert.equal(own.evaluate('split', again).errorCode, 'GENERAL');
  again.free();
  live.free();
});
