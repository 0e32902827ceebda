// Benchmark of the npm package in Node (measured, never a test): `make bench-npm`.
// Workload of design §8: 50 flags (a rule, else a rollout at 1/5/30 %), 10,000 users.
// Prints ns per flag (prepared context, key resolved through the cached index), all 50
// flags with evaluateAll, cold start in fresh processes, and load of a 1,000-flag snapshot.
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Flags } from '../pkg/src/node.js';
import { keyPair, snapshot } from '../tests/js/sign.mjs';

const NOW = Date.parse('2026-12-10T09:00:00Z');
const signer = keyPair('bench');
const options = { keys: signer.keys, environment: 'bench', now: NOW };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const rule = { if: { all: [
  { attr: 'country', op: 'in', values: ['DE', 'FR', 'NL'] },
  { attr: 'plan', op: 'eq', value: 'pro' },
  { attr: 'appVersion', op: 'semver_gte', value: '4.2.0' },
] }, serve: 'on' };
const stages = [
  { at: '2026-12-01T09:00:00Z', percent: 1 }, { at: '2026-12-03T09:00:00Z', percent: 5 }, { at: '2026-12-08T09:00:00Z', percent: 30 },
];

function fiftyFlags() {
  const flags = {};
  for (let i = 0; i < 50; i++) {
    flags[`flag-${i}`] = { variants: { on: true, off: false }, off: 'off', rules: [rule],
      default: { rollout: { variants: { on: 1 }, percent: [1, 5, 30][i % 3] } } };
  }
  return { schema: 'darklaunch/v1', flags };
}

function thousandFlags() {
  const flags = {};
  for (let i = 0; i < 1000; i++) {
    const metadata = { owner: `team-${i % 17}`, description: `Flag number ${i} of the load benchmark`, tags: ['bench', `group-${i % 5}`] };
    const base = { variants: { on: true, off: false }, off: 'off', metadata };
    if (i % 3 === 0) flags[`flag-${i}`] = { ...base, default: 'on' };
    else if (i % 3 === 1) flags[`flag-${i}`] = { ...base, rules: [rule], default: 'off' };
    else flags[`flag-${i}`] = { ...base, default: { rollout: { variants: { on: 1 }, stages } } };
  }
  return { schema: 'darklaunch/v1', flags };
}

function users(n) {
  const countries = ['DE', 'US', 'FR', 'GB', 'NL', 'JP'];
  return Array.from({ length: n }, (_, i) => ({
    targetingKey: `u-9e3779b97f4a7c15-${String(i).padStart(6, '0')}`,
    country: countries[i % countries.length], plan: i % 2 ? 'pro' : 'free', appVersion: i % 4 ? '4.3.0' : '4.1.0',
  }));
}

// Best of several rounds of `iterations` calls; returns ns per call.
function measure(iterations, body) {
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    const start = process.hrtime.bigint();
    body(iterations);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / iterations);
  }
  return best;
}

const flags = Flags.load(snapshot(fiftyFlags(), signer, { environment: 'bench' }), options);
const contexts = users(10_000).map((u) => flags.context(u, { now: NOW }));
const keys = flags.keys;
let sink = 0;

const perFlag = measure(2_000_000, (n) => {
  for (let i = 0; i < n; i++) if (flags.isEnabled(keys[i % 50], contexts[i % 10_000])) sink++;
});
const perFlagRollout = measure(2_000_000, (n) => {
  for (let i = 0; i < n; i++) if (flags.isEnabled('flag-1', contexts[(i * 2) % 10_000])) sink++; // plan free: rollout decides
});
const evaluateObject = measure(1_000_000, (n) => {
  for (let i = 0; i < n; i++) sink += flags.evaluate(keys[i % 50], contexts[i % 10_000]).rule ?? 0;
});
const all50 = measure(100_000, (n) => {
  for (let i = 0; i < n; i++) sink += Object.keys(flags.evaluateAll(contexts[i % 10_000])).length;
});
const plainObject = measure(200_000, (n) => {
  const plain = users(1000);
  for (let i = 0; i < n; i++) if (flags.isEnabled(keys[i % 50], plain[i % 1000])) sink++;
});
const prepare = measure(200_000, (n) => {
  const plain = users(1000);
  for (let i = 0; i < n; i++) flags.context(plain[i % 1000], { now: NOW }).free();
});

const big = snapshot(thousandFlags(), signer, { environment: 'bench' });
const loads = [];
for (let i = 0; i < 30; i++) {
  const start = process.hrtime.bigint();
  const loaded = Flags.load(big, options);
  loads.push(Number(process.hrtime.bigint() - start) / 1e6);
  loaded.free();
}

// Cold start: a fresh `node` per run; performance.now() counts from process start, so the
// time from just before `import` to the first evaluation is measured inside the child.
const dir = mkdtempSync(join(tmpdir(), 'darklaunch-bench-'));
writeFileSync(join(dir, 'snapshot.json'), snapshot(fiftyFlags(), signer, { environment: 'bench' }));
const child = `
const bytes = (await import('node:fs')).readFileSync(${JSON.stringify(join(dir, 'snapshot.json'))});
const t0 = performance.now();
const { Flags } = await import(${JSON.stringify(new URL('../pkg/src/node.js', import.meta.url).href)});
const flags = Flags.load(bytes, ${JSON.stringify({ ...options })});
flags.isEnabled('flag-0', { targetingKey: 'user-1' });
console.log(performance.now() - t0);`;
const cold = Array.from({ length: 9 }, () => Number(execFileSync(process.execPath, ['--input-type=module', '-e', child], { encoding: 'utf8' })));

const f = (x, d = 1) => x.toFixed(d);
console.log(`node ${process.version}, ${new Date().toISOString()}`);
console.log(`isEnabled, prepared context, 50 flags round-robin: ${f(perFlag)} ns/flag (budget 100)`);
console.log(`isEnabled, prepared context, rollout flag:          ${f(perFlagRollout)} ns/flag`);
console.log(`evaluate (result object), prepared context:         ${f(evaluateObject)} ns/flag`);
console.log(`evaluateAll, 50 flags, prepared context:            ${f(all50 / 1000, 2)} µs (budget 3)`);
console.log(`isEnabled with a plain object (prepared per call):  ${f(plainObject)} ns/flag`);
console.log(`flags.context(obj) + free():                         ${f(prepare)} ns`);
console.log(`load 1,000-flag snapshot (${big.length} bytes): median ${f(median(loads), 2)} ms of ${loads.length} (budget 10)`);
console.log(`cold start, import → first evaluation: median ${f(median(cold), 2)} ms of ${cold.length} (budget 10)`);
if (sink === -1) console.log(sink);
