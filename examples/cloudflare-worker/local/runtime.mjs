// Runs the bundled worker in workerd through Miniflare, on 127.0.0.1, with a local KV
// namespace bound as SNAPSHOTS. Used by dev.mjs, the tests and the load test.
import { Miniflare } from 'miniflare';

import { bundleWorker, COMPATIBILITY_DATE } from './bundle.mjs';

// workerd's stdout/stderr, line by line: JSON lines (the worker's structured logs) go to
// onLog as objects, anything else to onText.
function lines(stream, handle) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop();
    for (const line of parts) if (line.trim() !== '') handle(line);
  });
}

/**
 * Starts the worker. `bindings` are its vars (wrangler.toml [vars]); `snapshot`, if given, is
 * put in KV before the first request; `miniflareOptions` are passed on to Miniflare. Returns
 * `{ url, snapshots (the KV namespace), miniflare, restart, close }`.
 */
export async function startMiniflare({ bindings, snapshot, host = '127.0.0.1', port = 0, onLog = () => {}, onText = () => {}, miniflareOptions = {} }) {
  const { modules, modulesRoot } = await bundleWorker();
  const route = (line) => {
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      onText(line);
      return;
    }
    if (entry !== null && typeof entry === 'object') onLog(entry);
    else onText(line);
  };
  const options = {
    modules,
    modulesRoot,
    compatibilityDate: COMPATIBILITY_DATE,
    bindings,
    kvNamespaces: ['SNAPSHOTS'],
    cf: {}, // no request.cf.country locally: the cf-ipcountry header stands in for it
    host,
    port,
    handleRuntimeStdio(stdout, stderr) {
      lines(stdout, route);
      lines(stderr, route);
    },
    ...miniflareOptions,
  };
  const mf = new Miniflare(options);
  try {
    const url = await mf.ready;
    const snapshots = await mf.getKVNamespace('SNAPSHOTS');
    if (snapshot !== undefined) await snapshots.put('snapshot', snapshot);
    // restart(): the same worker in a fresh isolate (its module state is gone, KV and cache stay).
    return { url: url.href, snapshots, miniflare: mf, restart: () => mf.setOptions(options), close: () => mf.dispose() };
  } catch (error) {
    await mf.dispose();
    throw error;
  }
}
