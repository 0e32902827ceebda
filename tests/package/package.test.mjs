// Packaging tested like a product (`make test-package`): `npm pack` the built pkg/, install the
// tarball into a temporary project (offline), and use it the way apps will: Node through
// `import` and `require`, Deno, workerd (miniflare, bundled as wrangler does) and Chromium
// (pages bundled by esbuild, served on 127.0.0.1, driven by playwright-core). Every fixture in
// app/ loads a snapshot signed at test time and must report the same evaluations.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { chromium } from 'playwright-core';

import { keyPair, snapshot } from '../js/sign.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const execFileAsync = promisify(execFile);
const run = (command, args, options) => execFileAsync(command, args, { timeout: 120_000, ...options });

const RULESET = {
  schema: 'darklaunch/v1',
  flags: {
    'new-checkout': {
      variants: { on: true, off: false },
      off: 'off',
      rules: [{ id: 'germany', if: { attr: 'country', op: 'eq', value: 'DE' }, serve: 'on' }],
      default: 'off',
    },
    'checkout-copy': { variants: { long: 'Buy now', short: 'Buy' }, off: 'long', default: 'short' },
  },
};
const VERSION = 7;
const { version: PACKAGE_VERSION } = JSON.parse(readFileSync(join(root, 'pkg/package.json'), 'utf8'));

/** What every fixture must report (evaluate.mjs), from the entry point its runtime picks. */
const expected = (entry) => ({
  entry,
  enabled: true,
  elsewhere: false,
  copy: 'Buy',
  evaluation: { value: true, variant: 'on', reason: 'TARGETING_MATCH', rule: 0 },
  version: String(VERSION),
  refused: 'MALFORMED_ENVELOPE',
  buildVersion: PACKAGE_VERSION,
});

let work; // the temporary directory: the tarball, the project, caches
let project; // the project the tarball is installed into
let input; // { snapshot, keys }: signed now, valid for a day
let packedFiles; // the paths in the tarball

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'darklaunch-package-'));
  project = join(work, 'project');
  const cache = join(work, 'npm-cache');
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work, '--cache', cache, join(root, 'pkg')]);
  const [{ filename, files }] = JSON.parse(packed.stdout);
  const tarball = join(work, filename);
  packedFiles = files.map((file) => file.path).sort();

  cpSync(fileURLToPath(new URL('app/', import.meta.url)), project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'darklaunch-package-test', private: true, type: 'module' }));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', cache, tarball], { cwd: project });

  const signer = keyPair('package-test');
  const second = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const text = snapshot(RULESET, signer, {
    version: VERSION,
    issuedAt: second(Date.now() - 60_000),
    expires: second(Date.now() + 86_400_000),
  });
  input = { snapshot: text, keys: signer.keys };
  writeFileSync(join(project, 'input.json'), JSON.stringify(input));
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs a fixture and parses the one JSON line it prints. */
async function report(command, args, env = {}) {
  const { stdout } = await run(command, args, { cwd: project, env: { ...process.env, ...env } });
  return JSON.parse(stdout);
}

test('the tarball holds the package files and nothing else', () => {
  const required = ['README.md', 'index.d.cts', 'index.d.ts', 'package.json', 'slim.d.ts', 'src/api.js', 'src/browser.js',
    'src/build-info.js', 'src/deno.js', 'src/node.cjs', 'src/node.js', 'src/slim.js', 'src/workerd.js',
    'openfeature/server.d.ts', 'openfeature/source.d.ts', 'openfeature/web.d.ts',
    'src/openfeature/server.js', 'src/openfeature/source.js', 'src/openfeature/web.js',
    'wasm/darklaunch.js', 'wasm/darklaunch_bg.wasm'];
  assert.deepEqual(required.filter((file) => !packedFiles.includes(file)), [], 'missing');
  // Only docs, manifest, declarations, modules and the wasm: no build inputs, maps or tests.
  const shipped = /^(README\.md|package\.json|(openfeature\/)?[\w-]+\.d\.c?ts|src\/(openfeature\/)?[\w-]+\.c?js|wasm\/darklaunch(_bg\.wasm|\.js))$/;
  assert.deepEqual(packedFiles.filter((file) => !shipped.test(file) || file === 'src/node-cjs.js'), [], 'unexpected');
  const manifest = JSON.parse(readFileSync(join(project, 'node_modules/darklaunch/package.json'), 'utf8'));
  assert.equal(manifest.version, PACKAGE_VERSION);
});

test('TypeScript resolves the types through exports, for import and require', async () => {
  copyFileSync(join(root, 'tests/types/usage.ts'), join(project, 'usage.ts'));
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'nodenext', lib: ['es2022', 'dom'], types: [] },
    files: ['usage.ts', 'types-require.cts'],
  }));
  const { stdout } = await run(join(root, 'node_modules/.bin/tsc'), ['-p', '.', '--listFiles'], { cwd: project });
  const declarations = stdout.split('\n').filter((file) => file.includes('node_modules/darklaunch/')).map((file) => file.split('node_modules/darklaunch/')[1]);
  assert.deepEqual(declarations.sort(), ['index.d.cts', 'index.d.ts', 'slim.d.ts']);
});

