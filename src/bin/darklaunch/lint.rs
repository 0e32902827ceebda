//! `darklaunch lint`: the library's compile (errors, exit 1), then heuristics over the JSON
//! that the compiled ruleset does not expose (warnings and info). The heuristics only run on
//! a ruleset that compiled, so they can rely on its shape.

use std::collections::BTreeSet;

use darklaunch::Ruleset;
use serde_json::{json, Value};

use crate::args::LintArgs;
use crate::input::{is_envelope, pointer_escape, serves};
use crate::output::{print_json, read, Failure, OK, REJECTED};
use crate::time::{day_of, time_or_now};

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Error,
    Warning,
    Info,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }
}

struct Finding {
    level: Level,
    code: &'static str,
    path: String,
    message: String,
}

pub fn run(args: &LintArgs) -> Result<u8, Failure> {
    let now_ms = time_or_now("--now", args.now.as_deref())?;
    let bytes = read(&args.ruleset)?;
    let findings = match Ruleset::from_json(&bytes) {
        Err(e) => {
            let mut message = String::from(e.kind().description());
            if !e.detail().is_empty() {
                message.push_str(&format!(" ({})", e.detail()));
            }
            if is_envelope(&bytes) {
                message.push_str("; this looks like a signed snapshot: lint the ruleset it was signed from");
            }
            vec![Finding {
                level: Level::Error,
                code: e.code(),
                path: e.path().to_string(),
                message,
            }]
        }
        Ok(_) => {
            let document: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            heuristics(&document, day_of(now_ms))
        }
    };

    let count = |level| findings.iter().filter(|f| f.level == level).count();
    let (errors, warnings, infos) = (count(Level::Error), count(Level::Warning), count(Level::Info));
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    let file = args.ruleset.display().to_string();
    if args.json {
        let list: Vec<Value> = findings
            .iter()
            .map(|f| json!({ "level": f.level.as_str(), "code": f.code, "path": f.path, "message": f.message }))
            .collect();
        print_json(&json!({
            "ok": !failed,
            "file": file,
            "errors": errors,
            "warnings": warnings,
            "info": infos,
            "findings": list,
        }));
    } else {
        for f in &findings {
            let line = format!(
                "{file}: {}[{}] {}: {}",
                f.level.as_str(),
                f.code,
                f.path,
                f.message
            );
            if f.level == Level::Error {
                eprintln!("{line}");
            } else {
                println!("{line}");
            }
        }
        let verdict = if errors > 0 {
            "does not compile"
        } else if failed {
            "compiles, but --deny-warnings"
        } else {
            "ok"
        };
        println!("{file}: {verdict} ({errors} errors, {warnings} warnings, {infos} info)");
    }
    Ok(if failed { REJECTED } else { OK })
}

fn heuristics(document: &Value, today: i64) -> Vec<Finding> {
    let mut findings = Vec::new();
    let empty = serde_json::Map::new();
    let flags = document.get("flags").and_then(Value::as_object).unwrap_or(&empty);
    let segments = document
        .get("segments")
        .and_then(Value::as_object)
        .unwrap_or(&empty);

    let mut used_segments = BTreeSet::new();
    for (key, flag) in flags {
        let base = format!("/flags/{}", pointer_escape(key));
        let rules = flag.get("rules").and_then(Value::as_array);
        for rule in rules.into_iter().flatten() {
            if let Some(condition) = rule.get("if") {
                collect_segments(condition, &mut used_segments);
            }
        }
        for (path, serve) in serves(key, flag) {
            rollback_stages(&path, serve, &mut findings);
        }

        let no_rules = rules.is_none_or(Vec::is_empty);
        let no_prerequisites = flag
            .get("prerequisites")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty);
        if let (true, true, Some(variant)) = (
            no_rules,
            no_prerequisites,
            flag.get("default").and_then(Value::as_str),
        ) {
            findings.push(Finding {
                level: Level::Info,
                code: "STATIC_FLAG",
                path: format!("{base}/default"),
                message: format!(
                    "no rules or prerequisites: every context gets {variant:?}; consider removing the flag once launched"
                ),
            });
        }

        let metadata = flag.get("metadata");
        if metadata
            .and_then(|m| m.get("owner"))
            .and_then(Value::as_str)
            .is_none()
        {
            findings.push(Finding {
                level: Level::Warning,
                code: "MISSING_OWNER",
                path: if metadata.is_some() {
                    format!("{base}/metadata")
                } else {
                    base.clone()
                },
                message: format!("flag {key:?} has no metadata.owner: nobody is answerable for it"),
            });
        }
        let remove_by = metadata.and_then(|m| m.get("remove_by")).and_then(Value::as_str);
        if let Some((date, day)) = remove_by.and_then(|d| Some((d, darklaunch::parse_date(d)?))) {
            if today > day {
                findings.push(Finding {
                    level: Level::Warning,
                    code: "REMOVE_BY_PASSED",
                    path: format!("{base}/metadata/remove_by"),
                    message: format!("temporary flag {key:?} was to be removed by {date}"),
                });
            }
        }
    }

    for name in segments.keys() {
        if !used_segments.contains(name.as_str()) {
            findings.push(Finding {
                level: Level::Warning,
                code: "UNUSED_SEGMENT",
                path: format!("/segments/{}", pointer_escape(name)),
                message: format!("segment {name:?} is not used by any flag"),
            });
        }
    }
    findings.sort_by_key(|f| f.level);
    findings
}

/// Segment names a condition refers to (segments cannot nest, so flags' rules are enough).
fn collect_segments<'v>(condition: &'v Value, used: &mut BTreeSet<&'v str>) {
    if let Some(name) = condition.get("segment").and_then(Value::as_str) {
        used.insert(name);
    }
    for group in ["all", "any"] {
        for inner in condition
            .get(group)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            collect_segments(inner, used);
        }
    }
    if let Some(inner) = condition.get("not") {
        collect_segments(inner, used);
    }
}

/// A warning for each stage marked `"rollback": true`: exposure shrinks on purpose.
fn rollback_stages(path: &str, serve: &Value, findings: &mut Vec<Finding>) {
    let Some(stages) = serve
        .get("rollout")
        .and_then(|r| r.get("stages"))
        .and_then(Value::as_array)
    else {
        return;
    };
    let mut previous: Option<f64> = None;
    for (i, stage) in stages.iter().enumerate() {
        let percent = stage.get("percent").and_then(Value::as_f64).unwrap_or_default();
        if stage.get("rollback").and_then(Value::as_bool) == Some(true) {
            let at = stage.get("at").and_then(Value::as_str).unwrap_or("?");
            let from = previous.map_or_else(|| String::from("the previous stage"), |p| format!("{p}%"));
            findings.push(Finding {
                level: Level::Warning,
                code: "ROLLBACK_STAGE",
                path: format!("{path}/rollout/stages/{i}"),
                message: format!(
                    "exposure shrinks on purpose at {at}: from {from} to {percent}%; the units in between lose the rollout's variants"
                ),
            });
        }
        previous = Some(percent);
    }
}
