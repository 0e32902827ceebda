// The side-by-side benchmark (benches/compare, `make bench-compare`) is only meaningful while
// darklaunch, flagd-core and GrowthBook agree on its workload: the same rule matches and the
// rollout shares. This checks that agreement on 2,000 of its users, without timing anything.
import assert from 'node:assert/strict';
import test from 'node:test';

import { checkAgreement } from '../../benches/compare/agree.mjs';
import * as darklaunch from '../../benches/compare/sdk/darklaunch.mjs';
import * as flagd from '../../benches/compare/sdk/flagd.mjs';
import * as growthbook from '../../benches/compare/sdk/growthbook.mjs';
import { PERCENTS, users } from '../../benches/compare/workload.mjs';

const FLAGS = 50;
const USERS = users(2000);

for (const adapter of [darklaunch, flagd, growthbook]) {
  test(`${adapter.name} agrees with the workload's rule and rollout shares`, async () => {
    const engine = adapter.load(await adapter.importSdk(), adapter.config(FLAGS));
    try {
      const shares = checkAgreement(adapter.name, engine, USERS, FLAGS);
      assert.deepEqual(Object.keys(shares).map(Number), PERCENTS);
      const context = engine.context(USERS[0]);
      assert.equal(Object.keys(engine.all(context)).length, FLAGS);
      engine.release(context);
    } finally {
      engine.free();
    }
  });
}

test('a wrong rollout share is caught', () => {
  const wrong = {
    context: (user) => user,
    release: () => {},
    ruleMatched: (_, user) => ['DE', 'FR', 'NL'].includes(user.country) && user.plan === 'pro',
    isOn: (i, user) => (['DE', 'FR', 'NL'].includes(user.country) && user.plan === 'pro') || (i % 3 === 0 && user.userId.endsWith('0')),
  };
  assert.throws(() => checkAgreement('wrong', wrong, USERS, FLAGS), /1 % rollout served/);
});
