// Types of the darklaunch npm package (hand-written; the API is src/api.js).

/** OpenFeature resolution reasons. */
export type Reason = 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DISABLED' | 'DEFAULT' | 'STALE' | 'ERROR';

/** OpenFeature error codes. */
export type ErrorCode =
  | 'FLAG_NOT_FOUND' | 'TYPE_MISMATCH' | 'PARSE_ERROR' | 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT' | 'GENERAL';

export type FlagType = 'boolean' | 'string' | 'number' | 'object';

export type FlagValue = boolean | string | number | { readonly [key: string]: unknown } | readonly unknown[];

/** A flat evaluation context: scalars or arrays of scalars; `targetingKey` identifies the unit. */
export interface EvaluationContext {
  targetingKey?: string | number;
  [attribute: string]: unknown;
}

/** Where a context is expected: a prepared `Context` (fast) or a plain object. */
export type ContextInput = Context | EvaluationContext;

export interface Evaluation {
  /** The served value; null exactly when `reason` is `ERROR`. */
  value: FlagValue | null;
  variant: string | null;
  reason: Reason;
  errorCode: ErrorCode | null;
  /** Index of the targeting rule that decided. */
  rule: number | null;
  /** Index of the active rollout stage. */
  stage: number | null;
  /** Version of the snapshot that answered (undefined after `free()`). */
  version: bigint | undefined;
}

export interface Explanation extends Evaluation {
  flag: string;
  ruleId?: string | null;
  /** `position` is a u64 as a decimal string; `exposure` in millionths (percent × 10,000). */
  bucket?: { position: string; exposure: number; inside: boolean } | null;
  failedPrerequisite?: string | null;
}

/** What to persist to refuse rollbacks after a restart. */
export interface Accepted {
  version: string;
  /** SHA-256 of the payload, hex. */
  digest: string;
}

export interface LoadOptions {
  /** Pinned Ed25519 public keys: `{ keyId: base64 of the 32 raw bytes }`. */
  keys: Record<string, string>;
  /** Distinct trusted keys that must sign (default 1). */
  threshold?: number;
  /** The environment a snapshot must name, e.g. `"prod"`. */
  environment: string;
  /** The last accepted snapshot (from `flags.accepted`): older versions are refused. */
  last?: { version: bigint | number | string; digest?: string };
  /** Shorthand for `last` without a digest: an equal version is refused as `VERSION_CONFLICT`. */
  lastVersion?: bigint | number | string;
  /** Unix ms; default `Date.now()`. */
  now?: number;
  /** Accept an expired snapshot; its evaluations then have reason `STALE`. */
  allowStale?: boolean;
}

/** A load or update that failed; `code` is stable (docs/snapshots.md). */
export class SnapshotError extends Error {
  constructor(message: string, options?: { code?: string; path?: string; detail?: string; cause?: unknown });
  readonly name: 'SnapshotError';
  readonly code: string;
  /** A JSON Pointer (or `line L column C`) to the offending value. */
  readonly path: string;
  readonly detail: string;
}

/** A context prepared once (per request); evaluations with it use its `now`. */
export class Context {
  private constructor();
  /** Unix ms at which evaluations with this context happen. */
  now: number;
  /** Packed error code; 0 when the context is usable. */
  readonly problem: number;
  free(): void;
}

export class Flags {
  private constructor();
  /** Verifies and compiles a signed snapshot; throws `SnapshotError`. Synchronous. */
  static load(snapshot: Uint8Array | ArrayBuffer | ArrayBufferView | string, options: LoadOptions): Flags;
  /** `true`: replaced; `false`: the same snapshot. Throws `SnapshotError`, keeping the old one. */
  update(snapshot: Uint8Array | ArrayBuffer | ArrayBufferView | string, options?: { now?: number }): boolean;
  readonly version: bigint | undefined;
  readonly expires: number | undefined;
  readonly issuedAt: number | undefined;
  readonly environment: string | undefined;
  readonly keyIds: readonly string[] | undefined;
  readonly keyId: string | undefined;
  readonly digest: string | undefined;
  readonly accepted: Accepted | undefined;
  readonly keys: string[];
  context(ctx: EvaluationContext, options?: { now?: number }): Context;
  contextFromJson(text: string, options?: { now?: number }): Context;
  isEnabled(flag: string, ctx?: ContextInput): boolean;
  /** The value when the flag has the fallback's type; otherwise, or on any error, `fallback`. */
  getValue(flag: string, ctx: ContextInput | undefined, fallback: boolean): boolean;
  getValue(flag: string, ctx: ContextInput | undefined, fallback: string): string;
  getValue(flag: string, ctx: ContextInput | undefined, fallback: number): number;
  getValue<T extends { readonly [key: string]: unknown } | readonly unknown[]>(
    flag: string, ctx: ContextInput | undefined, fallback: T): T;
  /** Without a fallback (or `null`): the value of any type, or the fallback on an error. */
  getValue<F extends null | undefined = undefined>(flag: string, ctx?: ContextInput, fallback?: F): FlagValue | F;
  evaluate(flag: string, ctx?: ContextInput, type?: FlagType): Evaluation;
  evaluateAll(ctx?: ContextInput): Record<string, Evaluation>;
  explain(flag: string, ctx?: ContextInput): Explanation;
  free(): void;
}

/** What this package was built from; quote it in bug reports. */
export interface BuildInfo {
  /** The package's version, which is the crate's (both come from Cargo.toml). */
  readonly version: string;
  /** The wasm-bindgen version of the bindings and the JS glue. */
  readonly wasmBindgen: string;
  /** The Rust compiler that built the wasm, e.g. `"1.95.0"`. */
  readonly rustc: string;
  /** The git commit built (`-dirty` with local changes); null when not built from a checkout. */
  readonly commit: string | null;
}

export const buildInfo: BuildInfo;
