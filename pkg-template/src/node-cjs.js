// Node's require(): build.mjs bundles this file with the glue and api.js into one CommonJS
// file, src/node.cjs (no import.meta there), which reads the `.wasm` next to itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSync } from '../wasm/darklaunch.js';

initSync({ module: readFileSync(join(__dirname, '../wasm/darklaunch_bg.wasm')) });
export * from './api.js';
export { buildInfo } from './build-info.js';
