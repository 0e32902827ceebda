// The darklaunch API, shared by every entry point. The entry points only obtain and
// initialise the wasm module; everything a user calls is here.
//
// Hot path (design §10): a context crosses into wasm once (`flags.context(ctx)`), flag keys
// are resolved to indices through a Map built at load, one evaluation returns one packed
// integer (layout in src/wasm/packed.rs), and values are the ones read once at load.
import { LoadedSnapshot, PreparedContext, Verifier } from '../wasm/darklaunch.js';

// Bit layout of a packed evaluation (src/wasm/packed.rs).
const VARIANT_MASK = 0x7f;
const REASON_SHIFT = 7;
const ERROR_SHIFT = 10;
const RULE_SHIFT = 13;
const STAGE_SHIFT = 23;

// A context's JSON text longer than this is refused without copying it into wasm memory
// (which never shrinks); the core's own limits would refuse it anyway.
const MAX_CONTEXT_TEXT = 4 * 1024 * 1024;

const TYPES = new Set(['boolean', 'string', 'number', 'object']);

/** A snapshot that could not be loaded: `code` is stable (docs/snapshots.md). */
export class SnapshotError extends Error {
  constructor(message, { code, path = '', detail = '', cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'SnapshotError';
    this.code = code;
    this.path = path;
    this.detail = detail;
  }
}

function snapshotError(error) {
  if (error instanceof SnapshotError) return error;
  if (error && typeof error.code === 'string') {
    return new SnapshotError(error.message, { code: error.code, path: error.path, detail: error.detail });
  }
  // Not a load error of the core (e.g. the wasm ran out of memory).
  return new SnapshotError(String(error?.message ?? error), { code: 'GENERAL', cause: error });
}

const encoder = new TextEncoder();

function toBytes(input) {
  if (input instanceof Uint8Array) return input;
  if (typeof input === 'string') return encoder.encode(input);
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new SnapshotError(`MALFORMED_ENVELOPE: expected bytes or a string, got ${typeof input}`, {
    code: 'MALFORMED_ENVELOPE',
    detail: `expected Uint8Array, ArrayBuffer or string, got ${input === null ? 'null' : typeof input}`,
  });
}

function hexToBytes(hex) {
  if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/i.test(hex)) return undefined;
  return Uint8Array.from(hex.match(/../g), (pair) => parseInt(pair, 16));
}

function toVersion(version) {
  if (version === undefined || version === null) return undefined;
  try {
    return BigInt(version);
  } catch {
    throw new SnapshotError(`INVALID_FORMAT: last version ${String(version)} is not an integer`, {
      code: 'INVALID_FORMAT',
      path: '/version',
      detail: 'lastVersion must be an integer (number, bigint or decimal string)',
    });
  }
}

