// Odd requests still get an answer with sensible defaults: malformed cookies, very long
// headers, no or bad country. (The bad KV values are in rejects.test.mjs.)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { parseCookies, userAgentFamily, visitorOf } from '../../examples/cloudflare-worker/src/visitor.js';
import { startTestWorker, visitorId } from './harness.mjs';

let worker;
before(async () => {
  worker = await startTestWorker({ initial: { version: 1, ruleset: { percent: 50 } } });
});
after(() => worker?.close());

const NEW_COOKIE = /^dl_anon=[0-9a-f-]{36}; Secure; HttpOnly; SameSite=Lax; Path=\/; Max-Age=31536000$/;

test('malformed cookies: answered, and a fresh anonymous id is issued', async () => {
  for (const cookie of ['=;;; dl_anon; =x; %%%', 'dl_anon=not-a-uuid', 'dl_anon=', `dl_anon=${visitorId(0xabcdef).toUpperCase()}`, 'dl_anon=../../etc/passwd', '\u00e9=\u00e9']) {
    const response = await worker.get('/', { headers: { cookie } });
    assert.equal(response.status, 200, cookie);
    assert.match(response.headers.get('set-cookie'), NEW_COOKIE, cookie);
    assert.equal(response.version, '1');
    assert.ok('new-checkout' in response.decisions, cookie);
  }
});

test('a quoted id, and the first of duplicate cookies, are used as sent', async () => {
  const plain = await worker.get('/', { visitor: 7 });
  const quoted = await worker.get('/', { headers: { cookie: `x=1; dl_anon="${visitorId(7)}"` } });
  assert.equal(quoted.headers.get('set-cookie'), null);
  assert.deepEqual(quoted.decisions, plain.decisions);
  const twice = await worker.get('/', { headers: { cookie: `dl_anon=${visitorId(7)}; dl_anon=${visitorId(8)}` } });
  assert.deepEqual(twice.decisions, plain.decisions);
});

test('long headers: user agent, cookies, user id and path', async () => {
  const plain = await worker.get('/', { visitor: 3 });
  const response = await worker.get(`/${'p'.repeat(2000)}`, {
    headers: {
      'user-agent': `Mozilla/5.0 ${'A'.repeat(2000)} Firefox/120.0`,
      cookie: `${Array.from({ length: 60 }, (_, i) => `junk${i}=${'v'.repeat(30)}`).join('; ')}; dl_anon=${visitorId(3)}`,
      'x-user-id': 'u'.repeat(1000), // too long to be an id: ignored, the anonymous id decides
    },
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('set-cookie'), null);
  assert.deepEqual(response.decisions, plain.decisions);
});

test('absurdly long headers: the context stays small (visitorOf, run in Node)', () => {
  // workerd refuses requests whose headers pass its own cap (431; ≈ 8–16 KiB locally), so
  // the context builder is given absurd sizes directly.
  const config = { userHeader: 'x-user-id', userCookie: 'uid', anonymousCookie: 'dl_anon' };
  const megabyte = 'A'.repeat(1024 * 1024);
  const request = new Request(`https://example.com/${megabyte}`, {
    headers: { 'user-agent': `${megabyte} Chrome/120.0`, cookie: `junk=${megabyte}; dl_anon=${visitorId(3)}; uid=${megabyte}`, 'x-user-id': megabyte, 'cf-ipcountry': megabyte },
  });
  const { context, setCookie } = visitorOf(request, config);
  assert.equal(setCookie, undefined);
  assert.deepEqual(context, { targetingKey: visitorId(3), anonymousId: visitorId(3), signedIn: false, path: `/${'A'.repeat(1023)}`, userAgent: 'other' });
});

test('missing or bad country: no country attribute, the default copy', async () => {
  for (const country of [undefined, '', 'ZZZ', 'd', '\u00c4']) {
    const headers = country === undefined ? {} : { 'cf-ipcountry': country };
    const response = await worker.get('/', { visitor: 4, headers });
    assert.equal(response.status, 200);
    assert.equal(response.decisions['checkout-copy'], 'control', String(country));
  }
});

test('the cookie parser and user-agent families (plain functions, also run in Node)', () => {
  assert.deepEqual([...parseCookies('a=1; b="2"; =3; c; a=4; d==5')], [['a', '1'], ['b', '2'], ['d', '=5']]);
  assert.equal(parseCookies(null).size, 0);
  const families = {
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36': 'chrome',
    'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0': 'edge',
    'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0': 'firefox',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15': 'safari',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)': 'bot',
    'curl/8.4.0': 'curl',
    '': 'none',
  };
  for (const [ua, family] of Object.entries(families)) assert.equal(userAgentFamily(ua), family, ua);
  assert.equal(userAgentFamily(`${'x'.repeat(100000)} Firefox/120.0`), 'other'); // only the first 512 characters count
});
