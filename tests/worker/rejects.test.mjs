// Snapshots in KV that must not be trusted: each is rejected with a logged code, requests keep
// being answered, and the previous decisions stay in force.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { keyPair, snapshot } from '../js/sign.mjs';
import { ENVIRONMENT, ruleset, startTestWorker } from './harness.mjs';

const VISITORS = Array.from({ length: 100 }, (_, i) => i);

let worker;
let served;
before(async () => {
  worker = await startTestWorker({ initial: { version: 1, ruleset: { percent: 50, green: 50 } } });
  served = (await worker.decisionsOf(VISITORS)).map((r) => r.decisions);
});
after(() => worker?.close());

async function assertRejected(text, code, match) {
  const refresh = await worker.publish(text, { match });
  assert.equal(refresh.outcome, 'rejected');
  assert.equal(refresh.code, code);
  assert.equal(refresh.serving, '1');
  const now = await worker.decisionsOf(VISITORS);
  assert.ok(now.every((r) => r.status === 200 && r.version === '1'));
  assert.deepEqual(now.map((r) => r.decisions), served);
}

test('a tampered snapshot (payload changed after signing) is rejected', async () => {
  const envelope = JSON.parse(worker.sign(2, { percent: 50 }));
  const payload = Buffer.from(envelope.payload, 'base64').toString().replace('"percent":50', '"percent":100');
  envelope.payload = Buffer.from(payload).toString('base64');
  await assertRejected(JSON.stringify(envelope), 'SIGNATURE_INVALID');
});

test('a snapshot signed by a key the worker does not trust is rejected', async () => {
  const stranger = keyPair('ci'); // same key id, other key
  await assertRejected(snapshot(ruleset({ percent: 100 }), stranger, { version: 2, environment: ENVIRONMENT }), 'SIGNATURE_INVALID');
});

test('a snapshot for another environment is rejected', async () => {
  await assertRejected(snapshot(ruleset({ percent: 100 }), worker.signer, { version: 2, environment: 'prod' }), 'WRONG_ENVIRONMENT');
});

test('an empty KV value, and one that is not JSON, are rejected', async () => {
  await assertRejected('', 'MALFORMED_ENVELOPE');
  await assertRejected('<html>not a snapshot</html>', 'MALFORMED_ENVELOPE');
  await assertRejected('{"payload": ', 'MALFORMED_ENVELOPE');
});

test('a huge KV value is refused before it reaches the wasm', async () => {
  const huge = 'x'.repeat(4 * 1024 * 1024 + 1); // DARKLAUNCH_MAX_SNAPSHOT_BYTES defaults to 4 MiB
  await assertRejected(huge, 'TOO_LARGE', (e) => e.code === 'TOO_LARGE');
});

test('after the rejections, a good snapshot is still accepted', async () => {
  const refresh = await worker.publish(worker.sign(2, { percent: 100 }));
  assert.equal(refresh.outcome, 'accepted');
  const now = await worker.decisionsOf(VISITORS.slice(0, 20));
  assert.ok(now.every((r) => r.version === '2' && r.decisions['new-checkout'] === 'on'));
});

test('with nothing in KV, requests are answered with defaults (blue origin, no decisions)', async () => {
  const empty = await startTestWorker({ initial: null });
  try {
    const response = await empty.get('/?format=json', { visitor: 3 });
    assert.equal(response.status, 200);
    assert.equal(response.version, 'none');
    assert.deepEqual(response.decisions, {});
    assert.equal(response.headers.get('x-darklaunch-origin'), 'blue');
    assert.equal(JSON.parse(response.body).origin, 'blue');
    await empty.waitForLog((e) => e.event === 'darklaunch.refresh' && e.outcome === 'missing');
    const refresh = await empty.publish(empty.sign(1, { percent: 100 }));
    assert.equal(refresh.outcome, 'accepted');
    assert.equal((await empty.get('/', { visitor: 3 })).decisions['new-checkout'], 'on');
  } finally {
    await empty.close();
  }
});
