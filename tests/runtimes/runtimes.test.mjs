// The same package under Deno and Vercel's edge-runtime: each serves one gated request
// (tests/runtimes/gated.js) on 127.0.0.1 with a snapshot signed at test time.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, test } from 'node:test';

import { build } from 'esbuild';
import { EdgeRuntime, runServer } from 'edge-runtime';

import { bundleWorker, REPO_DIR } from '../../examples/cloudflare-worker/local/bundle.mjs';
import { keyPair, snapshot } from '../js/sign.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const PKG = join(REPO_DIR, 'pkg');
const signer = keyPair('ci');
const SNAPSHOT = snapshot({
  schema: 'darklaunch/v1',
  flags: {
    'new-checkout': {
      variants: { on: true, off: false }, off: 'off',
      rules: [{ if: { attr: 'country', op: 'eq', value: 'DE' }, serve: 'on' }],
      default: 'off',
    },
  },
}, signer, { version: 7 });
const scratch = mkdtempSync(join(tmpdir(), 'darklaunch-runtimes-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function assertGated(url) {
  const on = await fetch(url, { headers: { 'cf-ipcountry': 'DE', 'x-user-id': 'u1' } });
  assert.equal(on.status, 200);
  assert.equal(await on.text(), 'new checkout');
  assert.equal(on.headers.get('x-darklaunch-version'), '7');
  const off = await fetch(url, { headers: { 'cf-ipcountry': 'FR', 'x-user-id': 'u1' } });
  assert.equal(await off.text(), 'old checkout');
}

test('Deno: the package (export condition "deno") serves a gated request', { timeout: 60000 }, async () => {
  const snapshotFile = join(scratch, 'snapshot.json');
  writeFileSync(snapshotFile, SNAPSHOT);
  const importMap = join(scratch, 'import-map.json');
  // What `"darklaunch": "npm:darklaunch"` resolves to for Deno: the package's deno entry.
  writeFileSync(importMap, JSON.stringify({ imports: { darklaunch: pathToFileURL(join(PKG, 'src/deno.js')).href } }));
  const deno = spawn(join(REPO_DIR, 'node_modules/.bin/deno'), [
    'run', '--no-config', '--no-prompt', '--import-map', importMap,
    `--allow-read=${PKG},${here},${scratch}`, '--allow-net=127.0.0.1', '--allow-env=SNAPSHOT_FILE,DARKLAUNCH_KEYS,DARKLAUNCH_ENVIRONMENT',
    join(here, 'deno-server.js'),
  ], {
    env: { ...process.env, DENO_DIR: join(scratch, 'deno-dir'), NO_COLOR: '1', SNAPSHOT_FILE: snapshotFile, DARKLAUNCH_KEYS: JSON.stringify(signer.keys), DARKLAUNCH_ENVIRONMENT: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  deno.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolve) => deno.once('exit', resolve));
  try {
    const port = await new Promise((resolve, reject) => {
      let out = '';
      deno.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /\{"port":(\d+)\}/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      deno.once('exit', (code) => reject(new Error(`deno exited with ${code}: ${stderr}`)));
    });
    await assertGated(`http://127.0.0.1:${port}/`);
  } finally {
    deno.kill('SIGTERM');
    await exited;
  }
});

test('Vercel edge-runtime: the package (darklaunch/slim + a WebAssembly.Module) serves a gated request', { timeout: 60000 }, async () => {
  await bundleWorker(); // links target/cloudflare-worker/node_modules/darklaunch -> pkg/
  // Bundled as Vercel does for the edge: one script, the wasm supplied as a compiled module.
  const entry = `import { initSync } from 'darklaunch/slim';
import { gatedHandler } from './gated.js';
initSync({ module: DARKLAUNCH_WASM });
const handler = gatedHandler(SNAPSHOT, KEYS, 'test');
addEventListener('fetch', (event) => event.respondWith(handler(event.request)));`;
  const bundle = await build({
    stdin: { contents: entry, resolveDir: here },
    bundle: true, write: false, format: 'iife', platform: 'neutral', logLevel: 'silent',
    conditions: ['edge-light', 'worker', 'browser'],
    nodePaths: [resolve(REPO_DIR, 'target/cloudflare-worker/node_modules')],
    plugins: [{
      name: 'darklaunch-slim', // `darklaunch` itself fetches its wasm at import; the edge build supplies it
      setup(b) {
        b.onResolve({ filter: /^darklaunch$/ }, (args) => b.resolve('darklaunch/slim', { kind: args.kind, resolveDir: args.resolveDir }));
      },
    }],
  });
  const runtime = new EdgeRuntime();
  const WasmModule = runtime.evaluate('WebAssembly.Module'); // the runtime's own realm
  runtime.context.DARKLAUNCH_WASM = new WasmModule(readFileSync(join(PKG, 'wasm/darklaunch_bg.wasm')));
  runtime.context.SNAPSHOT = SNAPSHOT;
  runtime.context.KEYS = signer.keys;
  runtime.evaluate(bundle.outputFiles[0].text);
  const server = await runServer({ runtime, port: 0, host: '127.0.0.1' });
  try {
    await assertGated(server.url);
  } finally {
    await server.close();
  }
});
