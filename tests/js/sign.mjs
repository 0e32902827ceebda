// Test helper: wraps rulesets into signed snapshots with a fresh Ed25519 key, using Node's
// crypto and the envelope + PAE format of docs/snapshots.md.
import crypto from 'node:crypto';

export const PAYLOAD_TYPE = 'application/vnd.darklaunch.snapshot.v1+json';
export const ISSUED_AT = '2026-01-01T00:00:00Z';
export const LOAD_NOW = Date.parse('2026-01-01T00:00:00Z');

export function keyPair(id = 'test-key') {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { id, privateKey, keys: { [id]: raw.toString('base64') } };
}

export function pae(payload) {
  return Buffer.concat([Buffer.from(`DSSEv1 ${PAYLOAD_TYPE.length} ${PAYLOAD_TYPE} ${payload.length} `), payload]);
}

/** The envelope text of `payload` (bytes) signed by each of `signers`. */
export function envelope(payload, ...signers) {
  return JSON.stringify({
    payload: payload.toString('base64'),
    payloadType: PAYLOAD_TYPE,
    signatures: signers.map((s) => ({ keyid: s.id, sig: crypto.sign(null, pae(payload), s.privateKey).toString('base64') })),
  });
}

/** A ruleset plus the snapshot metadata, signed. */
export function snapshot(ruleset, signer, { version = 1, environment = 'test', issuedAt = ISSUED_AT, expires = '2999-01-01T00:00:00Z' } = {}) {
  const payload = Buffer.from(JSON.stringify({ ...ruleset, version, issued_at: issuedAt, expires, environment }));
  return envelope(payload, signer);
}
