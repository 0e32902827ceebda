// The snapshot the page serves. The first one is loaded with `Flags.load`; every later offer
// goes through `flags.update`, which swaps atomically or throws and keeps the old one serving.
import { Flags } from '/pkg/src/browser.js';

import { payloadDocument } from './envelope.js';

export function createServing({ keys, environment }) {
  let flags;
  let text;
  let document;
  const listeners = new Set();

  return {
    get flags() { return flags; },
    /** The envelope text of the snapshot being served. */
    get text() { return text; },
    /** Its payload as JSON (the same bytes that verified). */
    get document() { return document; },
    onChange(listener) { listeners.add(listener); },

    /**
     * Verifies and, if newer, installs a snapshot. Returns `{status: 'loaded' |
     * 'unchanged' | 'rejected', error?}`; a rejected offer leaves everything as it was.
     */
    offer(input) {
      try {
        if (flags === undefined) flags = Flags.load(input, { keys, environment });
        else if (!flags.update(input)) return { status: 'unchanged' };
      } catch (error) {
        return { status: 'rejected', error };
      }
      text = input;
      document = payloadDocument(input);
      for (const listener of listeners) listener();
      return { status: 'loaded' };
    },
  };
}
