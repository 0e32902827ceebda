// One cold start, in a fresh process started by run.mjs: from just before importing the SDK
// to its first evaluation (import, load of the 50-flag configuration, one flag for one user).
// Prints milliseconds. Usage: node cold.mjs <module in sdk/> <config.json>
import { readFileSync } from 'node:fs';

const [module, file] = process.argv.slice(2);
const adapter = await import(`./sdk/${module}.mjs`);
const config = JSON.parse(readFileSync(file, 'utf8'));
const user = { userId: 'user-cold', country: 'DE', plan: 'free' };

const start = performance.now();
const engine = adapter.load(await adapter.importSdk(), config);
const context = engine.context(user);
engine.isOn(0, context);
const elapsed = performance.now() - start;
console.log(elapsed);
