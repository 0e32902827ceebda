// Where snapshot bytes come from: a KV namespace, or a URL cached with the Cache API.
// Both read through a size cap before anything reaches the wasm memory (which never shrinks).

/** A snapshot source failed or sent too much; `code` goes into the refresh log. */
export class SourceError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'SourceError';
    this.code = code;
  }
}

async function readCapped(stream, maxBytes) {
  const chunks = [];
  let total = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new SourceError('TOO_LARGE', `snapshot larger than DARKLAUNCH_MAX_SNAPSHOT_BYTES (${maxBytes})`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function fromKv({ kv, key }, maxBytes) {
  const stream = await kv.get(key, { type: 'stream' });
  return stream === null ? null : readCapped(stream, maxBytes);
}

// The Cache API keeps one copy per data centre, so isolates there share a fetch of the
// snapshot URL; it lives as long as the refresh interval.
async function fromUrl({ url }, maxBytes, refreshMs, ctx) {
  const cache = caches.default;
  const key = new Request(url);
  let response = await cache.match(key);
  if (!response) {
    response = await fetch(key);
    if (response.status === 404) return null;
    if (!response.ok) throw new SourceError('FETCH_FAILED', `GET ${url}: HTTP ${response.status}`);
    const length = Number(response.headers.get('content-length'));
    if (length > maxBytes) throw new SourceError('TOO_LARGE', `snapshot larger than DARKLAUNCH_MAX_SNAPSHOT_BYTES (${maxBytes})`);
    if (refreshMs >= 1000) {
      const cached = new Response(response.clone().body, response);
      cached.headers.set('cache-control', `max-age=${Math.floor(refreshMs / 1000)}`);
      ctx.waitUntil(cache.put(key, cached));
    }
  }
  return response.body === null ? new Uint8Array(0) : readCapped(response.body, maxBytes);
}

/** The current snapshot bytes, or null when none is published. */
export function readSnapshot(config, ctx) {
  return config.source.url
    ? fromUrl(config.source, config.maxSnapshotBytes, config.refreshMs, ctx)
    : fromKv(config.source, config.maxSnapshotBytes);
}
