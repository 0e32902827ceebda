// The workload of issue 8 / design §8, expressed once per SDK: 50 boolean flags, each
// `country in [DE, FR, NL] AND plan == "pro"` → on, else a rollout by user id at 1 / 5 / 30 %
// (cycling); 10,000 users {userId, country (20 codes), plan (free | pro | team)} from a fixed
// seed. Each SDK gets the same user objects; each buckets by `userId` salted with the flag key.

export const COUNTRIES = ['DE', 'FR', 'NL', 'US', 'GB', 'ES', 'IT', 'PL', 'SE', 'AT',
  'CH', 'BE', 'DK', 'NO', 'FI', 'IE', 'PT', 'CZ', 'JP', 'BR'];
export const PLANS = ['free', 'pro', 'team'];
export const TARGETED = ['DE', 'FR', 'NL'];
export const PERCENTS = [1, 5, 30];

export const flagKey = (i) => `flag-${i}`;
export const percentOf = (i) => PERCENTS[i % PERCENTS.length];

/** mulberry32: a small deterministic PRNG, so every run and every SDK sees the same users. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function users(n = 10_000, seed = 0x5eed) {
  const next = random(seed);
  return Array.from({ length: n }, () => ({
    userId: `user-${Math.floor(next() * 2 ** 32).toString(16).padStart(8, '0')}-${Math.floor(next() * 2 ** 32).toString(16).padStart(8, '0')}`,
    country: COUNTRIES[Math.floor(next() * COUNTRIES.length)],
    plan: PLANS[Math.floor(next() * PLANS.length)],
  }));
}

/** Whether the targeting rule matches: what every SDK must agree on. */
export const ruleMatches = (user) => TARGETED.includes(user.country) && user.plan === 'pro';

/** darklaunch ruleset (docs/ruleset.md); signed into a snapshot by the adapter. */
export function darklaunchRuleset(n = 50) {
  const flags = {};
  for (let i = 0; i < n; i++) {
    flags[flagKey(i)] = {
      variants: { on: true, off: false },
      off: 'off',
      rules: [{ if: { all: [
        { attr: 'country', op: 'in', values: TARGETED },
        { attr: 'plan', op: 'eq', value: 'pro' },
      ] }, serve: 'on' }],
      default: { rollout: { by: 'userId', variants: { on: 1 }, percent: percentOf(i) } },
    };
  }
  return { schema: 'darklaunch/v1', flags };
}

/** flagd flag definitions (JSON Logic targeting; `fractional` buckets flag key + userId).
 * The rule serves the variant `targeted` (also true) so a rule match is visible. */
export function flagdConfig(n = 50) {
  const flags = {};
  for (let i = 0; i < n; i++) {
    const percent = percentOf(i);
    flags[flagKey(i)] = {
      state: 'ENABLED',
      variants: { on: true, off: false, targeted: true },
      defaultVariant: 'off',
      targeting: { if: [
        { and: [{ in: [{ var: 'country' }, TARGETED] }, { '==': [{ var: 'plan' }, 'pro'] }] },
        'targeted',
        { fractional: [{ cat: [{ var: '$flagd.flagKey' }, { var: 'userId' }] }, ['on', percent], ['off', 100 - percent]] },
      ] },
    };
  }
  return JSON.stringify({ flags });
}

/** GrowthBook payload: a forced rule with a condition, then a rollout rule (coverage; hash
 * version 2, the current one). */
export function growthbookPayload(n = 50) {
  const features = {};
  for (let i = 0; i < n; i++) {
    features[flagKey(i)] = {
      defaultValue: false,
      rules: [
        { id: 'rule', condition: { country: { $in: TARGETED }, plan: 'pro' }, force: true },
        { id: 'rollout', force: true, coverage: percentOf(i) / 100, hashAttribute: 'userId', hashVersion: 2, seed: flagKey(i) },
      ],
    };
  }
  return { features };
}
