// Where a provider's signed snapshot comes from: a URL, bytes, or a reader of your own (Workers
// KV, a file), refreshed by a poll timer or on demand. Every new snapshot goes through
// `Flags.update`, so a rejected or older one never replaces the one serving, and the last
// accepted version (`source.accepted`, to persist and pass back as `last`) refuses rollbacks.
//
// The source takes the `Flags` class from the caller: importing `darklaunch` picks the entry
// point (and so the way the WebAssembly is loaded) of the runtime, workerd, Deno, a browser or
// Node; this module loads no wasm itself.
import { changedFlags, readCatalog } from './catalog.js';

// setTimeout's longest delay; longer waits are chained.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A snapshot could not be fetched (HTTP status, network) or the source had none. */
export class FetchError extends Error {
  constructor(message, { status, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'FetchError';
    this.code = 'FETCH_FAILED';
    this.status = status;
  }
}

export class SnapshotSource {
  #Flags;
  #loadOptions;
  #last;
  #url;
  #fetch;
  #headers;
  #etag;
  #fetchedEtag;
  #read;
  #now;
  #pollMs;
  #timers;
  #flags;
  #catalog;
  #error;
  #expiryReported = false;
  #listeners = new Set();
  #refreshing;
  #lastAttempt = -Infinity;
  #pollTimer;
  #expiryTimer;
  #running = false;

  /**
   * `Flags`: the class from `import { Flags } from 'darklaunch'`. Options: exactly one of `url`,
   * `bytes` or `read` (an async function returning the snapshot bytes, or null for none);
   * `keys`, `threshold`, `environment`, `allowStale` and `last` as for `Flags.load`; `pollMs`
   * to refresh on a timer; `timers: false` where timers cannot outlive a request (Workers);
   * `fetch`, `headers` for `url`; `now` (a clock, default `Date.now`).
   */
  constructor(Flags, options = {}) {
    if (typeof Flags?.load !== 'function') {
      throw new TypeError("new SnapshotSource(Flags, options): pass Flags from 'darklaunch'");
    }
    const { url, bytes, read, keys, threshold, environment, allowStale = false, last, pollMs, timers = true } = options;
    if ([url, bytes, read].filter((given) => given !== undefined).length !== 1) {
      throw new TypeError('SnapshotSource: give exactly one of url, bytes or read');
    }
    if (read !== undefined && typeof read !== 'function') throw new TypeError('SnapshotSource: read must be a function');
    if (pollMs !== undefined && !(pollMs > 0)) throw new TypeError('SnapshotSource: pollMs must be a positive number');
    this.#Flags = Flags;
    this.#loadOptions = { keys, threshold, environment, allowStale: !!allowStale };
    this.#last = last;
    this.#url = url;
    this.#fetch = options.fetch ?? ((...args) => fetch(...args));
    this.#headers = options.headers ?? {};
    this.#read = url !== undefined ? () => this.#fetchUrl() : bytes !== undefined ? async () => bytes : read;
    this.#now = options.now ?? Date.now;
    this.#pollMs = pollMs;
    this.#timers = timers && typeof setTimeout === 'function';
  }

