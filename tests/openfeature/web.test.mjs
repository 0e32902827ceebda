// The web provider through the real @openfeature/web-sdk: static context evaluated once per
// context change (counted at the wasm boundary), served synchronously; the same events.
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { test } from 'node:test';

import { ErrorCode, OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/web-sdk';

import { Flags } from '../../pkg/src/node.js';
import { DarklaunchWebProvider, SnapshotSource } from '../../pkg/src/openfeature/web.js';
import { LoadedSnapshot } from '../../pkg/wasm/darklaunch.js';
import { LOAD_NOW } from '../js/sign.mjs';
import { edited, nextEvent, recordEvents, ruleset, sign, sourceOptions, splitUsers, tampered } from './fixtures.mjs';

// Every evaluation crossing into wasm, counted.
const crossings = { evaluate: 0, evaluateAll: 0 };
for (const method of Object.keys(crossings)) {
  const original = LoadedSnapshot.prototype[method];
  LoadedSnapshot.prototype[method] = function counted(...args) {
    crossings[method] += 1;
    return original.apply(this, args);
  };
}
const resetCrossings = () => { crossings.evaluate = 0; crossings.evaluateAll = 0; };

let domains = 0;

async function setup(context, { bytes = sign(ruleset), clock = { now: LOAD_NOW }, ...options } = {}) {
  const domain = `web-${++domains}`;
  const source = new SnapshotSource(Flags, { ...sourceOptions, bytes, now: () => clock.now, ...options });
  await OpenFeature.setContext(domain, context);
  await OpenFeature.setProviderAndWait(domain, new DarklaunchWebProvider(source)).catch(() => {});
  return { domain, source, clock, client: OpenFeature.getClient(domain) };
}

test('evaluates once per context and serves every type synchronously', async () => {
  resetCrossings();
  const { client, domain, source } = await setup({ targetingKey: 'u', country: 'DE', orgId: 'org-1' });
  assert.deepEqual(crossings, { evaluate: 0, evaluateAll: 1 }, 'initialize: one evaluateAll');

  const copy = client.getStringDetails('checkout-copy', 'x');
  assert.deepEqual(copy, { flagKey: 'checkout-copy', value: 'Buy', variant: 'short', reason: 'TARGETING_MATCH', flagMetadata: { snapshotVersion: '1', keyId: 'ci', rule: 0 } });
  assert.deepEqual([client.getBooleanValue('static-on', false), client.getBooleanDetails('static-on', false).reason], [true, 'STATIC']);
  assert.deepEqual([client.getNumberValue('org-limit', 0), client.getNumberDetails('org-limit', 0).reason], [100, 'SPLIT']);
  assert.deepEqual([client.getObjectValue('theme', {}), client.getObjectDetails('theme', {}).reason], [{ bg: '#fff' }, 'DISABLED']);
  assert.deepEqual(crossings, { evaluate: 0, evaluateAll: 1 }, 'resolutions do not cross into wasm');

  const { inside, outside } = splitUsers(source.flags);
  resetCrossings();
  await OpenFeature.setContext(domain, { targetingKey: inside[0] });
  assert.deepEqual(crossings, { evaluate: 0, evaluateAll: 1 }, 'a context change: one evaluateAll');
  assert.equal(client.getBooleanValue('new-checkout', false), true);
  assert.equal(client.getStringDetails('checkout-copy', 'x').reason, 'DEFAULT');
  await OpenFeature.setContext(domain, { targetingKey: outside[0] });
  assert.equal(client.getBooleanValue('new-checkout', true), false);
  assert.deepEqual(crossings, { evaluate: 0, evaluateAll: 2 });
});

test('every error code', async () => {
  const { client, domain } = await setup({ country: 'DE' });
  const cases = [
    [() => client.getBooleanDetails('missing', true), ErrorCode.FLAG_NOT_FOUND, /"missing" is not in snapshot 1/],
    [() => client.getStringDetails('static-on', 's'), ErrorCode.TYPE_MISMATCH, /boolean values, not string/],
    [() => client.getBooleanDetails('new-checkout', true), ErrorCode.TARGETING_KEY_MISSING, /rolls out by targetingKey/],
    [() => client.getNumberDetails('org-limit', 3), ErrorCode.INVALID_CONTEXT, /rollout's attribute is missing/],
  ];
  for (const [evaluate, code, message] of cases) {
    const details = evaluate();
    assert.deepEqual([details.errorCode, details.reason], [code, 'ERROR'], JSON.stringify(details));
    assert.match(details.errorMessage, message);
  }
  await OpenFeature.setContext(domain, { big: 'x'.repeat(5 * 1024 * 1024) });
  assert.equal(client.getStringDetails('static-on', 's').errorCode, ErrorCode.INVALID_CONTEXT, 'an unusable context outranks the type');

  const unread = await setup({}, { bytes: '{"payload": 1}' });
  assert.equal(unread.client.providerStatus, ProviderStatus.ERROR);
  assert.deepEqual([unread.client.getBooleanDetails('static-on', false).errorCode], [ErrorCode.PARSE_ERROR]);
});

test('events: accepted, refused and expired updates re-evaluate once and notify', { timeout: 10_000 }, async () => {
  const clock = { now: LOAD_NOW };
  const { client, source } = await setup({ targetingKey: 'u', email: 'a@example.org' }, { clock, allowStale: true, bytes: sign(ruleset, { expires: '2026-02-01T00:00:00Z' }) });
  const seen = recordEvents(client, [ProviderEvents.ConfigurationChanged, ProviderEvents.Error, ProviderEvents.Stale]);
  assert.equal(client.getBooleanDetails('new-checkout', false).reason, 'SPLIT');

  resetCrossings();
  source.update(sign(edited((flags, segments) => { segments.staff.if.value = '@example.org'; }), { version: 2, expires: '2026-02-01T00:00:00Z' }));
  await tick();
  assert.deepEqual(crossings, { evaluate: 0, evaluateAll: 1 });
  assert.deepEqual(seen.map((e) => [e.event, e.flagsChanged]), [[ProviderEvents.ConfigurationChanged, ['new-checkout', 'copy-after-checkout']]]);
  assert.deepEqual([client.getBooleanValue('new-checkout', false), client.getBooleanDetails('new-checkout', false).reason], [true, 'TARGETING_MATCH']);

  seen.length = 0;
  assert.throws(() => source.update(tampered(ruleset, { version: 3 })), { code: 'SIGNATURE_INVALID' });
  await tick();
  assert.deepEqual(seen.map((e) => e.event), [ProviderEvents.Error]);
  assert.equal(client.providerStatus, ProviderStatus.ERROR);
  assert.equal(client.getBooleanDetails('new-checkout', false).flagMetadata.snapshotVersion, '2', 'version 2 keeps serving');

  // Expiry: the source's timer fires (the clock is past expires), reasons become STALE.
  seen.length = 0;
  resetCrossings();
  clock.now = Date.parse('2026-02-01T00:00:01Z');
  const stale = nextEvent(client, ProviderEvents.Stale);
  source.stop();
  await source.start(); // restarts the timers: the expiry timer fires at once
  assert.match((await stale).message, /^snapshot 2 expired at 2026-02-01T00:00:00.000Z$/);
  assert.deepEqual(crossings, { evaluate: 0, evaluateAll: 1 });
  assert.equal(client.getBooleanDetails('static-on', false).reason, 'STALE');
  assert.equal(client.providerStatus, ProviderStatus.STALE);
});

test('a failed first load recovers on a later refresh: READY, then CONFIGURATION_CHANGED', async () => {
  let bytes = tampered(ruleset);
  const domain = `web-${++domains}`;
  const source = new SnapshotSource(Flags, { ...sourceOptions, read: async () => bytes, now: () => LOAD_NOW });
  await OpenFeature.setContext(domain, { targetingKey: 'u' });
  await assert.rejects(OpenFeature.setProviderAndWait(domain, new DarklaunchWebProvider(source)), { code: 'SIGNATURE_INVALID' });
  const client = OpenFeature.getClient(domain);
  assert.equal(client.getBooleanDetails('static-on', false).errorCode, ErrorCode.GENERAL);
  const seen = recordEvents(client, [ProviderEvents.Ready, ProviderEvents.ConfigurationChanged]);
  bytes = sign(ruleset);
  assert.equal(await source.refresh(), true);
  await tick();
  assert.deepEqual(seen.map((e) => e.event), [ProviderEvents.Ready, ProviderEvents.ConfigurationChanged]);
  assert.equal(seen[1].flagsChanged.length, Object.keys(ruleset.flags).length);
  assert.equal(client.getBooleanValue('static-on', false), true);
  await OpenFeature.clearProviders();
});
