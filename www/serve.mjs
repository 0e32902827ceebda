// The demo page's server: static files of www/ and of the built npm package (pkg/, from
// `make pkg`), plus the snapshots signed at start-up (demo-snapshots.mjs) under /demo/.
// Plain node:http, bound to 127.0.0.1 by default; nothing is fetched from the internet.
//
//   node www/serve.mjs [--port 8080]     prints the URL and serves until interrupted
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { makeDemoSnapshots } from './demo-snapshots.mjs';

const WWW = fileURLToPath(new URL('.', import.meta.url));
const PKG = fileURLToPath(new URL('../pkg/', import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

// Only what the page needs is reachable: not the server's own source, not pkg's package.json.
const ROOTS = [
  { prefix: '/pkg/', dir: PKG, allow: /^(src|wasm)\/[\w.-]+$/ },
  { prefix: '/', dir: WWW, allow: /^(index\.html|(css|js)\/[\w.-]+)$/ },
];

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function fileFor(pathname) {
  for (const { prefix, dir, allow } of ROOTS) {
    if (!pathname.startsWith(prefix)) continue;
    const relative = pathname.slice(prefix.length) || 'index.html';
    if (!allow.test(relative)) return undefined;
    const file = resolve(dir, relative);
    if (!file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return undefined;
    return existsSync(file) && statSync(file).isFile() ? file : undefined;
  }
  return undefined;
}

/** The JSON documents under /demo/: the index, the public keyring and each snapshot. */
function demoRoutes(demo) {
  const routes = new Map();
  routes.set('/demo/keyring.json', JSON.stringify(demo.keyring, null, 2));
  routes.set('/demo/index.json', JSON.stringify({
    environment: demo.environment,
    keyring: '/demo/keyring.json',
    snapshots: demo.snapshots.map(({ name, title, description }) => ({
      name, title, description, url: `/demo/snapshots/${name}.json`,
    })),
  }, null, 2));
  for (const snapshot of demo.snapshots) routes.set(`/demo/snapshots/${snapshot.name}.json`, snapshot.text);
  return routes;
}

/**
 * Starts the demo server. `port: 0` lets the OS choose. Resolves to `{ url, close }`;
 * `close()` resolves once the server has stopped.
 */
export async function serveDemo({ host = '127.0.0.1', port = 8080, now = Date.now() } = {}) {
  if (!existsSync(resolve(PKG, 'wasm/darklaunch_bg.wasm'))) {
    throw new Error(`serveDemo: ${PKG} has no wasm: build the npm package first (make pkg)`);
  }
  const routes = demoRoutes(makeDemoSnapshots(now));
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return send(res, 400, 'text/plain', 'bad request\n');
    }
    if (routes.has(pathname)) return send(res, 200, TYPES['.json'], req.method === 'HEAD' ? undefined : routes.get(pathname));
    const file = fileFor(pathname);
    if (file === undefined) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  await new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolveListen);
  });
  const address = server.address();
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    close: () => new Promise((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}

function portArgument(argv) {
  const i = argv.indexOf('--port');
  if (i === -1) return process.env.PORT ? Number(process.env.PORT) : 8080;
  const port = Number(argv[i + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port needs a number from 0 to 65535');
  return port;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { url, close } = await serveDemo({ port: portArgument(process.argv.slice(2)) });
  console.log(`darklaunch demo: ${url}  (Ctrl-C to stop)`);
  const stop = () => close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
