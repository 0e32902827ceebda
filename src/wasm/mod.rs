//! The WebAssembly bindings (feature `wasm`): the only `#[wasm_bindgen]` code in the crate.
//!
//! Thin and low-level on purpose; the npm package's `src/api.js` is the idiomatic face. The
//! bindings are shaped for the hot path (design §10): a context crosses the boundary once, as
//! JSON text, into a [`PreparedContext`]; flags are addressed by index; one evaluation returns
//! one packed `u32` ([`packed`]) that the JS side maps to values it read once at load
//! ([`LoadedSnapshot::catalog`]); `evaluateAll` fills a `Uint32Array` in one call. Time always
//! comes from JS. Nothing here panics on input: load errors become JS `Error`s with a `code`.

// The module needs an allocator and a panic handler; on wasm32-unknown-unknown std provides
// both. The core stays `no_std`.
extern crate std;

mod context;
mod error;
mod packed;
mod snapshot;

pub use context::PreparedContext;
pub use snapshot::{LoadedSnapshot, Verifier};

/// Host time: JS passes `Date.now()` (a double); out-of-range values saturate and NaN is 0.
fn millis(now: f64) -> i64 {
    now as i64
}
