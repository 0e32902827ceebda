// TypeScript in a CommonJS file: `require('darklaunch')` resolves the `types` + `require`
// condition (index.d.cts). package.test.mjs checks it with tsc, next to tests/types/usage.ts.
import darklaunch = require('darklaunch');

declare const bytes: Uint8Array;
const flags: darklaunch.Flags = darklaunch.Flags.load(bytes, { keys: {}, environment: 'prod' });
const evaluation: darklaunch.Evaluation = flags.evaluate('new-checkout', { targetingKey: 'user-42' });
const built: darklaunch.BuildInfo = darklaunch.buildInfo;
export = [evaluation, built];
