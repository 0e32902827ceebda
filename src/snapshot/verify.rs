//! Verification of a signed snapshot, in the documented order (docs/snapshots.md), each
//! failure its own error code. Only bytes that pass every check are compiled, and only a
//! compiled ruleset is handed to the host.

use alloc::boxed::Box;

use alloc::string::String;
use alloc::vec::Vec;

use ed25519_dalek::Signature as Ed25519Signature;
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind};
use crate::eval::{Context, Evaluation, Reason};
use crate::ruleset::compile::{compile, decode};
use crate::ruleset::{FlagId, Ruleset};
use crate::snapshot::envelope::{pae, Envelope, PAYLOAD_TYPE};
use crate::snapshot::keyring::Keyring;
use crate::text::{concat, decimal};
use crate::time::parse_rfc3339_ms;

/// Default tolerance for a publisher's clock running ahead of the host's: 5 minutes.
pub const DEFAULT_CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;

/// What the host must persist about the last snapshot it accepted, to refuse rollbacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Accepted {
    /// The snapshot's `version`.
    pub version: u64,
    /// SHA-256 of the payload bytes.
    pub digest: [u8; 32],
}

/// The host's side of verification: where it runs, what time it is, what it accepted last.
#[derive(Clone, Copy, Debug)]
pub struct Policy<'a> {
    /// The `environment` a snapshot must name.
    pub environment: &'a str,
    /// The host's clock, in Unix milliseconds.
    pub now_ms: i64,
    /// The last accepted snapshot, if any: a new one must have a greater version.
    pub last: Option<Accepted>,
    /// How far in the future `issued_at` may be.
    pub max_clock_skew_ms: i64,
    /// Accept a snapshot past its `expires` (it then serves with reason `STALE`).
    pub allow_stale: bool,
}

impl<'a> Policy<'a> {
    /// A policy for `environment` at `now_ms`: no previous snapshot, 5 minutes of clock skew,
    /// expired snapshots refused.
    pub fn new(environment: &'a str, now_ms: i64) -> Self {
        Policy {
            environment,
            now_ms,
            last: None,
            max_clock_skew_ms: DEFAULT_CLOCK_SKEW_MS,
            allow_stale: false,
        }
    }
}

/// The signed facts about an accepted snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotInfo {
    /// Strictly increasing publish counter.
    pub version: u64,
    /// When it was signed (Unix ms).
    pub issued_at_ms: i64,
    /// When it stops being fresh (Unix ms).
    pub expires_ms: i64,
    /// The environment it is for.
    pub environment: Box<str>,
    /// SHA-256 of the payload bytes.
    pub digest: [u8; 32],
    /// Ids of the trusted keys whose signatures verified.
    pub key_ids: Vec<Box<str>>,
}

/// A verified, compiled snapshot: what a host serves from.
#[derive(Debug)]
pub struct Snapshot {
    ruleset: Ruleset,
    info: SnapshotInfo,
}

/// The result of offering a snapshot to [`verify`].
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Update {
    /// A newer snapshot: swap it in and persist [`Snapshot::accepted`].
    Accepted(Snapshot),
    /// The same version and the same bytes as the last accepted one: nothing to do.
    Unchanged,
}

impl Snapshot {
    /// The compiled ruleset.
    pub fn ruleset(&self) -> &Ruleset {
        &self.ruleset
    }

    /// The signed metadata.
    pub fn info(&self) -> &SnapshotInfo {
        &self.info
    }

    /// What the host persists to refuse rollbacks.
    pub fn accepted(&self) -> Accepted {
        Accepted {
            version: self.info.version,
            digest: self.info.digest,
        }
    }

    /// Whether the snapshot is past its `expires` at `now_ms`.
    pub fn is_expired(&self, now_ms: i64) -> bool {
        now_ms >= self.info.expires_ms
    }

    /// Evaluates a flag; past `expires` a served value carries reason `STALE`.
    pub fn evaluate(&self, key: &str, context: &Context, now_ms: i64) -> Evaluation<'_> {
        self.stale_if_expired(self.ruleset.evaluate(key, context, now_ms), now_ms)
    }

    /// As [`evaluate`](Snapshot::evaluate), by the id from [`Ruleset::flag_id`]: the hot path.
    pub fn evaluate_id(&self, id: FlagId, context: &Context, now_ms: i64) -> Evaluation<'_> {
        self.stale_if_expired(self.ruleset.evaluate_id(id, context, now_ms), now_ms)
    }

    fn stale_if_expired<'r>(&self, mut evaluation: Evaluation<'r>, now_ms: i64) -> Evaluation<'r> {
        if self.is_expired(now_ms) && evaluation.reason != Reason::Error {
            evaluation.reason = Reason::Stale;
        }
        evaluation
    }
}

fn fail(kind: ErrorKind, path: &str, detail: impl Into<String>) -> Error {
    Error::new(kind, String::from(path), detail.into())
}

