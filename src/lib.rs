//! **darklaunch** evaluates feature flags at the edge: in CDN workers, browsers and Node
//! (through WebAssembly) and natively, against a ruleset that product teams keep in git.
//! Its rollouts are *sticky*: a user let in at 1% stays in at 5% and 30%, and keeps their
//! variant while the launch widens.
//!
//! # Data flow
//!
//! ```text
//! snapshot bytes ─► Envelope::parse ─► verify(keyring, policy) ─► verified payload bytes
//!     ─► decode (own JSON reader, bounded) ─► model (plain data) ─► compile (validate, intern,
//!     precompute thresholds, index flags) ─► Ruleset (immutable, inside a Snapshot)
//!     ─► Ruleset::evaluate(flag, &Context, now_ms) ─► Evaluation { value, variant, reason, … }
//! ```
//!
//! Tools and tests may compile an unsigned ruleset with [`Ruleset::from_json`]; hosts that
//! serve traffic load signed snapshots with [`snapshot::verify`] (see `docs/snapshots.md`).
//!
//! Errors happen only at load time ([`Error`], with a stable code and a JSON Pointer).
//! Evaluation never fails and never panics: an unknown flag or a bad context gives
//! [`Reason::Error`] with an [`ErrorCode`], and the caller's default applies. The host
//! passes the time in; the core reads no clock, does no I/O and has no randomness.
//!
//! # Example
//!
//! ```
//! use darklaunch::{Context, Reason, Ruleset};
//!
//! let ruleset = Ruleset::from_json(br#"{
//!   "schema": "darklaunch/v1",
//!   "flags": {
//!     "new-checkout": {
//!       "variants": { "on": true, "off": false }, "off": "off",
//!       "rules": [ { "if": { "attr": "country", "op": "in", "values": ["DE", "FR"] }, "serve": "on" } ],
//!       "default": { "rollout": { "variants": { "on": 1 }, "percent": 5 } }
//!     }
//!   }
//! }"#)?;
//!
//! let now_ms = 1_796_115_600_000; // 2026-12-01T09:00:00Z, from the host's clock
//! let user = Context::with_targeting_key("user-42").with("country", "DE");
//! let evaluation = ruleset.evaluate("new-checkout", &user, now_ms);
//! assert_eq!(evaluation.as_bool(), Some(true));
//! assert_eq!(evaluation.reason, Reason::TargetingMatch);
//!
//! let unknown = ruleset.evaluate("no-such-flag", &user, now_ms);
//! assert_eq!(unknown.reason, Reason::Error);
//! # Ok::<(), darklaunch::Error>(())
//! ```
//!
//! The format is documented in `docs/ruleset.md`, the bucketing algorithm (with test
//! vectors another language can check) in `docs/bucketing.md`.
//!
//! # Modules
//!
//! - `ruleset`: the JSON reader and wire model, the compiler and the immutable [`Ruleset`];
//! - `eval`: [`Context`], condition matching, bucketing, [`Evaluation`];
//! - [`bucket`]: the published bucketing algorithm, for tools and other languages;
//! - [`limits`]: every cap on untrusted input;
//! - [`snapshot`]: signed snapshots: DSSE envelope, [`snapshot::Keyring`], [`snapshot::verify`]
//!   with the host's [`snapshot::Policy`];
//! - `error`: load errors ([`Error`], [`ErrorKind`]); `time`: RFC 3339 parsing;
//!   `decimal`: JSON number text to f64, correctly rounded.
//!
//! # Crate features
//!
//! - `std` (default): implements `std::error::Error`. Without it the crate is `no_std` +
//!   `alloc` (checked in CI by building for `wasm32v1-none`).
//! - `wasm`: the wasm-bindgen bindings ([`wasm`]) the npm package is built from (`make pkg`).
//! - `wasm-module`: `wasm` as the package's standalone module: no std, its own allocator and
//!   a panic handler that traps (smaller: nothing formats panic messages).
//! - `cli`: the `darklaunch` command-line tool (`src/bin/darklaunch/`): keygen, sign,
//!   verify, lint, eval, simulate, diff. Never part of the library's no_std / wasm builds.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

// The README's examples run as doctests, so they cannot drift from the code.
#[cfg(all(doctest, feature = "std"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod decimal;
mod error;
mod eval;
pub mod limits;
mod ruleset;
pub mod snapshot;
mod text;
mod time;
#[cfg(feature = "wasm")]
pub mod wasm;

/// The published bucketing algorithm (`docs/bucketing.md`).
pub mod bucket {
    pub use crate::eval::bucket::{
        is_inside, percent_to_units, position, threshold, variant_position, FULL_EXPOSURE, INCLUSION_KEY,
        VARIANT_KEY,
    };
}

pub use error::{Error, ErrorKind};
pub use eval::{AttributeValue, Bucket, Context, ErrorCode, Evaluation, Reason, TARGETING_KEY};
pub use ruleset::{FlagId, FlagValue, JsonText, Metadata, Ruleset, ValueType, SCHEMA};
pub use time::{parse_date, parse_rfc3339_ms};
