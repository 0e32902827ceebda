// The demo server (www/serve.mjs) without a browser: MIME types, what is and is not served,
// snapshots that verify with the package in Node, and the command-line entry point.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';

import { Flags } from '../../pkg/src/node.js';
import { serveDemo } from '../../www/serve.mjs';

let server;
before(async () => {
  server = await serveDemo({ port: 0 });
});
after(() => server.close());

const get = (path, init) => fetch(new URL(path, server.url), init);

test('binds 127.0.0.1 on the port the OS chose', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.notEqual(new URL(server.url).port, '8080');
});

test('serves the page, its modules, the package and the wasm with their MIME types', async () => {
  const expected = {
    '/': 'text/html; charset=utf-8',
    '/css/demo.css': 'text/css; charset=utf-8',
    '/js/main.js': 'text/javascript; charset=utf-8',
    '/pkg/src/browser.js': 'text/javascript; charset=utf-8',
    '/pkg/wasm/darklaunch.js': 'text/javascript; charset=utf-8',
    '/pkg/wasm/darklaunch_bg.wasm': 'application/wasm',
    '/demo/index.json': 'application/json; charset=utf-8',
    '/demo/keyring.json': 'application/json; charset=utf-8',
  };
  for (const [path, type] of Object.entries(expected)) {
    const response = await get(path);
    assert.equal(response.status, 200, path);
    assert.equal(response.headers.get('content-type'), type, path);
    await response.arrayBuffer();
  }
  const wasm = new Uint8Array(await (await get('/pkg/wasm/darklaunch_bg.wasm')).arrayBuffer());
  assert.deepEqual([...wasm.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d]);
});

test('serves nothing else: not its own source, not outside www/ and pkg/', async () => {
  for (const path of ['/serve.mjs', '/demo-snapshots.mjs', '/../Makefile', '/%2e%2e/Makefile', '/pkg/package.json',
    '/pkg/../Cargo.toml', '/js/../serve.mjs', '/demo/missing.json', '/nothing']) {
    const response = await get(path);
    assert.equal(response.status, 404, path);
    await response.arrayBuffer();
  }
  const post = await get('/', { method: 'POST' });
  assert.equal(post.status, 405);
  await post.arrayBuffer();
});

test('the snapshots are signed by the served key; the launch plan and kill switch verify, staging is refused', async () => {
  const index = await (await get('/demo/index.json')).json();
  const keyring = await (await get(index.keyring)).json();
  assert.equal(index.environment, 'demo');
  assert.deepEqual(index.snapshots.map((s) => s.name), ['launch-plan', 'kill-switch', 'staging']);
  const [id] = Object.keys(keyring.keys);
  assert.match(id, /^demo-[0-9a-f]{8}$/);
  const texts = await Promise.all(index.snapshots.map(async (s) => (await get(s.url)).text()));
  const flags = Flags.load(texts[0], { keys: keyring.keys, environment: 'demo' });
  assert.deepEqual([...flags.keyIds], [id]);
  assert.deepEqual(flags.keys, ['new-checkout', 'checkout-copy']);
  assert.throws(() => flags.update(texts[2]), { code: 'WRONG_ENVIRONMENT' });
  assert.equal(flags.update(texts[1]), true);
  assert.equal(flags.version, BigInt(JSON.parse(Buffer.from(JSON.parse(texts[1]).payload, 'base64')).version));
  const user = flags.context({ targetingKey: 'user-1', email: 'a@example.com' });
  assert.equal(flags.evaluate('new-checkout', user).reason, 'DISABLED');
  flags.free();
});

test('each start makes a new key: no key is committed or reused', async () => {
  const other = await serveDemo({ port: 0 });
  try {
    const a = await (await get('/demo/keyring.json')).json();
    const b = await (await fetch(new URL('/demo/keyring.json', other.url))).json();
    assert.notDeepEqual(a.keys, b.keys);
  } finally {
    await other.close();
  }
});

test('`node www/serve.mjs --port 0` prints its URL and serves until stopped', async () => {
  const child = spawn(process.execPath, [new URL('../../www/serve.mjs', import.meta.url).pathname, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no URL printed within 10 s')), 10_000);
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[0]);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /darklaunch demo/);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  }
});
