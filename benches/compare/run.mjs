// Side-by-side benchmark of darklaunch, @openfeature/flagd-core and @growthbook/growthbook on
// the workload of issue 8 (workload.mjs), in one run: `make bench-compare` (docs/performance.md).
// Checks first that the three agree, then measures in interleaved repetitions (every
// repetition runs each SDK once, in rotating order, so load on the machine hits all alike)
// and prints medians, interquartile ranges and the ratio to darklaunch within each repetition.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import * as esbuild from 'esbuild';

import { checkAgreement } from './agree.mjs';
import { ratio, summary } from './stats.mjs';
import { users } from './workload.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
// Adapter modules in sdk/ (darklaunch first: ratios are to it).
const MODULES = ['darklaunch', 'flagd', 'growthbook'];
const adapters = await Promise.all(MODULES.map((m) => import(`./sdk/${m}.mjs`)));
const FLAGS = 50;
const USERS = users(10_000);
const REPS = Number(process.env.REPS ?? 15);
const COLD_REPS = Number(process.env.COLD_REPS ?? 7);
const BATCH_MS = 40;
let sink = 0;

const elapsedNs = (start) => Number(process.hrtime.bigint() - start);

/** Runs `measure(adapter)` REPS times per adapter, rotating which goes first. */
function interleave(reps, measure) {
  const results = adapters.map(() => []);
  for (let rep = 0; rep < reps; rep++) {
    for (let k = 0; k < adapters.length; k++) {
      const a = (rep + k) % adapters.length;
      results[a].push(measure(adapters[a], a));
    }
  }
  return results;
}

/** Operations per batch so that one batch takes about BATCH_MS (after a warm-up). */
function calibrate(body) {
  let n = 1000;
  for (;;) {
    const start = process.hrtime.bigint();
    body(n);
    const ns = elapsedNs(start);
    if (ns > 10e6) return Math.max(1000, Math.round((n * BATCH_MS * 1e6) / ns));
    n *= 4;
  }
}

// ---- load once, check agreement -----------------------------------------------------------
const sdks = await Promise.all(adapters.map((a) => a.importSdk()));
const configs = adapters.map((a) => a.config(FLAGS));
const bigConfigs = adapters.map((a) => a.config(1000));
const engines = adapters.map((a, i) => a.load(sdks[i], configs[i]));

const shares = adapters.map((a, i) => checkAgreement(a.name, engines[i], USERS, FLAGS));

// ---- per flag: each user's 50 flags in a row, contexts prepared ---------------------------
const contexts = engines.map((e) => USERS.map((u) => e.context(u)));
const perFlagBody = (i) => (n) => {
  const engine = engines[i];
  const ctx = contexts[i];
  for (let k = 0; k < n; k++) if (engine.isOn(k % FLAGS, ctx[Math.floor(k / FLAGS) % ctx.length])) sink++;
};
const perFlagN = adapters.map((_, i) => calibrate(perFlagBody(i)));
const perFlag = interleave(REPS, (_, i) => {
  const start = process.hrtime.bigint();
  perFlagBody(i)(perFlagN[i]);
  return elapsedNs(start) / perFlagN[i];
});

// ---- all 50 flags of a user: from the plain user object (context prepared per user) --------
const allBody = (i, prepared) => (n) => {
  const engine = engines[i];
  for (let k = 0; k < n; k++) {
    if (prepared) {
      sink += Object.keys(engine.all(contexts[i][k % USERS.length])).length;
    } else {
      const context = engine.context(USERS[k % USERS.length]);
      sink += Object.keys(engine.all(context)).length;
      engine.release(context);
    }
  }
};
const allN = adapters.map((_, i) => calibrate(allBody(i, false)));
const all = interleave(REPS, (_, i) => {
  const start = process.hrtime.bigint();
  allBody(i, false)(allN[i]);
  return elapsedNs(start) / allN[i];
});
const allPrepN = adapters.map((_, i) => calibrate(allBody(i, true)));
const allPrepared = interleave(REPS, (_, i) => {
  const start = process.hrtime.bigint();
  allBody(i, true)(allPrepN[i]);
  return elapsedNs(start) / allPrepN[i];
});
contexts.forEach((ctx, i) => ctx.forEach((c) => engines[i].release(c)));

