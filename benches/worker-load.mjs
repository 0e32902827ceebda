#!/usr/bin/env node
// Load test of the Cloudflare Worker example in workerd (Miniflare), loopback only, bounded:
// REQUESTS requests over CONNECTIONS connections with autocannon, 10,000 synthetic visitors,
// and a new signed snapshot published to KV halfway through. Checks: no errors, every
// response 200, and no response mixes two snapshots (the version header, the `marker` flag's
// decision and what the origin received all name the same snapshot). Prints req/s, p50, p99.
//   node benches/worker-load.mjs [--requests 10000] [--connections 50]   (make bench-worker)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import autocannon from 'autocannon';

import { EXAMPLE_DIR } from '../examples/cloudflare-worker/local/bundle.mjs';
import { startOrigins } from '../examples/cloudflare-worker/local/origins.mjs';
import { startMiniflare } from '../examples/cloudflare-worker/local/runtime.mjs';
import { demoKey, signSnapshot } from '../examples/cloudflare-worker/local/sign.mjs';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '10000' }, connections: { type: 'string', default: '50' } } });
const REQUESTS = Number(values.requests);
const CONNECTIONS = Number(values.connections);
const VISITORS = 10000;
const TIME_LIMIT_MS = 120_000;

// The demo ruleset plus `marker`, a flag whose only variant names the snapshot version.
const demo = JSON.parse(readFileSync(join(EXAMPLE_DIR, 'demo/ruleset.json'), 'utf8'));
const rulesetFor = (version) => ({
  ...demo,
  flags: { ...demo.flags, marker: { variants: { [`v${version}`]: version }, off: `v${version}`, default: `v${version}` } },
});
const key = demoKey('bench');
const sign = (version) => signSnapshot(rulesetFor(version), key, { version, environment: 'bench' });

const origins = await startOrigins();
const logs = [];
const worker = await startMiniflare({
  snapshot: sign(1),
  onLog: (entry) => logs.push(entry),
  bindings: {
    DARKLAUNCH_KEYS: JSON.stringify({ [key.id]: key.publicKey }),
    DARKLAUNCH_ENVIRONMENT: 'bench',
    DARKLAUNCH_REFRESH_SECONDS: '1',
    BLUE_ORIGIN: origins.blue,
    GREEN_ORIGIN: origins.green,
  },
});

const counts = { 1: 0, 2: 0 };
const problems = [];
let responses = 0;
let published = false;

function check(status, body, headers) {
  const version = headers['x-darklaunch-version'];
  const decisions = headers['x-darklaunch-decisions'] ?? '';
  let seen;
  try {
    seen = JSON.parse(body);
  } catch {
    seen = {};
  }
  const marker = /(?:^|,)marker=v(\d+)(?:,|$)/.exec(decisions)?.[1];
  if (status !== 200) problems.push(`status ${status}`);
  else if (!(version in counts) || marker !== version || seen.version !== version || seen.decisions !== decisions) {
    problems.push(`mixed: version ${version}, marker v${marker}, origin saw ${seen.version} / ${seen.decisions}`);
  } else counts[version] += 1;
}

let visitor = 0;
const hex = (i) => i.toString(16).padStart(12, '0');
const instance = autocannon({
  url: worker.url,
  connections: CONNECTIONS,
  amount: REQUESTS,
  timeout: 10,
  requests: [{
    method: 'GET',
    path: '/?format=json',
    setupRequest(request) {
      visitor = (visitor + 1) % VISITORS;
      return { ...request, headers: { ...request.headers, cookie: `dl_anon=00000000-0000-4000-8000-${hex(visitor)}` } };
    },
    onResponse: (status, body, context, headers) => check(status, body, headers),
  }],
});
instance.on('response', () => {
  responses += 1;
  if (!published && responses >= REQUESTS / 2) {
    published = true;
    worker.snapshots.put('snapshot', sign(2)).catch((error) => problems.push(`publish: ${error.message}`));
  }
});
const guard = setTimeout(() => instance.stop(), TIME_LIMIT_MS);
const result = await new Promise((resolve, reject) => instance.once('done', resolve).once('error', reject));
clearTimeout(guard);
await worker.close();
await origins.close();

const swapped = logs.find((e) => e.event === 'darklaunch.refresh' && e.outcome === 'accepted' && e.version === '2');
console.log(`worker load: ${result.requests.total} requests, ${CONNECTIONS} connections, ${VISITORS} visitors, snapshot v1 → v2 after ${REQUESTS / 2}`);
console.log(`  ${result.requests.average.toFixed(0)} req/s (mean), latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms, ${result.duration.toFixed(1)} s`);
console.log(`  responses by snapshot: v1 ${counts[1]}, v2 ${counts[2]}; errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}, mixed/other ${problems.length}`);
const failures = [];
if (result.requests.total < REQUESTS) failures.push(`only ${result.requests.total} of ${REQUESTS} requests completed`);
if (result.errors || result.timeouts || result.non2xx) failures.push('errors, timeouts or non-2xx responses');
if (problems.length) failures.push(`${problems.length} bad responses, e.g. ${problems.slice(0, 3).join('; ')}`);
if (!swapped || counts[2] === 0 || counts[1] === 0) failures.push('the snapshot swap was not seen in the middle of the run');
if (failures.length) {
  console.error(`FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
