// SnapshotSource on its own: a URL with conditional GETs, HTTP failures, polling, refresh on
// demand, and the last accepted version refusing rollbacks across restarts.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { test } from 'node:test';

import { Flags } from '../../pkg/src/node.js';
import { FetchError, SnapshotSource } from '../../pkg/src/openfeature/server.js';
import { LOAD_NOW } from '../js/sign.mjs';
import { edited, ruleset, sign, sourceOptions, tampered } from './fixtures.mjs';

/** A CDN stand-in on 127.0.0.1: serves `state.body` with `state.etag`, or `state.status`. */
async function cdn(state) {
  const requests = [];
  const server = createServer((request, response) => {
    requests.push(request.headers['if-none-match'] ?? null);
    if (state.status) return response.writeHead(state.status).end();
    if (request.headers['if-none-match'] === state.etag) return response.writeHead(304).end();
    response.writeHead(200, { etag: state.etag, 'content-type': 'application/json' }).end(state.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${server.address().port}/flags.json`, requests, close: () => server.close() };
}

test('url: conditional GET, refused snapshots fetched again, HTTP errors as FETCH_FAILED', { timeout: 10_000 }, async (t) => {
  const state = { body: sign(ruleset), etag: '"v1"' };
  const server = await cdn(state);
  t.after(server.close);
  const source = new SnapshotSource(Flags, { ...sourceOptions, url: server.url, now: () => LOAD_NOW });
  const notes = [];
  source.subscribe((note) => notes.push(note.type));

  await source.start();
  assert.equal(source.flags.version, 1n);
  assert.equal(await source.refresh(), false, '304: unchanged');

  Object.assign(state, { body: tampered(ruleset, { version: 2 }), etag: '"bad"' });
  await assert.rejects(source.refresh(), { code: 'SIGNATURE_INVALID' });
  await assert.rejects(source.refresh(), { code: 'SIGNATURE_INVALID' }, 'a refused ETag is not kept');

  Object.assign(state, { status: 503 });
  const error = await source.refresh().catch((e) => e);
  assert.ok(error instanceof FetchError);
  assert.deepEqual([error.code, error.status, error.message], ['FETCH_FAILED', 503, `FETCH_FAILED: GET ${server.url}: HTTP 503`]);
  assert.equal(source.error, error);

  Object.assign(state, { status: 0, body: sign(ruleset, { version: 2 }), etag: '"v2"' });
  assert.equal(await source.refresh(), true);
  assert.equal(source.error, undefined);
  assert.deepEqual(server.requests, [null, '"v1"', '"v1"', '"v1"', '"v1"', '"v1"']);
  assert.deepEqual(notes, ['accepted', 'unchanged', 'failed', 'failed', 'failed', 'accepted']);
  assert.deepEqual(source.accepted, source.flags.accepted);
  source.stop();
});

test('pollMs refreshes on a timer; refreshIfOlderThan throttles and never rejects', { timeout: 10_000 }, async (t) => {
  const state = { body: sign(ruleset), etag: '"v1"' };
  const server = await cdn(state);
  t.after(server.close);
  const source = new SnapshotSource(Flags, { ...sourceOptions, url: server.url, pollMs: 20 });
  t.after(() => source.stop());
  await source.start();
  const accepted = new Promise((resolve) => source.subscribe((note) => note.type === 'accepted' && resolve(note)));
  Object.assign(state, { body: sign(edited((flags) => { flags.theme.enabled = true; }), { version: 2 }), etag: '"v2"' });
  assert.deepEqual((await accepted).changed, ['theme']);
  source.stop();

  const requests = server.requests.length;
  assert.equal(await source.refreshIfOlderThan(60_000), false, 'refreshed moments ago');
  assert.equal(server.requests.length, requests);
  state.status = 500;
  assert.equal(await source.refreshIfOlderThan(0), undefined, 'a failure resolves; it is reported to subscribers');
  assert.equal(source.error.code, 'FETCH_FAILED');
});

test('read: your own reader; the accepted version, persisted, refuses a rollback after a restart', { timeout: 10_000 }, async () => {
  let stored = sign(ruleset, { version: 5 });
  const first = new SnapshotSource(Flags, { ...sourceOptions, read: async () => stored, now: () => LOAD_NOW });
  await first.start();
  const persisted = JSON.parse(JSON.stringify(first.accepted));
  assert.equal(persisted.version, '5');

  const restarted = new SnapshotSource(Flags, { ...sourceOptions, read: async () => stored, last: persisted, now: () => LOAD_NOW });
  await restarted.start(); // its own cached snapshot again: accepted
  stored = sign(ruleset, { version: 4 });
  const rolledBack = new SnapshotSource(Flags, { ...sourceOptions, read: async () => stored, last: persisted, now: () => LOAD_NOW });
  await assert.rejects(rolledBack.start(), { code: 'ROLLBACK' });
  await assert.rejects(restarted.refresh(), { code: 'ROLLBACK' });
  assert.equal(restarted.flags.version, 5n);

  const empty = new SnapshotSource(Flags, { ...sourceOptions, read: async () => null });
  await assert.rejects(empty.start(), { code: 'FETCH_FAILED', message: 'FETCH_FAILED: the source has no snapshot' });
});

test('options are checked', () => {
  assert.throws(() => new SnapshotSource(undefined, sourceOptions), /pass Flags from 'darklaunch'/);
  assert.throws(() => new SnapshotSource(Flags, sourceOptions), /exactly one of url, bytes or read/);
  assert.throws(() => new SnapshotSource(Flags, { ...sourceOptions, url: 'x', bytes: 'y' }), /exactly one of url, bytes or read/);
  assert.throws(() => new SnapshotSource(Flags, { ...sourceOptions, bytes: 'y', pollMs: 0 }), /pollMs must be a positive number/);
});
