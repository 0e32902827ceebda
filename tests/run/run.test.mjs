// The main job as a newcomer runs it: `node examples/run.mjs` prints the demo page's and the
// edge worker's URLs, both answer on 127.0.0.1, and SIGINT stops everything it started.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';

const script = new URL('../../examples/run.mjs', import.meta.url);

/**
 * Resolves when the child has printed both URLs and the curl line. Its stdout keeps being read
 * afterwards (the worker logs there; a closed pipe would kill the child).
 */
function started(child) {
  let text = '';
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const demo = /demo page:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(text)?.[1];
      const worker = /edge worker:\s+(http:\/\/127\.0\.0\.1:\d+\/?)/.exec(text)?.[1];
      if (demo && worker && text.includes('curl')) resolve({ demo, worker });
    });
    child.once('exit', () => reject(new Error(`examples/run.mjs exited before printing its URLs:\n${text}`)));
  });
}

test('make run: the demo page and the edge worker on 127.0.0.1, stopped by SIGINT', { timeout: 120_000 }, async () => {
  const child = spawn(process.execPath, [script.pathname, '--demo-port', '0', '--worker-port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  let demo;
  let worker;
  try {
    ({ demo, worker } = await started(child));

    const page = await fetch(demo);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>[^<]*darklaunch/i);
    const keyring = await (await fetch(new URL('demo/keyring.json', demo))).json();
    assert.equal(Object.keys(keyring.keys).length, 1);

    const gated = await fetch(worker, { headers: { 'cf-ipcountry': 'DE' } });
    assert.equal(gated.status, 200);
    assert.match(gated.headers.get('x-darklaunch-version'), /^\d+$/);
    assert.match(gated.headers.get('x-darklaunch-decisions'), /new-checkout=/);
    await gated.text();
  } finally {
    child.kill('SIGINT');
  }
  // 0 from our handler, or 130 from Miniflare's own SIGINT handler, which stops workerd first.
  const [code] = await exited;
  assert.ok(code === 0 || code === 130, `exit code ${code}`);
  await assert.rejects(fetch(demo));
  await assert.rejects(fetch(worker));
});
