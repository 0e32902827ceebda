export * from './index.js';
/**
 * Loads the wasm from a URL, `Response`, bytes or `WebAssembly.Module`; without one, fetches
 * the package's `wasm/darklaunch_bg.wasm` relative to the glue module's URL.
 */
export function init(moduleOrPath?: URL | string | Response | BufferSource | WebAssembly.Module): Promise<void>;
/** Synchronous variant, e.g. with the `WebAssembly.Module` a worker imports. */
export function initSync(options: { module: BufferSource | WebAssembly.Module }): unknown;
