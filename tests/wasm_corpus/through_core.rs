//! The corpus and the bucketing vectors through the core compiled to wasm32: the same checks
//! as `tests/conformance.rs` and `tests/bucketing_vectors.rs`.

use darklaunch::bucket::{is_inside, percent_to_units, position, threshold, variant_position};
use darklaunch::{parse_rfc3339_ms, Context, Evaluation, Ruleset, ValueType};
use serde_json::{json, Value};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::{differences, BUCKETING_VECTORS, COMPILE_ERRORS, DEFAULT_NOW, EVALUATION_FILES};

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
    case.get("context")
        .map_or_else(Context::new, Context::from_json_value)
}

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

#[wasm_bindgen_test]
fn corpus_through_the_core() {
    let mut cases = 0;
    let mut failures = Vec::new();
    for (name, text) in EVALUATION_FILES {
        let file: Value = serde_json::from_str(text).expect("corpus JSON");
        let bytes = serde_json::to_vec(&file["ruleset"]).expect("serialisable");
        let ruleset = Ruleset::from_json(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        for case in file["cases"].as_array().expect("cases") {
            cases += 1;
            let flag = case["flag"].as_str().expect("flag");
            let now_text = case.get("now").and_then(Value::as_str).unwrap_or(DEFAULT_NOW);
            let now = parse_rfc3339_ms(now_text).expect("RFC 3339");
            let context = context_of(case);
            let evaluation = match case.get("type").and_then(Value::as_str) {
                Some(t) => ruleset.evaluate_as(flag, value_type(t), &context, now),
                None => ruleset.evaluate(flag, &context, now),
            };
            failures.extend(differences(name, case, &observed(&evaluation)));
        }
    }
    assert!(cases >= 60, "the corpus must keep at least 60 cases, has {cases}");
    assert!(
        failures.is_empty(),
        "{} of {cases} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[wasm_bindgen_test]
fn compile_errors_through_the_core() {
    let file: Value = serde_json::from_str(COMPILE_ERRORS).expect("corpus JSON");
    let mut failures = Vec::new();
    for case in file["cases"].as_array().expect("cases") {
        let mut bytes = match case.get("ruleset_text") {
            Some(text) => text.as_str().expect("ruleset_text").as_bytes().to_vec(),
            None => serde_json::to_vec(&case["ruleset"]).expect("serialisable"),
        };
        if let Some(length) = case.get("pad_to_bytes").and_then(Value::as_u64) {
            bytes.resize(usize::try_from(length).expect("fits"), b' ');
        }
        let want_code = case["error"]["code"].as_str().expect("code");
        let want_path = case["error"].get("path").and_then(Value::as_str);
        match Ruleset::from_json(&bytes) {
            Ok(_) => failures.push(format!("{}: compiled, expected {want_code}", case["name"])),
            Err(e) if e.code() != want_code || want_path.is_some_and(|p| p != e.path()) => {
                failures.push(format!(
                    "{}: expected {want_code} at {want_path:?}, got {e}",
                    case["name"]
                ));
            }
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn decimal<T: core::str::FromStr>(value: &Value) -> T {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("a decimal string")
}

/// A vector's unit: a string, or an integer bucketed as its decimal text.
fn unit_text(v: &Value) -> String {
    match &v["unit"] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.as_i64().expect("an integer unit").to_string(),
        other => panic!("unit {other}"),
    }
}

#[wasm_bindgen_test]
fn bucketing_vectors_through_the_core() {
    let file: Value = serde_json::from_str(BUCKETING_VECTORS).expect("vectors JSON");
    let vectors = file["vectors"].as_array().expect("vectors");
    assert!(vectors.len() >= 20);
    for v in vectors {
        let (salt, unit) = (v["salt"].as_str().expect("salt"), unit_text(v));
        let pos: u64 = decimal(&v["position"]);
        assert_eq!(position(salt.as_bytes(), unit.as_bytes()), Some(pos), "{v}");
        assert_eq!(
            variant_position(salt.as_bytes(), unit.as_bytes()),
            Some(decimal(&v["variant_position"])),
            "{v}"
        );
        for (percent, inside) in v["inside"].as_object().expect("inside") {
            let units = percent_to_units(percent.parse().expect("percent")).expect("in range");
            assert_eq!(
                is_inside(pos, units),
                inside.as_bool().expect("bool"),
                "{v} at {percent}%"
            );
        }
        // The variant choice through a real ruleset, so the whole path runs.
        let weights = v["weights"].as_object().expect("weights");
        let variants: serde_json::Map<String, Value> =
            weights.keys().map(|k| (k.clone(), json!(k))).collect();
        let off = weights.keys().next().expect("a variant");
        let ruleset = json!({
            "schema": "darklaunch/v1",
            "flags": { "f": { "variants": variants, "off": off,
                "default": { "rollout": { "salt": v["salt"], "variants": weights } } } }
        });
        let ruleset = Ruleset::from_json(ruleset.to_string().as_bytes()).expect("compiles");
        let context = Context::from_json_value(&json!({ "targetingKey": v["unit"] }));
        assert_eq!(
            ruleset.evaluate("f", &context, 0).variant,
            v["variant"].as_str(),
            "{v}"
        );
    }
    for t in file["thresholds"].as_array().expect("thresholds") {
        let units = percent_to_units(decimal(&t["percent"])).expect("in range");
        assert_eq!(u64::from(units), t["units"].as_u64().expect("units"), "{t}");
        assert_eq!(threshold(units), decimal::<u128>(&t["threshold"]), "{t}");
    }
}
