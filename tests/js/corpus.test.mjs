// The conformance corpus (tests/conformance/*.json), every case, through the npm package in
// Node: each ruleset is signed into a snapshot and loaded with Flags.load. Compared exactly
// like tests/conformance.rs: value, variant, reason, error code, rule, stage.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

import { Flags } from '../../pkg/src/node.js';
import { keyPair, LOAD_NOW, snapshot } from './sign.mjs';

const dir = new URL('../conformance/', import.meta.url);
const DEFAULT_NOW = '2026-01-01T00:00:00Z';
const signer = keyPair();

const files = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({ name, json: JSON.parse(readFileSync(new URL(name, dir), 'utf8')) }))
  .filter(({ json }) => json.ruleset && json.cases);

// Numbers by value, everything else structurally (as tests/common/mod.rs json_equal).
const same = (a, b) => assert.deepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));

test('the corpus is there', () => {
  assert.ok(files.length >= 5);
  assert.ok(files.reduce((n, f) => n + f.json.cases.length, 0) >= 60);
});

for (const { name, json } of files) {
  test(`corpus ${name}`, () => {
    const flags = Flags.load(snapshot(json.ruleset, signer), { keys: signer.keys, environment: 'test', now: LOAD_NOW });
    const failures = [];
    for (const c of json.cases) {
      const now = Date.parse(c.now ?? DEFAULT_NOW);
      const ctx = 'context_json' in c ? flags.contextFromJson(c.context_json, { now }) : flags.context(c.context ?? {}, { now });
      const got = flags.evaluate(c.flag, ctx, c.type);
      ctx.free();
      const observed = { value: got.value, variant: got.variant, reason: got.reason, error: got.errorCode, rule: got.rule, stage: got.stage };
      for (const field of ['value', 'variant', 'reason', 'error', 'rule', 'stage']) {
        try {
          same(observed[field], c.expect[field]);
        } catch {
          failures.push(`${c.name}: ${field}: expected ${JSON.stringify(c.expect[field])}, got ${JSON.stringify(observed[field])}`);
        }
      }
    }
    flags.free();
    assert.deepEqual(failures, []);
  });
}
