// Publishing new signed snapshots in KV: a dark launch widened 1% → 5% → 30% only adds
// visitors, the kill switch takes effect on the next refresh, and a rollback is refused, also by
// a fresh isolate below its deploy-time floor (DARKLAUNCH_MIN_VERSION).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startTestWorker } from './harness.mjs';

const VISITORS = Array.from({ length: 2000 }, (_, i) => i);

let worker;
before(async () => {
  worker = await startTestWorker({ initial: { version: 1, ruleset: { percent: 1 } } });
});
after(() => worker?.close());

const included = (results) => new Set(results.flatMap((r, i) => (r.decisions['new-checkout'] === 'on' ? [i] : [])));

function assertShare(count, percent) {
  const n = VISITORS.length;
  const p = percent / 100;
  const sigma = Math.sqrt(n * p * (1 - p));
  assert.ok(Math.abs(count - n * p) <= 3 * sigma, `${count} of ${n} included at ${percent}% (expected ${n * p} ± ${(3 * sigma).toFixed(1)})`);
}

test('1% → 5% → 30%: shares within 3σ, and every included visitor stays included', async () => {
  let previous;
  for (const [version, percent] of [[1, 1], [2, 5], [3, 30]]) {
    if (version > 1) {
      const refresh = await worker.publish(worker.sign(version, { percent }));
      assert.equal(refresh.outcome, 'accepted');
      assert.equal(refresh.version, String(version));
    }
    const results = await worker.decisionsOf(VISITORS);
    assert.ok(results.every((r) => r.version === String(version) && r.decisions.marker === `v${version}`));
    const now = included(results);
    assertShare(now.size, percent);
    if (previous) for (const visitor of previous) assert.ok(now.has(visitor), `visitor ${visitor} left at ${percent}%`);
    previous = now;
  }
});

test('the kill switch takes effect on the next refresh', async () => {
  const refresh = await worker.publish(worker.sign(4, { percent: 30, enabled: false }));
  assert.equal(refresh.outcome, 'accepted');
  const results = await worker.decisionsOf(VISITORS.slice(0, 300));
  assert.ok(results.every((r) => r.version === '4' && r.decisions['new-checkout'] === 'off'));
});

test('a rollback to an older version is refused; the newer decisions stay in force', async () => {
  const before = await worker.decisionsOf(VISITORS.slice(0, 100));
  const refresh = await worker.publish(worker.sign(3, { percent: 30 }));
  assert.equal(refresh.outcome, 'rejected');
  assert.equal(refresh.code, 'ROLLBACK');
  assert.equal(refresh.serving, '4');
  const afterwards = await worker.decisionsOf(VISITORS.slice(0, 100));
  assert.deepEqual(afterwards.map((r) => r.decisions), before.map((r) => r.decisions));
  assert.ok(afterwards.every((r) => r.version === '4'));
  // The same version with other bytes is refused too.
  const conflict = await worker.publish(worker.sign(4, { percent: 100 }));
  assert.equal(conflict.code, 'VERSION_CONFLICT');
});

test('a fresh isolate refuses a snapshot below DARKLAUNCH_MIN_VERSION and accepts one at it', async () => {
  const fresh = await startTestWorker({ initial: { version: 5 }, bindings: { DARKLAUNCH_MIN_VERSION: '7' } });
  try {
    const refused = await fresh.waitForLog((e) => e.event === 'darklaunch.refresh' && e.outcome !== undefined);
    assert.equal(refused.outcome, 'rejected');
    assert.equal(refused.code, 'ROLLBACK');
    // The version just below the floor is the one `lastVersion` names: same version, other bytes.
    assert.equal((await fresh.publish(fresh.sign(6))).code, 'VERSION_CONFLICT');
    const answer = await fresh.get('/?format=json', { visitor: 1 });
    assert.equal(answer.status, 200);
    assert.equal(answer.version, 'none'); // defaults: nothing trusted yet
    const accepted = await fresh.publish(fresh.sign(7));
    assert.equal(accepted.outcome, 'accepted');
    assert.equal(accepted.version, '7');
  } finally {
    await fresh.close();
  }
});
