// Reading and (for the tamper demo) altering a DSSE envelope's payload in the page. The
// verifier in wasm never relies on this: it is for showing the payload and breaking it.

function base64ToBytes(text) {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(standard + '='.repeat((4 - (standard.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function bytesToBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The payload bytes of an envelope's text, or undefined when it is not an envelope. */
export function payloadBytes(text) {
  try {
    const envelope = JSON.parse(text);
    return typeof envelope?.payload === 'string' ? base64ToBytes(envelope.payload) : undefined;
  } catch {
    return undefined;
  }
}

/** The payload parsed as JSON (call only on a snapshot that verified). */
export function payloadDocument(text) {
  const bytes = payloadBytes(text);
  return bytes && JSON.parse(new TextDecoder().decode(bytes));
}

const show = (byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`);

/**
 * The envelope with one bit of one payload byte flipped, signatures untouched. It aims at the
 * first rollout percent (an attacker widening a launch); any other byte would do as well.
 */
export function tamper(text) {
  const envelope = JSON.parse(text);
  const bytes = base64ToBytes(envelope.payload);
  const source = new TextDecoder().decode(bytes);
  const match = /"percent":\s*\d/.exec(source);
  // The match is ASCII, so its string index is its byte offset when nothing before it is
  // multi-byte; otherwise fall back to the middle byte.
  const ascii = match && new TextEncoder().encode(source.slice(0, match.index)).length === match.index;
  const offset = ascii ? match.index + match[0].length - 1 : Math.floor(bytes.length / 2);
  const excerpt = () => new TextDecoder().decode(bytes.subarray(Math.max(0, offset - 12), offset + 4)).replace(/\s+/g, ' ').trim();
  const before = bytes[offset];
  const excerptBefore = excerpt();
  bytes[offset] ^= 0x01;
  const excerptAfter = excerpt();
  envelope.payload = bytesToBase64(bytes);
  return {
    text: JSON.stringify(envelope),
    offset,
    before: show(before),
    after: show(bytes[offset]),
    excerptBefore,
    excerptAfter,
  };
}