// ---- load: parse (and for darklaunch verify the signature) and compile --------------------
const loadOf = (list) => (adapter, i) => {
  const start = process.hrtime.bigint();
  const engine = adapter.load(sdks[i], list[i]);
  const ns = elapsedNs(start);
  engine.free();
  return ns / 1e6;
};
interleave(3, loadOf(bigConfigs)); // warm-up
const load50 = interleave(REPS, loadOf(configs));
const load1000 = interleave(REPS, loadOf(bigConfigs));

// ---- cold start: fresh processes ----------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'darklaunch-compare-'));
const files = adapters.map((a, i) => {
  const file = join(dir, `${a.name}.json`);
  writeFileSync(file, JSON.stringify(configs[i]));
  return file;
});
const cold = interleave(COLD_REPS, (_, i) =>
  Number(execFileSync(process.execPath, [join(here, 'cold.mjs'), MODULES[i], files[i]], { encoding: 'utf8' })));
rmSync(dir, { recursive: true, force: true });

// ---- bytes shipped: minified esbuild bundle of the API a worker imports, + wasm -----------
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
async function bundled(contents) {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent',
  });
  return gz(result.outputFiles[0].contents);
}
const wasmGz = gz(readFileSync(join(root, 'pkg/wasm/darklaunch_bg.wasm')));
const bytes = [
  (await bundled("export { Flags, init } from './pkg/src/slim.js';")) + wasmGz,
  await bundled("export { FlagdCore } from '@openfeature/flagd-core';"),
  await bundled("export { GrowthBookClient } from '@growthbook/growthbook';"),
].map((n) => [n]);

// ---- report -------------------------------------------------------------------------------
const version = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
console.log(`node ${process.version}, ${new Date().toISOString()}, ${REPS} interleaved repetitions (cold start: ${COLD_REPS})`);
console.log(`darklaunch (pkg/), @openfeature/flagd-core ${version('@openfeature/flagd-core')}, @growthbook/growthbook ${version('@growthbook/growthbook')}`);
console.log(`agreement on ${USERS.length} users × ${FLAGS} flags: rule matches identical; rollout shares (1/5/30 %):`);
adapters.forEach((a, i) => console.log(`  ${a.name.padEnd(11)} ${Object.values(shares[i]).map((s) => `${(s * 100).toFixed(2)} %`).join(' / ')}`));
console.log('');

const rows = [
  ['ns per flag (prepared context)', perFlag, (x) => x.toFixed(0), '≤ 100'],
  ['µs, all 50 flags of a user (from the plain object)', all, (x) => (x / 1000).toFixed(2), '≤ 3'],
  ['µs, all 50 flags of a user (prepared context)', allPrepared, (x) => (x / 1000).toFixed(2), '≤ 3'],
  ['ms, load 50 flags', load50, (x) => x.toFixed(2), ''],
  ['ms, load 1,000 flags', load1000, (x) => x.toFixed(2), '≤ 10'],
  ['ms, cold start (import → first result)', cold, (x) => x.toFixed(1), '≤ 10'],
  ['KiB gzipped shipped (bundle + wasm)', bytes, (x) => (x / 1024).toFixed(1), '≤ 60'],
];
const cell = (xs, format, base) => {
  const s = summary(xs);
  const spread = xs.length > 1 ? ` (${format(s.low)}–${format(s.high)})` : '';
  return `${format(s.median)}${spread}${base ? ` ×${ratio(xs, base).toFixed(2)}` : ''}`;
};
console.log(`| measurement | ${adapters.map((a) => a.name).join(' | ')} | darklaunch budget |`);
console.log(`|---|${adapters.map(() => '---:').join('|')}|---:|`);
for (const [label, results, format, budget] of rows) {
  const cells = results.map((xs, i) => cell(xs, format, i === 0 ? undefined : results[0]));
  console.log(`| ${label} | ${cells.join(' | ')} | ${budget} |`);
}
console.log('\nmedian (interquartile range); ×r: median over repetitions of peer ÷ darklaunch (> 1: darklaunch is faster or smaller).');
if (sink === -1) console.log(sink);
