// tests/conformance/bucketing-vectors.json through the npm package: the position explain()
// reports, inclusion at each percent, and the weighted variant choice.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { Flags } from '../../pkg/src/node.js';
import { keyPair, LOAD_NOW, snapshot } from './sign.mjs';

const { vectors } = JSON.parse(readFileSync(new URL('../conformance/bucketing-vectors.json', import.meta.url), 'utf8'));
const signer = keyPair();

test('bucketing vectors', () => {
  assert.ok(vectors.length >= 20);
  const flags = {};
  vectors.forEach((v, i) => {
    const variants = Object.fromEntries(Object.keys(v.weights).map((name) => [name, name]));
    const off = Object.keys(variants)[0];
    flags[`v${i}`] = { variants, off, default: { rollout: { salt: v.salt, variants: v.weights } } };
    Object.keys(v.inside).forEach((percent, j) => {
      flags[`v${i}-p${j}`] = { variants, off, default: { rollout: { salt: v.salt, variants: v.weights, percent: Number(percent) } } };
    });
  });
  const loaded = Flags.load(snapshot({ schema: 'darklaunch/v1', flags }, signer), { keys: signer.keys, environment: 'test', now: LOAD_NOW });
  vectors.forEach((v, i) => {
    const ctx = loaded.context({ targetingKey: v.unit });
    const all = loaded.explain(`v${i}`, ctx);
    assert.equal(all.bucket.position, v.position, JSON.stringify(v));
    assert.equal(all.variant, v.variant, JSON.stringify(v));
    Object.entries(v.inside).forEach(([percent, inside], j) => {
      const explained = loaded.explain(`v${i}-p${j}`, ctx);
      assert.equal(explained.bucket.position, v.position);
      assert.equal(explained.bucket.inside, inside, `${JSON.stringify(v)} at ${percent}%`);
      assert.equal(explained.bucket.exposure, Math.round(Number(percent) * 10000));
    });
    ctx.free();
  });
  loaded.free();
});
