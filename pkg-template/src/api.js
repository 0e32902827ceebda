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
// (which never shrinks); the core refuses text over MAX_CONTEXT_JSON_BYTES (4 MiB) anyway.
const MAX_CONTEXT_TEXT = 4 * 1024 * 1024;
// The core's MAX_ENVELOPE_BYTES (src/limits.rs): larger input is refused before it is copied
// into wasm memory, which would keep the size it grew to (tests/js/memory.test.mjs).
const MAX_ENVELOPE_BYTES = 22_435_156;
const MAX_U64 = 2n ** 64n - 1n;

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
  // A string of n UTF-16 units encodes to at least n bytes: check before encoding.
  if (typeof input === 'string') return withinSize(input.length > MAX_ENVELOPE_BYTES ? input.length : encoder.encode(input));
  // A detached buffer (and every view on one) has no bytes left: byteLength 0.
  if (input instanceof ArrayBuffer) return withinSize(input.byteLength === 0 ? new Uint8Array(0) : new Uint8Array(input));
  if (ArrayBuffer.isView(input)) {
    if (input.byteLength === 0) return new Uint8Array(0);
    return withinSize(input instanceof Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
  }
  throw new SnapshotError(`MALFORMED_ENVELOPE: expected bytes or a string, got ${typeof input}`, {
    code: 'MALFORMED_ENVELOPE',
    detail: `expected Uint8Array, ArrayBuffer or string, got ${input === null ? 'null' : typeof input}`,
  });
}

// `bytes`, or ENVELOPE_TOO_LARGE (as the core says it) for them or for a length alone.
function withinSize(bytes) {
  const length = typeof bytes === 'number' ? bytes : bytes.byteLength;
  if (length <= MAX_ENVELOPE_BYTES) return bytes;
  throw new SnapshotError(`ENVELOPE_TOO_LARGE: snapshot envelope is over the size limit (${length} bytes)`, {
    code: 'ENVELOPE_TOO_LARGE',
    detail: `${length} bytes`,
  });
}

function hexToBytes(hex) {
  if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/i.test(hex)) return undefined;
  return Uint8Array.from(hex.match(/../g), (pair) => parseInt(pair, 16));
}

function toVersion(version) {
  if (version === undefined || version === null) return undefined;
  let value;
  try {
    value = BigInt(version);
  } catch {
    value = undefined;
  }
  // Out of u64 range would wrap at the wasm boundary (2^64 becomes 0: no rollback check).
  if (value === undefined || value < 0n || value > MAX_U64) {
    throw new SnapshotError(`INVALID_FORMAT: last version ${String(version)} is not an integer from 0 to 2^64 - 1`, {
      code: 'INVALID_FORMAT',
      path: '/version',
      detail: 'lastVersion must be an integer from 0 to 2^64 - 1 (number, bigint or decimal string)',
    });
  }
  return value;
}

function deepFreeze(value) {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

// A context's JSON text; undefined if cyclic, BigInt, a throwing toJSON, or too long. Making it
// runs the caller's getters and toJSON (which may even call update()): callers make it before
// they read anything of the snapshot.
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
  if (text === undefined) return PreparedContext.invalid();
  const handle = PreparedContext.fromJson(text);
  // JSON.stringify's text the core cannot parse (a lone surrogate, nesting past the core's
  // depth limit) is a bad context, not bad JSON text from the caller.
  if (handle.problem() !== parseErrorCode()) return handle;
  handle.free();
  return PreparedContext.invalid();
}

let parseError;
// The packed PARSE_ERROR code, asked of the core once (the wasm is initialised by then).
function parseErrorCode() {
  if (parseError === undefined) {
    const probe = PreparedContext.fromJson('');
    parseError = probe.problem();
    probe.free();
  }
  return parseError;
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
    this.problem = handle === undefined ? 0 : handle.problem();
  }
  /** @internal */
  static handle(context) {
    // `instanceof` can be fooled (Object.create(Context.prototype)); the brand check cannot.
    return #handle in context ? context.#handle : undefined;
  }
  free() {
    this.#handle?.free();
    this.#handle = undefined;
  }
}

