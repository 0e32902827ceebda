// workerd (Cloudflare Workers): the runtime refuses to compile wasm from bytes, so the
// `.wasm` is imported as a module (bundled by wrangler / declared in the workerd config).
import module from '../wasm/darklaunch_bg.wasm';
import { initSync } from '../wasm/darklaunch.js';

initSync({ module });
export * from './api.js';
export { buildInfo } from './build-info.js';
