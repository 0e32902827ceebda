//! Compiling conditions: exactly one shape per object, literals typed and parsed once.

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::{error, Compiler};
use crate::error::{Error, ErrorKind};
use crate::eval::condition::{
    Clause, Comparison, Condition, Scalar, ScalarSet, SemVerLiteral, StringSet, Test, Text,
};
use crate::eval::lowercase::caseless;
use crate::eval::semver;
use crate::limits::{MAX_CONDITIONS, MAX_CONDITION_DEPTH, MAX_LIST_VALUES, MAX_STRING_BYTES};
use crate::ruleset::json::{Kind, Literal};
use crate::ruleset::model;
use crate::ruleset::path::Path;
use crate::ruleset::SegmentId;
use crate::time::parse_rfc3339_ms;

/// Where a condition sits: segments may not refer to segments (so none can form a cycle).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    Flag,
    Segment,
}

/// Counts conditions per flag or segment against `MAX_CONDITIONS`.
pub(super) struct Budget(usize);

impl Budget {
    pub fn new() -> Self {
        Budget(0)
    }
}

impl Compiler {
    pub(super) fn condition(
        &mut self,
        condition: &model::Condition,
        path: &Path<'_>,
        scope: Scope,
        depth: usize,
        budget: &mut Budget,
    ) -> Result<Condition, Error> {
        budget.0 += 1;
        if budget.0 > MAX_CONDITIONS {
            return Err(error(ErrorKind::LimitExceeded, path, "too many conditions"));
        }
        if depth > MAX_CONDITION_DEPTH {
            return Err(error(
                ErrorKind::LimitExceeded,
                path,
                "conditions nested too deep",
            ));
        }
        let model::Condition {
            attr,
            op,
            value,
            values,
            negate,
            ignore_case,
            all,
            any,
            not,
            segment,
        } = condition;
        let clause_fields =
            op.is_some() || value.is_some() || values.is_some() || negate.is_some() || ignore_case.is_some();
        let shapes = usize::from(attr.is_some())
            + usize::from(all.is_some())
            + usize::from(any.is_some())
            + usize::from(not.is_some())
            + usize::from(segment.is_some());
        if shapes != 1 || (attr.is_none() && clause_fields) {
            return Err(error(
                ErrorKind::InvalidCondition,
                path,
                "a condition has exactly one of attr, all, any, not, segment",
            ));
        }
        if let Some(attr) = attr {
            return self.clause(condition, attr, path).map(Condition::Clause);
        }
        if let Some(children) = all {
            return self
                .group(children, &path.key("all"), scope, depth, budget)
                .map(Condition::All);
        }
        if let Some(children) = any {
            return self
                .group(children, &path.key("any"), scope, depth, budget)
                .map(Condition::Any);
        }
        if let Some(inner) = not {
            let inner = self.condition(inner, &path.key("not"), scope, depth + 1, budget)?;
            return Ok(Condition::Not(Box::new(inner)));
        }
        let name = segment.as_deref().unwrap_or_default();
        if scope == Scope::Segment {
            return Err(error(
                ErrorKind::InvalidCondition,
                path,
                "a segment cannot refer to a segment",
            ));
        }
        match self.segment_ids.get(name) {
            Some(id) => Ok(Condition::Segment(SegmentId(id))),
            None => Err(error(ErrorKind::UnknownSegment, path, name)),
        }
    }

    fn group(
        &mut self,
        children: &[model::Condition],
        path: &Path<'_>,
        scope: Scope,
        depth: usize,
        budget: &mut Budget,
    ) -> Result<Box<[Condition]>, Error> {
        let mut compiled = Vec::with_capacity(children.len().min(MAX_CONDITIONS));
        for (i, child) in children.iter().enumerate() {
            compiled.push(self.condition(child, &path.index(i), scope, depth + 1, budget)?);
        }
        Ok(compiled.into_boxed_slice())
    }

    fn clause(&mut self, condition: &model::Condition, attr: &str, path: &Path<'_>) -> Result<Clause, Error> {
        let attribute = self.attribute(attr, &path.key("attr"))?;
        let invalid = |detail: &str| error(ErrorKind::InvalidCondition, path, detail);
        let Some(op) = condition.op.as_deref() else {
            return Err(invalid("a clause needs an op"));
        };
        let ignore_case = condition.ignore_case.unwrap_or(false);
        let (test, inverted, takes_case) = match op {
            "eq" | "neq" => (
                Test::Equals(scalar(condition, ignore_case, path)?),
                op == "neq",
                true,
            ),
            "in" | "not_in" => (
                Test::In(scalar_set(condition, ignore_case, path)?),
                op == "not_in",
                true,
            ),
            "contains" => (Test::Contains(text(condition, ignore_case, path)?), false, true),
            "starts_with" => (Test::StartsWith(text(condition, ignore_case, path)?), false, true),
            "ends_with" => (Test::EndsWith(text(condition, ignore_case, path)?), false, true),
            "lt" | "lte" | "gt" | "gte" => (
                Test::Number(comparison(op), number(condition, path)?),
                false,
                false,
            ),
            "semver_eq" | "semver_lt" | "semver_lte" | "semver_gt" | "semver_gte" => {
                let literal = string_value(condition, path)?;
                let version = semver::parse(literal).ok_or_else(|| invalid("not a SemVer 2.0.0 version"))?;
                let literal = SemVerLiteral {
                    major: version.major,
                    minor: version.minor,
                    patch: version.patch,
                    pre: Box::from(version.pre),
                };
                (Test::SemVer(comparison(op), literal), false, false)
            }
            "before" | "after" => {
                let literal = string_value(condition, path)?;
                let instant = parse_rfc3339_ms(literal).ok_or_else(|| invalid("not an RFC 3339 time"))?;
                let test = if op == "before" {
                    Test::Before(instant)
                } else {
                    Test::After(instant)
                };
                (test, false, false)
            }
            "exists" => {
                if condition.value.is_some() || condition.values.is_some() {
                    return Err(invalid("exists takes no value"));
                }
                (Test::Exists, false, false)
            }
            _ => return Err(invalid("unknown operator")),
        };
        if condition.ignore_case.is_some() && !takes_case {
            return Err(invalid("ignore_case applies only to string operators"));
        }
        Ok(Clause {
            attribute,
            test,
            invert: inverted != condition.negate.unwrap_or(false),
        })
    }
}

