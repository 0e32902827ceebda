// Expired snapshots follow DARKLAUNCH_STALE_POLICY: "serve" keeps serving them (marked
// stale); "defaults" refuses them and stops using the current one after the grace period.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { startTestWorker } from './harness.mjs';

const iso = (ms) => new Date(ms).toISOString();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('policy "serve": an expired snapshot is accepted and served, marked stale', async () => {
  const worker = await startTestWorker();
  try {
    assert.equal((await worker.get('/', { visitor: 1 })).headers.get('x-darklaunch-stale'), null);
    const refresh = await worker.publish(worker.sign(2, { percent: 100 }, { expires: iso(Date.now() - 3600e3) }));
    assert.equal(refresh.outcome, 'accepted');
    assert.equal(refresh.stale, true);
    const response = await worker.get('/', { visitor: 1 });
    assert.equal(response.version, '2');
    assert.equal(response.decisions['new-checkout'], 'on');
    assert.equal(response.headers.get('x-darklaunch-stale'), 'true');
    await worker.waitForLog((e) => e.event === 'darklaunch.stale' && e.policy === 'serve' && e.serving === 'stale snapshot');
  } finally {
    await worker.close();
  }
});

test('policy "defaults": an expired snapshot is refused; the current one serves until it expires', async () => {
  const worker = await startTestWorker({ bindings: { DARKLAUNCH_STALE_POLICY: 'defaults', DARKLAUNCH_STALE_GRACE_SECONDS: '0' } });
  try {
    const refused = await worker.publish(worker.sign(2, { percent: 100 }, { expires: iso(Date.now() - 3600e3) }));
    assert.equal(refused.outcome, 'rejected');
    assert.equal(refused.code, 'EXPIRED');
    assert.equal((await worker.get('/', { visitor: 1 })).version, '1');

    const expires = Date.now() + 3000; // room for a slow publish on a busy machine
    const accepted = await worker.publish(worker.sign(3, { percent: 100, green: 100 }, { expires: iso(expires) }));
    assert.equal(accepted.outcome, 'accepted');
    const fresh = await worker.get('/', { visitor: 1 });
    assert.equal(fresh.version, '3');
    assert.equal(fresh.headers.get('x-darklaunch-origin'), 'green');
    await sleep(expires - Date.now() + 100);
    const expired = await worker.get('/?format=json', { visitor: 1 });
    assert.equal(expired.status, 200);
    assert.equal(expired.version, 'none');
    assert.deepEqual(expired.decisions, {});
    assert.equal(JSON.parse(expired.body).origin, 'blue');
    await worker.waitForLog((e) => e.event === 'darklaunch.stale' && e.policy === 'defaults' && e.serving === 'defaults');
  } finally {
    await worker.close();
  }
});

test('policy "defaults" with a grace period: an expired snapshot keeps serving, marked stale, until it ends', async () => {
  const worker = await startTestWorker({ bindings: { DARKLAUNCH_STALE_POLICY: 'defaults', DARKLAUNCH_STALE_GRACE_SECONDS: '3600' } });
  try {
    const expires = Date.now() + 3000; // room for a slow publish on a busy machine
    await worker.publish(worker.sign(2, { percent: 100 }, { expires: iso(expires) }));
    await sleep(expires - Date.now() + 100);
    const response = await worker.get('/', { visitor: 1 });
    assert.equal(response.version, '2');
    assert.equal(response.headers.get('x-darklaunch-stale'), 'true');
    assert.equal(response.decisions['new-checkout'], 'on');
  } finally {
    await worker.close();
  }
});
