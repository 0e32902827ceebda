// Where a cold start goes, phase by phase, in a fresh process (docs/performance.md, cold
// start row): the wasm-bindgen glue of pkg/ used directly, as the package's Node entry does.
// Prints one JSON line of milliseconds. Usage: node cold-phases.mjs [flags] (default 50: the
// snapshot of issue 8's workload, signed before the clock starts).
import { readFileSync } from 'node:fs';
import { config } from './sdk/darklaunch.mjs';

const NOW = Date.parse('2026-12-10T09:00:00Z');
const { snapshot, keys } = config(Number(process.argv[2] ?? 50));
const bytes = new TextEncoder().encode(snapshot);
const times = {};
let last = performance.now();
const lap = (name) => {
  const now = performance.now();
  times[name] = +(now - last).toFixed(2);
  last = now;
};

const glue = await import('../../pkg/wasm/darklaunch.js');
lap('import glue');
const module = new WebAssembly.Module(readFileSync(new URL('../../pkg/wasm/darklaunch_bg.wasm', import.meta.url)));
lap('compile module');
glue.initSync({ module });
lap('instantiate');
const verifier = new glue.Verifier(JSON.stringify({ keys }), 'bench', false);
lap('verifier');
verifier.verify(bytes, NOW, undefined, undefined).free();
lap('first verify');
verifier.verify(bytes, NOW, undefined, undefined).free();
lap('second verify');
console.log(JSON.stringify(times));
