// Turns what a SnapshotSource reports into OpenFeature provider events, for both providers.
// The SDK sets READY itself when initialize() resolves and ERROR when it rejects; from then on
// the provider reports each change:
//   accepted   READY (STALE or ERROR if already past expires), then CONFIGURATION_CHANGED
//              with the changed flag keys
//   unchanged  READY (STALE or ERROR if expired): a refresh that worked ends an error
//   failed     ERROR: a refused or unreadable snapshot; the old one keeps serving
//   expired    STALE when stale serving is allowed, else ERROR (evaluations give defaults)
// A state event is emitted when the state changes, or for ERROR when its message changes.
import { ProviderFatalError } from '@openfeature/core';

import { expiryMessage, snapshotMetadata } from './resolution.js';

// Host misconfiguration no later snapshot can repair: the provider becomes FATAL.
const FATAL = new Set(['KEY_REJECTED']);

export class ProviderState {
  #source;
  #emitter;
  #events;
  #onChange;
  #state = 'NOT_READY';
  #message;
  #unsubscribe;

  /**
   * `events`: the SDK's ProviderEvents enum; `onChange(note)`: runs before the events of an
   * accepted snapshot or an expiry (the web provider re-evaluates there).
   */
  constructor(source, emitter, events, onChange = () => {}) {
    this.#source = source;
    this.#emitter = emitter;
    this.#events = events;
    this.#onChange = onChange;
  }

  /** For `initialize()`: resolves once a snapshot is serving; rejects (and keeps listening, to recover) otherwise. */
  async initialize() {
    this.#unsubscribe ??= this.#source.subscribe((note) => this.#handle(note));
    try {
      await this.#source.start();
    } catch (error) {
      this.#state = 'ERROR';
      this.#message = error?.message;
      if (FATAL.has(error?.code)) throw new ProviderFatalError(error.message, { cause: error });
      throw error;
    }
    this.#state = 'READY';
  }

  close() {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#source.stop();
    this.#state = 'NOT_READY';
  }

  #handle(note) {
    if (this.#state === 'NOT_READY') return; // initialize() reports the first outcome
    const source = this.#source;
    if (note.type === 'failed') {
      this.#enter('ERROR', note.error?.message, { code: note.error?.code ?? 'GENERAL' });
      return;
    }
    if (note.type === 'accepted' || note.type === 'expired') this.#onChange(note);
    const metadata = snapshotMetadata(source.flags);
    if (source.expired) {
      const message = expiryMessage(source.flags);
      if (source.allowStale) this.#enter('STALE', message, metadata);
      else this.#enter('ERROR', `${message} (allowStale is off)`, { code: 'EXPIRED', ...metadata });
    } else {
      this.#enter('READY', `snapshot ${metadata.snapshotVersion}`, metadata);
    }
    if (note.type === 'accepted') {
      this.#emitter.emit(this.#events.ConfigurationChanged, { flagsChanged: note.changed, metadata });
    }
  }

  #enter(state, message, metadata) {
    if (state === this.#state && (state !== 'ERROR' || message === this.#message)) return;
    this.#state = state;
    this.#message = message;
    const event = { READY: this.#events.Ready, STALE: this.#events.Stale, ERROR: this.#events.Error }[state];
    this.#emitter.emit(event, { message, metadata });
  }
}
