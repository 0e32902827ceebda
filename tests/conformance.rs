//! Runs the language-neutral corpus in `tests/conformance/` against the native evaluator.
//! The same files drive the wasm, npm, workerd and browser layers.

mod common;

use darklaunch::{parse_rfc3339_ms, Context, Evaluation, Ruleset, ValueType};
use serde_json::{json, Value};

use common::{evaluation_files, json_equal, read_json};

const DEFAULT_NOW: &str = "2026-01-01T00:00:00Z";

fn value_type(name: &str) -> ValueType {
    match name {
        "boolean" => ValueType::Boolean,
        "string" => ValueType::String,
        "number" => ValueType::Number,
        "object" => ValueType::Object,
        other => panic!("unknown type {other:?} in corpus"),
    }
}

fn context_of(case: &Value) -> Context {
    if let Some(text) = case.get("context_json") {
        return Context::from_json(text.as_str().expect("context_json is a string"));
    }
    match case.get("context") {
        Some(context) => Context::from_json_value(context),
        None => Context::new(),
    }
}

/// The evaluation in the corpus's vocabulary.
fn observed(evaluation: &Evaluation<'_>) -> Value {
    json!({
        "value": evaluation.value.map_or(Value::Null, |v| v.to_json()),
        "variant": evaluation.variant,
        "reason": evaluation.reason.as_str(),
        "error": evaluation.error.map(|e| e.as_str()),
        "rule": evaluation.rule,
        "stage": evaluation.stage,
    })
}

#[test]
fn corpus_matches_native_evaluation() {
    let files = evaluation_files();
    assert!(files.len() >= 5, "the corpus has gone missing: {files:?}");
    let mut cases = 0;
    let mut failures = Vec::new();
    for path in &files {
        let file = read_json(path);
        let bytes = serde_json::to_vec(&file["ruleset"]).expect("serialisable");
        let ruleset = Ruleset::from_json(&bytes)
            .unwrap_or_else(|e| panic!("{}: ruleset does not compile: {e}", path.display()));
        for case in file["cases"].as_array().expect("cases is an array") {
            cases += 1;
            let name = case["name"].as_str().expect("case name");
            let flag = case["flag"].as_str().expect("case flag");
            let now_text = case.get("now").and_then(Value::as_str).unwrap_or(DEFAULT_NOW);
            let now = parse_rfc3339_ms(now_text).expect("case now is RFC 3339");
            let context = context_of(case);
            let evaluation = match case.get("type").and_then(Value::as_str) {
                Some(t) => ruleset.evaluate_as(flag, value_type(t), &context, now),
                None => ruleset.evaluate(flag, &context, now),
            };
            let got = observed(&evaluation);
            let expect = &case["expect"];
            for field in ["value", "variant", "reason", "error", "rule", "stage"] {
                let want = expect.get(field).unwrap_or(&Value::Null);
                if !json_equal(&got[field], want) {
                    failures.push(format!(
                        "{} / {name}: {field}: expected {want}, got {} (full: {got})",
                        path.file_name().unwrap_or_default().to_string_lossy(),
                        got[field]
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(cases >= 60, "the corpus must keep at least 60 cases, has {cases}");
}

#[test]
fn compile_errors_have_the_documented_code_and_path() {
    let file = read_json(&common::conformance_dir().join("compile-errors.json"));
    let mut failures = Vec::new();
    let cases = file["cases"].as_array().expect("cases is an array");
    for case in cases {
        let name = case["name"].as_str().expect("case name");
        let mut bytes = match case.get("ruleset_text") {
            Some(text) => text
                .as_str()
                .expect("ruleset_text is a string")
                .as_bytes()
                .to_vec(),
            None => serde_json::to_vec(&case["ruleset"]).expect("serialisable"),
        };
        // Large documents are stored small: padded with trailing spaces to this length.
        if let Some(length) = case.get("pad_to_bytes").and_then(Value::as_u64) {
            bytes.resize(usize::try_from(length).expect("fits"), b' ');
        }
        let want_code = case["error"]["code"].as_str().expect("error code");
        let want_path = case["error"].get("path").and_then(Value::as_str);
        match Ruleset::from_json(&bytes) {
            Ok(_) => failures.push(format!("{name}: compiled, expected {want_code}")),
            Err(e) => {
                if e.code() != want_code || want_path.is_some_and(|p| p != e.path()) {
                    failures.push(format!(
                        "{name}: expected {want_code} at {want_path:?}, got {} at {:?} ({e})",
                        e.code(),
                        e.path()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
