// No wasm is loaded at import: the app supplies it before `Flags.load`, e.g. a URL its
// bundler or CDN serves, a `Response`, bytes, or a compiled `WebAssembly.Module`.
import initWasm, { initSync } from '../wasm/darklaunch.js';

/** Loads the wasm from a URL, `Response`, bytes or `WebAssembly.Module`. */
export async function init(moduleOrPath) {
  await initWasm({ module_or_path: moduleOrPath });
}

export { initSync };
export * from './api.js';
export { buildInfo } from './build-info.js';
