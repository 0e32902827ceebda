// darklaunch through its npm package (pkg/, built by `make pkg`): a signed snapshot, a context
// prepared once per user, flags addressed by key.
import { keyPair, snapshot } from '../../../tests/js/sign.mjs';
import { darklaunchRuleset, flagKey } from '../workload.mjs';

export const name = 'darklaunch';
// Evaluations happen at a fixed instant; snapshots are fresh then.
const NOW = Date.parse('2026-12-10T09:00:00Z');

/** What a host receives: the signed snapshot text and the public key it pins. */
export function config(n) {
  const signer = keyPair('bench');
  return { snapshot: snapshot(darklaunchRuleset(n), signer, { environment: 'bench' }), keys: signer.keys };
}

export const importSdk = () => import('../../../pkg/src/node.js');

export function load(sdk, { snapshot: bytes, keys }) {
  const flags = sdk.Flags.load(bytes, { keys, environment: 'bench', now: NOW });
  const keyOf = flags.keys;
  return {
    context: (user) => flags.context(user, { now: NOW }),
    release: (context) => context.free(),
    isOn: (i, context) => flags.isEnabled(keyOf[i], context),
    all: (context) => flags.evaluateAll(context),
    ruleMatched: (i, context) => flags.evaluate(flagKey(i), context).rule === 0,
    free: () => flags.free(),
  };
}
