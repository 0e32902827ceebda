// Shared by the OpenFeature tests: one ruleset with a flag for every reason and error, signed
// at test time with a fresh key (tests/js/sign.mjs), and small helpers.
import { envelope, keyPair, snapshot } from '../js/sign.mjs';

export const signer = keyPair('ci');
export const environment = 'test';

export const ruleset = {
  schema: 'darklaunch/v1',
  segments: { staff: { if: { attr: 'email', op: 'ends_with', value: '@example.com' } } },
  flags: {
    'static-on': { variants: { on: true, off: false }, off: 'off', default: 'on' },
    'new-checkout': {
      variants: { on: true, off: false }, off: 'off',
      rules: [{ id: 'staff-first', if: { segment: 'staff' }, serve: 'on' }],
      default: { rollout: { variants: { on: 1 }, percent: 50 } },
    },
    'checkout-copy': {
      variants: { control: 'Buy now', short: 'Buy' }, off: 'control',
      rules: [{ if: { attr: 'country', op: 'eq', value: 'DE' }, serve: 'short' }],
      default: 'control',
    },
    'org-limit': {
      variants: { low: 10, high: 100 }, off: 'low',
      default: { rollout: { by: 'orgId', variants: { high: 1 }, percent: 100 } },
    },
    theme: { variants: { light: { bg: '#fff' }, dark: { bg: '#000' } }, off: 'light', enabled: false, default: 'dark' },
    'copy-after-checkout': {
      variants: { a: 'A', b: 'B' }, off: 'a',
      prerequisites: [{ flag: 'new-checkout', variant: 'on' }],
      default: 'b',
    },
  },
};

/** The ruleset with `edit(flags, segments)` applied, as a fresh copy. */
export function edited(edit) {
  const copy = structuredClone(ruleset);
  edit(copy.flags, copy.segments);
  return copy;
}

export const sign = (rules, options = {}) => snapshot(rules, signer, { environment, ...options });

/** A snapshot whose signature does not verify: the payload changed after signing. */
export function tampered(rules, options = {}) {
  const good = JSON.parse(sign(rules, options));
  const payload = JSON.parse(Buffer.from(good.payload, 'base64'));
  payload.flags['static-on'].default = 'off';
  return JSON.stringify({ ...good, payload: Buffer.from(JSON.stringify(payload)).toString('base64') });
}

export const unreadable = envelope(Buffer.from('{"schema": "darklaunch/v1", "flags": '), signer);

export const sourceOptions = { keys: signer.keys, environment };

/** Users in and out of the 50% `new-checkout` rollout (found by evaluating, not hard-coded). */
export function splitUsers(flags, count = 2) {
  const inside = [];
  const outside = [];
  for (let i = 0; inside.length < count || outside.length < count; i++) {
    const user = `user-${i}`;
    (flags.isEnabled('new-checkout', { targetingKey: user }) ? inside : outside).push(user);
  }
  return { inside: inside.slice(0, count), outside: outside.slice(0, count) };
}

/** Resolves with the next `event` emitted on `emitter` (an OpenFeature API or client). */
export function nextEvent(target, event, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    const handler = (details) => {
      clearTimeout(timer);
      target.removeHandler(event, handler);
      resolve(details);
    };
    target.addHandler(event, handler);
  });
}

/** Records every provider event of `target` into an array. */
export function recordEvents(target, events) {
  const seen = [];
  for (const event of events) target.addHandler(event, (details) => seen.push({ event, ...details }));
  return seen;
}
