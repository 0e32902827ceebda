//! Compiled conditions (plain data: enums and indices) and how they match a context.
//!
//! Type rules (docs/ruleset.md, "Type rules, precisely"): a missing attribute makes every
//! clause false except a negated `exists`; nothing is coerced; array attributes match when
//! any element does; `neq` / `not_in` are the inversions of `eq` / `in`.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;

use crate::eval::context::{AttributeValue, Context};
use crate::eval::evaluate::unit_id;
use crate::eval::lowercase::caseless;
use crate::eval::semver;
use crate::eval::table::StrTable;
use crate::eval::words::{same, word, Keyed};
use crate::limits::MAX_CONTEXT_STRING_BYTES;
use crate::ruleset::{AttributeRef, Ruleset, Segment, SegmentId};
use crate::time::parse_rfc3339_ms;

/// A compiled condition.
#[derive(Debug)]
pub enum Condition {
    Clause(Clause),
    All(Box<[Condition]>),
    Any(Box<[Condition]>),
    Not(Box<Condition>),
    Segment(SegmentId),
}

/// One attribute test. `invert` folds `neq`, `not_in` and `negate` into one bit.
#[derive(Debug)]
pub struct Clause {
    pub attribute: AttributeRef,
    pub test: Test,
    pub invert: bool,
}

/// The positive form of an operator, with its literal precompiled.
#[derive(Debug)]
pub enum Test {
    Exists,
    Equals(Scalar),
    In(ScalarSet),
    Contains(Text),
    StartsWith(Text),
    EndsWith(Text),
    Number(Comparison, f64),
    SemVer(Comparison, SemVerLiteral),
    /// Strictly before this instant (Unix milliseconds).
    Before(i64),
    /// Strictly after this instant (Unix milliseconds).
    After(i64),
}

/// How an attribute must compare with the literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

impl Comparison {
    fn holds(self, ordering: Ordering) -> bool {
        match self {
            Comparison::Equal => ordering == Ordering::Equal,
            Comparison::Less => ordering == Ordering::Less,
            Comparison::LessOrEqual => ordering != Ordering::Greater,
            Comparison::Greater => ordering == Ordering::Greater,
            Comparison::GreaterOrEqual => ordering != Ordering::Less,
        }
    }
}

/// A string literal; lowercased at compile time when the clause ignores case.
#[derive(Debug)]
pub struct Text {
    pub text: Box<str>,
    pub ignore_case: bool,
}

/// An `eq` literal.
#[derive(Debug)]
pub enum Scalar {
    Bool(bool),
    Number(f64),
    String(Text),
}

/// An `in` list, split by type.
#[derive(Debug, Default)]
pub struct ScalarSet {
    pub strings: StringSet,
    pub numbers: Vec<f64>,
    pub has_true: bool,
    pub has_false: bool,
    pub ignore_case: bool,
}

/// A SemVer literal, parsed at compile time (the prerelease text is kept to compare).
#[derive(Debug)]
pub struct SemVerLiteral {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: Box<str>,
}

impl SemVerLiteral {
    fn version(&self) -> semver::Version<'_> {
        semver::Version {
            major: self.major,
            minor: self.minor,
            patch: self.patch,
            pre: &self.pre,
        }
    }
}

impl Condition {
    /// Whether the context satisfies the condition. Recursion depth is bounded by
    /// `MAX_CONDITION_DEPTH` (checked at compile time); segments do not nest.
    pub fn matches(&self, ruleset: &Ruleset, context: &Context) -> bool {
        match self {
            Condition::Clause(clause) => clause.matches(ruleset, context),
            Condition::All(all) => all.iter().all(|c| c.matches(ruleset, context)),
            Condition::Any(any) => any.iter().any(|c| c.matches(ruleset, context)),
            Condition::Not(inner) => !inner.matches(ruleset, context),
            Condition::Segment(id) => ruleset
                .segment(*id)
                .is_some_and(|segment| segment.contains(ruleset, context)),
        }
    }
}

impl Clause {
    fn matches(&self, ruleset: &Ruleset, context: &Context) -> bool {
        let Some(value) = ruleset.attribute(self.attribute, context) else {
            // Missing: false, except that "not exists" holds.
            return matches!(self.test, Test::Exists) && self.invert;
        };
        let positive = match value {
            // Present is enough for `exists`, even as an empty array.
            _ if matches!(self.test, Test::Exists) => true,
            AttributeValue::List(items) => items.iter().any(|item| self.test.holds(item)),
            scalar => self.test.holds(scalar),
        };
        positive != self.invert
    }
}

