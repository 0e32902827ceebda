// Types of the snapshot source shared by darklaunch/openfeature/server and /web
// (hand-written; the code is src/openfeature/source.js).
import type { Accepted, Flags, FlagType, LoadOptions, SnapshotError } from '../index.js';

/** What the source needs of `Flags`: the class (its static `load`), from the runtime's entry. */
export type FlagsClass = Pick<typeof Flags, 'load'>;

export type SnapshotBytes = Uint8Array | ArrayBuffer | ArrayBufferView | string;

/** What a source reports to its subscribers (the providers turn these into events). */
export type SourceNote =
  | { type: 'accepted'; changed: string[] }
  | { type: 'unchanged' }
  | { type: 'failed'; error: SnapshotError | FetchError }
  | { type: 'expired' };

export interface SourceOptions extends Pick<LoadOptions, 'keys' | 'threshold' | 'environment' | 'allowStale' | 'last'> {
  /** Fetch the snapshot from this URL (conditional GET with the accepted snapshot's ETag). */
  url?: string | URL;
  /** A snapshot you already have; `update()` offers later ones. */
  bytes?: SnapshotBytes;
  /** Your own reader (Workers KV, a file): the bytes, or null/undefined when there is nothing new. */
  read?: () => Promise<SnapshotBytes | null | undefined>;
  /** The `fetch` used for `url` (default the global one). */
  fetch?: (url: string | URL, init: { headers: Record<string, string> }) => Promise<Response>;
  /** Request headers for `url`. */
  headers?: Record<string, string>;
  /** Refresh every `pollMs` after `start()`. */
  pollMs?: number;
  /** `false` where timers cannot outlive a request (Cloudflare Workers): refresh on demand instead. Default true. */
  timers?: boolean;
  /** The clock (Unix ms) for verification, evaluation and expiry. Default `Date.now`. */
  now?: () => number;
}

/** A snapshot could not be fetched (`status`: the HTTP status), or the source had none. */
export class FetchError extends Error {
  readonly name: 'FetchError';
  readonly code: 'FETCH_FAILED';
  readonly status: number | undefined;
}

/**
 * Where a provider's signed snapshot comes from. Every new snapshot goes through
 * `Flags.update`: a refused or older one never replaces the one serving.
 */
export class SnapshotSource {
  /** `Flags`: the class from `import { Flags } from 'darklaunch'` (it picks the runtime's wasm loading). */
  constructor(Flags: FlagsClass, options: SourceOptions);
  /** The verified flags; undefined until a snapshot is accepted. */
  readonly flags: Flags | undefined;
  /** The serving snapshot's version and digest: persist it, pass it back as `last`. */
  readonly accepted: Accepted | undefined;
  /** Why the last load or refresh failed; undefined after a success. */
  readonly error: SnapshotError | FetchError | undefined;
  readonly allowStale: boolean;
  /** Whether the serving snapshot is past its `expires`. */
  readonly expired: boolean;
  now(): number;
  typeOf(flag: string): FlagType | undefined;
  subscribe(listener: (note: SourceNote) => void): () => void;
  /** Loads the first snapshot and starts the timers. */
  start(): Promise<Flags>;
  stop(): void;
  /** `true`: replaced; `false`: unchanged. Rejects when unreadable or refused (the old one keeps serving). */
  refresh(): Promise<boolean>;
  /** `refresh()` unless the last attempt is more recent than `maxAgeMs`; never rejects. */
  refreshIfOlderThan(maxAgeMs: number): Promise<boolean | undefined>;
  /** Offers bytes you obtained yourself. Throws `SnapshotError`. */
  update(bytes: SnapshotBytes): boolean;
  /** Reports expiry to subscribers once per snapshot; returns whether it is expired. */
  checkExpiry(): boolean;
}