function deepFreeze(value) {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

// A context's JSON text; undefined if cyclic, BigInt, a throwing toJSON, or too long.
function contextText(ctx) {
  let text;
  try {
    text = JSON.stringify(ctx ?? {});
  } catch {
    return undefined;
  }
  return typeof text === 'string' && text.length <= MAX_CONTEXT_TEXT ? text : undefined;
}

function prepare(ctx) {
  const text = contextText(ctx);
  return text === undefined ? PreparedContext.invalid() : PreparedContext.fromJson(text);
}

/**
 * A context prepared once (per request) and evaluated for many flags. Evaluations with it
 * use its `now` (one request, one instant). Free it with `free()` (or leave it to the GC).
 */
export class Context {
  #handle;
  constructor(handle, now) {
    this.#handle = handle;
    this.now = now;
    this.problem = handle.problem();
  }
  /** @internal */
  static handle(context) {
    return context.#handle;
  }
  free() {
    this.#handle?.free();
    this.#handle = undefined;
  }
}

/** Verified flags from one signed snapshot; swapped atomically by `update()`. */
export class Flags {
  #verifier;
  #snapshot;
  #info;
  #index = new Map();
  #flags = [];
  #reasons = [];
  #errors = [];
  #out = new Uint32Array(0);
  #shape;

  constructor(secret, verifier, snapshot) {
    if (secret !== CONSTRUCT) throw new TypeError('use Flags.load(bytes, options)');
    this.#verifier = verifier;
    this.#install(snapshot);
  }

  /**
   * Verifies and compiles a signed snapshot. Throws `SnapshotError` with a stable `code`.
   * Synchronous (`await` works too): the entry point has already initialised the wasm.
   */
  static load(input, options = {}) {
    const { keys, threshold, environment, now = Date.now(), allowStale = false } = options;
    if (typeof environment !== 'string') throw new TypeError('options.environment must be a string');
    let verifier;
    try {
      verifier = new Verifier(JSON.stringify({ keys: keys ?? {}, threshold }), environment, !!allowStale);
    } catch (error) {
      throw snapshotError(error);
    }
    const last = options.last ?? (options.lastVersion === undefined ? undefined : { version: options.lastVersion });
    // "Unchanged" (the bytes `last` describes) is a restart reloading its own cache: the
    // rollback check has passed, so load those bytes.
    const snapshot = verifyWith(verifier, input, now, last) ?? verifyWith(verifier, input, now, undefined);
    return new Flags(CONSTRUCT, verifier, snapshot);
  }

  /**
   * Offers a newer snapshot. Returns `true` when it replaced the current one, `false` when it
   * is the same snapshot (same version and bytes). Throws `SnapshotError` otherwise, and the
   * current snapshot keeps serving unchanged.
   */
  update(input, { now = Date.now() } = {}) {
    if (this.#snapshot === undefined) throw new SnapshotError('GENERAL: the flags were freed', { code: 'GENERAL' });
    const snapshot = verifyWith(this.#verifier, input, now, this.accepted);
    if (snapshot === undefined) return false;
    const old = this.#snapshot;
    this.#install(snapshot);
    old.free();
    return true;
  }

  #install(snapshot) {
    const catalog = JSON.parse(snapshot.catalog());
    const index = new Map();
    const flags = catalog.flags.map((flag, i) => {
      index.set(flag.key, i);
      return { key: flag.key, type: flag.type, variants: flag.variants, values: flag.values.map(deepFreeze) };
    });
    const reasons = [];
    for (const [code, name] of catalog.names.reasons) reasons[code] = name;
    const errors = [null];
    for (const [code, name] of catalog.names.errors) errors[code] = name;
    this.#snapshot = snapshot;
    this.#info = {
      version: BigInt(catalog.version),
      issuedAt: catalog.issuedAt,
      expires: catalog.expires,
      environment: catalog.environment,
      digest: catalog.digest,
      keyIds: Object.freeze(catalog.keyIds),
    };
    this.#index = index;
    this.#flags = flags;
    this.#reasons = reasons;
    this.#errors = errors;
    this.#out = new Uint32Array(flags.length);
    // evaluateAll clones this (all keys, as own data properties): faster than adding keys,
    // unless JSON.parse made a slow dictionary (from 128 keys on in V8).
    this.#shape = flags.length < 128 ? JSON.parse(JSON.stringify(Object.fromEntries(flags.map((flag) => [flag.key, null])))) : undefined;
  }

  /** The snapshot's version (u64, so a bigint). */
  get version() { return this.#info?.version; }
  /** When the snapshot stops being fresh (Unix ms). */
  get expires() { return this.#info?.expires; }
  /** When it was signed (Unix ms). */
  get issuedAt() { return this.#info?.issuedAt; }
  get environment() { return this.#info?.environment; }
  /** The ids of the trusted keys whose signatures verified. */
  get keyIds() { return this.#info?.keyIds; }
  /** The first of `keyIds`. */
  get keyId() { return this.#info?.keyIds[0]; }
  /** SHA-256 of the payload, hex. */
  get digest() { return this.#info?.digest; }
  /** What to persist to refuse rollbacks after a restart; pass it back as `options.last`. */
  get accepted() {
    return this.#info && { version: this.#info.version.toString(), digest: this.#info.digest };
  }
  /** Flag keys, in index order. */
  get keys() { return this.#flags.map((flag) => flag.key); }

  /** Prepares a context once for many evaluations. `now` defaults to `Date.now()`. */
  context(ctx, { now = Date.now() } = {}) {
    return new Context(prepare(ctx), now);
  }

  /** A context from raw JSON text (not JSON: every evaluation is `PARSE_ERROR`). */
  contextFromJson(text, { now = Date.now() } = {}) {
    return new Context(typeof text === 'string' ? PreparedContext.fromJson(text) : PreparedContext.invalid(), now);
  }

  /** `true` only when a boolean flag serves `true`. Never throws. */
  isEnabled(flag, ctx) {
    const index = this.#index.get(flag);
    if (index === undefined) return false;
    const packed = this.#evaluate(index, ctx);
    const variant = packed & VARIANT_MASK;
    return variant !== 0 && this.#flags[index].values[variant - 1] === true;
  }

  /** The flag's value, or `fallback` on any error or when its type differs. Never throws. */
  getValue(flag, ctx, fallback) {
    const index = this.#index.get(flag);
    if (index === undefined) return fallback;
    const entry = this.#flags[index];
    if (fallback !== undefined && fallback !== null && typeOf(fallback) !== entry.type) return fallback;
    const variant = this.#evaluate(index, ctx) & VARIANT_MASK;
    return variant === 0 ? fallback : entry.values[variant - 1];
  }

  /**
   * `{value, variant, reason, errorCode, rule, stage, version}`. With `type`, a flag of
   * another type gives `TYPE_MISMATCH` (OpenFeature typed resolution). Never throws.
   */
  evaluate(flag, ctx, type) {
    const index = this.#index.get(flag);
    if (index === undefined) return this.#failure('FLAG_NOT_FOUND');
    if (type !== undefined && TYPES.has(type) && this.#flags[index].type !== type) {
      const problem = ctx instanceof Context ? this.#errors[ctx.problem] : this.#contextProblem(ctx);
      return this.#failure(problem ?? 'TYPE_MISMATCH');
    }
    return this.#result(index, this.#evaluate(index, ctx));
  }

  /** Every flag for one context, in one call into wasm: `{[key]: evaluation}`. */
  evaluateAll(ctx) {
    const out = this.#out;
    const snapshot = this.#snapshot;
    try {
      if (snapshot === undefined) {
        out.fill(0);
      } else if (ctx instanceof Context) {
        const handle = Context.handle(ctx);
        if (handle === undefined) out.fill(0);
        else snapshot.evaluateAll(handle, ctx.now, out);
      } else {
        const text = contextText(ctx);
        if (text !== undefined) {
          snapshot.evaluateAllJson(text, Date.now(), out);
        } else {
          const handle = PreparedContext.invalid();
          try {
            snapshot.evaluateAll(handle, Date.now(), out);
          } finally {
            handle.free();
          }
        }
      }
    } catch {
      out.fill(0);
    }
    const all = this.#shape === undefined ? {} : { ...this.#shape };
    const flags = this.#flags;
    const reasons = this.#reasons;
    const errors = this.#errors;
    const version = this.#info?.version;
    for (let i = 0; i < out.length; i++) {
      const entry = flags[i];
      all[entry.key] = decode(entry, out[i], reasons, errors, version);
    }
    return all;
  }

  /**
   * Everything about one evaluation: rule index and id, stage, bucket `{position (decimal
   * string), exposure (millionths), inside}`, failed prerequisite. Slower; for tools.
   */
  explain(flag, ctx) {
    const index = this.#index.get(flag);
    if (index === undefined) return { ...this.#failure('FLAG_NOT_FOUND'), flag };
    return this.#withContext(ctx, (handle, now) => {
      const details = JSON.parse(this.#snapshot.explain(index, handle, now));
      const result = this.#result(index, this.#snapshot.evaluate(index, handle, now));
      return { flag, ...result, ...details };
    }, () => ({ ...this.#failure('GENERAL'), flag }));
  }

  /** Releases the wasm memory; afterwards every evaluation of a known flag is `ERROR` / `GENERAL`. */
  free() {
    this.#snapshot?.free();
    this.#verifier?.free();
    this.#snapshot = undefined;
    this.#verifier = undefined;
    this.#info = undefined;
  }

  // A packed evaluation; 0 (no variant) stands for every failure outside the core.
  // The hot path for a prepared context allocates nothing (no closures): it runs per flag.
  #evaluate(index, ctx) {
    const snapshot = this.#snapshot;
    if (snapshot === undefined) return ERROR_GENERAL;
    if (ctx instanceof Context) {
      const handle = Context.handle(ctx);
      if (handle === undefined) return ERROR_GENERAL;
      try {
        return snapshot.evaluate(index, handle, ctx.now);
      } catch {
        return ERROR_GENERAL;
      }
    }
    const text = contextText(ctx);
    if (text === undefined) {
      return this.#withContext(ctx, (handle, now) => snapshot.evaluate(index, handle, now), () => ERROR_GENERAL);
    }
    try {
      return snapshot.evaluateJson(index, text, Date.now());
    } catch {
      return ERROR_GENERAL;
    }
  }

  #withContext(ctx, run, failed) {
    if (this.#snapshot === undefined) return failed();
    if (ctx instanceof Context) {
      const handle = Context.handle(ctx);
      if (handle === undefined) return failed();
      try {
        return run(handle, ctx.now);
      } catch {
        return failed();
      }
    }
    let handle;
    try {
      handle = prepare(ctx);
      return run(handle, Date.now());
    } catch {
      return failed();
    } finally {
      handle?.free();
    }
  }

  // The error code of a plain context that is unusable, or undefined.
  #contextProblem(ctx) {
    let handle;
    try {
      handle = prepare(ctx);
      return this.#errors[handle.problem()] ?? undefined;
    } catch {
      return 'GENERAL';
    } finally {
      handle?.free();
    }
  }

  #result(index, packed) {
    return decode(this.#flags[index], packed, this.#reasons, this.#errors, this.#info?.version);
  }

  #failure(errorCode) {
    return failure(errorCode, this.#info?.version);
  }
}

const CONSTRUCT = Symbol('Flags');
// A packed value the core never returns (reason STATIC always comes with a variant): it
// stands for a failure outside the core (freed flags or context, a wasm trap).
const ERROR_GENERAL = 0;

// The result object of a packed evaluation of `entry`.
function decode(entry, packed, reasons, errors, version) {
  if (packed === ERROR_GENERAL) return failure('GENERAL', version);
  const variant = packed & VARIANT_MASK;
  const rule = (packed >>> RULE_SHIFT) & 0x3ff;
  const stage = (packed >>> STAGE_SHIFT) & 0x7f;
  return {
    value: variant === 0 ? null : entry.values[variant - 1],
    variant: variant === 0 ? null : entry.variants[variant - 1],
    reason: reasons[(packed >>> REASON_SHIFT) & 7],
    errorCode: errors[(packed >>> ERROR_SHIFT) & 7] ?? null,
    rule: rule === 0 ? null : rule - 1,
    stage: stage === 0 ? null : stage - 1,
    version,
  };
}

function failure(errorCode, version) {
  return { value: null, variant: null, reason: 'ERROR', errorCode, rule: null, stage: null, version };
}

function typeOf(value) {
  return typeof value === 'object' ? 'object' : typeof value;
}

function verifyWith(verifier, input, now, last) {
  const bytes = toBytes(input);
  const version = toVersion(last?.version);
  const digest = version === undefined ? undefined : hexToBytes(last?.digest);
  try {
    return verifier.verify(bytes, Number(now), version, digest);
  } catch (error) {
    throw snapshotError(error);
  }
}
