//! `darklaunch simulate`: the share of a population per variant of one flag at each time,
//! and how many units join or leave the off variant from one time to the next.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use crate::args::SimulateArgs;
use crate::input::{load, off_variant, population, stage_times, variant_names, Trust};
use crate::output::{number, percent, print_json, Failure, OK};
use crate::time::{format_rfc3339, now_ms, parse_time};

struct Moment {
    at: i64,
    counts: Vec<usize>,
    errors: BTreeMap<&'static str, usize>,
    stages: BTreeSet<usize>,
    joined: usize,
    left: usize,
}

pub fn run(args: &SimulateArgs) -> Result<u8, Failure> {
    let trust = Trust::from_args(&args.trust)?;
    let mut times = args
        .at
        .iter()
        .map(|text| parse_time("--at", text))
        .collect::<Result<Vec<_>, _>>()?;
    let units = population(&args.population)?;
    let input = load(&args.input, &trust, true)?;
    let ruleset = input.ruleset();
    let (Some(id), Some(flag)) = (ruleset.flag_id(&args.flag), input.flag_json(&args.flag)) else {
        return Err(flag_not_found(&input.file, &args.flag, ruleset.flags()));
    };
    let from_stages = times.is_empty();
    if from_stages {
        times = stage_times(&args.flag, flag);
        if times.is_empty() {
            times.push(now_ms());
        }
    }
    let variants = variant_names(flag);
    let off = off_variant(flag);

    let mut was_on = vec![false; units.len()];
    let mut moments = Vec::new();
    for (step, &at) in times.iter().enumerate() {
        let mut moment = Moment {
            at,
            counts: vec![0; variants.len()],
            errors: BTreeMap::new(),
            stages: BTreeSet::new(),
            joined: 0,
            left: 0,
        };
        for ((_, context), was_on) in units.iter().zip(was_on.iter_mut()) {
            let evaluation = ruleset.evaluate_id(id, context, at);
            if let Some(stage) = evaluation.stage {
                moment.stages.insert(stage);
            }
            match evaluation
                .variant
                .and_then(|v| variants.iter().position(|name| name == v))
            {
                Some(index) => moment.counts[index] += 1,
                None => {
                    let code = evaluation.error.map_or("GENERAL", |c| c.as_str());
                    *moment.errors.entry(code).or_default() += 1;
                }
            }
            let is_on = evaluation.variant.is_some() && evaluation.variant != off;
            if step > 0 {
                moment.joined += usize::from(is_on && !*was_on);
                moment.left += usize::from(!is_on && *was_on);
            }
            *was_on = is_on;
        }
        moments.push(moment);
    }

    let total = units.len();
    let unit_label = match (&args.population.ids, units.first(), units.last()) {
        (Some(path), _, _) => format!("{total} units from {}", path.display()),
        (None, Some((first, _)), Some((last, _))) => format!("{total} users ({first} .. {last})"),
        _ => format!("{total} units"),
    };
    let signed = input.info().map_or_else(
        || String::from("unsigned ruleset"),
        |info| format!("snapshot version {}", info.version),
    );
    if args.json {
        let times: Vec<Value> = moments
            .iter()
            .map(|m| {
                let mut counts = Map::new();
                let mut shares = Map::new();
                for (name, &count) in variants.iter().zip(&m.counts) {
                    counts.insert(name.clone(), json!(count));
                    shares.insert(name.clone(), number(count as f64 * 100.0 / total as f64));
                }
                json!({
                    "at": format_rfc3339(m.at),
                    "stages": m.stages,
                    "counts": counts,
                    "percent": shares,
                    "errors": m.errors,
                    "joined": m.joined,
                    "left": m.left,
                })
            })
            .collect();
        print_json(&json!({
            "file": input.file.display().to_string(),
            "flag": args.flag,
            "unsigned": input.info().is_none(),
            "snapshotVersion": input.info().map(|i| i.version),
            "units": total,
            "variants": variants,
            "off": off,
            "timesFromStages": from_stages,
            "times": times,
        }));
        return Ok(OK);
    }

    println!(
        "{} in {} ({signed}), {unit_label}",
        args.flag,
        input.file.display()
    );
    if from_stages {
        println!("(times: the flag's stage starts; give --at to choose)");
    }
    let mut header = format!("{:<24} {:<6}", "time", "stage");
    for name in &variants {
        header.push_str(&format!(" {:>18}", name));
    }
    let any_errors = moments.iter().any(|m| !m.errors.is_empty());
    if any_errors {
        header.push_str(&format!(" {:>18}", "(error)"));
    }
    header.push_str(&format!(" {:>8} {:>8}", "joined", "left"));
    println!("{header}");
    for m in &moments {
        let stages = if m.stages.is_empty() {
            String::from("-")
        } else {
            m.stages
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut line = format!("{:<24} {:<6}", format_rfc3339(m.at), stages);
        for &count in &m.counts {
            line.push_str(&format!(
                " {:>18}",
                format!("{count} ({})", percent(count, total))
            ));
        }
        if any_errors {
            let errors: usize = m.errors.values().sum();
            line.push_str(&format!(
                " {:>18}",
                format!("{errors} ({})", percent(errors, total))
            ));
        }
        line.push_str(&format!(" {:>8} {:>8}", m.joined, m.left));
        println!("{line}");
    }
    Ok(OK)
}

pub fn flag_not_found<'a>(
    file: &std::path::Path,
    flag: &str,
    flags: impl Iterator<Item = &'a str>,
) -> Failure {
    let known: Vec<&str> = flags.take(20).collect();
    Failure {
        exit: crate::output::REJECTED,
        code: "FLAG_NOT_FOUND".into(),
        file: Some(file.display().to_string()),
        path: String::from("--flag"),
        message: format!("no flag {flag:?} (flags: {})", known.join(", ")),
    }
}
