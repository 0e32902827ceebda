#!/usr/bin/env node
// The worker on your machine: workerd (through Miniflare) on 127.0.0.1, a demo snapshot
// signed at start-up by a demo key made at start-up (only its public half and the snapshot
// are written, to target/demo/cloudflare-worker/), and the blue and green origins.
//
//   node examples/cloudflare-worker/dev.mjs [--port 8787]     (needs `make pkg` first)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { EXAMPLE_DIR, REPO_DIR } from './local/bundle.mjs';
import { startOrigins } from './local/origins.mjs';
import { startMiniflare } from './local/runtime.mjs';
import { demoKey, signSnapshot } from './local/sign.mjs';

const ENVIRONMENT = 'demo';

/**
 * Starts the demo worker. Returns `{ url, close, publish }`: `publish(ruleset)` signs a
 * ruleset object with the demo key as the next version and puts it in KV (the worker picks
 * it up within DARKLAUNCH_REFRESH_SECONDS).
 */
export async function startWorker({ host = '127.0.0.1', port = 8787, onLog = printLog } = {}) {
  const key = demoKey('demo');
  const ruleset = JSON.parse(readFileSync(join(EXAMPLE_DIR, 'demo/ruleset.json'), 'utf8'));
  let version = Math.floor(Date.now() / 1000);
  const snapshot = signSnapshot(ruleset, key, { version, environment: ENVIRONMENT });
  const out = join(REPO_DIR, 'target/demo/cloudflare-worker');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'keyring.json'), `${JSON.stringify({ keys: { [key.id]: key.publicKey }, threshold: 1 })}\n`);
  writeFileSync(join(out, 'snapshot.json'), `${snapshot}\n`);

  const origins = await startOrigins();
  let worker;
  try {
    worker = await startMiniflare({
      host,
      port,
      snapshot,
      onLog,
      onText: (line) => console.log(line),
      bindings: {
        DARKLAUNCH_KEYS: JSON.stringify({ [key.id]: key.publicKey }),
        DARKLAUNCH_ENVIRONMENT: ENVIRONMENT,
        DARKLAUNCH_REFRESH_SECONDS: '5',
        DARKLAUNCH_STALE_POLICY: 'serve',
        BLUE_ORIGIN: origins.blue,
        GREEN_ORIGIN: origins.green,
      },
    });
  } catch (error) {
    await origins.close();
    throw error;
  }
  return {
    url: worker.url,
    async publish(next) {
      version += 1;
      await worker.snapshots.put('snapshot', signSnapshot(next, key, { version, environment: ENVIRONMENT }));
      return version;
    },
    async close() {
      await worker.close();
      await origins.close();
    },
  };
}

function printLog(entry) {
  console.log(JSON.stringify(entry));
}

async function main() {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8787' }, host: { type: 'string', default: '127.0.0.1' } } });
  const worker = await startWorker({ host: values.host, port: Number(values.port) });
  console.log(`darklaunch worker (workerd) on ${worker.url}  (demo snapshot and public key in target/demo/cloudflare-worker/)`);
  console.log(`try:  curl -si -H 'cf-ipcountry: DE' ${worker.url}`);
  console.log('Ctrl-C to stop');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await worker.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error.message ?? error);
    process.exit(1);
  });
}
