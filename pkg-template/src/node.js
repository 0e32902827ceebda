// Node: read the `.wasm` next to this file and compile it synchronously at import.
import { readFileSync } from 'node:fs';
import { initSync } from '../wasm/darklaunch.js';

initSync({ module: readFileSync(new URL('../wasm/darklaunch_bg.wasm', import.meta.url)) });
export * from './api.js';
export { buildInfo } from './build-info.js';
