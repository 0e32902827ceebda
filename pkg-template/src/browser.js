// Browsers and other fetch-capable runtimes: fetch the `.wasm` next to this file. Bundlers
// (Vite, esbuild, webpack) see `new URL(..., import.meta.url)` and emit the asset.
import init from '../wasm/darklaunch.js';

await init({ module_or_path: new URL('../wasm/darklaunch_bg.wasm', import.meta.url) });
export * from './api.js';
export { buildInfo } from './build-info.js';
