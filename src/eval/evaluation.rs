//! What an evaluation returns: a value and the reason for it, in OpenFeature's vocabulary.

use crate::ruleset::FlagValue;

/// Why a value was served (OpenFeature resolution reasons).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    /// The flag has no rules and no prerequisites: its value cannot depend on the context.
    Static,
    /// A targeting rule matched and served a fixed variant.
    TargetingMatch,
    /// A rollout (pseudorandom, sticky bucketing) decided.
    Split,
    /// The flag's kill switch is off: the off variant was served.
    Disabled,
    /// No rule matched and the default serve was a fixed variant, or a prerequisite was not
    /// met and the off variant was served.
    Default,
    /// Served from a snapshot past its expiry (set by hosts, never by the core).
    Stale,
    /// No value: see the error code; the caller's default applies.
    Error,
}

impl Reason {
    /// The OpenFeature spelling, e.g. `"TARGETING_MATCH"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Reason::Static => "STATIC",
            Reason::TargetingMatch => "TARGETING_MATCH",
            Reason::Split => "SPLIT",
            Reason::Disabled => "DISABLED",
            Reason::Default => "DEFAULT",
            Reason::Stale => "STALE",
            Reason::Error => "ERROR",
        }
    }
}

/// Why an evaluation has no value (OpenFeature error codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// No flag with that key.
    FlagNotFound,
    /// The caller asked for a type the flag's variants do not have.
    TypeMismatch,
    /// The context text was not JSON (set by [`Context::from_json`](crate::Context::from_json)).
    ParseError,
    /// A rollout buckets by `targetingKey` and the context has none.
    TargetingKeyMissing,
    /// The context is not an object, is over the limits, or a rollout's bucketing attribute
    /// is missing or not a string / integer.
    InvalidContext,
    /// Anything else; used by host layers, never by the core.
    General,
}

impl ErrorCode {
    /// The OpenFeature spelling, e.g. `"FLAG_NOT_FOUND"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::FlagNotFound => "FLAG_NOT_FOUND",
            ErrorCode::TypeMismatch => "TYPE_MISMATCH",
            ErrorCode::ParseError => "PARSE_ERROR",
            ErrorCode::TargetingKeyMissing => "TARGETING_KEY_MISSING",
            ErrorCode::InvalidContext => "INVALID_CONTEXT",
            ErrorCode::General => "GENERAL",
        }
    }
}

/// Where a unit fell in a rollout: enough to explain the decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bucket {
    /// The unit's inclusion position in `[0, 2^64)` (see `docs/bucketing.md`).
    pub position: u64,
    /// The exposure in millionths (percent × 10,000) at the evaluation time.
    pub exposure: u32,
    /// Whether `position` is below the threshold for `exposure`.
    pub inside: bool,
}

/// The result of evaluating one flag. Borrowed from the ruleset, so it costs no allocation.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct Evaluation<'r> {
    /// The served value; `None` exactly when `reason` is [`Reason::Error`].
    pub value: Option<&'r FlagValue>,
    /// The served variant's name.
    pub variant: Option<&'r str>,
    /// Why this value (OpenFeature reason).
    pub reason: Reason,
    /// Why there is no value, when `reason` is [`Reason::Error`].
    pub error: Option<ErrorCode>,
    /// Index of the targeting rule that matched.
    pub rule: Option<usize>,
    /// The `id` of that rule, if it has one.
    pub rule_id: Option<&'r str>,
    /// Index of the active stage of the rollout that decided, if it has stages and one is active.
    pub stage: Option<usize>,
    /// The rollout position, when a rollout decided.
    pub bucket: Option<Bucket>,
    /// The key of the prerequisite that was not met, when that is why `off` was served.
    pub failed_prerequisite: Option<&'r str>,
}

impl<'r> Evaluation<'r> {
    pub(crate) fn error(code: ErrorCode) -> Self {
        Evaluation {
            value: None,
            variant: None,
            reason: Reason::Error,
            error: Some(code),
            rule: None,
            rule_id: None,
            stage: None,
            bucket: None,
            failed_prerequisite: None,
        }
    }

    /// The explanation every host shows, under OpenFeature-style names: `variant`, `reason`,
    /// `errorCode`, `rule`, `ruleId`, `stage`, `failedPrerequisite`. Hosts add their own
    /// fields (the value, the bucket in their units) to this one shared base.
    pub fn details_json(&self) -> serde_json::Map<alloc::string::String, serde_json::Value> {
        let serde_json::Value::Object(fields) = serde_json::json!({
            "variant": self.variant,
            "reason": self.reason.as_str(),
            "errorCode": self.error.map(ErrorCode::as_str),
            "rule": self.rule,
            "ruleId": self.rule_id,
            "stage": self.stage,
            "failedPrerequisite": self.failed_prerequisite,
        }) else {
            return serde_json::Map::new();
        };
        fields
    }

    /// The value as a boolean, if it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Some(FlagValue::Bool(b)) => Some(*b),
            _ => None,
        }
    }
}
