// The main job's command: examples/cloudflare-worker/dev.mjs starts the demo worker locally.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { REPO_DIR } from '../../examples/cloudflare-worker/local/bundle.mjs';
import { startWorker } from '../../examples/cloudflare-worker/dev.mjs';

test('startWorker serves the demo snapshot on 127.0.0.1, writes no private key, and closes', async () => {
  const worker = await startWorker({ port: 0, onLog: () => {} });
  try {
    const url = new URL(worker.url);
    assert.equal(url.hostname, '127.0.0.1');
    const response = await fetch(worker.url, { headers: { 'cf-ipcountry': 'DE' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('set-cookie'), /^dl_anon=/);
    assert.match(response.headers.get('x-darklaunch-decisions'), /new-checkout=on/); // rule germany-first
    assert.match(response.headers.get('x-darklaunch-version'), /^\d+$/);
    assert.match(await response.text(), /Served by the (blue|green) origin/);
    const demo = join(REPO_DIR, 'target/demo/cloudflare-worker');
    assert.deepEqual(readdirSync(demo).sort(), ['keyring.json', 'snapshot.json']);
    assert.ok(!readFileSync(join(demo, 'keyring.json'), 'utf8').includes('PRIVATE'));
  } finally {
    await worker.close();
  }
  await assert.rejects(fetch(worker.url));
  assert.ok(existsSync(join(REPO_DIR, 'target/demo/cloudflare-worker/snapshot.json')));
});
