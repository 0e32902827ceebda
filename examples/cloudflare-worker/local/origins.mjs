// Two tiny origins, blue and green, on 127.0.0.1 (ports chosen by the OS). Each answers any
// path with a page naming itself and showing the darklaunch headers it received; with
// `?format=json` it answers those facts as JSON (what the tests read).
import { createServer } from 'node:http';

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(name, request) {
  const decisions = request.headers['x-darklaunch-decisions'] ?? '';
  const version = request.headers['x-darklaunch-version'] ?? '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${name} origin</title></head>
<body>
  <h1>Served by the ${name} origin</h1>
  <p>Snapshot version <code>${escape(version)}</code>; decisions the worker forwarded: <code>${escape(decisions)}</code></p>
  <button data-darklaunch="checkout-copy">Buy now</button>
</body></html>
`;
}

function startOrigin(name) {
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://origin');
    const seen = {
      origin: name,
      path: url.pathname,
      decisions: request.headers['x-darklaunch-decisions'] ?? null,
      version: request.headers['x-darklaunch-version'] ?? null,
    };
    request.resume();
    if (url.searchParams.get('format') === 'json') {
      response.writeHead(200, { 'content-type': 'application/json', 'x-origin': name });
      response.end(JSON.stringify(seen));
    } else {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-origin': name });
      response.end(page(name, request));
    }
  });
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** `{ blue, green, close }`: the origins' base URLs, and a function that stops both. */
export async function startOrigins() {
  const [blue, green] = await Promise.all([startOrigin('blue'), startOrigin('green')]);
  const base = (server) => `http://127.0.0.1:${server.address().port}/`;
  return {
    blue: base(blue),
    green: base(green),
    close: () => Promise.all([blue, green].map((server) => new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    }))),
  };
}
