// A/B of two builds of the wasm module in one Node process (docs/performance.md, "How the
// changes were measured"): each directory holds a wasm-bindgen `darklaunch.js` and its
// `darklaunch_bg.wasm` (e.g. a copy of pkg/wasm before and after a change). Repetitions
// alternate A and B, and each ratio B/A is taken within one repetition, so load on a shared
// machine affects both alike. Usage: node benches/ab.mjs <dirA> <dirB> [repetitions]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import * as d from './compare/sdk/darklaunch.mjs';
import { users } from './compare/workload.mjs';

const dirs = process.argv.slice(2, 4).map((dir) => resolve(dir));
const REPS = +(process.argv[4] ?? 9);
const NOW = Date.parse('2026-12-10T09:00:00Z');
const cfg = d.config(50), big = d.config(1000);
const us = users(10000);
const inst = [];
for (const [k, dir] of dirs.entries()) {
  // A query string per build: two module instances even for the same file.
  const m = await import(`${pathToFileURL(join(dir, 'darklaunch.js'))}?${k}`);
  m.initSync({ module: readFileSync(join(dir, 'darklaunch_bg.wasm')) });
  const v = new m.Verifier(JSON.stringify({ keys: cfg.keys }), 'bench', false);
  const vb = new m.Verifier(JSON.stringify({ keys: big.keys }), 'bench', false);
  const snap = v.verify(new TextEncoder().encode(cfg.snapshot), NOW, undefined, undefined);
  const ctxs = us.map((u) => m.PreparedContext.fromJson(JSON.stringify(u)));
  inst.push({ m, v, vb, snap, ctxs, size: readFileSync(join(dir, 'darklaunch_bg.wasm')).length });
}
const bigBytes = new TextEncoder().encode(big.snapshot);
const out = new Uint32Array(50);
let sink = 0;
const tests = {
  evaluateAll: [2000, (x, n) => { for (let i = 0; i < n; i++) { x.snap.evaluateAll(x.ctxs[i % 10000], NOW, out); sink += out[0]; } }],
  evaluate: [100000, (x, n) => { for (let i = 0; i < n; i++) sink += x.snap.evaluate(i % 50, x.ctxs[(i / 50 | 0) % 10000], NOW); }],
  fromJson: [10000, (x, n) => { for (let i = 0; i < n; i++) x.m.PreparedContext.fromJson(JSON.stringify(us[i % 10000])).free(); }],
  load1000: [3, (x, n) => { for (let i = 0; i < n; i++) x.vb.verify(bigBytes, NOW, undefined, undefined).free(); }],
};
const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
console.log('sizes', inst.map((x) => x.size).join(' vs '));
for (const [name, [n, f]] of Object.entries(tests)) {
  const t = [[], []];
  for (const x of inst) f(x, n);
  for (let r = 0; r < REPS; r++) for (const k of r % 2 ? [1, 0] : [0, 1]) {
    const s = process.hrtime.bigint(); f(inst[k], n); t[k].push(Number(process.hrtime.bigint() - s) / n);
  }
  const ratios = t[1].map((b, i) => b / t[0][i]);
  console.log(name.padEnd(12), 'A', med(t[0]).toFixed(0), 'B', med(t[1]).toFixed(0), 'B/A', med(ratios).toFixed(3), `(${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`);
}
