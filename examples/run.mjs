#!/usr/bin/env node
// The main job (`make run`, after `make pkg`): the demo page and the Cloudflare Worker example,
// both on 127.0.0.1, each with snapshots signed at start-up by a key made at start-up.
//
//   node examples/run.mjs [--demo-port 8080] [--worker-port 8787]     (0 = any free port)
import { parseArgs } from 'node:util';

import { startWorker } from './cloudflare-worker/dev.mjs';
import { serveDemo } from '../www/serve.mjs';

function port(text, flag) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${flag} needs a number from 0 to 65535`);
  return value;
}

const { values } = parseArgs({
  options: {
    'demo-port': { type: 'string', default: '8080' },
    'worker-port': { type: 'string', default: '8787' },
  },
});

const demo = await serveDemo({ port: port(values['demo-port'], '--demo-port') });
let worker;
try {
  worker = await startWorker({ port: port(values['worker-port'], '--worker-port') });
} catch (error) {
  await demo.close();
  throw error;
}

console.log(`darklaunch demo page:   ${demo.url}`);
console.log(`darklaunch edge worker: ${worker.url}  (workerd; origins, snapshot and public key: examples/cloudflare-worker/README.md)`);
console.log(`try:  curl -si -H 'cf-ipcountry: DE' ${worker.url}`);
console.log('Ctrl-C to stop');

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([demo.close(), worker.close()]);
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
