//! Compiling rollouts: weights to cumulative bounds, percents to exposure units, stages
//! checked for order and for exposure that shrinks without an explicit rollback.

use alloc::vec::Vec;

use super::{check_entries, error, variant_id, Compiler};
use crate::error::{Error, ErrorKind};
use crate::eval::bucket::{
    exact_integer, percent_to_units, SaltedHasher, FULL_EXPOSURE, INCLUSION_KEY, VARIANT_KEY,
};
use crate::limits::{MAX_KEY_BYTES, MAX_STAGES, MAX_VARIANTS};
use crate::ruleset::json::Literal;
use crate::ruleset::path::Path;
use crate::ruleset::{model, AttributeRef, Exposure, Level, Rollout, Stage};
use crate::text::{concat, decimal};
use crate::time::parse_rfc3339_ms;

/// The largest total of weights: one in a million is the finest split.
const MAX_WEIGHT_TOTAL: u64 = 1_000_000;

impl Compiler {
    pub(super) fn rollout(
        &mut self,
        flag_key: &str,
        flag: &model::Flag,
        rollout: &model::Rollout,
        path: &Path<'_>,
    ) -> Result<Rollout, Error> {
        let by = match &rollout.by {
            Some(by) => self.attribute(by, &path.key("by"))?,
            None => AttributeRef::TargetingKey,
        };
        let salt = rollout.salt.as_deref().unwrap_or(flag_key);
        if salt.len() > MAX_KEY_BYTES {
            return Err(error(
                ErrorKind::LimitExceeded,
                &path.key("salt"),
                "salt too long",
            ));
        }
        let hasher = |key| {
            SaltedHasher::new(key, salt.as_bytes())
                .ok_or_else(|| error(ErrorKind::LimitExceeded, &path.key("salt"), "salt too long"))
        };
        let split = split(flag, &rollout.variants, &path.key("variants"))?;
        let otherwise = match &rollout.otherwise {
            Some(name) => variant_id(&flag.variants, name, &path.key("otherwise"))?,
            None => variant_id(&flag.variants, &flag.off, &path.key("otherwise"))?,
        };
        let exposure = match (&rollout.percent, &rollout.stages) {
            (Some(_), Some(_)) => {
                return Err(error(
                    ErrorKind::InvalidPercent,
                    &path.key("percent"),
                    "give percent or stages, not both",
                ))
            }
            (Some(percent), None) => Exposure::Fixed(Level::new(units(percent, &path.key("percent"))?)),
            (None, None) => Exposure::Fixed(Level::new(FULL_EXPOSURE)),
            (None, Some(stages)) => Exposure::Stages {
                stages: self::stages(stages, &path.key("stages"))?,
                linear: rollout.ramp == model::Ramp::Linear,
            },
        };
        Ok(Rollout {
            by,
            inclusion: hasher(INCLUSION_KEY)?,
            variant_choice: hasher(VARIANT_KEY)?,
            split,
            otherwise,
            exposure,
        })
    }
}

fn units(percent: &Literal, path: &Path<'_>) -> Result<u32, Error> {
    percent
        .number()
        .and_then(percent_to_units)
        .ok_or_else(|| error(ErrorKind::InvalidPercent, path, percent.text))
}

/// Variants sorted by name with cumulative bounds `floor(c_i × 2^64 / W)`; the last is 2^64.
fn split(
    flag: &model::Flag,
    weights: &model::Entries<Literal>,
    path: &Path<'_>,
) -> Result<Vec<(u128, crate::ruleset::VariantId)>, Error> {
    check_entries(weights, MAX_VARIANTS, path)?;
    let mut named = Vec::with_capacity(weights.0.len());
    for (name, weight) in &weights.0 {
        let at = path.key(name);
        let id = variant_id(&flag.variants, name, &at)?;
        let weight = weight
            .number()
            .and_then(exact_integer)
            .and_then(|w| u64::try_from(w).ok())
            .filter(|w| *w <= MAX_WEIGHT_TOTAL)
            .ok_or_else(|| error(ErrorKind::InvalidWeights, &at, weight.text))?;
        // Kept sorted by name (names are unique) as they come: at most MAX_VARIANTS of
        // them, and no sort algorithm compiled into the wasm module (~3 KB).
        let name = name.as_bytes();
        let at = named.partition_point(|(other, _, _)| *other < name);
        named.insert(at, (name, id, weight));
    }
    let total: u64 = named.iter().map(|(_, _, w)| w).sum();
    if total == 0 || total > MAX_WEIGHT_TOTAL {
        return Err(error(
            ErrorKind::InvalidWeights,
            path,
            &concat(&["total ", &decimal(total)]),
        ));
    }
    let mut cumulative = 0u64;
    Ok(named
        .into_iter()
        .map(|(_, id, weight)| {
            cumulative += weight;
            ((u128::from(cumulative) << 64) / u128::from(total), id)
        })
        .collect())
}

fn stages(stages: &[model::Stage], path: &Path<'_>) -> Result<Vec<Stage>, Error> {
    if stages.is_empty() {
        return Err(error(ErrorKind::UnorderedStages, path, "no stages"));
    }
    if stages.len() > MAX_STAGES {
        return Err(error(ErrorKind::LimitExceeded, path, "too many stages"));
    }
    let mut compiled: Vec<Stage> = Vec::with_capacity(stages.len());
    for (i, stage) in stages.iter().enumerate() {
        let at_path = path.index(i);
        let at = parse_rfc3339_ms(&stage.at)
            .ok_or_else(|| error(ErrorKind::InvalidTime, &at_path.key("at"), &stage.at))?;
        let units = units(&stage.percent, &at_path.key("percent"))?;
        if let Some(previous) = compiled.last() {
            if at <= previous.at {
                return Err(error(
                    ErrorKind::UnorderedStages,
                    &at_path,
                    "stage times must increase",
                ));
            }
            if units < previous.level.units && !stage.rollback {
                return Err(error(
                    ErrorKind::ShrinkingExposure,
                    &at_path,
                    "a lower percent needs \"rollback\": true",
                ));
            }
        }
        compiled.push(Stage {
            at,
            level: Level::new(units),
        });
    }
    Ok(compiled)
}
