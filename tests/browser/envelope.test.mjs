// www/js/envelope.js in Node: the tamper action flips exactly one bit of one payload byte and
// leaves the rest of the envelope alone, and the package refuses the result.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Flags } from '../../pkg/src/node.js';
import { makeDemoSnapshots } from '../../www/demo-snapshots.mjs';
import { payloadDocument, tamper } from '../../www/js/envelope.js';

const demo = makeDemoSnapshots(Date.parse('2026-11-22T10:00:00Z'));
const [plan] = demo.snapshots;

test('the payload reads back as the signed document', () => {
  const document = payloadDocument(plan.text);
  assert.equal(document.environment, 'demo');
  assert.equal(document.version, Date.parse('2026-11-22T10:00:00Z') / 1000);
  assert.deepEqual(document.flags['new-checkout'].default.rollout.stages, [
    { at: '2026-11-23T09:00:00Z', percent: 1 },
    { at: '2026-11-25T09:00:00Z', percent: 5 },
    { at: '2026-11-30T09:00:00Z', percent: 30 },
    { at: '2026-12-07T09:00:00Z', percent: 100 },
  ]);
});

test('tamper flips one bit of one payload byte, in the first rollout percent', () => {
  const forged = tamper(plan.text);
  const original = JSON.parse(plan.text);
  const changed = JSON.parse(forged.text);
  assert.equal(changed.payloadType, original.payloadType);
  assert.deepEqual(changed.signatures, original.signatures);
  const a = Buffer.from(original.payload, 'base64');
  const b = Buffer.from(changed.payload, 'base64');
  assert.equal(a.length, b.length);
  const differing = [...a.keys()].filter((i) => a[i] !== b[i]);
  assert.deepEqual(differing, [forged.offset]);
  assert.equal(a[forged.offset] ^ b[forged.offset], 1);
  assert.deepEqual([forged.before, forged.after], ['1', '0']);
  assert.equal(forged.excerptBefore.endsWith('"percent": 1'), true, forged.excerptBefore);
  assert.equal(forged.excerptAfter.endsWith('"percent": 0'), true, forged.excerptAfter);
});

test('the package refuses the tampered copy with SIGNATURE_INVALID and keeps the original', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');
  const flags = Flags.load(plan.text, { keys: demo.keyring.keys, environment: 'demo', now });
  assert.throws(() => flags.update(tamper(plan.text).text, { now }), { name: 'SnapshotError', code: 'SIGNATURE_INVALID' });
  assert.equal(flags.version, BigInt(payloadDocument(plan.text).version));
  flags.free();
});

test('an envelope without a percent gets its middle byte flipped', () => {
  const text = JSON.stringify({ payload: Buffer.from('{"schema": "darklaunch/v1"}').toString('base64'), payloadType: 't', signatures: [] });
  const forged = tamper(text);
  assert.equal(forged.offset, 13);
  assert.notEqual(Buffer.from(JSON.parse(forged.text).payload, 'base64')[13], Buffer.from(JSON.parse(text).payload, 'base64')[13]);
});
