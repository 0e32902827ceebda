//! The corpus checks themselves, on the files' text: shared by the native tests
//! (`tests/conformance.rs`, `tests/bucketing_vectors.rs`, which read the files) and the wasm
//! test (`tests/wasm_corpus/`, which embeds them), so every layer runs exactly the same checks.
//! No file system here: wasm has none.

use darklaunch::bucket::{is_inside, percent_to_units, position, threshold, variant_position};
use darklaunch::{parse_rfc3339_ms, Context, Evaluation, Ruleset, ValueType};
use serde_json::{json, Value};

/// `now` of a case without one (tests/conformance/README.md).
pub const DEFAULT_NOW: &str = "2026-01-01T00:00:00Z";

/// The fields every case's `expect` has.
pub const FIELDS: [&str; 6] = ["value", "variant", "reason", "error", "rule", "stage"];

/// What one file's cases gave: how many ran, and one line per difference.
pub struct Outcome {
    pub cases: usize,
    pub failures: Vec<String>,
}

/// Every case of one evaluation file (`{ruleset, cases}`) through the native API.
pub fn check_evaluation_file(name: &str, text: &str) -> Outcome {
    let file: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let bytes = serde_json::to_vec(&file["ruleset"]).expect("serialisable");
    let ruleset =
        Ruleset::from_json(&bytes).unwrap_or_else(|e| panic!("{name}: ruleset does not compile: {e}"));
    let cases = file["cases"].as_array().expect("cases is an array");
    let mut failures = Vec::new();
    for case in cases {
        let flag = case["flag"].as_str().expect("case flag");
        let context = context_of(case);
        let now = case_now(case);
        let evaluation = match case.get("type").and_then(Value::as_str) {
            Some(t) => ruleset.evaluate_as(flag, value_type(t), &context, now),
            None => ruleset.evaluate(flag, &context, now),
        };
        failures.extend(differences(name, case, &observed(&evaluation)));
    }
    Outcome {
        cases: cases.len(),
        failures,
    }
}

/// Every case of `compile-errors.json`: the ruleset must fail with the documented code and path.
pub fn check_compile_errors(text: &str) -> Outcome {
    let file: Value = serde_json::from_str(text).expect("compile-errors.json is JSON");
    let cases = file["cases"].as_array().expect("cases is an array");
    let mut failures = Vec::new();
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
            Err(e) if e.code() != want_code || want_path.is_some_and(|p| p != e.path()) => {
                failures.push(format!(
                    "{name}: expected {want_code} at {want_path:?}, got {} at {:?} ({e})",
                    e.code(),
                    e.path()
                ));
            }
            Err(_) => {}
        }
    }
    Outcome {
        cases: cases.len(),
        failures,
    }
}

/// The bucketing vectors of the Python reference: positions, inclusion at each percent,
/// variant positions, thresholds, and the variant a real ruleset serves.
pub fn check_bucketing_vectors(text: &str) {
    let file: Value = serde_json::from_str(text).expect("bucketing-vectors.json is JSON");
    let vectors = file["vectors"].as_array().expect("vectors");
    assert!(vectors.len() >= 20, "the vectors have gone missing");
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
            let inside = inside.as_bool().expect("bool");
            assert_eq!(is_inside(pos, units), inside, "{v} at {percent}%");
        }
        assert_eq!(served_variant(v).as_deref(), v["variant"].as_str(), "{v}");
    }
    for t in file["thresholds"].as_array().expect("thresholds") {
        let units = percent_to_units(decimal(&t["percent"])).expect("in range");
        assert_eq!(u64::from(units), t["units"].as_u64().expect("units"), "{t}");
        assert_eq!(threshold(units), decimal::<u128>(&t["threshold"]), "{t}");
    }
}

/// The variant a one-flag ruleset with the vector's salt and weights serves its unit: the
/// whole path (compile, context, rollout), not only the hash.
fn served_variant(v: &Value) -> Option<String> {
    let weights = v["weights"].as_object().expect("weights");
    let variants: serde_json::Map<String, Value> = weights.keys().map(|k| (k.clone(), json!(k))).collect();
    let off = weights.keys().next().expect("a variant");
    let ruleset = json!({
        "schema": "darklaunch/v1",
        "flags": { "f": { "variants": variants, "off": off,
            "default": { "rollout": { "salt": v["salt"], "variants": weights } } } }
    });
    let ruleset = Ruleset::from_json(ruleset.to_string().as_bytes()).expect("compiles");
    let context = Context::from_json_value(&json!({ "targetingKey": v["unit"] }));
    ruleset.evaluate("f", &context, 0).variant.map(str::to_owned)
}

/// A case's instant: its `now`, or [`DEFAULT_NOW`].
pub fn case_now(case: &Value) -> i64 {
    let text = case.get("now").and_then(Value::as_str).unwrap_or(DEFAULT_NOW);
    parse_rfc3339_ms(text).expect("case now is RFC 3339")
}

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

/// Numbers compare by value (`1` equals `1.0`); everything else structurally.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// The differences between an observed evaluation and a case's `expect`, one line each.
pub fn differences(file: &str, case: &Value, got: &Value) -> Vec<String> {
    let null = Value::Null;
    FIELDS
        .iter()
        .filter_map(|field| {
            let want = case["expect"].get(*field).unwrap_or(&null);
            (!json_equal(&got[*field], want)).then(|| {
                format!(
                    "{file} / {}: {field}: expected {want}, got {} (full: {got})",
                    case["name"], got[*field]
                )
            })
        })
        .collect()
}

/// A vector's unit: a string, or an integer bucketed as its decimal text.
fn unit_text(v: &Value) -> String {
    match &v["unit"] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.as_i64().expect("an integer unit").to_string(),
        other => panic!("unit {other}"),
    }
}

fn decimal<T: core::str::FromStr>(value: &Value) -> T {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("a decimal string")
}
