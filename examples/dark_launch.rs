//! Walks the example dark launch (`examples/rulesets/dark-launch.json`) through its stages
//! for a population of 10,000 users, and shows that everyone let in stays in.
//!
//! `cargo run --example dark_launch -- examples/rulesets/dark-launch.json`

use std::collections::BTreeMap;
use std::process::ExitCode;

use darklaunch::{parse_rfc3339_ms, Context, Ruleset};

const POPULATION: usize = 10_000;
const MOMENTS: [(&str, &str, f64); 4] = [
    ("before launch", "2026-11-30T12:00:00Z", 0.0),
    ("stage 0", "2026-12-01T09:00:00Z", 1.0),
    ("stage 1", "2026-12-03T09:00:00Z", 5.0),
    ("stage 2", "2026-12-08T09:00:00Z", 30.0),
];

fn main() -> ExitCode {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/rulesets/dark-launch.json".into());
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let ruleset = match Ruleset::from_json(&bytes) {
        Ok(ruleset) => ruleset,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(1);
        }
    };
    println!("{path}: {} flags compiled", ruleset.len());

    let users: Vec<Context> = (0..POPULATION)
        .map(|i| Context::with_targeting_key(&format!("user-{i}")).with("appVersion", "4.3.0"))
        .collect();
    let mut previously_in = vec![false; POPULATION];
    let mut sticky = true;
    println!("\nnew-checkout for {POPULATION} users on app 4.3.0:");
    println!(
        "  {:<14} {:<22} {:>6} {:>8} {:>8}  checkout-copy split",
        "moment", "now", "on", "share", "target"
    );
    for (label, at, target) in MOMENTS {
        let Some(now) = parse_rfc3339_ms(at) else { continue };
        let mut on = 0;
        let mut copies: BTreeMap<&str, usize> = BTreeMap::new();
        for (user, was_in) in users.iter().zip(previously_in.iter_mut()) {
            let is_in = ruleset.evaluate("new-checkout", user, now).as_bool() == Some(true);
            sticky &= is_in || !*was_in;
            *was_in = is_in;
            on += usize::from(is_in);
            if is_in {
                let copy = ruleset.evaluate("checkout-copy", user, now);
                *copies.entry(copy.variant.unwrap_or("?")).or_default() += 1;
            }
        }
        let share = 100.0 * on as f64 / POPULATION as f64;
        println!("  {label:<14} {at:<22} {on:>6} {share:>7.2}% {target:>7.2}%  {copies:?}");
    }
    println!(
        "\nsticky: {}",
        if sticky {
            "every user let in stayed in"
        } else {
            "NO: a user dropped out"
        }
    );

    let Some(now) = parse_rfc3339_ms("2026-12-08T09:00:00Z") else {
        return ExitCode::FAILURE;
    };
    println!("\nexplain new-checkout at stage 2:");
    for (label, user) in [
        (
            "user-42, app 4.3.0",
            Context::with_targeting_key("user-42").with("appVersion", "4.3.0"),
        ),
        (
            "user-42, app 4.1.9",
            Context::with_targeting_key("user-42").with("appVersion", "4.1.9"),
        ),
        (
            "staff e-mail",
            Context::with_targeting_key("someone").with("email", "Ada@Example.com"),
        ),
    ] {
        let e = ruleset.evaluate("new-checkout", &user, now);
        let rule = match (e.rule, e.rule_id) {
            (Some(index), Some(id)) => format!("rule {index} ({id})"),
            (Some(index), None) => format!("rule {index}"),
            _ => "no rule".into(),
        };
        let bucket = e.bucket.map_or(String::new(), |b| {
            format!(
                ", position {} {} the {}% threshold (stage {})",
                b.position,
                if b.inside { "below" } else { "above" },
                f64::from(b.exposure) / 10_000.0,
                e.stage.map_or("-".into(), |s| s.to_string())
            )
        });
        println!(
            "  {label:<20} {:<4} {:<16} {rule}{bucket}",
            e.variant.unwrap_or("-"),
            e.reason.as_str()
        );
    }
    if sticky {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
