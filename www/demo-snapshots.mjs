// The demo's signed snapshots, made when the server starts: a fresh Ed25519 key lives only in
// this process's memory (never written, never sent), and signs the example dark launch the way
// CI would (DSSE envelope over the PAE, docs/snapshots.md). The browser gets the public key only.
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';

const PAYLOAD_TYPE = 'application/vnd.darklaunch.snapshot.v1+json';
const EXAMPLE = new URL('../examples/rulesets/dark-launch.json', import.meta.url);
const DAY = 24 * 60 * 60 * 1000;
export const ENVIRONMENT = 'demo';

// The example launches at 1%, 5% and 30% on days 0, 2 and 7; the demo adds 100% on day 14.
// Stages are placed after the server starts (from the next UTC midnight, at 09:00), so the
// snapshot is valid whenever the demo runs: issued now, stages ahead, expiring after them.
const STAGE_DAYS = [0, 2, 7, 14];
const STAGE_PERCENTS = [1, 5, 30, 100];

function rfc3339(ms) {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The example ruleset with its schedule moved to start the day after `now`, plus a 100% stage. */
export function demoRuleset(now) {
  const ruleset = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
  const launch = Math.floor(now / DAY) * DAY + DAY + 9 * 60 * 60 * 1000;
  ruleset.flags['new-checkout'].default.rollout.stages = STAGE_DAYS.map((day, i) => ({
    at: rfc3339(launch + day * DAY),
    percent: STAGE_PERCENTS[i],
  }));
  return { ruleset, launch, end: launch + STAGE_DAYS.at(-1) * DAY };
}

function pae(payload) {
  return Buffer.concat([Buffer.from(`DSSEv1 ${PAYLOAD_TYPE.length} ${PAYLOAD_TYPE} ${payload.length} `), payload]);
}

function sign(document, signer) {
  const payload = Buffer.from(JSON.stringify(document, null, 2));
  return JSON.stringify({
    payload: payload.toString('base64'),
    payloadType: PAYLOAD_TYPE,
    signatures: [{ keyid: signer.id, sig: crypto.sign(null, pae(payload), signer.privateKey).toString('base64') }],
  });
}

function newKey() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const id = `demo-${crypto.createHash('sha256').update(raw).digest('hex').slice(0, 8)}`;
  return { id, privateKey, publicKey: raw.toString('base64') };
}

/**
 * Signs the demo snapshots at `now` (Unix ms). Returns the keyring (CLI format) and the
 * snapshots, each `{name, title, description, text}`, the first being the one the page loads.
 */
export function makeDemoSnapshots(now = Date.now()) {
  const signer = newKey();
  const { ruleset, end } = demoRuleset(now);
  const version = Math.floor(now / 1000);
  const meta = (v, environment = ENVIRONMENT) => ({
    version: v,
    issued_at: rfc3339(Math.floor(now / 1000) * 1000),
    expires: rfc3339(end + 30 * DAY),
    environment,
  });
  const killed = structuredClone(ruleset);
  killed.flags['new-checkout'].enabled = false;
  const snapshots = [
    {
      name: 'launch-plan',
      title: `v${version}: the launch plan`,
      description: 'new-checkout for staff at once, then 1% → 5% → 30% → 100% of everyone else on app 4.2.0 or later.',
      text: sign({ ...ruleset, ...meta(version) }, signer),
    },
    {
      name: 'kill-switch',
      title: `v${version + 1}: kill switch`,
      description: 'The next publish turns new-checkout off for everyone (enabled: false). Newer, so it is accepted.',
      text: sign({ ...killed, ...meta(version + 1) }, signer),
    },
    {
      name: 'staging',
      title: `v${version + 2}: a staging build`,
      description: 'Validly signed, but for the "staging" environment: this page serves "demo", so it is refused.',
      text: sign({ ...ruleset, ...meta(version + 2, 'staging') }, signer),
    },
  ];
  return { keyring: { keys: { [signer.id]: signer.publicKey }, threshold: 1 }, environment: ENVIRONMENT, snapshots };
}
