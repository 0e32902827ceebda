// Wasm memory of the npm package stays bounded: a WebAssembly.Memory only ever grows, so a
// leak in a loop of loads, failed loads, updates or contexts shows as growth of its buffer.
// After a warm-up, 10,000 rounds of each may not grow it by more than PLATEAU_BYTES. The
// first test measures what a 10,000-flag snapshot costs (docs/security.md#memory).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { Flags } from '../../pkg/src/node.js';
import { initSync } from '../../pkg/wasm/darklaunch.js';
import { envelope, keyPair, LOAD_NOW, snapshot } from './sign.mjs';

// The entry point has initialised the module; initSync then returns its exports as they are.
const { memory } = initSync({ module: readFileSync(new URL('../../pkg/wasm/darklaunch_bg.wasm', import.meta.url)) });
const bytes = () => memory.buffer.byteLength;
const MiB = 1024 * 1024;
const PAGE = 64 * 1024;
// Two wasm pages: room for allocator bookkeeping, far below any per-round leak (a leaked
// verifier alone is about 900 bytes: 10,000 rounds would be 9 MB).
const PLATEAU_BYTES = 2 * PAGE;
const ROUNDS = 10_000;
const WARM_UP = 500;

const signer = keyPair('ci');
const stranger = keyPair('ci');
const options = { keys: signer.keys, environment: 'test', now: LOAD_NOW };
const ruleset = {
  schema: 'darklaunch/v1',
  flags: {
    dark: { variants: { on: true, off: false }, off: 'off', default: { rollout: { variants: { on: 1 }, percent: 30 } } },
    copy: { variants: { a: 'Buy now', b: 'Buy' }, off: 'a', rules: [{ if: { attr: 'country', op: 'eq', value: 'DE' }, serve: 'b' }], default: 'a' },
  },
};
const good = snapshot(ruleset, signer);

/** Runs `round` WARM_UP times, then ROUNDS times; returns the growth after the warm-up. */
function growth(round) {
  for (let i = 0; i < WARM_UP; i++) round();
  const before = bytes();
  for (let i = 0; i < ROUNDS; i++) round();
  return bytes() - before;
}

function refused(input) {
  try {
    Flags.load(input, options).free();
  } catch (error) {
    return error.code;
  }
  assert.fail('loaded');
}

// The flags of the load benchmark (benches/npm.mjs), 10,000 of them: a third static, a third
// with a two-clause rule, a third staged rollouts; each with metadata.
function tenThousandFlags() {
  const rule = { if: { all: [{ attr: 'country', op: 'in', values: ['DE', 'FR', 'NL'] }, { attr: 'plan', op: 'eq', value: 'pro' }] }, serve: 'on' };
  const stages = [{ at: '2026-12-01T09:00:00Z', percent: 1 }, { at: '2026-12-03T09:00:00Z', percent: 5 }, { at: '2026-12-08T09:00:00Z', percent: 30 }];
  const flags = {};
  for (let i = 0; i < 10_000; i++) {
    const metadata = { owner: `team-${i % 17}`, description: `Flag number ${i} of the memory test`, tags: ['memory', `group-${i % 5}`] };
    const base = { variants: { on: true, off: false }, off: 'off', metadata };
    if (i % 3 === 0) flags[`flag-${i}`] = { ...base, default: 'on' };
    else if (i % 3 === 1) flags[`flag-${i}`] = { ...base, rules: [rule], default: 'off' };
    else flags[`flag-${i}`] = { ...base, default: { rollout: { variants: { on: 1 }, stages } } };
  }
  return { schema: 'darklaunch/v1', flags };
}

