// The three SDKs must agree before their timings mean anything: every SDK reports a rule
// match exactly for the users the rule describes, serves `true` then, and outside the rule
// turns each flag on for its rollout's share of users (each SDK hashes differently, so only
// the shares can be compared, within statistical noise).
import { PERCENTS, percentOf, ruleMatches } from './workload.mjs';

// Allowed distance of a share from its target, in standard errors: loose enough never to
// fail by chance (p ≈ 6e-7 per check), tight enough to catch a wrong percentage. The error
// is counted over users, not evaluations: one user's positions in the flags of one SDK may
// be correlated (GrowthBook's hash of seed + id is), so evaluations are not independent.
const SIGMAS = 5;

/** Checks one loaded SDK over `users`; throws with the first disagreement, else its shares. */
export function checkAgreement(name, engine, users, flagCount) {
  const on = new Map(PERCENTS.map((p) => [p, 0]));
  const total = new Map(PERCENTS.map((p) => [p, 0]));
  let outside = 0;
  for (const user of users) {
    if (!ruleMatches(user)) outside++;
    const context = engine.context(user);
    const expected = ruleMatches(user);
    for (let i = 0; i < flagCount; i++) {
      const matched = engine.ruleMatched(i, context);
      const value = engine.isOn(i, context);
      if (matched !== expected) {
        throw new Error(`${name}: flag ${i}, user ${JSON.stringify(user)}: rule match ${matched}, expected ${expected}`);
      }
      if (matched && value !== true) throw new Error(`${name}: flag ${i}, user ${user.userId}: rule matched but served ${value}`);
      if (!matched) {
        const percent = percentOf(i);
        total.set(percent, total.get(percent) + 1);
        if (value === true) on.set(percent, on.get(percent) + 1);
      }
    }
    engine.release(context);
  }
  const shares = {};
  for (const percent of PERCENTS) {
    const p = percent / 100;
    const share = on.get(percent) / total.get(percent);
    if (Math.abs(share - p) > SIGMAS * Math.sqrt((p * (1 - p)) / outside)) {
      throw new Error(`${name}: ${percent} % rollout served ${(share * 100).toFixed(3)} % of ${total.get(percent)} evaluations`);
    }
    shares[percent] = share;
  }
  return shares;
}
