//! `darklaunch eval`: one flag, one context, the whole evaluation as JSON.

use darklaunch::{Context, Evaluation, Reason};
use serde_json::{json, Value};

use crate::args::EvalArgs;
use crate::input::{load, Input, Source, Trust};
use crate::output::{hex, number, print_json, read, Failure, OK, REJECTED};
use crate::time::{format_rfc3339, time_or_now};

pub fn run(args: &EvalArgs) -> Result<u8, Failure> {
    let now_ms = time_or_now("--now", args.now.as_deref())?;
    let context = context(&args.context)?;
    let trust = Trust {
        keyring: args.keyring.as_deref(),
        environment: args.environment.as_deref(),
        now_ms,
        allow_stale: args.allow_stale,
        last: None,
    };
    let input = load(&args.snapshot, &trust, args.unsigned)?;
    let evaluation = match &input.source {
        Source::Snapshot(snapshot) => snapshot.evaluate(&args.flag, &context, now_ms),
        Source::Plain(ruleset) => ruleset.evaluate(&args.flag, &context, now_ms),
    };
    let mut output = evaluation_json(&args.flag, &evaluation);
    if let Value::Object(map) = &mut output {
        map.insert("now".into(), json!(format_rfc3339(now_ms)));
        map.insert("metadata".into(), metadata(&input, &args.flag));
        map.insert("unsigned".into(), json!(input.info().is_none()));
        map.insert("snapshot".into(), snapshot_json(&input, now_ms));
    }
    print_json(&output);
    if input.info().is_none() {
        eprintln!(
            "darklaunch eval: warning: {} is an UNSIGNED ruleset (--unsigned): for local debugging only",
            args.snapshot.display()
        );
    }
    Ok(if evaluation.reason == Reason::Error {
        REJECTED
    } else {
        OK
    })
}

/// `--context`: a JSON object, or `@FILE`.
fn context(text: &str) -> Result<Context, Failure> {
    let text = match text.strip_prefix('@') {
        Some(file) => {
            let bytes = read(std::path::Path::new(file))?;
            String::from_utf8(bytes).map_err(|_| Failure::usage("--context", format!("{file}: not UTF-8")))?
        }
        None => text.to_string(),
    };
    let value: Value =
        serde_json::from_str(&text).map_err(|e| Failure::usage("--context", format!("not JSON: {e}")))?;
    if !value.is_object() {
        return Err(Failure::usage(
            "--context",
            "must be a JSON object such as {\"targetingKey\": \"user-42\"}",
        ));
    }
    let context = Context::from_json_value(&value);
    if let Some(problem) = context.problem() {
        return Err(Failure::usage(
            "--context",
            format!("{} (over the context limits)", problem.as_str()),
        ));
    }
    Ok(context)
}

/// The evaluation's fields, OpenFeature names where there are some.
pub fn evaluation_json(flag: &str, e: &Evaluation<'_>) -> Value {
    let bucket = e.bucket.map(|b| {
        json!({
            "position": b.position.to_string(),
            "positionPercent": round4(b.position as f64 / 18_446_744_073_709_551_616.0 * 100.0),
            "exposurePercent": number(f64::from(b.exposure) / 10_000.0),
            "inside": b.inside,
        })
    });
    let mut fields = serde_json::Map::new();
    fields.insert("flag".into(), json!(flag));
    fields.insert("value".into(), json!(e.value.map(darklaunch::FlagValue::to_json)));
    fields.extend(e.details_json());
    fields.insert("bucket".into(), json!(bucket));
    Value::Object(fields)
}

fn round4(value: f64) -> Value {
    number((value * 10_000.0).round() / 10_000.0)
}

fn metadata(input: &Input, flag: &str) -> Value {
    let ruleset = input.ruleset();
    let Some(m) = ruleset.flag_id(flag).and_then(|id| ruleset.metadata(id)) else {
        return Value::Null;
    };
    json!({
        "owner": m.owner.as_deref(),
        "description": m.description.as_deref(),
        "tags": m.tags.iter().map(|t| &**t).collect::<Vec<_>>(),
        "temporary": m.temporary,
        "removeBy": m.remove_by.as_deref(),
    })
}

fn snapshot_json(input: &Input, now_ms: i64) -> Value {
    let Some(info) = input.info() else {
        return Value::Null;
    };
    json!({
        "version": info.version,
        "environment": &*info.environment,
        "issuedAt": format_rfc3339(info.issued_at_ms),
        "expires": format_rfc3339(info.expires_ms),
        "stale": now_ms >= info.expires_ms,
        "keyIds": info.key_ids.iter().map(|id| &**id).collect::<Vec<_>>(),
        "digest": hex(&info.digest),
    })
}
