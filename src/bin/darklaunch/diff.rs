//! `darklaunch diff OLD NEW`: flags added, removed and changed, and per changed flag how many
//! units of a population flip.
//!
//! For a flag in both, each unit is evaluated in OLD and NEW at the same time and counted as
//! - on→off: OLD served a variant other than OLD's `off` variant, NEW serves NEW's `off`;
//! - off→on: the reverse;
//! - variant changed: any other difference (another non-off variant, another value under
//!   the same variant name, an error appearing or going away).
//!
//! A flag is changed when any unit's evaluation differs or its JSON differs. With
//! `--fail-on-shrink`, any on→off unit makes the exit code 1. Removed flags are listed but
//! not counted as shrinking (their callers get their own defaults, not the off variant).

use serde_json::{json, Value};

use crate::args::DiffArgs;
use crate::input::{load, off_variant, population, Input, Trust};
use crate::output::{print_json, Failure, OK, REJECTED};
use crate::time::{format_rfc3339, time_or_now};

#[derive(Default)]
struct Change {
    definition_changed: bool,
    on_to_off: usize,
    off_to_on: usize,
    variant_changed: usize,
}

impl Change {
    fn any(&self) -> bool {
        self.definition_changed || self.on_to_off + self.off_to_on + self.variant_changed > 0
    }
}

pub fn run(args: &DiffArgs) -> Result<u8, Failure> {
    let trust = Trust::from_args(&args.trust)?;
    let at = time_or_now("--at", args.at.as_deref())?;
    let units = population(&args.population)?;
    let old = load(&args.old, &trust, true)?;
    let new = load(&args.new, &trust, true)?;

    let old_flags: Vec<&str> = old.ruleset().flags().collect();
    let new_flags: Vec<&str> = new.ruleset().flags().collect();
    let added: Vec<&str> = new_flags
        .iter()
        .copied()
        .filter(|k| !old_flags.contains(k))
        .collect();
    let removed: Vec<&str> = old_flags
        .iter()
        .copied()
        .filter(|k| !new_flags.contains(k))
        .collect();
    let mut changed = Vec::new();
    let mut unchanged = Vec::new();
    for &flag in old_flags.iter().filter(|k| new_flags.contains(k)) {
        let change = compare(&old, &new, flag, &units, at);
        if change.any() {
            changed.push((flag, change));
        } else {
            unchanged.push(flag);
        }
    }
    let shrinks = changed.iter().any(|(_, c)| c.on_to_off > 0);
    let failed = args.fail_on_shrink && shrinks;

    if args.json {
        let changed_json: Vec<Value> = changed
            .iter()
            .map(|(flag, c)| {
                json!({
                    "flag": flag,
                    "definitionChanged": c.definition_changed,
                    "onToOff": c.on_to_off,
                    "offToOn": c.off_to_on,
                    "variantChanged": c.variant_changed,
                })
            })
            .collect();
        print_json(&json!({
            "ok": !failed,
            "old": args.old.display().to_string(),
            "new": args.new.display().to_string(),
            "at": format_rfc3339(at),
            "units": units.len(),
            "added": added,
            "removed": removed,
            "changed": changed_json,
            "unchanged": unchanged,
            "shrinks": shrinks,
        }));
    } else {
        println!(
            "{} → {} at {}, {} units",
            args.old.display(),
            args.new.display(),
            format_rfc3339(at),
            units.len()
        );
        for flag in &added {
            println!("  added      {flag}");
        }
        for flag in &removed {
            println!("  removed    {flag}");
        }
        for (flag, c) in &changed {
            println!(
                "  changed    {flag}: on→off {}, off→on {}, variant changed {}{}",
                c.on_to_off,
                c.off_to_on,
                c.variant_changed,
                if c.definition_changed {
                    " (definition changed)"
                } else {
                    ""
                }
            );
        }
        println!("  unchanged  {} flag(s)", unchanged.len());
        if shrinks {
            let note = if args.fail_on_shrink {
                "failing (--fail-on-shrink)"
            } else {
                "warning"
            };
            println!("exposure shrinks: some units go from a variant to the off variant ({note})");
        }
    }
    Ok(if failed { REJECTED } else { OK })
}

fn compare(old: &Input, new: &Input, flag: &str, units: &[(String, darklaunch::Context)], at: i64) -> Change {
    let old_json = old.flag_json(flag);
    let new_json = new.flag_json(flag);
    let old_off = old_json.and_then(off_variant);
    let new_off = new_json.and_then(off_variant);
    let mut change = Change {
        definition_changed: old_json != new_json,
        ..Change::default()
    };
    let (Some(old_id), Some(new_id)) = (old.ruleset().flag_id(flag), new.ruleset().flag_id(flag)) else {
        return change;
    };
    for (_, context) in units {
        let a = old.ruleset().evaluate_id(old_id, context, at);
        let b = new.ruleset().evaluate_id(new_id, context, at);
        if a.variant == b.variant && a.value == b.value && a.error == b.error {
            continue;
        }
        let was_on = a.variant.is_some() && a.variant != old_off;
        let was_off = a.variant.is_some() && a.variant == old_off;
        let is_on = b.variant.is_some() && b.variant != new_off;
        let is_off = b.variant.is_some() && b.variant == new_off;
        if was_on && is_off {
            change.on_to_off += 1;
        } else if was_off && is_on {
            change.off_to_on += 1;
        } else {
            change.variant_changed += 1;
        }
    }
    change
}
