// A Cloudflare Worker that gates features per request with darklaunch: it verifies a signed
// snapshot (KV or a URL), builds the visitor's context, evaluates every flag once, routes to
// the blue or green origin by a flag, passes the decisions to the origin and the browser in
// headers, and rewrites one piece of HTML by a flag. README.md documents the configuration.
import { ConfigError, readConfig } from './config.js';
import { decide } from './decisions.js';
import { withHtmlVariant } from './html.js';
import { log } from './log.js';
import { SnapshotStore } from './store.js';
import { visitorOf } from './visitor.js';

export const HEADERS = {
  decisions: 'x-darklaunch-decisions',
  version: 'x-darklaunch-version',
  stale: 'x-darklaunch-stale',
  origin: 'x-darklaunch-origin',
};

// Per isolate: the configuration and the snapshot survive between requests.
const isolates = new WeakMap();

function isolateFor(env) {
  let isolate = isolates.get(env);
  if (isolate === undefined) {
    const config = readConfig(env);
    isolate = { config, store: new SnapshotStore(config) };
    isolates.set(env, isolate);
  }
  return isolate;
}

function originRequest(request, base, decision) {
  const incoming = new URL(request.url);
  const url = new URL(base);
  url.pathname = base.pathname.replace(/\/$/, '') + incoming.pathname; // never a protocol-relative "//host"
  url.search = incoming.search;
  const headers = new Headers(request.headers);
  headers.set(HEADERS.decisions, decision.header);
  headers.set(HEADERS.version, decision.version ?? 'none');
  return new Request(url, { method: request.method, headers, body: request.body, redirect: 'manual' });
}

export default {
  async fetch(request, env, ctx) {
    let isolate;
    try {
      isolate = isolateFor(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      log('error', 'darklaunch.config', { detail: error.message });
      return new Response('worker misconfigured\n', { status: 500 });
    }
    const { config, store } = isolate;
    const flags = await store.current(ctx);
    const { context, setCookie } = visitorOf(request, config);
    const decision = decide(flags, context, Date.now());
    const originName = decision.values[config.routingFlag] === 'green' ? 'green' : 'blue';

    let upstream;
    try {
      upstream = await fetch(originRequest(request, config.origins[originName], decision));
    } catch (error) {
      log('error', 'darklaunch.origin', { origin: originName, detail: String(error?.message ?? error) });
      upstream = new Response('origin unavailable\n', { status: 502 });
    }
    const response = new Response(upstream.body, upstream);
    response.headers.set(HEADERS.decisions, decision.header);
    response.headers.set(HEADERS.version, decision.version ?? 'none');
    response.headers.set(HEADERS.origin, originName);
    if (decision.stale) response.headers.set(HEADERS.stale, 'true');
    if (setCookie !== undefined) response.headers.append('set-cookie', setCookie);
    return withHtmlVariant(response, config.htmlFlag, decision.values[config.htmlFlag]);
  },
};
