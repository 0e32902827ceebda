// The isolate's snapshot: loaded on the first request, refreshed in the background every
// DARKLAUNCH_REFRESH_SECONDS, swapped only by a snapshot that verifies (`flags.update`), so the
// last good one keeps serving through bad publishes and outages.
import { Flags, SnapshotError } from 'darklaunch';

import { log } from './log.js';
import { readSnapshot, SourceError } from './source.js';

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function sameBytes(a, b) {
  if (a === undefined || a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class SnapshotStore {
  #config;
  #flags;
  #acceptedBytes;
  #rejectedBytes; // the last rejected value: logged once, not verified again every refresh
  #checkedAt = -Infinity;
  #refreshing;
  #expiryLogged; // 'stale' or 'defaults' once logged for the serving snapshot

  constructor(config) {
    this.#config = config;
  }

  /**
   * The flags for this request, or undefined when there are none to trust (nothing loaded
   * yet, or expired past the grace period under the "defaults" policy). A cold isolate waits
   * for its first load; after that, refreshes run after the response (`ctx.waitUntil`).
   */
  async current(ctx) {
    const due = Date.now() - this.#checkedAt >= this.#config.refreshMs;
    if (this.#flags === undefined) {
      if (due || this.#refreshing) await this.refresh(ctx);
    } else if (due) {
      ctx.waitUntil(this.refresh(ctx));
    }
    return this.#usable(Date.now());
  }

  /** One refresh at a time per isolate; concurrent callers share it. */
  refresh(ctx) {
    this.#refreshing ??= this.#refresh(ctx).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refresh(ctx) {
    this.#checkedAt = Date.now();
    const config = this.#config;
    const base = { source: config.source.url ? 'url' : 'kv', serving: this.#flags?.version?.toString() ?? null };
    let bytes;
    try {
      bytes = await readSnapshot(config, ctx);
    } catch (error) {
      const rejected = error instanceof SourceError && error.code === 'TOO_LARGE';
      log(rejected ? 'warn' : 'error', 'darklaunch.refresh', {
        ...base, outcome: rejected ? 'rejected' : 'failed', code: error.code ?? 'FETCH_FAILED', detail: String(error.message),
      });
      return;
    }
    if (bytes === null) {
      log('warn', 'darklaunch.refresh', { ...base, outcome: 'missing', detail: 'no snapshot published' });
      return;
    }
    // The common case: nothing was published since the last refresh.
    if (sameBytes(this.#acceptedBytes, bytes) || sameBytes(this.#rejectedBytes, bytes)) return;
    const received = { bytes: bytes.byteLength, sha256: await sha256(bytes) };
    const now = Date.now();
    let changed;
    try {
      if (this.#flags === undefined) {
        // A fresh isolate has no history: the deploy-time floor refuses what is older
        // (lastVersion v refuses every version ≤ v:
        // older ones as ROLLBACK, v itself as VERSION_CONFLICT).
        const floor = config.minVersion;
        this.#flags = Flags.load(bytes, {
          keys: config.keys, threshold: config.threshold, environment: config.environment, now,
          allowStale: config.stalePolicy === 'serve',
          lastVersion: floor === undefined || floor === 0n ? undefined : floor - 1n,
        });
        changed = true;
      } else {
        changed = this.#flags.update(bytes, { now });
      }
    } catch (error) {
      const known = error instanceof SnapshotError;
      if (known) this.#rejectedBytes = bytes;
      log(known ? 'warn' : 'error', 'darklaunch.refresh', {
        ...base, ...received, outcome: known ? 'rejected' : 'failed', code: error.code ?? 'GENERAL',
        path: error.path || undefined, detail: error.detail || String(error.message),
      });
      return;
    }
    this.#acceptedBytes = bytes;
    this.#rejectedBytes = undefined;
    if (!changed) return;
    this.#expiryLogged = undefined;
    const flags = this.#flags;
    log('info', 'darklaunch.refresh', {
      ...base, ...received, outcome: 'accepted', version: flags.version.toString(), digest: flags.digest, keyIds: flags.keyIds,
      expires: new Date(flags.expires).toISOString(), stale: now >= flags.expires, flags: flags.keys.length,
    });
  }

  #usable(now) {
    const flags = this.#flags;
    if (flags === undefined || now < flags.expires) return flags;
    const defaults = this.#config.stalePolicy === 'defaults' && now >= flags.expires + this.#config.staleGraceMs;
    const state = defaults ? 'defaults' : 'stale';
    if (this.#expiryLogged !== state) {
      this.#expiryLogged = state;
      log(defaults ? 'error' : 'warn', 'darklaunch.stale', {
        version: flags.version.toString(), expires: new Date(flags.expires).toISOString(), policy: this.#config.stalePolicy,
        serving: defaults ? 'defaults' : 'stale snapshot',
      });
    }
    return defaults ? undefined : flags;
  }
}
