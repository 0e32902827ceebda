// OpenFeature provider for the server SDK (@openfeature/server-sdk): Node, Deno, edge workers.
// Dynamic context: each resolution evaluates the flag for the context it is given.
//
//   import { Flags } from 'darklaunch';
//   import { DarklaunchProvider, SnapshotSource } from 'darklaunch/openfeature/server';
//   const source = new SnapshotSource(Flags, { url, keys, environment: 'prod', pollMs: 30_000 });
//   await OpenFeature.setProviderAndWait(new DarklaunchProvider(source));
import { OpenFeatureEventEmitter, ProviderEvents } from '@openfeature/server-sdk';

import { expired, noSnapshot, resolution, snapshotMetadata } from './resolution.js';
import { SnapshotSource } from './source.js';
import { ProviderState } from './status.js';

export { FetchError, SnapshotSource } from './source.js';

export class DarklaunchProvider {
  metadata = Object.freeze({ name: 'darklaunch' });
  runsOn = 'server';
  events = new OpenFeatureEventEmitter();
  #source;
  #state;
  #metadata;
  #metadataOf;

  /** `source`: a `SnapshotSource`; the provider starts it and stops it on close. */
  constructor(source) {
    if (!(source instanceof SnapshotSource)) throw new TypeError('new DarklaunchProvider(source): source must be a SnapshotSource');
    this.#source = source;
    this.#state = new ProviderState(source, this.events, ProviderEvents);
  }

  /** The source this provider serves from (for `refresh()`, `accepted`, `flags`). */
  get source() { return this.#source; }

  async initialize() {
    await this.#state.initialize();
  }

  async onClose() {
    this.#state.close();
  }

  async resolveBooleanEvaluation(flagKey, defaultValue, context) {
    return this.#resolve(flagKey, defaultValue, context, 'boolean');
  }

  async resolveStringEvaluation(flagKey, defaultValue, context) {
    return this.#resolve(flagKey, defaultValue, context, 'string');
  }

  async resolveNumberEvaluation(flagKey, defaultValue, context) {
    return this.#resolve(flagKey, defaultValue, context, 'number');
  }

  async resolveObjectEvaluation(flagKey, defaultValue, context) {
    return this.#resolve(flagKey, defaultValue, context, 'object');
  }

  #resolve(key, defaultValue, context, type) {
    const source = this.#source;
    const flags = source.flags;
    if (flags === undefined) return noSnapshot(defaultValue, source.error);
    // Where no timer can fire at expiry (Workers), the first evaluation after it reports it.
    if (source.checkExpiry() && !source.allowStale) return expired(defaultValue, flags);
    const prepared = flags.context(context, { now: source.now() });
    let evaluation;
    try {
      evaluation = flags.evaluate(key, prepared, type);
    } finally {
      prepared.free();
    }
    return resolution(evaluation, { key, defaultValue, type, flagType: source.typeOf(key), metadata: this.#metadataFor(flags) });
  }

  // One metadata object per snapshot version, not per evaluation.
  #metadataFor(flags) {
    if (this.#metadataOf !== flags.version) {
      this.#metadataOf = flags.version;
      this.#metadata = snapshotMetadata(flags);
    }
    return this.#metadata;
  }
}
