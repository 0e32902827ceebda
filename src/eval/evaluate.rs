//! `Ruleset::evaluate`: kill switch, prerequisites, rules in order, default serve, rollouts.
//! Never panics, never fails: problems become `Reason::Error` with an `ErrorCode`.

use crate::eval::bucket::integer_text;
use crate::eval::context::{AttributeValue, Context};
use crate::eval::{Bucket, ErrorCode, Evaluation, Reason};
use crate::ruleset::{
    AttributeRef, Exposure, Flag, FlagId, Level, Rollout, Ruleset, Serve, Stage, ValueType, VariantId,
};

/// A served variant and what decided it, before it is turned into an [`Evaluation`].
struct Decision {
    variant: VariantId,
    reason: Reason,
    stage: Option<usize>,
    bucket: Option<Bucket>,
}

impl Ruleset {
    /// Evaluates a flag by key for a context at `now_ms` (Unix milliseconds, from the host).
    pub fn evaluate(&self, key: &str, context: &Context, now_ms: i64) -> Evaluation<'_> {
        match self.flag_id(key) {
            Some(id) => self.evaluate_id(id, context, now_ms),
            None => Evaluation::error(ErrorCode::FlagNotFound),
        }
    }

    /// As [`evaluate`](Ruleset::evaluate), for a caller that expects a value type (an
    /// OpenFeature typed resolver): a flag of another type gives `TYPE_MISMATCH`.
    pub fn evaluate_as(
        &self,
        key: &str,
        expected: ValueType,
        context: &Context,
        now_ms: i64,
    ) -> Evaluation<'_> {
        match self.flag_id(key) {
            // The context is checked first, as `evaluate_id` would: one order for every error.
            Some(_) if context.problem().is_some() => {
                Evaluation::error(context.problem().unwrap_or(ErrorCode::General))
            }
            Some(id) if self.value_type(id) != Some(expected) => Evaluation::error(ErrorCode::TypeMismatch),
            Some(id) => self.evaluate_id(id, context, now_ms),
            None => Evaluation::error(ErrorCode::FlagNotFound),
        }
    }

    /// Evaluates a flag by the id from [`flag_id`](Ruleset::flag_id): the hot path.
    pub fn evaluate_id(&self, id: FlagId, context: &Context, now_ms: i64) -> Evaluation<'_> {
        let Some(flag) = self.flag(id) else {
            return Evaluation::error(ErrorCode::FlagNotFound);
        };
        if let Some(problem) = context.problem() {
            return Evaluation::error(problem);
        }
        self.evaluate_flag(flag, context, now_ms)
    }

    /// Every flag, in document order, for one context.
    pub fn evaluate_all<'r>(
        &'r self,
        context: &'r Context,
        now_ms: i64,
    ) -> impl ExactSizeIterator<Item = (&'r str, Evaluation<'r>)> + 'r {
        self.flags.iter().map(move |flag| {
            let evaluation = match context.problem() {
                Some(problem) => Evaluation::error(problem),
                None => self.evaluate_flag(flag, context, now_ms),
            };
            (&*flag.key, evaluation)
        })
    }

    fn evaluate_flag<'r>(&'r self, flag: &'r Flag, context: &Context, now_ms: i64) -> Evaluation<'r> {
        if !flag.enabled {
            return served(flag, decided(flag.off, Reason::Disabled), None);
        }
        for &(prerequisite, required) in &flag.prerequisites {
            // Acyclic and depth-limited by the compiler, so this recursion is bounded.
            if self.serves(prerequisite, required, context, now_ms) {
                continue;
            }
            let mut evaluation = served(flag, decided(flag.off, Reason::Default), None);
            evaluation.failed_prerequisite = self.flag(prerequisite).map(|f| &*f.key);
            return evaluation;
        }
        for (index, rule) in flag.rules.iter().enumerate() {
            if rule.condition.matches(self, context) {
                return match self.decide(&rule.serve, Reason::TargetingMatch, context, now_ms) {
                    Ok(decision) => served(flag, decision, Some((index, rule.id.as_deref()))),
                    Err(code) => Evaluation::error(code),
                };
            }
        }
        let reason = if flag.is_static {
            Reason::Static
        } else {
            Reason::Default
        };
        match self.decide(&flag.default, reason, context, now_ms) {
            Ok(decision) => served(flag, decision, None),
            Err(code) => Evaluation::error(code),
        }
    }

    /// Whether a prerequisite flag serves the required variant (an error counts as "no").
    fn serves(&self, id: FlagId, required: VariantId, context: &Context, now_ms: i64) -> bool {
        let Some(flag) = self.flag(id) else { return false };
        let evaluation = self.evaluate_flag(flag, context, now_ms);
        let required_name = flag.variant(required).map(|v| &*v.name);
        evaluation.variant.is_some() && evaluation.variant == required_name
    }

    fn decide(
        &self,
        serve: &Serve,
        fixed_reason: Reason,
        context: &Context,
        now_ms: i64,
    ) -> Result<Decision, ErrorCode> {
        match serve {
            Serve::Variant(variant) => Ok(decided(*variant, fixed_reason)),
            Serve::Rollout(rollout) => self.bucket(rollout, context, now_ms),
        }
    }

    fn bucket(&self, rollout: &Rollout, context: &Context, now_ms: i64) -> Result<Decision, ErrorCode> {
        let missing = match rollout.by {
            AttributeRef::TargetingKey => ErrorCode::TargetingKeyMissing,
            AttributeRef::Named(_) => ErrorCode::InvalidContext,
        };
        let value = self.attribute(rollout.by, context).ok_or(missing)?;
        let mut digits = [0u8; 20];
        let unit = unit_id(value, &mut digits).ok_or(ErrorCode::InvalidContext)?;
        let position = rollout
            .inclusion
            .position(unit.as_bytes())
            .ok_or(ErrorCode::InvalidContext)?;
        let (level, stage) = exposure_at(&rollout.exposure, now_ms);
        let inside = u128::from(position) < level.threshold;
        let variant = if !inside {
            rollout.otherwise
        } else if let [(_, only)] = rollout.split.as_slice() {
            *only
        } else {
            let choice = rollout
                .variant_choice
                .position(unit.as_bytes())
                .ok_or(ErrorCode::InvalidContext)?;
            let choice = u128::from(choice);
            rollout
                .split
                .iter()
                .find(|(bound, _)| choice < *bound)
                .or(rollout.split.last())
                .map(|(_, id)| *id)
                .ok_or(ErrorCode::General)?
        };
        Ok(Decision {
            variant,
            reason: Reason::Split,
            stage,
            bucket: Some(Bucket {
                position,
                exposure: level.units,
                inside,
            }),
        })
    }
}

