// The examples of docs/openfeature.md, run: the Node server as a child process, the Worker in
// workerd (Miniflare) after bundling it as wrangler would, the React app rendered with
// react-dom/server. Each answers gated requests for users inside and outside the rollout.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { OpenFeature } from '@openfeature/web-sdk';
import { build, transform } from 'esbuild';
import { Miniflare } from 'miniflare';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';

import { Flags } from '../../pkg/src/node.js';
import { ruleset, sign, signer, splitUsers } from './fixtures.mjs';
import { project, root } from './project.mjs';

const environment = 'prod';
const snapshot = sign(ruleset, { environment, issuedAt: new Date(Date.now() - 60_000).toISOString() });
const { inside, outside } = splitUsers(Flags.load(snapshot, { keys: signer.keys, environment }));

test('the docs include every example verbatim', () => {
  const docs = readFileSync(join(root, 'docs/openfeature.md'), 'utf8');
  for (const file of ['node.mjs', 'worker.mjs', 'react.jsx']) {
    const code = readFileSync(join(root, 'examples/openfeature', file), 'utf8');
    assert.ok(docs.includes(`\n${code}\`\`\``), `docs/openfeature.md lacks examples/openfeature/${file} verbatim`);
  }
});

/** A snapshot host on 127.0.0.1, as a CDN. */
async function cdn(body) {
  const server = createServer((_, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(body));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${server.address().port}/flags/prod.json`, close: () => server.close() };
}

test('Node: the server gates its checkout', { timeout: 30_000 }, async (t) => {
  const app = project('node.mjs');
  t.after(app.dispose);
  const host = await cdn(snapshot);
  t.after(host.close);
  const child = spawn(process.execPath, ['node.mjs'], {
    cwd: app.dir,
    env: { ...process.env, PORT: '0', FLAGS_URL: host.url, FLAGS_KEY_ID: signer.id, FLAGS_PUBLIC_KEY: signer.keys[signer.id] },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => child.kill('SIGKILL'));
  let output = '';
  const address = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`the example exited (${code}): ${output}`)));
  });
  const get = async (headers) => {
    const response = await fetch(address, { headers });
    return [await response.text(), response.headers.get('x-flag-reason')];
  };
  assert.deepEqual(await get({ 'x-user-id': inside[0] }), ['one-page checkout\n', 'SPLIT']);
  assert.deepEqual(await get({ 'x-user-id': outside[0] }), ['classic checkout\n', 'SPLIT']);
  assert.deepEqual(await get({ 'x-user-id': outside[0], 'x-email': 'a@example.com' }), ['one-page checkout\n', 'TARGETING_MATCH']);
  assert.deepEqual(await get({}), ['classic checkout\n', 'ERROR']);
  assert.deepEqual(JSON.parse(readFileSync(join(app.dir, 'flags-last.json'), 'utf8')), Flags.load(snapshot, { keys: signer.keys, environment }).accepted);
  child.kill('SIGTERM');
  assert.equal((await once(child, 'exit'))[0], 0, 'SIGTERM: closes the server and OpenFeature, then exits');
});

// As wrangler bundles a Worker: the workerd export conditions, node: built-ins left to
// nodejs_compat, and the .wasm kept as a module of its own (workerd compiles it at deploy).
async function bundleWorker(dir) {
  const wasmAsModule = {
    name: 'wasm-module',
    setup(builder) {
      builder.onResolve({ filter: /\.wasm$/ }, () => ({ path: 'darklaunch_bg.wasm', external: true }));
    },
  };
  const result = await build({
    entryPoints: [join(dir, 'worker.mjs')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    external: ['node:*', 'async_hooks'],
    plugins: [wasmAsModule],
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

test('Worker: in workerd (Miniflare), the server provider answers gated requests', { timeout: 60_000 }, async (t) => {
  const app = project('worker.mjs');
  t.after(app.dispose);
  const mf = new Miniflare({
    modules: [
      { type: 'ESModule', path: 'worker.mjs', contents: await bundleWorker(app.dir) },
      { type: 'CompiledWasm', path: 'darklaunch_bg.wasm', contents: readFileSync(join(root, 'pkg/wasm/darklaunch_bg.wasm')) },
    ],
    compatibilityDate: '2025-09-01',
    compatibilityFlags: ['nodejs_compat'],
    kvNamespaces: ['FLAGS'],
    bindings: { FLAGS_KEYS: JSON.stringify(signer.keys) },
  });
  t.after(() => mf.dispose());
  const kv = await mf.getKVNamespace('FLAGS');
  await kv.put('snapshot', snapshot);
  const get = async (headers) => {
    const response = await mf.dispatchFetch('http://localhost/checkout', { headers });
    return [await response.text(), response.headers.get('x-flag-reason'), response.headers.get('x-flag-version')];
  };
  assert.deepEqual(await get({ 'x-user-id': inside[0] }), ['one-page checkout\n', 'SPLIT', '1']);
  assert.deepEqual(await get({ 'x-user-id': outside[0] }), ['classic checkout\n', 'SPLIT', '1']);
  assert.deepEqual(await get({ 'x-user-id': outside[1], 'x-email': 'ops@example.com' }), ['one-page checkout\n', 'TARGETING_MATCH', '1']);
  assert.deepEqual(await get({}), ['classic checkout\n', 'ERROR', '1']);
});

test('React: the hooks render the gated checkout, and a new user re-renders', { timeout: 30_000 }, async (t) => {
  const app = project('react.jsx');
  t.after(app.dispose);
  const host = await cdn(snapshot);
  t.after(host.close);
  // JSX → JS, as the app's bundler would; the imports resolve from the app directory.
  const { code } = await transform(readFileSync(join(app.dir, 'react.jsx'), 'utf8'), { loader: 'jsx', jsx: 'automatic', format: 'esm' });
  writeFileSync(join(app.dir, 'react.mjs'), code);
  const { App, startFlags, switchUser } = await import(join(app.dir, 'react.mjs'));
  t.after(() => OpenFeature.close()); // the SDK is one global: the same one the example's imports reach

  await startFlags({ url: host.url, keys: signer.keys, user: { id: inside[0] } });
  assert.equal(renderToString(createElement(App)), '<button class="one-page">Buy now</button>');
  await switchUser({ id: outside[0] });
  assert.equal(renderToString(createElement(App)), '<a href="/cart">Go to cart</a>');
  await switchUser({ id: outside[0], email: 'ops@example.com' });
  assert.equal(renderToString(createElement(App)), '<button class="one-page">Buy now</button>');
});
