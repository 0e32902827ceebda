// The ES module and CommonJS builds expose the same API, and this run tests the build it
// says it does: `make test-js` runs every test file once per build (see require.mjs).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import * as entry from '../../pkg/src/node.js';

// The query keeps require.mjs from redirecting this import: the ES module build in both runs.
const esm = await import(new URL('../../pkg/src/node.js', import.meta.url).href + '?esm');
const cjs = createRequire(import.meta.url)('../../pkg/src/node.cjs');

const api = (module) => Object.fromEntries(Object.keys(module).sort().map((name) => {
  const value = module[name];
  if (typeof value !== 'function') return [name, value];
  const statics = Object.getOwnPropertyNames(value).filter((key) => !['length', 'name', 'prototype'].includes(key));
  return [name, { statics: statics.sort(), methods: Object.getOwnPropertyNames(value.prototype ?? {}).sort() }];
}));

test('the CommonJS build exposes the same API as the ES module build', () => {
  assert.deepEqual(api(cjs), api(esm));
  assert.deepEqual(Object.keys(cjs).sort(), ['Context', 'Flags', 'SnapshotError', 'buildInfo']);
});

test(`this run tests the ${process.env.DARKLAUNCH_ENTRY === 'require' ? 'CommonJS' : 'ES module'} build`, () => {
  const expected = process.env.DARKLAUNCH_ENTRY === 'require' ? cjs : esm;
  assert.equal(entry.Flags, expected.Flags);
});
