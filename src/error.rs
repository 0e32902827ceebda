//! Load-time errors: the only errors darklaunch has. Evaluation never fails; it reports a
//! [`Reason`](crate::Reason) and an [`ErrorCode`](crate::ErrorCode) instead.

use alloc::string::String;
use core::fmt;

use crate::text::concat;

/// What went wrong while loading a ruleset. Each kind has a stable [`code`](ErrorKind::code)
/// that hosts, CI pipelines and the JS layer can match on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The document is over [`MAX_RULESET_BYTES`](crate::limits::MAX_RULESET_BYTES).
    TooLarge,
    /// Not well-formed JSON, or nested deeper than the JSON depth limit.
    InvalidJson,
    /// Well-formed JSON, but a field is missing, unknown, or of the wrong type.
    InvalidFormat,
    /// `schema` is not `darklaunch/v1`.
    UnsupportedSchema,
    /// A key appears twice in one object, or two rules of a flag share an id.
    DuplicateKey,
    /// A key or attribute name breaks the naming rules.
    InvalidKey,
    /// A reference to a variant the flag does not have.
    UnknownVariant,
    /// A reference to a segment the ruleset does not have.
    UnknownSegment,
    /// A prerequisite names a flag the ruleset does not have.
    UnknownFlag,
    /// Prerequisites form a cycle.
    PrerequisiteCycle,
    /// A flag's variants are not all of one type, or one is `null`.
    VariantTypeMismatch,
    /// Rollout weights are negative, fractional, or total 0 or too much.
    InvalidWeights,
    /// A percent is out of 0–100, or both `percent` and `stages` are given.
    InvalidPercent,
    /// Stage times are not strictly increasing, or there are no stages.
    UnorderedStages,
    /// A stage lowers the exposure without `"rollback": true`.
    ShrinkingExposure,
    /// A condition is malformed: shape, operator, literal type or literal syntax.
    InvalidCondition,
    /// A time or date does not parse, or `remove_by` is set on a flag that is not temporary.
    InvalidTime,
    /// A count or length is over one of the limits in [`limits`](crate::limits).
    LimitExceeded,
    /// The snapshot envelope is over [`MAX_ENVELOPE_BYTES`](crate::limits::MAX_ENVELOPE_BYTES).
    EnvelopeTooLarge,
    /// The envelope is not a strict DSSE envelope (JSON, fields, base64, trailing data).
    MalformedEnvelope,
    /// The envelope has no signatures, or more than [`MAX_SIGNATURES`](crate::limits::MAX_SIGNATURES).
    SignatureCount,
    /// `payloadType` is not the darklaunch snapshot type.
    WrongPayloadType,
    /// No signature verifies under a trusted key.
    SignatureInvalid,
    /// Fewer distinct trusted keys signed than the keyring's threshold.
    ThresholdNotMet,
    /// The payload lacks `version`, `issued_at`, `expires` or `environment`.
    MissingMetadata,
    /// The snapshot is for another environment.
    WrongEnvironment,
    /// `issued_at` is further in the future than the allowed clock skew.
    IssuedInFuture,
    /// The snapshot is past `expires` and the host does not allow stale snapshots.
    Expired,
    /// The version is older than the last accepted one.
    Rollback,
    /// The version equals the last accepted one but the bytes differ.
    VersionConflict,
    /// A public key or keyring setting was refused (malformed, weak, duplicate, threshold).
    KeyRejected,
}

