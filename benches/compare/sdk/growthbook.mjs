// @growthbook/growthbook: the multi-user client (one client, a user context per call).
import { flagKey, growthbookPayload } from '../workload.mjs';

export const name = 'growthbook';

// Text, as it arrives over the network: parsing is part of loading for every SDK.
export const config = (n) => JSON.stringify(growthbookPayload(n));

export const importSdk = () => import('@growthbook/growthbook');

export function load(sdk, text) {
  const payload = JSON.parse(text);
  const client = new sdk.GrowthBookClient().initSync({ payload });
  const keys = Object.keys(payload.features);
  return {
    context: (user) => ({ attributes: user }),
    release: () => {},
    isOn: (i, context) => client.isOn(keys[i], context),
    // No bulk call: every flag's result for the user context.
    all(context) {
      const all = {};
      for (const key of keys) all[key] = client.evalFeature(key, context);
      return all;
    },
    ruleMatched: (i, context) => client.evalFeature(flagKey(i), context).ruleId === 'rule',
    free: () => client.destroy(),
  };
}
