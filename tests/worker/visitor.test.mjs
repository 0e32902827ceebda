// The request side: the sticky anonymous id, the signed-in id, country, path and user agent,
// decisions to the origin and the browser, and the HTML variant.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startTestWorker, visitorId } from './harness.mjs';

let worker;
before(async () => {
  worker = await startTestWorker({ initial: { version: 1, ruleset: { percent: 50 } } });
});
after(() => worker?.close());

test('a first visit gets the anonymous id cookie, with every attribute', async () => {
  const response = await worker.get('/');
  assert.equal(response.status, 200);
  const cookie = response.headers.get('set-cookie');
  assert.match(cookie, /^dl_anon=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}; Secure; HttpOnly; SameSite=Lax; Path=\/; Max-Age=31536000$/);
  assert.equal(response.version, '1');
});

test('the same visitor gets the same decisions on every request, and no new cookie', async () => {
  const first = await worker.get('/');
  const cookie = first.headers.get('set-cookie').split(';')[0];
  const seen = new Set();
  for (let i = 0; i < 20; i++) {
    const again = await worker.get(`/page/${i}`, { headers: { cookie } });
    assert.equal(again.headers.get('set-cookie'), null);
    seen.add(again.headers.get('x-darklaunch-decisions'));
  }
  assert.deepEqual([...seen], [first.headers.get('x-darklaunch-decisions')]);
  // Over many visitors the 50% flag splits: the decision really depends on the id.
  const many = await worker.decisionsOf(Array.from({ length: 60 }, (_, i) => i));
  const on = many.filter((r) => r.decisions['new-checkout'] === 'on').length;
  assert.ok(on > 10 && on < 50, `${on} of 60 on at 50%`);
});

test('a signed-in user id (header, then cookie) is the targeting key; the anonymous id is not', async () => {
  // Find a visitor whose anonymous decision differs from user "alice"'s.
  const alice = (await worker.get('/?format=json', { headers: { 'x-user-id': 'alice' } })).decisions['new-checkout'];
  let visitor = 0;
  while ((await worker.get('/', { visitor })).decisions['new-checkout'] === alice) visitor++;
  assert.ok(visitor < 64);
  const viaHeader = await worker.get('/', { visitor, headers: { 'x-user-id': 'alice' } });
  const viaCookie = await worker.get('/', { visitor, headers: { cookie: 'uid=alice' } });
  assert.equal(viaHeader.decisions['new-checkout'], alice);
  assert.equal(viaCookie.decisions['new-checkout'], alice);
  assert.equal(viaHeader.headers.get('set-cookie'), null); // the anonymous id is kept as it was
  // The header wins over the cookie.
  const bob = (await worker.get('/', { headers: { 'x-user-id': 'bob' } })).decisions['new-checkout'];
  const both = await worker.get('/', { visitor, headers: { 'x-user-id': 'bob', cookie: 'uid=alice' } });
  assert.equal(both.decisions['new-checkout'], bob);
});

test('country from request.cf, else from cf-ipcountry; decisions go to the origin too', async () => {
  const viaCf = await worker.miniflare.dispatchFetch(`${worker.url}?format=json`, { cf: { country: 'DE' }, headers: { cookie: `dl_anon=${visitorId(1)}` } });
  const seen = await viaCf.json();
  assert.match(viaCf.headers.get('x-darklaunch-decisions'), /checkout-copy=short/);
  assert.equal(seen.decisions, viaCf.headers.get('x-darklaunch-decisions'));
  assert.equal(seen.version, '1');
  const viaHeader = await worker.get('/?format=json', { visitor: 1, headers: { 'cf-ipcountry': 'de' } });
  assert.equal(viaHeader.decisions['checkout-copy'], 'short');
  const elsewhere = await worker.get('/?format=json', { visitor: 1, headers: { 'cf-ipcountry': 'FR' } });
  assert.equal(elsewhere.decisions['checkout-copy'], 'control');
  const origin = JSON.parse(elsewhere.body);
  assert.equal(origin.decisions, elsewhere.headers.get('x-darklaunch-decisions'));
  assert.equal(origin.path, '/');
});

test('the HTML variant: the checkout-copy flag rewrites the marked element, escaped', async () => {
  const de = await worker.get('/', { visitor: 2, headers: { 'cf-ipcountry': 'DE' } });
  assert.match(de.body, /<button data-darklaunch="checkout-copy">Buy &lt;now&gt;<\/button>/);
  const fr = await worker.get('/', { visitor: 2, headers: { 'cf-ipcountry': 'FR' } });
  assert.match(fr.body, /<button data-darklaunch="checkout-copy">Buy now<\/button>/);
  const json = await worker.get('/?format=json', { visitor: 2, headers: { 'cf-ipcountry': 'DE' } });
  assert.doesNotThrow(() => JSON.parse(json.body)); // only HTML is rewritten
});