/// From the operator's last `_`-separated word (`semver_gte`: `gte`). A byte search: core's
/// `rsplit` pattern machinery costs 600 bytes of the wasm module.
fn comparison(op: &str) -> Comparison {
    let last = match op.bytes().rposition(|b| b == b'_') {
        Some(at) => op.get(at + 1..).unwrap_or_default(),
        None => op,
    };
    match last {
        "lt" => Comparison::Less,
        "lte" => Comparison::LessOrEqual,
        "gt" => Comparison::Greater,
        "gte" => Comparison::GreaterOrEqual,
        _ => Comparison::Equal,
    }
}

/// The single `value` of a clause; `values` is not allowed with it.
fn single_value<'m, 'a>(
    condition: &'m model::Condition<'a>,
    path: &Path<'_>,
) -> Result<&'m Literal<'a>, Error> {
    match (&condition.value, &condition.values) {
        (Some(value), None) => Ok(value),
        _ => Err(error(
            ErrorKind::InvalidCondition,
            path,
            "this operator takes one \"value\"",
        )),
    }
}

fn string_value<'m>(condition: &'m model::Condition, path: &Path<'_>) -> Result<&'m str, Error> {
    let literal = single_value(condition, path)?
        .string()
        .ok_or_else(|| error(ErrorKind::InvalidCondition, path, "this operator takes a string"))?;
    if literal.len() > MAX_STRING_BYTES {
        return Err(error(ErrorKind::LimitExceeded, path, "string literal too long"));
    }
    Ok(literal)
}

fn text(condition: &model::Condition, ignore_case: bool, path: &Path<'_>) -> Result<Text, Error> {
    Ok(make_text(string_value(condition, path)?, ignore_case))
}

fn make_text(literal: &str, ignore_case: bool) -> Text {
    let text = if ignore_case {
        caseless(literal).into_boxed_str()
    } else {
        Box::from(literal)
    };
    Text { text, ignore_case }
}

fn number(condition: &model::Condition, path: &Path<'_>) -> Result<f64, Error> {
    single_value(condition, path)?
        .number()
        .ok_or_else(|| error(ErrorKind::InvalidCondition, path, "this operator takes a number"))
}

fn scalar(condition: &model::Condition, ignore_case: bool, path: &Path<'_>) -> Result<Scalar, Error> {
    match single_value(condition, path)?.kind {
        Kind::Bool(b) => Ok(Scalar::Bool(b)),
        Kind::Number(n) => Ok(Scalar::Number(n)),
        Kind::String(_) => text(condition, ignore_case, path).map(Scalar::String),
        _ => Err(error(
            ErrorKind::InvalidCondition,
            path,
            "eq takes a string, number or boolean",
        )),
    }
}

fn scalar_set(condition: &model::Condition, ignore_case: bool, path: &Path<'_>) -> Result<ScalarSet, Error> {
    let (None, Some(values)) = (&condition.value, &condition.values) else {
        return Err(error(
            ErrorKind::InvalidCondition,
            path,
            "in / not_in take \"values\": [...]",
        ));
    };
    if values.len() > MAX_LIST_VALUES {
        return Err(error(ErrorKind::LimitExceeded, path, "too many values"));
    }
    let mut set = ScalarSet {
        ignore_case,
        ..ScalarSet::default()
    };
    let mut strings = Vec::new();
    for value in values {
        match &value.kind {
            Kind::Bool(true) => set.has_true = true,
            Kind::Bool(false) => set.has_false = true,
            Kind::Number(n) => set.numbers.push(*n),
            Kind::String(s) if s.len() <= MAX_STRING_BYTES => {
                strings.push(make_text(s, ignore_case).text);
            }
            Kind::String(_) => return Err(error(ErrorKind::LimitExceeded, path, "string literal too long")),
            _ => {
                return Err(error(
                    ErrorKind::InvalidCondition,
                    path,
                    "values must be strings, numbers or booleans",
                ))
            }
        }
    }
    set.strings = StringSet::new(strings);
    Ok(set)
}
