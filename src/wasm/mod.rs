//! The WebAssembly bindings (feature `wasm`): the only `#[wasm_bindgen]` code in the crate.
//!
//! Thin and low-level on purpose; the npm package's `src/api.js` is the idiomatic face. The
//! bindings are shaped for the hot path (design §10): a context crosses the boundary once, as
//! JSON text, into a [`PreparedContext`]; flags are addressed by index; one evaluation returns
//! one packed `u32` ([`packed`]) that the JS side maps to values it read once at load
//! ([`LoadedSnapshot::catalog`]); `evaluateAll` fills a `Uint32Array` in one call. Time always
//! comes from JS. Nothing here panics on input: load errors become JS `Error`s with a `code`.

// The module needs an allocator and a panic handler. With the `wasm-module` feature (the npm
// package's build) the crate brings its own: talc (smaller than std's dlmalloc on this target,
// −2 KB gzipped, same speed in benches/ab.mjs), and a handler that traps. Without std, nothing formats panic messages or carries their
// file paths: 8 KB less gzipped. The library never panics on input by design (clippy lints
// in lib.rs), so a trap only marks a bug. Other wasm builds (the wasm-bindgen tests) link std.
#[cfg(not(all(feature = "wasm-module", target_arch = "wasm32")))]
extern crate std;

#[cfg(all(feature = "wasm-module", target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(all(feature = "wasm-module", target_arch = "wasm32"))]
#[panic_handler]
fn trap(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

mod context;
mod error;
mod json;
mod packed;
mod snapshot;

pub use context::PreparedContext;
pub use snapshot::{LoadedSnapshot, Verifier};

/// Host time: JS passes `Date.now()` (a double); out-of-range values saturate and NaN is 0.
fn millis(now: f64) -> i64 {
    now as i64
}