  /** The verified flags; undefined until a snapshot is accepted. One object for good: updates swap inside it. */
  get flags() { return this.#flags; }
  /** `{version, digest}` of the snapshot serving: persist it, pass it back as `last`. */
  get accepted() { return this.#flags?.accepted ?? this.#last; }
  /** Why the last load or refresh failed (a `SnapshotError` or `FetchError`); undefined after a success. */
  get error() { return this.#error; }
  get allowStale() { return this.#loadOptions.allowStale; }
  /** Whether the serving snapshot is past its `expires`. */
  get expired() { return this.#flags !== undefined && this.#now() >= this.#flags.expires; }
  /** The source's clock (Unix ms): evaluations use it too. */
  now() { return this.#now(); }
  /** The value type of a flag of the serving snapshot: `boolean`, `string`, `number` or `object`. */
  typeOf(flag) { return this.#catalog?.types.get(flag); }

  /**
   * Calls `listener(note)` after every load or refresh and at expiry. Notes:
   * `{type: 'accepted', changed}` (flag keys; all of them for the first snapshot),
   * `{type: 'unchanged'}`, `{type: 'failed', error}`, `{type: 'expired'}`. Returns an unsubscribe function.
   */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Loads the first snapshot (resolves with the `Flags`, rejects with why it failed) and starts
   * the timers: polling every `pollMs` (also after a failed first load, to recover) and a
   * timer at expiry. Calling it again returns the flags, or retries the first load.
   */
  async start() {
    if (!this.#running) {
      this.#running = true;
      this.#schedulePoll();
      if (this.#flags !== undefined) this.#scheduleExpiry();
    }
    if (this.#flags !== undefined) return this.#flags;
    await this.refresh();
    return this.#flags;
  }

  /** Stops the timers. `refresh()` and `update()` still work. */
  stop() {
    this.#running = false;
    clearTimeout(this.#pollTimer);
    clearTimeout(this.#expiryTimer);
    this.#pollTimer = undefined;
    this.#expiryTimer = undefined;
  }

  /**
   * Reads the snapshot now and offers it: `true` when it replaced the serving one, `false` when
   * nothing changed. Rejects when it could not be read or was refused (the old one keeps
   * serving). Concurrent calls share one read.
   */
  refresh() {
    this.#refreshing ??= (async () => {
      this.#lastAttempt = this.#now();
      try {
        let bytes;
        try {
          bytes = await this.#read();
        } catch (error) {
          throw error instanceof FetchError ? error : new FetchError(`FETCH_FAILED: ${error?.message ?? error}`, { cause: error });
        }
        const replaced = this.#offer(bytes);
        this.#etag = this.#fetchedEtag;
        return replaced;
      } catch (error) {
        this.#fail(error);
        throw error;
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  /**
   * `refresh()` unless the last attempt is more recent than `maxAgeMs`; never rejects (failures
   * reach the subscribers and `error`). For Workers: `ctx.waitUntil(source.refreshIfOlderThan(60_000))`.
   */
  async refreshIfOlderThan(maxAgeMs) {
    if (this.#refreshing === undefined && this.#now() - this.#lastAttempt < maxAgeMs) return false;
    return this.refresh().catch(() => undefined);
  }

  /** Offers snapshot bytes you obtained yourself; as `refresh()`, synchronously. Throws `SnapshotError`. */
  update(bytes) {
    try {
      return this.#offer(bytes);
    } catch (error) {
      this.#fail(error);
      throw error;
    }
  }

  /** Reports `{type: 'expired'}` once per snapshot when it is past `expires`; returns whether it is. */
  checkExpiry() {
    const expired = this.expired;
    if (expired && !this.#expiryReported) {
      this.#expiryReported = true;
      this.#notify({ type: 'expired' });
    }
    return expired;
  }

  #offer(bytes) {
    const now = this.#now();
    if (bytes === undefined || bytes === null) {
      if (this.#flags === undefined) throw new FetchError('FETCH_FAILED: the source has no snapshot');
      this.#succeed({ type: 'unchanged' });
      return false;
    }
    if (this.#flags === undefined) {
      this.#flags = this.#Flags.load(bytes, { ...this.#loadOptions, last: this.#last, now });
      this.#catalog = readCatalog(bytes);
      this.#accepted([...this.#catalog.types.keys()]);
      return true;
    }
    if (!this.#flags.update(bytes, { now })) {
      this.#succeed({ type: 'unchanged' });
      return false;
    }
    const catalog = readCatalog(bytes);
    const changed = changedFlags(this.#catalog, catalog);
    this.#catalog = catalog;
    this.#accepted(changed);
    return true;
  }

  #accepted(changed) {
    this.#expiryReported = false;
    this.#scheduleExpiry();
    this.#succeed({ type: 'accepted', changed });
  }

  #succeed(note) {
    this.#error = undefined;
    this.#notify(note);
  }

  #fail(error) {
    this.#error = error;
    this.#notify({ type: 'failed', error });
  }

  #notify(note) {
    for (const listener of [...this.#listeners]) {
      try {
        listener(note);
      } catch (error) {
        queueMicrotask(() => { throw error; }); // a listener's bug, reported as uncaught
      }
    }
  }

  // Conditional GET: the ETag of the last snapshot that was accepted (or found unchanged) is
  // sent, so a CDN answers 304 without the body. A refused snapshot's ETag is not kept
  // (refresh() keeps `#fetchedEtag` only after the offer succeeds), so the next poll fetches
  // it again and reports it again.
  async #fetchUrl() {
    const headers = this.#etag === undefined ? this.#headers : { ...this.#headers, 'if-none-match': this.#etag };
    const response = await this.#fetch(this.#url, { headers });
    this.#fetchedEtag = this.#etag;
    if (response.status === 304) return undefined;
    if (!response.ok) throw new FetchError(`FETCH_FAILED: GET ${this.#url}: HTTP ${response.status}`, { status: response.status });
    const bytes = new Uint8Array(await response.arrayBuffer());
    this.#fetchedEtag = response.headers.get('etag') ?? undefined;
    return bytes;
  }

  #schedulePoll() {
    if (!this.#timers || this.#pollMs === undefined || !this.#running) return;
    this.#pollTimer = unref(setTimeout(() => {
      this.refresh().catch(() => {}).finally(() => this.#schedulePoll());
    }, this.#pollMs));
  }

  #scheduleExpiry() {
    clearTimeout(this.#expiryTimer);
    if (!this.#timers || !this.#running) return;
    const wait = Math.max(0, this.#flags.expires - this.#now());
    this.#expiryTimer = unref(setTimeout(() => {
      if (!this.checkExpiry()) this.#scheduleExpiry();
    }, Math.min(wait, MAX_TIMER_MS)));
  }
}

// Node: a pending timer must not keep the process alive.
function unref(timer) {
  timer?.unref?.();
  return timer;
}
