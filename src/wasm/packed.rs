//! One evaluation as one `u32`, so the hot path returns a plain number to JS:
//!
//! | bits | field | encoding |
//! |---|---|---|
//! | 0–6 | variant | index in the flag's variants + 1; 0 = none |
//! | 7–9 | reason | `Reason as u32` (names in the catalog) |
//! | 10–12 | error | `ErrorCode as u32` + 1; 0 = none |
//! | 13–22 | rule | rule index + 1; 0 = none |
//! | 23–29 | stage | stage index + 1; 0 = none |
//!
//! `src/api.js` (`unpack`) decodes the same layout.

use alloc::string::String;

use super::json;
use crate::limits::{MAX_RULES, MAX_STAGES, MAX_VARIANTS};
use crate::text::push_decimal;
use crate::{ErrorCode, Evaluation, Reason};

const VARIANT_BITS: u32 = 7;
const RULE_BITS: u32 = 10;
const STAGE_BITS: u32 = 7;
const REASON_SHIFT: u32 = VARIANT_BITS;
const ERROR_SHIFT: u32 = REASON_SHIFT + 3;
const RULE_SHIFT: u32 = ERROR_SHIFT + 3;
const STAGE_SHIFT: u32 = RULE_SHIFT + RULE_BITS;

// Every index the limits allow fits its field.
const _: () = assert!(MAX_VARIANTS < (1 << VARIANT_BITS) - 1);
const _: () = assert!(MAX_RULES < (1 << RULE_BITS) - 1);
const _: () = assert!(MAX_STAGES < (1 << STAGE_BITS) - 1);

const REASONS: [Reason; 7] = [
    Reason::Static,
    Reason::TargetingMatch,
    Reason::Split,
    Reason::Disabled,
    Reason::Default,
    Reason::Stale,
    Reason::Error,
];

const ERROR_CODES: [ErrorCode; 6] = [
    ErrorCode::FlagNotFound,
    ErrorCode::TypeMismatch,
    ErrorCode::ParseError,
    ErrorCode::TargetingKeyMissing,
    ErrorCode::InvalidContext,
    ErrorCode::General,
];

/// `index + 1` in a field of `bits` bits, 0 for none (saturating; the limits keep it exact).
fn optional_index(index: Option<usize>, bits: u32) -> u32 {
    index.map_or(0, |i| {
        u32::try_from(i + 1).unwrap_or(u32::MAX).min((1 << bits) - 1)
    })
}

/// The packed error field of a code.
pub(crate) fn error_code(code: Option<ErrorCode>) -> u32 {
    code.map_or(0, |code| code as u32 + 1)
}

/// Packs an evaluation whose variant is the `variant`-th of its flag.
pub(crate) fn pack(evaluation: &Evaluation<'_>, variant: Option<usize>) -> u32 {
    optional_index(variant, VARIANT_BITS)
        | (evaluation.reason as u32) << REASON_SHIFT
        | error_code(evaluation.error) << ERROR_SHIFT
        | optional_index(evaluation.rule, RULE_BITS) << RULE_SHIFT
        | optional_index(evaluation.stage, STAGE_BITS) << STAGE_SHIFT
}

/// Appends the names JS needs to decode the reason and error fields, as JSON:
/// `{"errors": [[code, name], …], "reasons": [[code, name], …]}`.
pub(crate) fn names(out: &mut String) {
    let errors = ERROR_CODES.iter().map(|e| (error_code(Some(*e)), e.as_str()));
    let reasons = REASONS.iter().map(|r| (*r as u32, r.as_str()));
    out.push_str("{\"errors\":");
    pairs(out, errors);
    out.push_str(",\"reasons\":");
    pairs(out, reasons);
    out.push('}');
}

fn pairs<'a>(out: &mut String, pairs: impl Iterator<Item = (u32, &'a str)>) {
    out.push('[');
    for (i, (code, name)) in pairs.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        push_decimal(out, u64::from(code));
        out.push(',');
        json::string(out, name);
        out.push(']');
    }
    out.push(']');
}
