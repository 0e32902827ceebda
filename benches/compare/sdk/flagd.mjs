// @openfeature/flagd-core: flagd's in-process evaluator (JSON Logic targeting).
import { flagdConfig } from '../workload.mjs';

export const name = 'flagd-core';

export const config = (n) => flagdConfig(n);

export const importSdk = () => import('@openfeature/flagd-core');

export function load(sdk, text) {
  const core = new sdk.FlagdCore();
  core.setConfigurations(text);
  const keys = [...core.getFlags().keys()];
  return {
    context: (user) => user,
    release: () => {},
    isOn: (i, user) => core.resolveBooleanEvaluation(keys[i], false, user).value,
    all: (user) => core.resolveAll(user),
    ruleMatched: (i, user) => core.resolveBooleanEvaluation(keys[i], false, user).variant === 'targeted',
    free: () => {},
  };
}
