// The demo page (www/) in real Chromium: it verifies the served snapshot, walks the dark launch
// 1% → 5% → 30% → 100% and back with every earlier user kept in and shares within 3σ, refuses a
// tampered snapshot (and a staging one) while the old one keeps serving, explains users exactly
// as the CLI's `eval` does, and logs no console errors. Screenshots of each step go to
// test-results/demo/ (git-ignored).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { serveDemo } from '../../www/serve.mjs';
import { launch } from './chromium.mjs';

const SHOTS = fileURLToPath(new URL('../../test-results/demo/', import.meta.url));
const CLI = process.env.DARKLAUNCH_CLI ?? fileURLToPath(new URL('../../target/debug/darklaunch', import.meta.url));
const COLUMNS = 100;

let server;
let browser;
let page;
let work;
const problems = [];
const foreign = [];

before(async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: cargo build --features cli --bin darklaunch (make test-demo does)`);
  mkdirSync(SHOTS, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'darklaunch-demo-'));
  server = await serveDemo({ port: 0 });
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.setDefaultTimeout(20_000);
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (!request.url().startsWith(server.url) && !request.url().startsWith('data:')) foreign.push(request.url());
  });
  await page.goto(server.url);
  await page.waitForFunction(() => window.__demo?.ready === true);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const state = () => page.evaluate(() => window.__demo.state());
const served = () => page.evaluate(() => window.__demo.snapshot());
const included = (s) => new Set(s.exposed.flatMap((e, i) => (e ? [i] : [])));

async function serverJson(path) {
  return (await fetch(new URL(path, server.url))).json();
}

async function stageButton(percent) {
  await page.getByRole('button', { name: new RegExp(`^${percent}%`) }).click();
  return state();
}

test('loads and shows a verified snapshot', async () => {
  const index = await serverJson('/demo/index.json');
  const keyring = await serverJson('/demo/keyring.json');
  const text = await (await fetch(new URL(index.snapshots[0].url, server.url))).text();
  const payload = JSON.parse(Buffer.from(JSON.parse(text).payload, 'base64'));
  const snapshot = await served();
  assert.equal(snapshot.version, String(payload.version));
  assert.deepEqual(snapshot.keyIds, Object.keys(keyring.keys));
  assert.equal(snapshot.environment, 'demo');
  const status = page.locator('#snapshot-status');
  assert.equal(await status.getAttribute('data-state'), 'verified');
  assert.match(await status.innerText(), new RegExp(`Serving v${payload.version}.*verified with ${Object.keys(keyring.keys)[0]}`));
  const facts = await page.locator('#snapshot-facts').innerText();
  for (const expected of ['Version', 'Signed by', 'Environment', 'Issued', 'Expires', payload.version, 'demo']) {
    assert.ok(facts.includes(String(expected)), `snapshot facts lack ${expected}`);
  }
  const s = await state();
  assert.equal(s.exposed.length, 10_000);
  assert.equal(s.flag, 'new-checkout');
  assert.deepEqual(s.stages.map((x) => x.percent), [1, 5, 30, 100]);
  assert.equal(s.categories.reduce((sum, c) => sum + c.count, 0), 10_000);
  const speed = await page.evaluate(() => window.__demo.speed());
  assert.ok(speed.evaluate > 0 && speed.getValue > 0 && speed.evaluateAll > 0);
  assert.match(await page.locator('#speed-facts').innerText(), /\/s/);
  await shot('01-loaded-1-percent');
});

test('1% → 5% → 30% → 100%: everyone let in stays in, and each share is within 3σ of its target', async () => {
  let previous = await stageButton(1);
  const steps = [previous];
  for (const [n, percent] of [[2, 5], [3, 30], [4, 100]]) {
    await page.click('#step-next');
    const current = await state();
    assert.equal(current.stages[current.step].percent, percent);
    const before = included(previous);
    const now = included(current);
    for (const i of before) assert.ok(now.has(i), `user ${i + 1} dropped out going to ${percent}%`);
    assert.equal(current.change.filter((c) => c === 2).length, 0, 'nobody drops out when the percent rises');
    assert.equal(current.change.filter((c) => c === 1).length, now.size - before.size, 'newly let in = the difference');
    assert.equal(await page.locator('#step-change').getAttribute('data-joined'), String(now.size - before.size));
    await shot(`0${n}-stage-${percent}-percent`);
    steps.push(current);
    previous = current;
  }
  for (const s of steps) {
    const { reaching, inside, target } = s.rollout;
    const p = target / 100;
    const sigma = Math.sqrt(reaching * p * (1 - p));
    assert.ok(reaching > 8_000, `most users reach the rollout (${reaching})`);
    assert.ok(Math.abs(inside - reaching * p) <= 3 * sigma, `${inside} of ${reaching} at ${target}% is beyond 3σ (${sigma.toFixed(1)})`);
    assert.equal(await pageShareWithin(s), true);
  }
  assert.equal(steps.at(-1).rollout.inside, steps.at(-1).rollout.reaching, 'at 100% everyone reaching the rollout is in');
});

async function pageShareWithin(s) {
  await page.getByRole('button', { name: new RegExp(`^${s.stages[s.step].percent}%`) }).click();
  return (await page.locator('#rollout-share').getAttribute('data-within')) === 'true';
}

test('rolling back from 100% to 30% shows exactly who drops out', async () => {
  const full = await stageButton(100);
  await page.click('#step-back');
  const back = await state();
  assert.equal(back.stages[back.step].percent, 30);
  const left = back.change.flatMap((c, i) => (c === 2 ? [i] : []));
  const expected = [...included(full)].filter((i) => !back.exposed[i]);
  assert.deepEqual(left, expected);
  assert.ok(left.length > 4_000);
  assert.equal(await page.locator('#step-change').getAttribute('data-left'), String(left.length));
  await shot('05-rolled-back-to-30-percent');
});

/** `darklaunch eval` on the served snapshot and keyring, at the page's evaluation time. */
function cliEval(flag, context, now) {
  const snapshot = join(work, 'snapshot.json');
  const keyring = join(work, 'keyring.json');
  const args = ['eval', '--keyring', keyring, '--environment', 'demo', '--now', new Date(now).toISOString().replace('.000Z', 'Z'),
    snapshot, '--flag', flag, '--context', JSON.stringify(context)];
  return JSON.parse(execFileSync(CLI, args, { encoding: 'utf8', timeout: 30_000 }));
}

function assertSameAsCli(page, cli) {
  for (const field of ['flag', 'value', 'variant', 'reason', 'errorCode', 'rule', 'ruleId', 'stage', 'failedPrerequisite']) {
    assert.deepEqual(page[field], cli[field], `${field} of ${JSON.stringify(page.context)}`);
  }
  assert.deepEqual(page.bucket, cli.bucket, `bucket of ${JSON.stringify(page.context)}`);
}

test('the explain panel gives the CLI eval explanation: a clicked user, typed users, a keyboard-picked user', async () => {
  const index = await serverJson('/demo/index.json');
  writeFileSync(join(work, 'snapshot.json'), await (await fetch(new URL(index.snapshots[0].url, server.url))).text());
  writeFileSync(join(work, 'keyring.json'), JSON.stringify(await serverJson('/demo/keyring.json')));
  const s = await stageButton(5);
  const users = await page.evaluate(() => window.__demo.users);

  // Click the first user let in by the rollout (not staff) at 5%.
  const target = users.findIndex((u, i) => s.exposed[i] && !u.email.endsWith('@example.com'));
  const box = await page.locator('#grid').boundingBox();
  const cell = box.width / COLUMNS;
  await page.locator('#grid').click({ position: { x: (target % COLUMNS + 0.5) * cell, y: (Math.floor(target / COLUMNS) + 0.5) * cell } });
  let shown = await page.evaluate(() => window.__demo.explanation());
  assert.equal(shown.context.targetingKey, users[target].targetingKey);
  assert.equal(shown.now, s.now);
  const cli = cliEval('new-checkout', shown.context, shown.now);
  assertSameAsCli(shown, cli);
  assert.equal(cli.reason, 'SPLIT');
  assert.equal(cli.bucket.inside, true);
  assert.equal(cli.stage, 1);
  const text = await page.locator('#explain-output').innerText();
  assert.ok(text.includes(`Position ${Number(cli.bucket.positionPercent.toFixed(4))}%`), text);
  assert.ok(text.includes('threshold 5%'), text);
  await shot('06-explain-clicked-user');

  const typed = [
    { targetingKey: 'user-104', appVersion: '4.3.1' },
    { targetingKey: 'staff-1', email: 'Ada@Example.com', appVersion: '4.0.3' },
    { targetingKey: 'user-77', appVersion: '4.1.2', country: 'DE' },
    { targetingKey: users[s.exposed.indexOf(0)].targetingKey, appVersion: '4.4.0' },
  ];
  const reasons = new Set();
  for (const flag of ['new-checkout', 'checkout-copy']) {
    await page.selectOption('#flag-select', flag);
    for (const context of typed) {
      for (const name of ['targetingKey', 'email', 'appVersion', 'country']) {
        await page.getByLabel(labelOf(name), { exact: true }).fill(context[name] ?? '');
      }
      await page.getByRole('button', { name: 'Explain', exact: true }).click();
      shown = await page.evaluate(() => window.__demo.explanation());
      assert.deepEqual(shown.context, context);
      assertSameAsCli(shown, cliEval(flag, context, shown.now));
      reasons.add(`${flag}:${shown.reason}:${shown.ruleId ?? ''}`);
    }
    if (flag === 'checkout-copy') await shot('07-checkout-copy-at-5-percent');
  }
  for (const expected of ['new-checkout:SPLIT:', 'new-checkout:TARGETING_MATCH:staff-first', 'new-checkout:TARGETING_MATCH:old-app', 'checkout-copy:DEFAULT:']) {
    assert.ok(reasons.has(expected), `no typed user gave ${expected}: ${[...reasons]}`);
  }
  await page.selectOption('#flag-select', 'new-checkout');

  await page.focus('#grid');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  shown = await page.evaluate(() => window.__demo.explanation());
  assert.equal(shown.context.targetingKey, users[COLUMNS + 1].targetingKey);
  assertSameAsCli(shown, cliEval('new-checkout', shown.context, shown.now));
  await shot('08-explain-keyboard-picked-user');
});

function labelOf(name) {
  return { targetingKey: 'Targeting key', email: 'E-mail', appVersion: 'App version', country: 'Country' }[name];
}

test('a tampered snapshot is rejected with SIGNATURE_INVALID and the old one keeps serving', async () => {
  const before = await served();
  const stateBefore = await state();
  const explained = await page.evaluate(() => window.__demo.explanation());
  await page.click('#tamper');
  const rejection = page.locator('#snapshot-rejection');
  await rejection.waitFor({ state: 'visible' });
  assert.equal(await rejection.getAttribute('data-code'), 'SIGNATURE_INVALID');
  assert.match(await rejection.innerText(), new RegExp(`SIGNATURE_INVALID[\\s\\S]*v${before.version} keeps serving`));
  assert.match(await page.locator('#snapshot-log li').first().innerText(), /rejected with SIGNATURE_INVALID/);
  assert.deepEqual(await served(), { ...before, lastRejection: (await served()).lastRejection });
  assert.equal((await served()).lastRejection.code, 'SIGNATURE_INVALID');
  assert.match(await page.locator('#snapshot-status').innerText(), new RegExp(`Serving v${before.version}`));
  assert.deepEqual((await state()).exposed, stateBefore.exposed, 'every decision is unchanged');
  await page.getByRole('button', { name: 'Explain', exact: true }).click();
  const again = await page.evaluate(() => window.__demo.explanation());
  assert.deepEqual({ ...again, context: undefined }, { ...explained, context: undefined });
  await shot('09-tampered-rejected');
});

test('other snapshots from a file and a paste: staging refused, the kill switch accepted, an older one refused', async () => {
  const before = await served();
  const index = await serverJson('/demo/index.json');
  const text = async (name) => (await fetch(new URL(index.snapshots.find((s) => s.name === name).url, server.url))).text();

  await page.setInputFiles('#snapshot-file', { name: 'staging.json', mimeType: 'application/json', buffer: Buffer.from(await text('staging')) });
  await page.waitForFunction(() => window.__demo.snapshot().lastRejection?.code === 'WRONG_ENVIRONMENT');
  assert.equal((await served()).version, before.version);
  assert.match(await page.locator('#snapshot-log li').first().innerText(), /file staging\.json: rejected with WRONG_ENVIRONMENT/);

  const on = included(await state());
  await page.getByRole('button', { name: /kill switch/ }).click();
  await page.waitForFunction((v) => window.__demo.snapshot().version !== v, before.version);
  assert.equal(BigInt((await served()).version), BigInt(before.version) + 1n);
  assert.equal(await page.locator('#snapshot-rejection').isHidden(), true);
  const killed = await state();
  assert.equal(included(killed).size, 0);
  assert.deepEqual(killed.change.flatMap((c, i) => (c === 2 ? [i] : [])), [...on]);
  assert.deepEqual(killed.categories.map((c) => c.label), ['off · flag disabled (kill switch)']);
  await shot('10-kill-switch');

  await page.getByLabel('Or paste an envelope').fill(await text('launch-plan'));
  await page.getByRole('button', { name: 'Verify and load pasted' }).click();
  await page.waitForFunction(() => window.__demo.snapshot().lastRejection?.code === 'ROLLBACK');
  assert.equal(BigInt((await served()).version), BigInt(before.version) + 1n, 'the older snapshot did not replace the newer');
  assert.equal(included(await state()).size, 0);
});

test('every control, the grid and each region has an accessible name (Chromium accessibility tree)', async () => {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  const named = new Set(['button', 'textbox', 'combobox', 'link', 'image', 'img', 'region', 'table', 'listbox']);
  const unnamed = nodes.filter((n) => !n.ignored && named.has(n.role?.value) && !(n.name?.value ?? '').trim());
  assert.deepEqual(unnamed.map((n) => n.role.value), []);
  const roles = nodes.filter((n) => !n.ignored).map((n) => `${n.role?.value}:${n.name?.value ?? ''}`);
  for (const region of ['Dark launch', 'Snapshot', 'Explain one user', 'Speed in this browser']) {
    assert.ok(roles.includes(`region:${region}`), `no region named ${region}`);
  }
  assert.ok(roles.some((r) => /^(image|img):new-checkout: \d/.test(r)), 'the grid describes itself');
});

test('phone width: one column, nothing wider than the screen', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(100);
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, grid: document.getElementById('grid').clientWidth }));
  assert.ok(widths.page <= 390, `the page is ${widths.page}px wide`);
  assert.ok(widths.grid >= 300, `the grid is ${widths.grid}px wide`);
  await shot('11-phone');
});

test('worked offline and without console errors', () => {
  assert.deepEqual(foreign, [], 'requests left 127.0.0.1');
  assert.deepEqual(problems, []);
});