impl Test {
    /// The positive test on one scalar (never a list).
    fn holds(&self, value: &AttributeValue) -> bool {
        match (self, value) {
            (Test::Equals(literal), value) => scalar_equals(literal, value),
            (Test::In(set), value) => set.contains(value),
            (Test::Contains(t), AttributeValue::String(s)) => with_case(s, t, |h, n| h.contains(n)),
            (Test::StartsWith(t), AttributeValue::String(s)) => with_case(s, t, |h, n| h.starts_with(n)),
            (Test::EndsWith(t), AttributeValue::String(s)) => with_case(s, t, |h, n| h.ends_with(n)),
            (Test::Number(cmp, literal), AttributeValue::Number(n)) => {
                n.partial_cmp(literal).is_some_and(|o| cmp.holds(o))
            }
            (Test::SemVer(cmp, literal), AttributeValue::String(s)) => {
                semver::parse(s).is_some_and(|v| cmp.holds(v.cmp(&literal.version())))
            }
            (Test::Before(instant), value) => instant_of(value).is_some_and(|t| t < *instant),
            (Test::After(instant), value) => instant_of(value).is_some_and(|t| t > *instant),
            _ => false,
        }
    }
}

fn scalar_equals(literal: &Scalar, value: &AttributeValue) -> bool {
    match (literal, value) {
        (Scalar::Bool(a), AttributeValue::Bool(b)) => a == b,
        (Scalar::Number(a), AttributeValue::Number(b)) => a == b,
        (Scalar::String(t), AttributeValue::String(s)) => with_case(s, t, same),
        _ => false,
    }
}

/// Strings to look up: a short list is scanned (cheaper than hashing, notably in wasm, where
/// 128-bit multiplies and byte-wise probing are emulated); a long one is a hash set, O(1).
#[derive(Debug)]
pub enum StringSet {
    Few(Box<[Keyed]>),
    Many(StrTable<Box<str>>),
}

/// Lists up to this long are scanned.
const FEW_STRINGS: usize = 8;

impl Default for StringSet {
    fn default() -> Self {
        StringSet::Few(Box::default())
    }
}

impl StringSet {
    pub fn new(strings: Vec<Box<str>>) -> Self {
        if strings.len() <= FEW_STRINGS {
            StringSet::Few(strings.into_iter().map(Keyed::from).collect())
        } else {
            StringSet::Many(strings.into_iter().collect())
        }
    }

    fn contains(&self, s: &str) -> bool {
        match self {
            StringSet::Few(strings) => {
                let head = word(s.as_bytes());
                strings.iter().any(|candidate| candidate.is(s, head))
            }
            StringSet::Many(strings) => strings.contains(s),
        }
    }
}

impl ScalarSet {
    fn contains(&self, value: &AttributeValue) -> bool {
        match value {
            AttributeValue::Bool(b) => {
                if *b {
                    self.has_true
                } else {
                    self.has_false
                }
            }
            AttributeValue::Number(n) => self.numbers.iter().any(|x| x == n),
            AttributeValue::String(s) if self.ignore_case => {
                lowercased(s, |lower| self.strings.contains(lower))
            }
            AttributeValue::String(s) => self.strings.contains(s),
            AttributeValue::List(_) => false,
        }
    }
}

/// An RFC 3339 string or a number of Unix milliseconds.
fn instant_of(value: &AttributeValue) -> Option<i64> {
    match value {
        AttributeValue::String(s) => parse_rfc3339_ms(s),
        AttributeValue::Number(n) if n.is_finite() && n.abs() < 9.2e18 => {
            // Floor without `f64::floor` (not in `core`): truncate, then step down for negatives.
            #[allow(clippy::cast_possible_truncation)]
            let truncated = *n as i64;
            #[allow(clippy::cast_precision_loss)]
            let floored = if (truncated as f64) > *n {
                truncated - 1
            } else {
                truncated
            };
            Some(floored)
        }
        _ => None,
    }
}

/// Applies a string test, lowercasing the attribute first when the literal ignores case.
fn with_case(haystack: &str, literal: &Text, test: impl Fn(&str, &str) -> bool) -> bool {
    if literal.ignore_case {
        lowercased(haystack, |lower| test(lower, &literal.text))
    } else {
        test(haystack, &literal.text)
    }
}

/// Calls `f` with `s` lowercased: ASCII on the stack, anything else in one allocation.
fn lowercased<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buffer = [0u8; MAX_CONTEXT_STRING_BYTES];
    if s.is_ascii() {
        if let Some(slot) = buffer.get_mut(..s.len()) {
            slot.copy_from_slice(s.as_bytes());
            slot.make_ascii_lowercase();
            if let Ok(lower) = core::str::from_utf8(slot) {
                return f(lower);
            }
        }
    }
    let lower: String = caseless(s);
    f(&lower)
}

impl Segment {
    /// Exclusion wins, then inclusion, then the segment's condition (if any).
    pub fn contains(&self, ruleset: &Ruleset, context: &Context) -> bool {
        let mut digits = [0u8; 20];
        let unit = ruleset
            .attribute(self.by, context)
            .and_then(|value| unit_id(value, &mut digits));
        if let Some(unit) = unit {
            if self.exclude.contains(unit) {
                return false;
            }
            if self.include.contains(unit) {
                return true;
            }
        }
        self.condition
            .as_ref()
            .is_some_and(|condition| condition.matches(ruleset, context))
    }
}