impl ErrorKind {
    /// The stable, machine-readable code, e.g. `"UNKNOWN_VARIANT"`.
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::TooLarge => "TOO_LARGE",
            ErrorKind::InvalidJson => "INVALID_JSON",
            ErrorKind::InvalidFormat => "INVALID_FORMAT",
            ErrorKind::UnsupportedSchema => "UNSUPPORTED_SCHEMA",
            ErrorKind::DuplicateKey => "DUPLICATE_KEY",
            ErrorKind::InvalidKey => "INVALID_KEY",
            ErrorKind::UnknownVariant => "UNKNOWN_VARIANT",
            ErrorKind::UnknownSegment => "UNKNOWN_SEGMENT",
            ErrorKind::UnknownFlag => "UNKNOWN_FLAG",
            ErrorKind::PrerequisiteCycle => "PREREQUISITE_CYCLE",
            ErrorKind::VariantTypeMismatch => "VARIANT_TYPE_MISMATCH",
            ErrorKind::InvalidWeights => "INVALID_WEIGHTS",
            ErrorKind::InvalidPercent => "INVALID_PERCENT",
            ErrorKind::UnorderedStages => "UNORDERED_STAGES",
            ErrorKind::ShrinkingExposure => "SHRINKING_EXPOSURE",
            ErrorKind::InvalidCondition => "INVALID_CONDITION",
            ErrorKind::InvalidTime => "INVALID_TIME",
            ErrorKind::LimitExceeded => "LIMIT_EXCEEDED",
            ErrorKind::EnvelopeTooLarge => "ENVELOPE_TOO_LARGE",
            ErrorKind::MalformedEnvelope => "MALFORMED_ENVELOPE",
            ErrorKind::SignatureCount => "SIGNATURE_COUNT",
            ErrorKind::WrongPayloadType => "WRONG_PAYLOAD_TYPE",
            ErrorKind::SignatureInvalid => "SIGNATURE_INVALID",
            ErrorKind::ThresholdNotMet => "THRESHOLD_NOT_MET",
            ErrorKind::MissingMetadata => "MISSING_METADATA",
            ErrorKind::WrongEnvironment => "WRONG_ENVIRONMENT",
            ErrorKind::IssuedInFuture => "ISSUED_IN_FUTURE",
            ErrorKind::Expired => "EXPIRED",
            ErrorKind::Rollback => "ROLLBACK",
            ErrorKind::VersionConflict => "VERSION_CONFLICT",
            ErrorKind::KeyRejected => "KEY_REJECTED",
        }
    }

    /// A one-line description of the kind, for people.
    pub const fn description(self) -> &'static str {
        match self {
            ErrorKind::TooLarge => "document is over the size limit",
            ErrorKind::InvalidJson => "document is not well-formed JSON",
            ErrorKind::InvalidFormat => "field missing, unknown, or of the wrong type",
            ErrorKind::UnsupportedSchema => "unsupported schema (expected \"darklaunch/v1\")",
            ErrorKind::DuplicateKey => "duplicate key",
            ErrorKind::InvalidKey => "invalid key or attribute name",
            ErrorKind::UnknownVariant => "unknown variant",
            ErrorKind::UnknownSegment => "unknown segment",
            ErrorKind::UnknownFlag => "unknown flag",
            ErrorKind::PrerequisiteCycle => "prerequisites form a cycle",
            ErrorKind::VariantTypeMismatch => "variants must all have one type and not be null",
            ErrorKind::InvalidWeights => "weights must be non-negative integers with a total of 1 to 1000000",
            ErrorKind::InvalidPercent => "percent must be a number from 0 to 100, given once",
            ErrorKind::UnorderedStages => "stages must be non-empty with strictly increasing times",
            ErrorKind::ShrinkingExposure => "stage lowers the exposure without \"rollback\": true",
            ErrorKind::InvalidCondition => "invalid condition",
            ErrorKind::InvalidTime => "invalid time or date",
            ErrorKind::LimitExceeded => "over a limit",
            ErrorKind::EnvelopeTooLarge => "snapshot envelope is over the size limit",
            ErrorKind::MalformedEnvelope => "not a valid DSSE envelope",
            ErrorKind::SignatureCount => "wrong number of signatures",
            ErrorKind::WrongPayloadType => "unexpected payloadType",
            ErrorKind::SignatureInvalid => "no valid signature from a trusted key",
            ErrorKind::ThresholdNotMet => "not enough distinct trusted keys signed",
            ErrorKind::MissingMetadata => "snapshot metadata missing",
            ErrorKind::WrongEnvironment => "snapshot is for another environment",
            ErrorKind::IssuedInFuture => "snapshot issued in the future",
            ErrorKind::Expired => "snapshot expired",
            ErrorKind::Rollback => "snapshot version is older than the accepted one",
            ErrorKind::VersionConflict => "same version, different contents",
            ErrorKind::KeyRejected => "public key or keyring refused",
        }
    }
}

/// A ruleset that could not be loaded: a stable [`kind`](Error::kind), a
/// [`path`](Error::path) to the offending value (a JSON Pointer, or `line L column C` for
/// malformed JSON) and a human-readable [`detail`](Error::detail).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    path: String,
    detail: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, path: String, detail: String) -> Self {
        Error { kind, path, detail }
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Shorthand for `self.kind().code()`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Where: a JSON Pointer (RFC 6901) such as `/flags/new-checkout/rules/0/serve`, or
    /// `line 3 column 7` for JSON that does not parse.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// More about what was found, e.g. the name of the unknown variant. May be empty.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl Error {
    /// `CODE at PATH: description (detail)`, the text of `Display` and of the JS error's
    /// message; the detail and its parentheses only when there is one.
    pub(crate) fn message(&self) -> String {
        let mut out = concat(&[
            self.kind.code(),
            " at ",
            &self.path,
            ": ",
            self.kind.description(),
        ]);
        if !self.detail.is_empty() {
            out.push_str(" (");
            out.push_str(&self.detail);
            out.push(')');
        }
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use alloc::string::{String, ToString};

    use super::{Error, ErrorKind};

    #[test]
    fn message_has_the_detail_in_parentheses_only_when_there_is_one() {
        let with = Error::new(
            ErrorKind::UnknownVariant,
            String::from("/flags/a/off"),
            String::from("x"),
        );
        assert_eq!(
            with.to_string(),
            "UNKNOWN_VARIANT at /flags/a/off: unknown variant (x)"
        );
        let without = Error::new(ErrorKind::Expired, String::from("/expires"), String::new());
        assert_eq!(without.to_string(), "EXPIRED at /expires: snapshot expired");
        assert_eq!(without.message(), without.to_string());
    }
}