/// Verifies a signed snapshot against a keyring and the host's policy, then compiles it.
///
/// Order (each step its own [`ErrorKind`]): envelope size and strict parse, payload type,
/// Ed25519 strict signatures from trusted keys, threshold of distinct keys, then the payload:
/// well-formed and supported schema, metadata present, environment, `issued_at` not in the
/// future beyond the skew, `expires` not passed (unless stale is allowed), version newer than
/// the last accepted (equal version: identical bytes are [`Update::Unchanged`], other bytes
/// are an error), and finally the ruleset compile.
pub fn verify(bytes: &[u8], keyring: &Keyring, policy: &Policy<'_>) -> Result<Update, Error> {
    let envelope = Envelope::parse(bytes)?;
    if envelope.payload_type != PAYLOAD_TYPE {
        return Err(fail(
            ErrorKind::WrongPayloadType,
            "/payloadType",
            envelope.payload_type,
        ));
    }
    let key_ids = verified_keys(&envelope, keyring)?;
    let payload = envelope.payload.as_slice();

    let document = decode(payload)?;
    let issued_at = time_field(document.issued_at.as_deref(), "/issued_at")?;
    let expires = time_field(document.expires.as_deref(), "/expires")?;
    let Some(version) = document.version else {
        return Err(fail(
            ErrorKind::MissingMetadata,
            "/version",
            "a snapshot needs a u64 version",
        ));
    };
    let Some(environment) = document.environment.as_deref() else {
        return Err(fail(
            ErrorKind::MissingMetadata,
            "/environment",
            "a snapshot names its environment",
        ));
    };
    if environment != policy.environment {
        return Err(fail(
            ErrorKind::WrongEnvironment,
            "/environment",
            // Plain quotes, not `{:?}`: Debug's escaping would pull Unicode tables into the
            // wasm module for a message meant for people.
            concat(&[
                "snapshot is for \"",
                environment,
                "\", this host is \"",
                policy.environment,
                "\"",
            ]),
        ));
    }
    if issued_at > policy.now_ms.saturating_add(policy.max_clock_skew_ms) {
        return Err(fail(
            ErrorKind::IssuedInFuture,
            "/issued_at",
            "issued after now plus the allowed clock skew",
        ));
    }
    if policy.now_ms >= expires && !policy.allow_stale {
        return Err(fail(ErrorKind::Expired, "/expires", "the snapshot has expired"));
    }
    let digest: [u8; 32] = Sha256::digest(payload).into();
    if let Some(last) = policy.last {
        if version < last.version {
            return Err(fail(
                ErrorKind::Rollback,
                "/version",
                concat(&[
                    "version ",
                    &decimal(version),
                    " is older than the accepted ",
                    &decimal(last.version),
                ]),
            ));
        }
        if version == last.version {
            if digest == last.digest {
                return Ok(Update::Unchanged);
            }
            return Err(fail(
                ErrorKind::VersionConflict,
                "/version",
                concat(&[
                    "version ",
                    &decimal(version),
                    " was already accepted with other contents",
                ]),
            ));
        }
    }
    let ruleset = compile(&document)?;
    let info = SnapshotInfo {
        version,
        issued_at_ms: issued_at,
        expires_ms: expires,
        environment: Box::from(environment),
        digest,
        key_ids,
    };
    Ok(Update::Accepted(Snapshot { ruleset, info }))
}

fn time_field(text: Option<&str>, path: &str) -> Result<i64, Error> {
    let text = text.ok_or_else(|| fail(ErrorKind::MissingMetadata, path, "an RFC 3339 time is required"))?;
    parse_rfc3339_ms(text).ok_or_else(|| fail(ErrorKind::InvalidTime, path, text))
}

/// The ids of the distinct trusted keys with a valid strict Ed25519 signature over the PAE;
/// at least the keyring's threshold of them.
fn verified_keys(envelope: &Envelope, keyring: &Keyring) -> Result<Vec<Box<str>>, Error> {
    let message = pae(&envelope.payload_type, &envelope.payload);
    let mut verified: Vec<(usize, Box<str>)> = Vec::new();
    for signature in &envelope.signatures {
        let Ok(bytes) = <[u8; 64]>::try_from(signature.sig.as_slice()) else {
            continue; // a wrong length never verifies
        };
        let signature_value = Ed25519Signature::from_bytes(&bytes);
        let signer = keyring
            .candidates(signature.keyid.as_deref())
            .find(|(_, _, key)| key.verify_strict(&message, &signature_value).is_ok());
        if let Some((index, id, _)) = signer {
            if !verified.iter().any(|(i, _)| *i == index) {
                verified.push((index, Box::from(id)));
            }
        }
    }
    if verified.is_empty() {
        return Err(fail(
            ErrorKind::SignatureInvalid,
            "/signatures",
            "no valid signature from a trusted key",
        ));
    }
    if verified.len() < keyring.threshold() {
        return Err(fail(
            ErrorKind::ThresholdNotMet,
            "/signatures",
            concat(&[
                &decimal(verified.len() as u64),
                " of ",
                &decimal(keyring.threshold() as u64),
                " required trusted keys signed",
            ]),
        ));
    }
    Ok(verified.into_iter().map(|(_, id)| id).collect())
}