test('Node, import', async () => {
  assert.deepEqual(await report(process.execPath, ['node-esm.mjs']), expected('node.js'));
});

test('Node, require', async () => {
  assert.deepEqual(await report(process.execPath, ['node-cjs.cjs']), expected('node.cjs'));
});

test('Deno', async () => {
  const deno = join(root, 'node_modules/.bin/deno');
  const env = { DENO_DIR: join(work, 'deno-cache'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
  assert.deepEqual(await report(deno, ['run', '--allow-read', '--no-prompt', 'deno.mjs'], env), expected('deno.js'));
});

test('workerd (miniflare), bundled as wrangler does', async () => {
  const out = join(work, 'worker');
  const bundle = await build({
    entryPoints: [join(project, 'worker.mjs')],
    outfile: join(out, 'worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    metafile: true,
    logLevel: 'warning',
    // Like wrangler: a `.wasm` import stays an import of a CompiledWasm module.
    plugins: [{
      name: 'compiled-wasm',
      setup(esbuild) {
        esbuild.onResolve({ filter: /\.wasm$/ }, () => ({ path: './darklaunch_bg.wasm', external: true }));
      },
    }],
  });
  assert.ok(Object.keys(bundle.metafile.inputs).some((file) => file.endsWith('darklaunch/src/workerd.js')));
  copyFileSync(join(project, 'node_modules/darklaunch/wasm/darklaunch_bg.wasm'), join(out, 'darklaunch_bg.wasm'));
  const mf = new Miniflare({
    modulesRoot: out,
    modules: [
      { type: 'ESModule', path: join(out, 'worker.js') },
      { type: 'CompiledWasm', path: join(out, 'darklaunch_bg.wasm') },
    ],
    compatibilityDate: '2025-01-01',
    bindings: { SNAPSHOT: input.snapshot, KEYS: input.keys },
  });
  try {
    await mf.ready;
    const response = await mf.dispatchFetch('http://localhost/');
    assert.equal(response.status, 200, await response.clone().text());
    assert.deepEqual(await response.json(), expected('workerd.js'));
  } finally {
    await mf.dispose();
  }
});

test('Chromium: pages bundled by esbuild', async (t) => {
  const site = join(work, 'site');
  const page = async (name, entry, options = {}) => {
    const bundle = await build({
      entryPoints: [join(project, entry)],
      outdir: join(site, name),
      entryNames: 'app',
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      metafile: true,
      logLevel: 'warning',
      ...options,
    });
    writeFileSync(join(site, name, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="app.js"></script>\n');
    return Object.keys(bundle.metafile.inputs);
  };
  // `darklaunch` (the `browser` condition) fetches ../wasm/darklaunch_bg.wasm relative to the
  // bundle (site/default/app.js): the app copies the file there (README, "Bundlers").
  const inputs = await page('default', 'browser.mjs');
  assert.ok(inputs.some((file) => file.endsWith('darklaunch/src/browser.js')));
  mkdirSync(join(site, 'wasm'));
  copyFileSync(join(project, 'node_modules/darklaunch/wasm/darklaunch_bg.wasm'), join(site, 'wasm/darklaunch_bg.wasm'));
  // `darklaunch/slim` with esbuild's `file` loader, which emits the `.wasm` next to the bundle.
  await page('slim', 'browser-slim.mjs', { loader: { '.wasm': 'file' } });
  writeFileSync(join(site, 'input.json'), JSON.stringify(input));

  const server = await serve(site);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    timeout: 60_000,
  });
  try {
    for (const [name, entry] of [['default', 'browser.js'], ['slim', 'slim.js']]) {
      await t.test(name, async () => {
        const tab = await browser.newPage();
        const problems = [];
        tab.on('console', (message) => {
          if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
        });
        tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
        tab.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
        await tab.goto(`${server.url}/${name}/`);
        await tab.waitForFunction(() => window.result !== undefined, null, { timeout: 30_000 });
        assert.deepEqual(await tab.evaluate(() => window.result), expected(entry));
        assert.deepEqual(problems, []);
        await tab.close();
      });
    }
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
});

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };

/** A static server for `dir` on 127.0.0.1, on a port the OS picks. */
async function serve(dir) {
  const server = createServer((request, response) => {
    const path = new URL(request.url, 'http://localhost').pathname.replace(/\/$/, '/index.html');
    try {
      const body = readFileSync(join(dir, path.split('/').filter((part) => part !== '..').join('/')));
      response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.url = `http://127.0.0.1:${server.address().port}`;
  return server;
}
