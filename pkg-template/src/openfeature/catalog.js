// What the providers need to know about a snapshot that `Flags` does not expose: each flag's
// value type (for TYPE_MISMATCH without an evaluation) and which flags a new snapshot changes
// (for PROVIDER_CONFIGURATION_CHANGED). Read from envelope bytes that `Flags` has just
// verified, never from unverified input.

const decoder = new TextDecoder();

/** `{types: Map<flag, type>, flags: Map<flag, {hash, segments, prerequisites}>, segments: Map<name, hash>}` */
export function readCatalog(envelope) {
  const ruleset = JSON.parse(decoder.decode(base64Bytes(JSON.parse(text(envelope)).payload)));
  const types = new Map();
  const flags = new Map();
  for (const [key, flag] of Object.entries(ruleset.flags)) {
    types.set(key, typeOf(Object.values(flag.variants)[0]));
    const segments = new Set();
    collectSegments(flag.rules ?? [], segments);
    const { metadata, ...behaviour } = flag; // metadata (owner, description) changes no answer
    flags.set(key, {
      hash: hash(stable(behaviour)),
      segments: [...segments],
      prerequisites: (flag.prerequisites ?? []).map((prerequisite) => prerequisite.flag),
    });
  }
  const segments = new Map(Object.entries(ruleset.segments ?? {}).map(([name, segment]) => [name, hash(stable(segment))]));
  return { types, flags, segments };
}

/**
 * The keys of the flags whose answers may differ between two catalogs: added, removed or
 * edited flags (metadata aside), flags whose segments were edited, and flags whose prerequisites changed.
 */
export function changedFlags(before, after) {
  const changed = new Set();
  for (const key of before.flags.keys()) if (!after.flags.has(key)) changed.add(key);
  for (const [key, flag] of after.flags) {
    const old = before.flags.get(key);
    if (old === undefined || old.hash !== flag.hash) changed.add(key);
    else if (flag.segments.some((name) => before.segments.get(name) !== after.segments.get(name))) changed.add(key);
  }
  // Prerequisites are acyclic (the compiler refuses cycles): repeat until nothing is added.
  for (let grew = true; grew;) {
    grew = false;
    for (const [key, flag] of after.flags) {
      if (!changed.has(key) && flag.prerequisites.some((prerequisite) => changed.has(prerequisite))) {
        changed.add(key);
        grew = true;
      }
    }
  }
  return [...changed];
}

function text(input) {
  if (typeof input === 'string') return input;
  if (input instanceof ArrayBuffer) return decoder.decode(new Uint8Array(input));
  return decoder.decode(input); // a Uint8Array or another ArrayBuffer view
}

// Standard or URL-safe alphabet, with or without padding (docs/snapshots.md).
function base64Bytes(base64) {
  const binary = atob(base64.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function typeOf(value) {
  return typeof value === 'object' ? 'object' : typeof value;
}

function collectSegments(value, into) {
  if (Array.isArray(value)) {
    for (const item of value) collectSegments(item, into);
  } else if (value !== null && typeof value === 'object') {
    if (typeof value.segment === 'string') into.add(value.segment);
    for (const item of Object.values(value)) collectSegments(item, into);
  }
}

// JSON with object keys sorted: the order of keys in an object never changes a flag's meaning.
function stable(value) {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${stable(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

// A 53-bit string hash (cyrb53): kept instead of the text so that a large segment list is not
// held twice. A collision would only leave a flag out of one change event.
function hash(string) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < string.length; i++) {
    const c = string.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
