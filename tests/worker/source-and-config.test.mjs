// The URL snapshot source (fetched through the Cache API) and configuration errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { startTestWorker } from './harness.mjs';

// A snapshot server on 127.0.0.1: serves `state.body` with `state.status`.
async function snapshotServer(state) {
  const server = createServer((request, response) => {
    state.hits += 1;
    response.writeHead(state.status, { 'content-type': 'application/json' });
    response.end(state.body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/prod/snapshot.json`,
    close: () => new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    }),
  };
}

test('DARKLAUNCH_SNAPSHOT_URL: loaded, refreshed, and a failing URL keeps the last good snapshot', async () => {
  const state = { status: 200, body: '', hits: 0 };
  const server = await snapshotServer(state);
  const worker = await startTestWorker({ initial: null, bindings: { DARKLAUNCH_SNAPSHOT_URL: server.url } });
  try {
    state.body = worker.sign(1, { percent: 100 });
    const first = await worker.get('/', { visitor: 1 });
    assert.equal(first.version, '1');
    assert.equal(first.decisions['new-checkout'], 'on');

    state.body = worker.sign(2, { percent: 100, enabled: false });
    // Refreshing on every request (interval 0): the request after the next refresh sees v2.
    for (let i = 0; i < 50 && (await worker.get('/', { visitor: 1 })).version !== '2'; i++);
    const second = await worker.get('/', { visitor: 1 });
    assert.equal(second.version, '2');
    assert.equal(second.decisions['new-checkout'], 'off');

    state.status = 503;
    await worker.get('/', { visitor: 1 });
    const failed = await worker.waitForLog((e) => e.event === 'darklaunch.refresh' && e.outcome === 'failed');
    assert.equal(failed.code, 'FETCH_FAILED');
    assert.equal(failed.source, 'url');
    assert.equal((await worker.get('/', { visitor: 1 })).version, '2');
    assert.ok(state.hits >= 3);
  } finally {
    await worker.close();
    await server.close();
  }
});

test('DARKLAUNCH_SNAPSHOT_URL is cached with the Cache API: a fresh isolate reads the cached copy', async () => {
  const state = { status: 200, body: '', hits: 0 };
  const server = await snapshotServer(state);
  const persist = mkdtempSync(join(tmpdir(), 'darklaunch-cache-'));
  const worker = await startTestWorker({
    initial: null,
    bindings: { DARKLAUNCH_SNAPSHOT_URL: server.url, DARKLAUNCH_REFRESH_SECONDS: '60' },
    miniflareOptions: { cachePersist: persist },
  });
  try {
    state.body = worker.sign(1, { percent: 100 });
    assert.equal((await worker.get('/', { visitor: 1 })).version, '1');
    assert.equal(state.hits, 1);
    await worker.restart();
    assert.equal((await worker.get('/', { visitor: 1 })).version, '1');
    assert.equal(state.hits, 1, 'the second isolate fetched the URL instead of the cache');
    // It was a fresh isolate: it loaded (and logged) the snapshot again.
    assert.equal(worker.logs.filter((e) => e.event === 'darklaunch.refresh' && e.outcome === 'accepted' && e.source === 'url').length, 2);
  } finally {
    await worker.close();
    await server.close();
    rmSync(persist, { recursive: true, force: true });
  }
});

test('a misconfigured worker answers 500 and logs what is wrong', async () => {
  const cases = [
    [{ GREEN_ORIGIN: 'not a url' }, /GREEN_ORIGIN must be an http\(s\) URL/],
    [{ DARKLAUNCH_KEYS: '{"ci": "AAAA"}' }, /DARKLAUNCH_KEYS\["ci"\] must be the base64 of a raw 32-byte/],
    [{ DARKLAUNCH_STALE_POLICY: 'sometimes' }, /DARKLAUNCH_STALE_POLICY must be "serve" or "defaults"/],
    [{ DARKLAUNCH_REFRESH_SECONDS: '-1' }, /DARKLAUNCH_REFRESH_SECONDS must be a number of seconds/],
    [{ DARKLAUNCH_MIN_VERSION: '-3' }, /DARKLAUNCH_MIN_VERSION must be a snapshot version/],
    [{ DARKLAUNCH_MIN_VERSION: '18446744073709551616' }, /DARKLAUNCH_MIN_VERSION must be a snapshot version/],
  ];
  for (const [bindings, message] of cases) {
    const worker = await startTestWorker({ initial: null, bindings });
    try {
      const response = await worker.get('/');
      assert.equal(response.status, 500);
      const entry = await worker.waitForLog((e) => e.event === 'darklaunch.config');
      assert.match(entry.detail, message);
    } finally {
      await worker.close();
    }
  }
});