// First, while the memory is fresh: its growth is the snapshot's peak.
test('a 10,000-flag snapshot: wasm memory before, at its peak, and after reloading', (t) => {
  Flags.load(good, options).free(); // the allocator's first pages
  const big = snapshot(tenThousandFlags(), signer);
  const fresh = bytes();
  const flags = Flags.load(big, options);
  const peak = bytes();
  assert.equal(flags.keys.length, 10_000);
  const all = flags.evaluateAll({ targetingKey: 'u', country: 'DE', plan: 'pro' });
  assert.equal(Object.keys(all).length, 10_000);
  flags.free();
  // Freed memory is reused: loading it again, and again, needs no more.
  for (let i = 0; i < 3; i++) Flags.load(big, options).free();
  const reloaded = bytes();
  t.diagnostic(`envelope ${(big.length / MiB).toFixed(2)} MiB; wasm memory ${(fresh / MiB).toFixed(2)} MiB before, ` +
    `${(peak / MiB).toFixed(2)} MiB at the peak of the load (+${((peak - fresh) / MiB).toFixed(2)} MiB), ` +
    `${(reloaded / MiB).toFixed(2)} MiB after 3 more load/free`);
  // Generous bounds (measured: docs/security.md#memory); a regression of the compiled form
  // or a copy too many would cross them.
  assert.ok(peak - fresh <= 48 * MiB, `a 10,000-flag load grew wasm memory by ${peak - fresh} bytes`);
  assert.ok(reloaded - peak <= PLATEAU_BYTES, `reloading grew wasm memory by ${reloaded - peak} bytes`);
});

test('10,000 loads and frees of a snapshot', () => {
  assert.ok(growth(() => Flags.load(good, options).free()) <= PLATEAU_BYTES);
});

test('10,000 loads of garbage, forged and undecodable snapshots', () => {
  const forged = snapshot(ruleset, stranger);
  const undecodable = envelope(Buffer.from('{"schema": "darklaunch/v1", "flags": [1 true]}'), signer);
  const inputs = [['garbage', 'MALFORMED_ENVELOPE'], [new Uint8Array(4096).fill(0x7b), 'MALFORMED_ENVELOPE'],
    [forged, 'SIGNATURE_INVALID'], [undecodable, 'INVALID_JSON']];
  for (const [input, code] of inputs) assert.equal(refused(input), code);
  let round = 0;
  assert.ok(growth(() => refused(inputs[round++ % inputs.length][0])) <= PLATEAU_BYTES);
});

test('input over the envelope cap is refused without entering wasm memory', () => {
  const before = bytes();
  assert.equal(refused(new Uint8Array(64 * MiB)), 'ENVELOPE_TOO_LARGE');
  assert.equal(refused(' '.repeat(64 * MiB)), 'ENVELOPE_TOO_LARGE');
  assert.equal(bytes(), before);
});

test('10,000 updates, failed updates, and contexts', () => {
  const versions = Array.from({ length: WARM_UP + ROUNDS + 1 }, (_, i) => snapshot(ruleset, signer, { version: i + 1 }));
  const flags = Flags.load(versions[0], options);
  const forged = snapshot(ruleset, stranger, { version: 1e9 });
  const user = { targetingKey: 'user-7', country: 'DE', roles: ['a', 'b'], note: 'x'.repeat(200) };
  let next = 1;
  const update = () => assert.equal(flags.update(versions[next++]), true);
  const failedUpdate = () => assert.throws(() => flags.update(forged), { code: 'SIGNATURE_INVALID' });
  const context = () => flags.context(user).free();
  // A plain object is prepared and freed inside every call.
  const plainEvaluations = () => {
    flags.evaluate('dark', user);
    flags.evaluateAll(user);
    flags.explain('copy', user);
  };
  const preparedEvaluations = () => {
    const ctx = flags.context(user);
    flags.isEnabled('dark', ctx);
    flags.evaluateAll(ctx);
    ctx.free();
  };
  for (const [name, round] of [['update', update], ['failed update', failedUpdate], ['context', context],
    ['plain evaluations', plainEvaluations], ['prepared evaluations', preparedEvaluations]]) {
    assert.ok(growth(round) <= PLATEAU_BYTES, name);
  }
  assert.equal(flags.version, BigInt(WARM_UP + ROUNDS + 1));
  flags.free();
});
