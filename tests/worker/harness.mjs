// Test harness: the example worker in workerd (Miniflare) with its two origins, a snapshot
// signed at test time with a key made at test time (tests/js/sign.mjs), its structured logs
// collected, and helpers to publish to KV and wait for the refresh that follows.
import { createHash } from 'node:crypto';

import { startOrigins } from '../../examples/cloudflare-worker/local/origins.mjs';
import { startMiniflare } from '../../examples/cloudflare-worker/local/runtime.mjs';
import { keyPair, snapshot } from '../js/sign.mjs';

export const ENVIRONMENT = 'test';

/**
 * The test ruleset: `new-checkout` (boolean, rollout `percent`, kill switch `enabled`),
 * `checkout-copy` (the HTML flag), `origin` (blue/green canary at `green` percent) and
 * `marker` (serves `v<version>`, so a response shows which snapshot decided it).
 */
export function ruleset({ percent = 30, enabled = true, green = 10, marker = 'v1' } = {}) {
  return {
    schema: 'darklaunch/v1',
    flags: {
      'new-checkout': {
        variants: { on: true, off: false }, off: 'off', enabled,
        default: { rollout: { variants: { on: 1 }, percent } },
      },
      'checkout-copy': {
        variants: { control: 'Buy now', short: 'Buy <now>' }, off: 'control',
        rules: [{ if: { attr: 'country', op: 'eq', value: 'DE' }, serve: 'short' }],
        default: 'control',
      },
      origin: {
        variants: { blue: 'blue', green: 'green' }, off: 'blue',
        default: { rollout: { variants: { green: 1 }, percent: green } },
      },
      marker: { variants: { [marker]: marker }, off: marker, default: marker },
    },
  };
}

/** A valid anonymous-id cookie value for synthetic visitor `i` (a UUID the worker accepts). */
export function visitorId(i) {
  const hex = i.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

/** `flag=variant,...` → `{flag: variant}`. */
export function parseDecisions(header) {
  const out = {};
  for (const pair of (header ?? '').split(',')) {
    if (pair === '') continue;
    const [key, variant] = pair.split('=');
    out[key] = variant;
  }
  return out;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts origins + worker. `signer` signs (default: a fresh key, trusted by the worker);
 * `initial` is the first snapshot's options ({version, ruleset options}) or null for none.
 */
export async function startTestWorker({ bindings = {}, initial = { version: 1 }, signer = keyPair('ci'), miniflareOptions } = {}) {
  const origins = await startOrigins();
  const logs = [];
  const sign = (version, options = {}, meta = {}) =>
    snapshot(ruleset({ marker: `v${version}`, ...options }), signer, { version, environment: ENVIRONMENT, ...meta });
  let worker;
  try {
    worker = await startMiniflare({
      snapshot: initial === null ? undefined : sign(initial.version, initial.ruleset, initial.meta),
      onLog: (entry) => logs.push(entry),
      miniflareOptions,
      bindings: {
        DARKLAUNCH_KEYS: JSON.stringify(signer.keys),
        DARKLAUNCH_ENVIRONMENT: ENVIRONMENT,
        DARKLAUNCH_REFRESH_SECONDS: '0',
        BLUE_ORIGIN: origins.blue,
        GREEN_ORIGIN: origins.green,
        ...bindings,
      },
    });
  } catch (error) {
    await origins.close();
    throw error;
  }

  /** GET through the worker; `visitor` (a number) sends that synthetic visitor's cookie. */
  async function get(path = '/', { visitor, headers = {} } = {}) {
    const all = { ...headers };
    if (visitor !== undefined) all.cookie = [`dl_anon=${visitorId(visitor)}`, headers.cookie].filter(Boolean).join('; ');
    const response = await fetch(new URL(path, worker.url), { headers: all });
    const body = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body,
      version: response.headers.get('x-darklaunch-version'),
      decisions: parseDecisions(response.headers.get('x-darklaunch-decisions')),
    };
  }

  /** Each visitor's decisions, `concurrency` requests at a time. */
  async function decisionsOf(visitors, { concurrency = 8, path = '/?format=json' } = {}) {
    const results = new Array(visitors.length);
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < visitors.length) {
        const i = next++;
        results[i] = await get(path, { visitor: visitors[i] });
      }
    }));
    return results;
  }

  /**
   * Puts `text` in KV and drives requests until the worker logs the refresh that read it
   * (its SHA-256, or `match` for values the worker cannot read whole), bounded: 100 tries.
   * Returns that log entry.
   */
  async function publish(text, { match } = {}) {
    const sha256 = createHash('sha256').update(text).digest('hex');
    const isIt = match ?? ((e) => e.sha256 === sha256);
    const seen = logs.length;
    await worker.snapshots.put('snapshot', text);
    for (let attempt = 0; attempt < 100; attempt++) {
      await get('/?format=json', { visitor: 0 });
      await sleep(20);
      const entry = logs.slice(seen).find((e) => e.event === 'darklaunch.refresh' && isIt(e));
      if (entry) return entry;
    }
    throw new Error(`no refresh logged after publishing; logs: ${JSON.stringify(logs.slice(seen))}`);
  }

  /** Waits (bounded) for a log entry matching `predicate`. */
  async function waitForLog(predicate, { timeoutMs = 5000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const entry = logs.find(predicate);
      if (entry) return entry;
      await sleep(20);
    }
    throw new Error(`log not seen; logs: ${JSON.stringify(logs)}`);
  }

  // A first request, so the worker has loaded the initial snapshot before a test publishes.
  if (initial !== null) await get('/?format=json');

  return {
    url: worker.url,
    miniflare: worker.miniflare,
    restart: worker.restart,
    snapshots: worker.snapshots,
    signer,
    logs,
    sign,
    get,
    decisionsOf,
    publish,
    waitForLog,
    close: async () => {
      await worker.close();
      await origins.close();
    },
  };
}
