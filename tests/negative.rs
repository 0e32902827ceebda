//! Evaluation never panics and never fails: negative tests through the Rust API, the native
//! side of `tests/js/negative.test.mjs`. Unknown and odd flag keys, every type asked of every
//! flag, hostile contexts (as JSON text and built attribute by attribute), extreme times, and
//! a sweep of all of them over every conformance ruleset checking that each evaluation is
//! well-formed and that `evaluate`, `evaluate_id`, `evaluate_as` and `evaluate_all` agree.

mod common;

use darklaunch::{AttributeValue, Context, ErrorCode, Evaluation, Reason, Ruleset, ValueType};
use serde_json::{json, Value};

const NOW: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const TYPES: [ValueType; 4] = [
    ValueType::Boolean,
    ValueType::String,
    ValueType::Number,
    ValueType::Object,
];

/// Flags of every kind the error paths distinguish, with prototype-pollution names.
fn ruleset() -> Ruleset {
    let boolean = |extra: Value| {
        let mut flag = json!({ "variants": { "on": true, "off": false }, "off": "off" });
        for (k, v) in extra.as_object().expect("object") {
            flag[k] = v.clone();
        }
        flag
    };
    let document = json!({
        "schema": "darklaunch/v1",
        "flags": {
            "static": boolean(json!({ "default": "on" })),
            "split": boolean(json!({ "default": { "rollout": { "variants": { "on": 1 }, "percent": 100 } } })),
            "by-org": boolean(json!({ "default": { "rollout": { "by": "orgId", "variants": { "on": 1 }, "percent": 100 } } })),
            "copy": { "variants": { "a": "Buy now", "b": "Buy" }, "off": "a",
                      "rules": [{ "if": { "attr": "country", "op": "eq", "value": "DE" }, "serve": "b" }], "default": "a" },
            "constructor": boolean(json!({ "rules": [{ "if": { "attr": "__proto__", "op": "eq", "value": "yes" }, "serve": "on" }], "default": "off" })),
            "__proto__": boolean(json!({ "default": "on" })),
        }
    });
    Ruleset::from_json(document.to_string().as_bytes()).expect("compiles")
}

