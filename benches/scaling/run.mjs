// Scaling curves of the npm package (wasm, in Node): how load and evaluation grow with the
// number of flags, rules per flag, segment size and context size, and the wasm memory a
// loaded snapshot takes. `make bench-scaling` writes docs/scaling.json and docs/scaling.svg
// (plot.mjs). Measured, never a test; medians of a few repetitions (docs/performance.md).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Flags, initSync } from '../../pkg/src/slim.js';
import { keyPair, snapshot } from '../../tests/js/sign.mjs';
import { plot } from './plot.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const wasm = initSync({ module: readFileSync(join(root, 'pkg/wasm/darklaunch_bg.wasm')) });
const NOW = Date.parse('2026-12-10T09:00:00Z');
const signer = keyPair('scaling');
const options = { keys: signer.keys, environment: 'scaling', now: NOW };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let sink = 0;

const rollout = (i) => ({ rollout: { variants: { on: 1 }, percent: [1, 5, 30][i % 3] } });
const rule = { if: { all: [{ attr: 'country', op: 'in', values: ['DE', 'FR', 'NL'] }, { attr: 'plan', op: 'eq', value: 'pro' }] }, serve: 'on' };
const flag = (i, rules = [rule]) => ({ variants: { on: true, off: false }, off: 'off', rules, default: rollout(i) });
const signed = (ruleset) => snapshot({ schema: 'darklaunch/v1', ...ruleset }, signer, { environment: 'scaling' });
const user = (i, extra = {}) => ({ targetingKey: `user-${i.toString(36)}`, country: ['DE', 'US', 'FR', 'JP'][i % 4], plan: ['free', 'pro'][i % 2], ...extra });

/** Median ms of `reps` loads; also the wasm memory (bytes) after the last one, while loaded. */
function load(bytes, reps) {
  const times = [];
  let memory = 0;
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    const flags = Flags.load(bytes, options);
    times.push(performance.now() - start);
    memory = wasm.memory.buffer.byteLength;
    flags.free();
  }
  return { ms: median(times), memory };
}

/** Median ns per call of `body(i)` over `n` calls, 5 rounds. */
function time(n, body) {
  const rounds = [];
  for (let r = 0; r < 6; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += body(i) ? 1 : 0;
    if (r > 0) rounds.push(Number(process.hrtime.bigint() - start) / n);
  }
  return median(rounds);
}

function withFlags(ruleset, run) {
  const flags = Flags.load(signed(ruleset), options);
  try {
    return run(flags);
  } finally {
    flags.free();
  }
}

const contexts = (flags, n, extra) => Array.from({ length: n }, (_, i) => flags.context(user(i, extra), { now: NOW }));

// Flags: 10 -> 10,000 (the limit). Memory is the whole wasm memory with the snapshot loaded:
// it never shrinks, so it is the high-water mark (including the transient decode), and
// sizes are measured in increasing order. For segments (measured after 10,000 flags) only
// a value above that earlier mark says anything.
const byFlags = [];
for (const n of [10, 100, 1000, 10_000]) {
  const ruleset = { flags: Object.fromEntries(Array.from({ length: n }, (_, i) => [`flag-${i}`, flag(i)])) };
  const bytes = signed(ruleset);
  const loaded = load(bytes, n >= 10_000 ? 3 : 7);
  const evaluation = withFlags(ruleset, (flags) => {
    const ctx = contexts(flags, 1000);
    const keys = flags.keys;
    const one = time(200_000, (i) => flags.isEnabled(keys[i % n], ctx[i % 1000]));
    const all = time(Math.max(20, Math.floor(200_000 / n)), (i) => flags.evaluateAll(ctx[i % 1000]));
    return { one, allPerFlag: all / n };
  });
  byFlags.push({ n, bytes: bytes.length, loadMs: loaded.ms, memoryBytes: loaded.memory, ...evaluation });
}

// Rules per flag: every rule but the last misses (country XX), so all are tried.
const byRules = [];
for (const n of [1, 4, 16, 64]) {
  const miss = { if: { attr: 'country', op: 'eq', value: 'XX' }, serve: 'on' };
  const rules = [...Array.from({ length: n - 1 }, () => miss), rule];
  const ruleset = { flags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`flag-${i}`, flag(i, rules)])) };
  const ns = withFlags(ruleset, (flags) => {
    const ctx = contexts(flags, 1000);
    const keys = flags.keys;
    return time(200_000, (i) => flags.isEnabled(keys[i % 50], ctx[i % 1000]));
  });
  byRules.push({ n, ns });
}

// Segment size: one flag whose rule is a segment of n include keys; half the users are in.
const bySegment = [];
for (const n of [10, 1000, 100_000, 1_000_000]) {
  const include = Array.from({ length: n }, (_, i) => `user-${(2 * i).toString(36)}`);
  const ruleset = { segments: { big: { include } }, flags: { seg: { variants: { on: true, off: false }, off: 'off', rules: [{ if: { segment: 'big' }, serve: 'on' }], default: 'off' } } };
  const bytes = signed(ruleset);
  const loaded = load(bytes, n >= 100_000 ? 3 : 7);
  const ns = withFlags(ruleset, (flags) => {
    const users = Math.min(2 * n, 2000);
    const ctx = contexts(flags, users);
    return time(200_000, (i) => flags.isEnabled('seg', ctx[i % users]));
  });
  bySegment.push({ n, bytes: bytes.length, loadMs: loaded.ms, memoryBytes: loaded.memory, ns });
}

// Context size: n attributes besides the three the flags read (256 is the limit); prepare
// once, evaluate 50 flags.
const byContext = [];
const fifty = { flags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`flag-${i}`, flag(i)])) };
for (const n of [1, 8, 64, 254]) {
  const extra = Object.fromEntries(Array.from({ length: n }, (_, i) => [`attribute${i}`, `value-${i}`]));
  const result = withFlags(fifty, (flags) => {
    const plain = Array.from({ length: 1000 }, (_, i) => user(i, extra));
    const prepare = time(Math.max(2000, Math.floor(100_000 / n)), (i) => { flags.context(plain[i % 1000], { now: NOW }).free(); });
    const ctx = contexts(flags, 1000, extra);
    const keys = flags.keys;
    const one = time(200_000, (i) => flags.isEnabled(keys[i % 50], ctx[i % 1000]));
    return { prepare, one };
  });
  byContext.push({ n, ...result });
}

const results = { node: process.version, date: new Date().toISOString(), byFlags, byRules, bySegment, byContext };
writeFileSync(join(root, 'docs/scaling.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(root, 'docs/scaling.svg'), plot(results));
console.log(JSON.stringify(results, null, 2));
if (sink === -1) console.log(sink);
