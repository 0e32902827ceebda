// Canary / blue-green routing by the `origin` flag: the right share of visitors reaches the
// green origin, each visitor stays on theirs, and a publish moves everyone at once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startTestWorker } from './harness.mjs';

const VISITORS = Array.from({ length: 2000 }, (_, i) => i);
const GREEN_PERCENT = 20;

let worker;
before(async () => {
  worker = await startTestWorker({ initial: { version: 1, ruleset: { green: GREEN_PERCENT } } });
});
after(() => worker?.close());

const servedBy = (response) => JSON.parse(response.body).origin;

test(`${GREEN_PERCENT}% canary: the green share is within 3σ, and each visitor stays on their origin`, async () => {
  const first = await worker.decisionsOf(VISITORS);
  for (const response of first) {
    assert.equal(servedBy(response), response.headers.get('x-darklaunch-origin'));
    assert.equal(servedBy(response), response.decisions.origin);
  }
  const green = first.filter((r) => servedBy(r) === 'green').length;
  const n = VISITORS.length;
  const p = GREEN_PERCENT / 100;
  const sigma = Math.sqrt(n * p * (1 - p));
  assert.ok(Math.abs(green - n * p) <= 3 * sigma, `${green} of ${n} on green (expected ${n * p} ± ${(3 * sigma).toFixed(1)})`);

  const sample = VISITORS.slice(0, 300);
  for (let round = 0; round < 3; round++) {
    const again = await worker.decisionsOf(sample);
    again.forEach((response, i) => assert.equal(servedBy(response), servedBy(first[i]), `visitor ${i} moved`));
  }
});

test('blue-green: a publish switches every visitor to green, and another switches them back', async () => {
  assert.equal((await worker.publish(worker.sign(2, { green: 100 }))).outcome, 'accepted');
  assert.ok((await worker.decisionsOf(VISITORS.slice(0, 200))).every((r) => servedBy(r) === 'green'));
  assert.equal((await worker.publish(worker.sign(3, { green: 0 }))).outcome, 'accepted');
  assert.ok((await worker.decisionsOf(VISITORS.slice(0, 200))).every((r) => servedBy(r) === 'blue'));
});