fn error(evaluation: &Evaluation<'_>) -> Option<&'static str> {
    evaluation.error.map(ErrorCode::as_str)
}

/// An evaluation is an error exactly when it has no value, and then it has nothing else.
fn assert_well_formed(evaluation: &Evaluation<'_>, label: &str) {
    assert_eq!(
        evaluation.value.is_some(),
        evaluation.error.is_none(),
        "{label}: {evaluation:?}"
    );
    assert_eq!(
        evaluation.variant.is_some(),
        evaluation.value.is_some(),
        "{label}"
    );
    assert_eq!(
        evaluation.reason == Reason::Error,
        evaluation.error.is_some(),
        "{label}"
    );
    if evaluation.error.is_some() {
        assert_eq!(
            (
                evaluation.rule,
                evaluation.stage,
                evaluation.bucket,
                evaluation.failed_prerequisite
            ),
            (None, None, None, None),
            "{label}"
        );
    }
}

/// Deeply nested arrays as the value of attribute `deep`.
fn nested_text(depth: usize) -> String {
    format!(
        r#"{{"targetingKey":"u","deep":{}{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

/// `(name, context JSON text, error of "split", whether every flag has that error)`.
fn hostile_texts() -> Vec<(&'static str, String, Option<&'static str>, bool)> {
    let attributes = |n: usize| {
        let mut object = serde_json::Map::new();
        object.insert("targetingKey".into(), json!("u"));
        for i in 0..n {
            object.insert(format!("a{i}"), json!(i));
        }
        Value::Object(object).to_string()
    };
    vec![
        (
            "a valid context",
            r#"{"targetingKey":"user-1","country":"DE"}"#.into(),
            None,
            false,
        ),
        ("an integer key", r#"{"targetingKey":42}"#.into(), None, false),
        ("key -0", r#"{"targetingKey":-0}"#.into(), None, false),
        (
            "key 2^53 - 1",
            r#"{"targetingKey":9007199254740991}"#.into(),
            None,
            false,
        ),
        ("an empty key", r#"{"targetingKey":""}"#.into(), None, false),
        (
            "an empty object",
            "{}".into(),
            Some("TARGETING_KEY_MISSING"),
            false,
        ),
        (
            "a null key",
            r#"{"targetingKey":null}"#.into(),
            Some("TARGETING_KEY_MISSING"),
            false,
        ),
        (
            "an object key (ignored)",
            r#"{"targetingKey":{"id":"u"}}"#.into(),
            Some("TARGETING_KEY_MISSING"),
            false,
        ),
        (
            "a nested array key (ignored)",
            r#"{"targetingKey":[["u"]]}"#.into(),
            Some("TARGETING_KEY_MISSING"),
            false,
        ),
        (
            "a boolean key",
            r#"{"targetingKey":true}"#.into(),
            Some("INVALID_CONTEXT"),
            false,
        ),
        (
            "a fractional key",
            r#"{"targetingKey":2.5}"#.into(),
            Some("INVALID_CONTEXT"),
            false,
        ),
        (
            "key 2^53",
            r#"{"targetingKey":9007199254740992}"#.into(),
            Some("INVALID_CONTEXT"),
            false,
        ),
        (
            "key 1e300",
            r#"{"targetingKey":1e300}"#.into(),
            Some("INVALID_CONTEXT"),
            false,
        ),
        (
            "an array key",
            r#"{"targetingKey":["u"]}"#.into(),
            Some("INVALID_CONTEXT"),
            false,
        ),
        (
            "a 4,096-byte key",
            format!(r#"{{"targetingKey":"{}"}}"#, "x".repeat(4096)),
            None,
            false,
        ),
        (
            "a 4,097-byte key",
            format!(r#"{{"targetingKey":"{}"}}"#, "x".repeat(4097)),
            Some("INVALID_CONTEXT"),
            true,
        ),
        (
            "a 5 MiB attribute",
            format!(r#"{{"targetingKey":"u","note":"{}"}}"#, "y".repeat(5 << 20)),
            Some("INVALID_CONTEXT"),
            true,
        ),
        ("256 attributes", attributes(256), None, false),
        ("257 attributes", attributes(257), Some("INVALID_CONTEXT"), true),
        (
            "a 257-element array",
            format!(r#"{{"targetingKey":"u","roles":[{}"r"]}}"#, r#""r","#.repeat(256)),
            Some("INVALID_CONTEXT"),
            true,
        ),
        ("a value nested 100 deep (ignored)", nested_text(100), None, false),
        (
            "a value nested 127 deep",
            nested_text(127),
            Some("PARSE_ERROR"),
            true,
        ),
        (
            "a value nested 100,000 deep",
            nested_text(100_000),
            Some("PARSE_ERROR"),
            true,
        ),
        (
            "an escaped lone surrogate",
            r#"{"targetingKey":"\ud800"}"#.into(),
            Some("PARSE_ERROR"),
            true,
        ),
        (
            "an escaped surrogate pair",
            r#"{"targetingKey":"\ud83d\ude00"}"#.into(),
            None,
            false,
        ),
        (
            "an escaped NUL",
            r#"{"targetingKey":"a\u0000b"}"#.into(),
            None,
            false,
        ),
        (
            "a duplicate key (the last wins)",
            r#"{"targetingKey":true,"targetingKey":"u"}"#.into(),
            None,
            false,
        ),
        (
            "own __proto__ and constructor",
            r#"{"targetingKey":"u","__proto__":{"targetingKey":"v"},"constructor":"x"}"#.into(),
            None,
            false,
        ),
        ("JSON null", "null".into(), Some("INVALID_CONTEXT"), true),
        (
            "a JSON array",
            r#"[{"targetingKey":"u"}]"#.into(),
            Some("INVALID_CONTEXT"),
            true,
        ),
        ("a JSON number", "42".into(), Some("INVALID_CONTEXT"), true),
        (
            "a JSON string",
            r#""user-1""#.into(),
            Some("INVALID_CONTEXT"),
            true,
        ),
        ("empty text", String::new(), Some("PARSE_ERROR"), true),
        (
            "not JSON",
            "{targetingKey: 'u'}".into(),
            Some("PARSE_ERROR"),
            true,
        ),
        ("two documents", "{} {}".into(), Some("PARSE_ERROR"), true),
        ("a BOM", "\u{feff}{}".into(), Some("PARSE_ERROR"), true),
        ("NaN", r#"{"targetingKey":NaN}"#.into(), Some("PARSE_ERROR"), true),
    ]
}

#[test]
fn hostile_contexts_as_json_text() {
    let ruleset = ruleset();
    for (name, text, split_error, every_flag) in hostile_texts() {
        let context = Context::from_json(&text);
        let all: Vec<_> = ruleset.evaluate_all(&context, NOW).collect();
        assert_eq!(all.len(), ruleset.len());
        for (key, from_all) in all {
            let expected = if key == "split" || every_flag {
                split_error
            } else {
                None
            };
            let evaluation = ruleset.evaluate(key, &context, NOW);
            let label = format!("{name}: {key}");
            // `by-org` buckets by `orgId`, which these contexts lack (checked below).
            if key != "by-org" || every_flag {
                assert_eq!(error(&evaluation), expected, "{label}");
            }
            assert_well_formed(&evaluation, &label);
            assert_eq!(evaluation, from_all, "{label}: evaluate_all differs");
        }
    }
}

#[test]
fn hostile_contexts_built_attribute_by_attribute() {
    let ruleset = ruleset();
    let list = |n: usize| AttributeValue::List(vec![AttributeValue::from("r"); n].into_boxed_slice());
    let nested = AttributeValue::List(vec![list(1)].into_boxed_slice());
    let cases: Vec<(&str, Context, Option<&str>)> = vec![
        (
            "NaN",
            Context::with_targeting_key("u").with("n", f64::NAN),
            Some("INVALID_CONTEXT"),
        ),
        (
            "infinity",
            Context::with_targeting_key("u").with("n", f64::INFINITY),
            Some("INVALID_CONTEXT"),
        ),
        (
            "a NaN key",
            Context::new().with("targetingKey", f64::NAN),
            Some("INVALID_CONTEXT"),
        ),
        (
            "a nested list",
            Context::with_targeting_key("u").with("l", nested),
            Some("INVALID_CONTEXT"),
        ),
        (
            "a 257-element list",
            Context::with_targeting_key("u").with("l", list(257)),
            Some("INVALID_CONTEXT"),
        ),
        (
            "a 256-element list",
            Context::with_targeting_key("u").with("l", list(256)),
            None,
        ),
        // A problem is sticky: later valid attributes and removals do not clear it.
        (
            "valid after invalid",
            Context::new().with("n", f64::NAN).with("targetingKey", "u"),
            Some("INVALID_CONTEXT"),
        ),
        (
            "removed after invalid",
            {
                let mut context = Context::with_targeting_key("u").with("s", "x".repeat(4097));
                context.remove("s");
                context
            },
            Some("INVALID_CONTEXT"),
        ),
        (
            "an empty attribute name",
            Context::with_targeting_key("u").with("", 1),
            None,
        ),
        (
            "a NUL attribute name",
            Context::with_targeting_key("u").with("\0", 1),
            None,
        ),
        (
            "a 1 MiB attribute name",
            Context::with_targeting_key("u").with(&"n".repeat(1 << 20), 1),
            None,
        ),
        (
            "an __proto__ attribute",
            Context::with_targeting_key("u").with("__proto__", "yes"),
            None,
        ),
        (
            "invalid(GENERAL)",
            Context::invalid(ErrorCode::General),
            Some("GENERAL"),
        ),
        (
            "invalid(FLAG_NOT_FOUND)",
            Context::invalid(ErrorCode::FlagNotFound),
            Some("FLAG_NOT_FOUND"),
        ),
    ];
    for (name, context, expected) in &cases {
        for key in ruleset.flags() {
            let evaluation = ruleset.evaluate(key, context, NOW);
            assert_well_formed(&evaluation, name);
            // Contexts without a problem serve every flag here: each has a targeting key.
            if key != "by-org" {
                assert_eq!(error(&evaluation), *expected, "{name}: {key}");
            }
        }
    }
    // Prototype-pollution names are ordinary attribute names and flag keys.
    let proto = Context::new().with("__proto__", "yes");
    assert_eq!(
        ruleset.evaluate("constructor", &proto, NOW).reason,
        Reason::TargetingMatch
    );
    assert_eq!(
        ruleset.evaluate("__proto__", &Context::new(), NOW).reason,
        Reason::Static
    );
    // The custom `by` attribute: missing or unusable is INVALID_CONTEXT, not a missing key.
    for (context, expected) in [
        (Context::with_targeting_key("u"), Some("INVALID_CONTEXT")),
        (Context::new().with("orgId", true), Some("INVALID_CONTEXT")),
        (Context::new().with("orgId", 7), None),
    ] {
        assert_eq!(error(&ruleset.evaluate("by-org", &context, NOW)), expected);
    }
}

#[test]
fn unknown_and_odd_flag_keys_are_flag_not_found() {
    let ruleset = ruleset();
    let context = Context::with_targeting_key("u");
    let huge = "k".repeat(1 << 20);
    for key in [
        "",
        "Static",
        "static ",
        " static",
        "static\0",
        "stätic",
        "\u{fffd}",
        "toString",
        "hasOwnProperty",
        &huge,
    ] {
        let evaluation = ruleset.evaluate(key, &context, NOW);
        assert_eq!(evaluation.error, Some(ErrorCode::FlagNotFound), "{key:.20}");
        assert_well_formed(&evaluation, key);
        for value_type in TYPES {
            let typed = ruleset.evaluate_as(key, value_type, &context, NOW);
            assert_eq!(typed.error, Some(ErrorCode::FlagNotFound), "{key:.20}");
        }
        // FLAG_NOT_FOUND comes before any problem of the context.
        let invalid = Context::from_json("[]");
        assert_eq!(
            ruleset.evaluate(key, &invalid, NOW).error,
            Some(ErrorCode::FlagNotFound)
        );
    }
    // An id from a larger ruleset is not found in a smaller one.
    let larger = Ruleset::from_json(
        json!({ "schema": "darklaunch/v1", "flags": (0..10).map(|i| (format!("f{i}"), json!({ "variants": { "a": 1 }, "off": "a", "default": "a" }))).collect::<serde_json::Map<_, _>>() })
            .to_string()
            .as_bytes(),
    )
    .expect("compiles");
    let foreign = larger.flag_id("f9").expect("f9");
    assert_eq!(
        ruleset.evaluate_id(foreign, &context, NOW).error,
        Some(ErrorCode::FlagNotFound)
    );
}

#[test]
fn every_type_asked_of_every_flag() {
    let ruleset = ruleset();
    let context = Context::with_targeting_key("u");
    for key in ruleset.flags() {
        let id = ruleset.flag_id(key).expect("listed");
        let own = ruleset.value_type(id).expect("typed");
        for value_type in TYPES {
            let evaluation = ruleset.evaluate_as(key, value_type, &context, NOW);
            assert_well_formed(&evaluation, key);
            if value_type == own {
                assert_eq!(evaluation, ruleset.evaluate(key, &context, NOW), "{key}");
            } else {
                assert_eq!(
                    evaluation.error,
                    Some(ErrorCode::TypeMismatch),
                    "{key} as {value_type:?}"
                );
                // The context is checked first.
                let invalid = Context::from_json("42");
                let e = ruleset.evaluate_as(key, value_type, &invalid, NOW);
                assert_eq!(e.error, Some(ErrorCode::InvalidContext), "{key}");
                let unparsed = Context::from_json("{");
                let e = ruleset.evaluate_as(key, value_type, &unparsed, NOW);
                assert_eq!(e.error, Some(ErrorCode::ParseError), "{key}");
            }
        }
    }
}

/// Times at and around every edge: the ends of i64, the epoch, and each stage boundary.
fn extreme_times(ruleset: &Value) -> Vec<i64> {
    let mut times = vec![i64::MIN, i64::MIN + 1, -1, 0, 1, NOW, i64::MAX - 1, i64::MAX];
    let text = ruleset.to_string();
    for (at, _) in text.match_indices("\"at\":\"") {
        let stamp = &text[at + 6..at + 6 + text[at + 6..].find('"').expect("closing quote")];
        if let Some(ms) = darklaunch::parse_rfc3339_ms(stamp) {
            times.extend([ms - 1, ms, ms + 1]);
        }
    }
    times
}

/// Every conformance ruleset × every flag × every hostile context × extreme times: no panic,
/// every evaluation well-formed, and the four ways to evaluate agree.
#[test]
fn sweep_over_the_conformance_rulesets() {
    let contexts: Vec<Context> = hostile_texts()
        .iter()
        .map(|(_, text, _, _)| Context::from_json(text))
        .chain([
            Context::from_json(r#"{"targetingKey":"user-1","country":"DE","plan":"pro","appVersion":"4.3.0","orgId":"org-7","beta":true,"age":31,"roles":["admin"],"signupAt":"2025-06-01T00:00:00Z","email":"a@example.com"}"#),
            Context::with_targeting_key("u").with("appVersion", "not.a.version").with("signupAt", "yesterday").with("age", "31"),
        ])
        .collect();
    let mut evaluations = 0usize;
    for path in common::evaluation_files() {
        let document = common::read_json(&path);
        let ruleset = Ruleset::from_json(document["ruleset"].to_string().as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for now in extreme_times(&document["ruleset"]) {
            for context in &contexts {
                let all: Vec<_> = ruleset.evaluate_all(context, now).collect();
                assert_eq!(all.len(), ruleset.len());
                for (key, from_all) in all {
                    let label = format!("{}: {key} at {now}", path.display());
                    let evaluation = ruleset.evaluate(key, context, now);
                    assert_well_formed(&evaluation, &label);
                    assert_eq!(evaluation, from_all, "{label}");
                    let id = ruleset.flag_id(key).expect("listed");
                    assert_eq!(ruleset.evaluate_id(id, context, now), evaluation, "{label}");
                    let own = ruleset.value_type(id).expect("typed");
                    assert_eq!(ruleset.evaluate_as(key, own, context, now), evaluation, "{label}");
                    evaluations += 1;
                }
            }
        }
    }
    assert!(evaluations > 50_000, "only {evaluations} evaluations");
}
