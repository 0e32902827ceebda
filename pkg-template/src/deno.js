// Deno: read the `.wasm` next to this file (works for local and npm: specifiers).
import { initSync } from '../wasm/darklaunch.js';

initSync({ module: await Deno.readFile(new URL('../wasm/darklaunch_bg.wasm', import.meta.url)) });
export * from './api.js';
export { buildInfo } from './build-info.js';
