// Signs the demo snapshot with a key made at start-up (Node's crypto; the recipe of
// docs/signing.md). The private key only lives in this process.
import crypto from 'node:crypto';

const PAYLOAD_TYPE = 'application/vnd.darklaunch.snapshot.v1+json';
const rfc3339 = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A fresh Ed25519 key: `{ id, privateKey, publicKey (base64 of the raw 32 bytes) }`. */
export function demoKey(id = 'demo') {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  return { id, privateKey, publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64') };
}

/** The DSSE envelope (text) of `ruleset` (an object) plus the four signed fields. */
export function signSnapshot(ruleset, key, { version, environment, issuedAt = Date.now(), expiresAt = issuedAt + 7 * 86400e3 }) {
  const payload = Buffer.from(JSON.stringify({
    ...ruleset, version, issued_at: rfc3339(issuedAt), expires: rfc3339(expiresAt), environment,
  }));
  const pae = Buffer.concat([Buffer.from(`DSSEv1 ${PAYLOAD_TYPE.length} ${PAYLOAD_TYPE} ${payload.length} `), payload]);
  return JSON.stringify({
    payload: payload.toString('base64'),
    payloadType: PAYLOAD_TYPE,
    signatures: [{ keyid: key.id, sig: crypto.sign(null, pae, key.privateKey).toString('base64') }],
  });
}
