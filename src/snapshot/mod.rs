//! Signed snapshots: a DSSE envelope around a ruleset payload, Ed25519 signatures from a
//! keyring of pinned keys, and the host policy (environment, expiry, anti-rollback).
//! See `docs/snapshots.md` for the format and `docs/keys.md` for key handling.

// The snapshot doc's host example runs as a doctest.
#[cfg(all(doctest, feature = "std"))]
#[doc = include_str!("../../docs/snapshots.md")]
struct SnapshotDocDoctests;

mod envelope;
mod keyring;
mod verify;

pub use envelope::{encode_base64, pae, Envelope, PAYLOAD_TYPE};
pub use keyring::Keyring;
pub use verify::{verify, Accepted, Policy, Snapshot, SnapshotInfo, Update, DEFAULT_CLOCK_SKEW_MS};