// A plain context used once: its JSON text, parsed inside the same call into wasm as the
// evaluation (no PreparedContext, no finalizer registration). Internal.
class ContextText {
  constructor(text, now) {
    this.text = text;
    this.now = now;
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
    let snapshot;
    try {
      snapshot = verifyWith(verifier, input, now, last) ?? verifyWith(verifier, input, now, undefined);
    } catch (error) {
      // Freed now, not by the garbage collector's finalizer some time later: a host polling
      // bad bytes in a loop would otherwise grow the wasm memory (tests/js/memory.test.mjs).
      verifier.free();
      throw error;
    }
    return new Flags(CONSTRUCT, verifier, snapshot);
  }

  /**
   * Offers a newer snapshot. Returns `true` when it replaced the current one, `false` when it
   * is the same snapshot (same version and bytes). Throws `SnapshotError` otherwise, and the
   * current snapshot keeps serving unchanged.
   */
  update(input, options) {
    const now = options?.now ?? Date.now();
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

  /** Prepares a context once for many evaluations. `now` defaults to `Date.now()`. Never throws. */
  context(ctx, options) {
    return new Context(prepare(ctx), options?.now ?? Date.now());
  }

  /** A context from raw JSON text (not JSON: every evaluation is `PARSE_ERROR`). Never throws. */
  contextFromJson(text, options) {
    const handle = typeof text === 'string' ? PreparedContext.fromJson(text) : PreparedContext.invalid();
    return new Context(handle, options?.now ?? Date.now());
  }

  /** `true` only when a boolean flag serves `true`. Never throws. */
  isEnabled(flag, ctx) {
    if (!isContext(ctx)) return this.#plain(ctx, (context) => this.isEnabled(flag, context));
    const index = this.#index.get(flag);
    if (index === undefined) return false;
    const variant = this.#evaluate(index, ctx) & VARIANT_MASK;
    return variant !== 0 && this.#flags[index].values[variant - 1] === true;
  }

  /** The flag's value, or `fallback` on any error or when its type differs. Never throws. */
  getValue(flag, ctx, fallback) {
    if (!isContext(ctx)) return this.#plain(ctx, (context) => this.getValue(flag, context, fallback));
    const index = this.#index.get(flag);
    if (index === undefined) return fallback;
    const entry = this.#flags[index];
    if (fallback !== undefined && fallback !== null && typeOf(fallback) !== entry.type) return fallback;
    const variant = this.#evaluate(index, ctx) & VARIANT_MASK;
    return variant === 0 ? fallback : entry.values[variant - 1];
  }

  /**
   * `{value, variant, reason, errorCode, rule, stage, version}`. With `type` (not null or
   * undefined), a flag of another type gives `TYPE_MISMATCH` (OpenFeature typed resolution);
   * so does a `type` that names no type. Never throws.
   */
  evaluate(flag, ctx, type) {
    const typed = type !== undefined && type !== null;
    if (!isContext(ctx)) {
      // A typed resolution reports the context's own problem first: that needs it prepared.
      if (typed) return this.#prepared(ctx, (context) => this.evaluate(flag, context, type));
      return this.#plain(ctx, (context) => this.evaluate(flag, context));
    }
    const index = this.#index.get(flag);
    if (index === undefined) return this.#failure('FLAG_NOT_FOUND');
    if (this.#snapshot === undefined) return this.#failure('GENERAL');
    if (typed && this.#flags[index].type !== type) {
      // The context is checked first, as in the core; a freed one is GENERAL.
      const problem = Context.handle(ctx) === undefined ? 'GENERAL' : this.#errors[ctx.problem];
      return this.#failure(problem ?? 'TYPE_MISMATCH');
    }
    return this.#result(index, this.#evaluate(index, ctx));
  }

  /** Every flag for one context, in one call into wasm: `{[key]: evaluation}`. */
  evaluateAll(ctx) {
    if (!isContext(ctx)) return this.#plain(ctx, (context) => this.evaluateAll(context));
    // From here on no caller code runs: the results are all of this one snapshot.
    const out = this.#out;
    const snapshot = this.#snapshot;
    try {
      if (snapshot === undefined) {
        out.fill(0);
      } else if (ctx instanceof ContextText) {
        snapshot.evaluateAllJson(ctx.text, ctx.now, out);
        if (anyError(out, parseErrorCode())) this.#evaluateAllInvalid(snapshot, ctx.now, out);
      } else {
        const handle = Context.handle(ctx);
        if (handle === undefined) out.fill(0);
        else snapshot.evaluateAll(handle, ctx.now, out);
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
      const key = flags[i].key;
      const result = decode(flags[i], out[i], reasons, errors, version);
      // Assigning to `__proto__` (a valid flag key) would set the prototype instead.
      if (key === '__proto__') Object.defineProperty(all, key, { value: result, enumerable: true, writable: true, configurable: true });
      else all[key] = result;
    }
    return all;
  }

  /**
   * Everything about one evaluation: rule index and id, stage, bucket `{position (decimal
   * string), exposure (millionths), inside}`, failed prerequisite. Slower; for tools.
   */
  explain(flag, ctx) {
    if (!(ctx instanceof Context)) return this.#prepared(ctx, (context) => this.explain(flag, context));
    const now = ctx.now;
    const handle = Context.handle(ctx);
    const index = this.#index.get(flag);
    if (index === undefined) return { ...this.#failure('FLAG_NOT_FOUND'), flag };
    const snapshot = this.#snapshot;
    if (snapshot === undefined || handle === undefined) return { ...this.#failure('GENERAL'), flag };
    try {
      const details = JSON.parse(snapshot.explain(index, handle, now));
      return { flag, ...this.#result(index, snapshot.evaluate(index, handle, now)), ...details };
    } catch {
      return { ...this.#failure('GENERAL'), flag };
    }
  }

  /** Releases the wasm memory; afterwards every evaluation of a known flag is `ERROR` / `GENERAL`. */
  free() {
    this.#snapshot?.free();
    this.#verifier?.free();
    this.#snapshot = undefined;
    this.#verifier = undefined;
    this.#info = undefined;
  }

  // A plain context used once: its text is made (running the caller's code) before anything
  // of the snapshot is read, then evaluated in the same call into wasm (`ContextText`).
  #plain(ctx, use) {
    const text = contextText(ctx);
    if (text === undefined) return this.#withHandle(() => PreparedContext.invalid(), use);
    return use(new ContextText(text, Date.now()));
  }

  // A plain context prepared into a Context (freed after `use`) first, for the paths that
  // need its problem or a handle: typed resolution and explain.
  #prepared(ctx, use) {
    return this.#withHandle(() => prepare(ctx), use);
  }

  #withHandle(makeHandle, use) {
    let handle;
    try {
      handle = makeHandle();
    } catch {
      handle = undefined; // a wasm trap: evaluations are GENERAL
    }
    const context = new Context(handle, Date.now());
    try {
      return use(context);
    } finally {
      context.free();
    }
  }

  // A packed evaluation; 0 (no variant) stands for every failure outside the core. The hot
  // path for a prepared context: it allocates nothing.
  #evaluate(index, ctx) {
    const snapshot = this.#snapshot;
    if (snapshot === undefined) return ERROR_GENERAL;
    try {
      if (ctx instanceof ContextText) {
        const packed = snapshot.evaluateJson(index, ctx.text, ctx.now);
        return errorOf(packed) === parseErrorCode() ? this.#evaluateInvalid(snapshot, index, ctx.now) : packed;
      }
      const handle = Context.handle(ctx);
      return handle === undefined ? ERROR_GENERAL : snapshot.evaluate(index, handle, ctx.now);
    } catch {
      return ERROR_GENERAL;
    }
  }

  // JSON.stringify's text that the core cannot parse (a lone surrogate, nesting past its depth
  // limit) is a bad context (INVALID_CONTEXT), not bad JSON text from the caller.
  #evaluateInvalid(snapshot, index, now) {
    const handle = PreparedContext.invalid();
    try {
      return snapshot.evaluate(index, handle, now);
    } finally {
      handle.free();
    }
  }

  #evaluateAllInvalid(snapshot, now, out) {
    const handle = PreparedContext.invalid();
    try {
      snapshot.evaluateAll(handle, now, out);
    } finally {
      handle.free();
    }
  }

  #result(index, packed) {
    return decode(this.#flags[index], packed, this.#reasons, this.#errors, this.#info?.version);
  }

  #failure(errorCode) {
    return failure(errorCode, this.#info?.version);
  }
}

function anyError(out, code) {
  for (let i = 0; i < out.length; i++) if (errorOf(out[i]) === code) return true;
  return false;
}

function isContext(ctx) {
  return ctx instanceof Context || ctx instanceof ContextText;
}

// The packed error code of an evaluation (its index into the catalog's error names).
function errorOf(packed) {
  return (packed >>> ERROR_SHIFT) & 7;
}

const CONSTRUCT = Symbol('Flags');
// A packed value the core never returns (reason STATIC always comes with a variant): it
// stands for a failure outside the core (freed flags or context, a wasm trap).
const ERROR_GENERAL = 0;

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
