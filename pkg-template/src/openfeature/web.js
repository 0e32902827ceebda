// OpenFeature provider for the web SDK (@openfeature/web-sdk, and so @openfeature/react-sdk).
// Static context: every flag is evaluated for the context at initialize() and at each context
// change (one `evaluateAll` crossing into wasm) and then served synchronously from that result.
//
//   import { Flags } from 'darklaunch';
//   import { DarklaunchWebProvider, SnapshotSource } from 'darklaunch/openfeature/web';
//   const source = new SnapshotSource(Flags, { url: '/flags/prod.json', keys, environment: 'prod', pollMs: 60_000 });
//   await OpenFeature.setProviderAndWait(new DarklaunchWebProvider(source), { targetingKey: userId });
import { OpenFeatureEventEmitter, ProviderEvents } from '@openfeature/web-sdk';

import { expired, noSnapshot, resolution, snapshotMetadata } from './resolution.js';
import { SnapshotSource } from './source.js';
import { ProviderState } from './status.js';

export { FetchError, SnapshotSource } from './source.js';

export class DarklaunchWebProvider {
  metadata = Object.freeze({ name: 'darklaunch' });
  runsOn = 'client';
  events = new OpenFeatureEventEmitter();
  #source;
  #state;
  #context = {};
  #results;
  #contextProblem = false;
  #metadata;

  /** `source`: a `SnapshotSource`; the provider starts it and stops it on close. */
  constructor(source) {
    if (!(source instanceof SnapshotSource)) throw new TypeError('new DarklaunchWebProvider(source): source must be a SnapshotSource');
    this.#source = source;
    // A new snapshot, or expiry (reasons become STALE), is re-evaluated for the same context.
    this.#state = new ProviderState(source, this.events, ProviderEvents, () => this.#evaluate());
  }

  /** The source this provider serves from (for `refresh()`, `accepted`, `flags`). */
  get source() { return this.#source; }

  async initialize(context) {
    this.#context = context ?? {};
    await this.#state.initialize();
    this.#evaluate();
  }

  // Synchronous: the SDK then emits PROVIDER_CONTEXT_CHANGED without a RECONCILING state.
  onContextChange(_oldContext, newContext) {
    this.#context = newContext ?? {};
    this.#evaluate();
  }

  async onClose() {
    this.#state.close();
  }

  resolveBooleanEvaluation(flagKey, defaultValue) {
    return this.#resolve(flagKey, defaultValue, 'boolean');
  }

  resolveStringEvaluation(flagKey, defaultValue) {
    return this.#resolve(flagKey, defaultValue, 'string');
  }

  resolveNumberEvaluation(flagKey, defaultValue) {
    return this.#resolve(flagKey, defaultValue, 'number');
  }

  resolveObjectEvaluation(flagKey, defaultValue) {
    return this.#resolve(flagKey, defaultValue, 'object');
  }

  // Every flag for the current context, in one call into wasm.
  #evaluate() {
    const flags = this.#source.flags;
    if (flags === undefined) return;
    const prepared = flags.context(this.#context, { now: this.#source.now() });
    try {
      this.#contextProblem = prepared.problem !== 0;
      this.#results = flags.evaluateAll(prepared);
    } finally {
      prepared.free();
    }
    this.#metadata = snapshotMetadata(flags);
  }

  #resolve(key, defaultValue, type) {
    const source = this.#source;
    const flags = source.flags;
    if (flags === undefined || this.#results === undefined) return noSnapshot(defaultValue, source.error);
    if (!source.allowStale && source.expired) return expired(defaultValue, flags);
    const flagType = source.typeOf(key);
    const evaluation = Object.hasOwn(this.#results, key)
      ? this.#results[key]
      : { value: null, variant: null, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', rule: null, stage: null };
    // As `Flags#evaluate(key, ctx, type)`: a context that is unusable outranks the type.
    const mismatch = flagType !== undefined && flagType !== type && !this.#contextProblem;
    const answer = mismatch ? { value: null, variant: null, reason: 'ERROR', errorCode: 'TYPE_MISMATCH', rule: null, stage: null } : evaluation;
    return resolution(answer, { key, defaultValue, type, flagType, metadata: this.#metadata });
  }
}
