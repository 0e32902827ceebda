// The server provider through the real @openfeature/server-sdk: every resolver type, every
// reason and error code, flagMetadata, events on accepted / refused / expired snapshots, hooks.
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { test } from 'node:test';

import { ErrorCode, OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/server-sdk';

import { Flags } from '../../pkg/src/node.js';
import { DarklaunchProvider, SnapshotSource } from '../../pkg/src/openfeature/server.js';
import { LOAD_NOW } from '../js/sign.mjs';
import { edited, recordEvents, ruleset, sign, signer, sourceOptions, splitUsers, tampered, unreadable } from './fixtures.mjs';

let domains = 0;

/** A provider on its own SDK domain, with a clock the test moves. */
async function setup({ bytes = sign(ruleset), clock = { now: LOAD_NOW }, ...options } = {}) {
  const domain = `server-${++domains}`;
  const source = new SnapshotSource(Flags, { ...sourceOptions, bytes, now: () => clock.now, ...options });
  const provider = new DarklaunchProvider(source);
  await OpenFeature.setProviderAndWait(domain, provider).catch(() => {});
  return { domain, source, provider, clock, client: OpenFeature.getClient(domain) };
}

test('every resolver type, with variant, reason and flagMetadata', async () => {
  const { client, source } = await setup();
  const { inside, outside } = splitUsers(source.flags);
  const metadata = { snapshotVersion: '1', keyId: signer.id };

  const on = await client.getBooleanDetails('static-on', false, {});
  assert.deepEqual(on, { flagKey: 'static-on', value: true, variant: 'on', reason: 'STATIC', flagMetadata: metadata });

  const copy = await client.getStringDetails('checkout-copy', 'fallback', { targetingKey: 'u', country: 'DE' });
  assert.deepEqual(copy, { flagKey: 'checkout-copy', value: 'Buy', variant: 'short', reason: 'TARGETING_MATCH', flagMetadata: { ...metadata, rule: 0 } });
  assert.equal((await client.getStringDetails('checkout-copy', 'fallback', { country: 'FR' })).reason, 'DEFAULT');

  const limit = await client.getNumberDetails('org-limit', 1, { orgId: 'org-7' });
  assert.deepEqual([limit.value, limit.variant, limit.reason], [100, 'high', 'SPLIT']);

  const theme = await client.getObjectDetails('theme', {}, {});
  assert.deepEqual([theme.value, theme.variant, theme.reason], [{ bg: '#fff' }, 'light', 'DISABLED']);

  assert.equal(await client.getBooleanValue('new-checkout', false, { targetingKey: inside[0] }), true);
  assert.equal(await client.getBooleanValue('new-checkout', true, { targetingKey: outside[0] }), false);
  assert.equal((await client.getBooleanDetails('new-checkout', false, { targetingKey: outside[0] })).reason, 'SPLIT');
  const staff = await client.getBooleanDetails('new-checkout', false, { targetingKey: outside[0], email: 'a@example.com' });
  assert.deepEqual([staff.value, staff.reason, staff.flagMetadata.rule], [true, 'TARGETING_MATCH', 0]);
});

test('every error code, with the default value and a message', async () => {
  const { client } = await setup();
  const cases = [
    [() => client.getBooleanDetails('missing', true, {}), ErrorCode.FLAG_NOT_FOUND, /"missing" is not in snapshot 1/],
    [() => client.getStringDetails('static-on', 'dflt', {}), ErrorCode.TYPE_MISMATCH, /boolean values, not string/],
    [() => client.getNumberDetails('checkout-copy', 7, {}), ErrorCode.TYPE_MISMATCH, /string values, not number/],
    [() => client.getObjectDetails('org-limit', { d: 1 }, { orgId: 'o' }), ErrorCode.TYPE_MISMATCH, /number values, not object/],
    [() => client.getBooleanDetails('new-checkout', true, { country: 'DE' }), ErrorCode.TARGETING_KEY_MISSING, /rolls out by targetingKey/],
    [() => client.getNumberDetails('org-limit', 3, { targetingKey: 'u' }), ErrorCode.INVALID_CONTEXT, /rollout's attribute is missing/],
    [() => client.getNumberDetails('org-limit', 3, { orgId: true }), ErrorCode.INVALID_CONTEXT, /not a string or integer/],
    [() => client.getBooleanDetails('static-on', false, { big: 'x'.repeat(5 * 1024 * 1024) }), ErrorCode.INVALID_CONTEXT, /flat object within the limits/],
  ];
  for (const [evaluate, code, message] of cases) {
    const details = await evaluate();
    assert.equal(details.errorCode, code, JSON.stringify(details));
    assert.equal(details.reason, 'ERROR');
    assert.match(details.errorMessage, message);
    assert.equal(details.flagMetadata.snapshotVersion, '1');
  }
  assert.equal((await client.getObjectDetails('missing', { d: 1 }, {})).value.d, 1);
  // A context problem outranks the type, as in Flags#evaluate.
  const cyclic = { targetingKey: 'u' };
  cyclic.self = cyclic;
  assert.equal((await client.getStringDetails('static-on', 's', { nested: cyclic })).errorCode, ErrorCode.INVALID_CONTEXT);
});

test('PARSE_ERROR while no snapshot could be read; GENERAL when one was refused', async () => {
  const unread = await setup({ bytes: unreadable });
  assert.equal(unread.provider.source.error.code, 'INVALID_JSON');
  assert.equal(OpenFeature.getClient(unread.domain).providerStatus, ProviderStatus.ERROR);
  const details = await unread.client.getBooleanDetails('static-on', false, {});
  assert.deepEqual([details.value, details.errorCode], [false, ErrorCode.PARSE_ERROR]);
  assert.match(details.errorMessage, /^no snapshot: INVALID_JSON/);

  const refused = await setup({ bytes: tampered(ruleset) });
  const general = await refused.client.getBooleanDetails('static-on', false, {});
  assert.deepEqual([general.errorCode, general.errorMessage.split(' at')[0]], [ErrorCode.GENERAL, 'no snapshot: SIGNATURE_INVALID']);
});

test('a refused pinned key is fatal: no snapshot can repair it', async () => {
  const { client } = await setup({ keys: { ci: 'AAAA' } });
  assert.equal(client.providerStatus, ProviderStatus.FATAL);
  assert.equal((await client.getBooleanDetails('static-on', false, {})).errorCode, ErrorCode.PROVIDER_FATAL);
});

test('events: CONFIGURATION_CHANGED with the changed flags, ERROR on a refused update, READY again', async () => {
  const { client, source } = await setup();
  assert.equal(client.providerStatus, ProviderStatus.READY);
  const seen = recordEvents(client, [ProviderEvents.ConfigurationChanged, ProviderEvents.Error, ProviderEvents.Stale]);

  // The staff segment changes new-checkout, and copy-after-checkout through its prerequisite;
  // theme's description (metadata) changes no answer.
  const v2 = edited((flags, segments) => {
    segments.staff.if.value = '@example.org';
    flags.theme.metadata = { description: 'colours' };
  });
  assert.equal(source.update(sign(v2, { version: 2 })), true);
  await tick();
  assert.deepEqual(seen, [{ event: ProviderEvents.ConfigurationChanged, flagsChanged: ['new-checkout', 'copy-after-checkout'], metadata: { snapshotVersion: '2', keyId: 'ci' }, providerName: 'darklaunch', domain: client.metadata.domain, clientName: client.metadata.domain }]);
  assert.equal(source.update(sign(v2, { version: 2 })), false, 'the same snapshot again is no change');

  seen.length = 0;
  assert.throws(() => source.update(tampered(v2, { version: 3 })), { code: 'SIGNATURE_INVALID' });
  assert.throws(() => source.update(sign(ruleset, { version: 1 })), { code: 'ROLLBACK' });
  await tick();
  assert.deepEqual(seen.map((e) => [e.event, e.metadata.code]), [[ProviderEvents.Error, 'SIGNATURE_INVALID'], [ProviderEvents.Error, 'ROLLBACK']]);
  assert.equal(client.providerStatus, ProviderStatus.ERROR);
  const still = await client.getBooleanDetails('new-checkout', false, { targetingKey: 'x', email: 'a@example.org' });
  assert.deepEqual([still.value, still.reason, still.flagMetadata.snapshotVersion], [true, 'TARGETING_MATCH', '2'], 'version 2 keeps serving');
  assert.equal(source.update(sign(v2, { version: 2 })), false);
  assert.equal(client.providerStatus, ProviderStatus.READY, 'a refresh that works ends the error, even if nothing changed');

  seen.length = 0;
  const v3 = edited((flags) => { flags['static-on'].default = 'off'; });
  source.update(sign(v3, { version: 3 }));
  await tick();
  assert.equal(client.providerStatus, ProviderStatus.READY);
  assert.deepEqual(seen.map((e) => [e.event, e.flagsChanged]), [[ProviderEvents.ConfigurationChanged, ['static-on', 'new-checkout', 'copy-after-checkout']]]);
  assert.equal(await client.getBooleanValue('static-on', true, {}), false);
});

test('events: STALE past expiry when stale serving is allowed, with reason STALE', async () => {
  const clock = { now: LOAD_NOW };
  const { client, source } = await setup({ clock, allowStale: true, bytes: sign(ruleset, { expires: '2026-02-01T00:00:00Z' }) });
  const seen = recordEvents(client, [ProviderEvents.Stale, ProviderEvents.Ready]);
  seen.length = 0; // READY handlers run at once when the provider is ready
  assert.equal((await client.getBooleanDetails('static-on', false, {})).reason, 'STATIC');
  clock.now = Date.parse('2026-02-01T00:00:00Z');
  const stale = await client.getBooleanDetails('static-on', false, {});
  assert.deepEqual([stale.value, stale.reason], [true, 'STALE']);
  await tick();
  assert.equal(client.providerStatus, ProviderStatus.STALE);
  assert.deepEqual(seen.map((e) => [e.event, e.message]), [[ProviderEvents.Stale, 'snapshot 1 expired at 2026-02-01T00:00:00.000Z']]);

  // An update that is itself past expiry is accepted (allowStale) and stays STALE.
  source.update(sign(ruleset, { version: 2, expires: '2026-01-15T00:00:00Z' }));
  assert.equal((await client.getBooleanDetails('static-on', false, {})).reason, 'STALE');
  // A fresh one ends it.
  seen.length = 0;
  source.update(sign(ruleset, { version: 3, expires: '2026-03-01T00:00:00Z' }));
  await tick();
  assert.deepEqual(seen.map((e) => e.event), [ProviderEvents.Ready]);
  assert.equal((await client.getBooleanDetails('static-on', false, {})).reason, 'STATIC');
});

test('events: past expiry without stale serving, ERROR and the defaults; expired updates are refused', async () => {
  const clock = { now: LOAD_NOW };
  const { client, source } = await setup({ clock, bytes: sign(ruleset, { expires: '2026-02-01T00:00:00Z' }) });
  const seen = recordEvents(client, [ProviderEvents.Error]);
  clock.now = Date.parse('2026-02-02T00:00:00Z');
  const details = await client.getBooleanDetails('static-on', false, {});
  assert.deepEqual([details.value, details.errorCode], [false, ErrorCode.GENERAL]);
  assert.match(details.errorMessage, /snapshot 1 expired at 2026-02-01T00:00:00.000Z \(allowStale is off\)/);
  assert.throws(() => source.update(sign(ruleset, { version: 2, expires: '2026-02-01T12:00:00Z' })), { code: 'EXPIRED' });
  await tick();
  assert.deepEqual(seen.map((e) => e.metadata.code), ['EXPIRED', 'EXPIRED']);
  assert.equal(client.providerStatus, ProviderStatus.ERROR);
});

test('hooks receive the evaluation details', async () => {
  const { client } = await setup();
  const calls = [];
  client.addHooks({
    after: (hookContext, details) => calls.push(['after', hookContext.flagKey, details]),
    error: (hookContext, error) => calls.push(['error', hookContext.flagKey, error.code, error.message]),
    finally: (hookContext, details) => calls.push(['finally', hookContext.flagKey, details.reason, details.errorCode]),
  });
  await client.getStringValue('checkout-copy', 'x', { country: 'DE' });
  await client.getStringValue('missing', 'x', {});
  assert.deepEqual(calls, [
    ['after', 'checkout-copy', { flagKey: 'checkout-copy', value: 'Buy', variant: 'short', reason: 'TARGETING_MATCH', flagMetadata: { snapshotVersion: '1', keyId: 'ci', rule: 0 } }],
    ['finally', 'checkout-copy', 'TARGETING_MATCH', undefined],
    ['error', 'missing', ErrorCode.FLAG_NOT_FOUND, 'flag "missing" is not in snapshot 1'],
    ['finally', 'missing', 'ERROR', ErrorCode.FLAG_NOT_FOUND],
  ]);
});