/// The unit id of a bucketing attribute: a string, or an integer as decimal text.
pub(crate) fn unit_id<'v>(value: &'v AttributeValue, digits: &'v mut [u8; 20]) -> Option<&'v str> {
    match value {
        AttributeValue::String(s) => Some(s),
        AttributeValue::Number(n) => integer_text(*n, digits),
        _ => None,
    }
}

/// The exposure and the active stage index at `now_ms`.
fn exposure_at(exposure: &Exposure, now_ms: i64) -> (Level, Option<usize>) {
    let (stages, linear) = match exposure {
        Exposure::Fixed(level) => return (*level, None),
        Exposure::Stages { stages, linear } => (stages, *linear),
    };
    let started = stages.partition_point(|stage| stage.at <= now_ms);
    let Some(active) = started.checked_sub(1) else {
        return (Level::new(0), None);
    };
    let (Some(current), next) = (stages.get(active), stages.get(started)) else {
        return (Level::new(0), None);
    };
    match next {
        Some(next) if linear => (Level::new(interpolate(current, next, now_ms)), Some(active)),
        _ => (current.level, Some(active)),
    }
}

/// `units_i + (units_j − units_i) × (now − at_i) ÷ (at_j − at_i)`, floored, in exact integers.
fn interpolate(from: &Stage, to: &Stage, now_ms: i64) -> u32 {
    let (from_units, to_units) = (from.level.units, to.level.units);
    let span = i128::from(to.at) - i128::from(from.at);
    let elapsed = i128::from(now_ms) - i128::from(from.at);
    let delta = i128::from(to_units) - i128::from(from_units);
    if span <= 0 {
        return from_units;
    }
    let units = i128::from(from_units) + (delta * elapsed).div_euclid(span);
    u32::try_from(units.clamp(0, i128::from(u32::MAX))).unwrap_or(from_units)
}

fn decided(variant: VariantId, reason: Reason) -> Decision {
    Decision {
        variant,
        reason,
        stage: None,
        bucket: None,
    }
}

fn served<'r>(flag: &'r Flag, decision: Decision, rule: Option<(usize, Option<&'r str>)>) -> Evaluation<'r> {
    let Some(variant) = flag.variant(decision.variant) else {
        return Evaluation::error(ErrorCode::General);
    };
    Evaluation {
        value: Some(&variant.value),
        variant: Some(&variant.name),
        reason: decision.reason,
        error: None,
        rule: rule.map(|(index, _)| index),
        rule_id: rule.and_then(|(_, id)| id),
        stage: decision.stage,
        bucket: decision.bucket,
        failed_prerequisite: None,
    }
}
