//! Every limit in `src/limits.rs`: documented in `docs/ruleset.md`, and enforced exactly at
//! N (accepted) and N + 1 (refused with `LIMIT_EXCEEDED`, or `INVALID_CONTEXT` for contexts).

use darklaunch::limits::*;
use darklaunch::{AttributeValue, Context, ErrorCode, Reason, Ruleset};
use serde_json::{json, Value};

fn compile(document: &Value) -> Result<Ruleset, darklaunch::Error> {
    Ruleset::from_json(document.to_string().as_bytes())
}

fn flag_with(extra: Value) -> Value {
    let mut flag = json!({ "variants": { "on": true, "off": false }, "off": "off", "default": "off" });
    for (k, v) in extra.as_object().expect("object") {
        flag[k] = v.clone();
    }
    flag
}

fn document(flags: Value) -> Value {
    json!({ "schema": "darklaunch/v1", "flags": flags })
}

/// Accepted at `n`, refused with `code` at `n + 1`.
fn at_limit(n: usize, code: &str, build: impl Fn(usize) -> Value) {
    if let Err(e) = compile(&build(n)) {
        panic!("{n} must be accepted: {e}");
    }
    match compile(&build(n + 1)) {
        Ok(_) => panic!("{} must be refused", n + 1),
        Err(e) => assert_eq!(e.code(), code, "{e}"),
    }
}

/// Digits with thousands separators, as the docs write numbers: `1000000` → `1,000,000`.
fn with_commas(digits: &str) -> String {
    digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|chunk| std::str::from_utf8(chunk).expect("ascii"))
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn docs_table_matches_the_constants() {
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ruleset.md")).expect("docs");
    let expected = [
        (
            "document size",
            format!("{} MiB", MAX_RULESET_BYTES / (1024 * 1024)),
        ),
        ("JSON nesting depth", MAX_JSON_DEPTH.to_string()),
        ("flags", MAX_FLAGS.to_string()),
        ("segments", MAX_SEGMENTS.to_string()),
        ("variants per flag", MAX_VARIANTS.to_string()),
        ("rules per flag", MAX_RULES.to_string()),
        ("prerequisites per flag", MAX_PREREQUISITES.to_string()),
        ("prerequisite chain depth", MAX_PREREQUISITE_DEPTH.to_string()),
        ("stages per rollout", MAX_STAGES.to_string()),
        ("condition nesting depth", MAX_CONDITION_DEPTH.to_string()),
        (
            "conditions (clauses and groups) per flag or segment",
            MAX_CONDITIONS.to_string(),
        ),
        ("values in one `in` / `not_in` list", MAX_LIST_VALUES.to_string()),
        (
            "keys in one segment `include` or `exclude` list",
            MAX_SEGMENT_KEYS.to_string(),
        ),
        ("key length", format!("{MAX_KEY_BYTES} bytes")),
        (
            "attribute name length",
            format!("{MAX_ATTRIBUTE_NAME_BYTES} bytes"),
        ),
        ("string literal length", format!("{MAX_STRING_BYTES} bytes")),
        ("context attributes", MAX_CONTEXT_ATTRIBUTES.to_string()),
        (
            "context string value length",
            format!("{MAX_CONTEXT_STRING_BYTES} bytes"),
        ),
        ("context array length", MAX_CONTEXT_ARRAY_LEN.to_string()),
        (
            "context JSON text length",
            format!("{MAX_CONTEXT_JSON_BYTES} bytes"),
        ),
    ];
    for (name, value) in expected {
        // The docs write thousands with commas.
        let digits: String = value.chars().filter(|c| c.is_ascii_digit()).collect();
        let unit = value.trim_start_matches(|c: char| c.is_ascii_digit()).to_string();
        let row = format!("| {name} | {}{unit} |", with_commas(&digits));
        assert!(docs.contains(&row), "docs/ruleset.md lacks the row {row:?}");
    }
}

#[test]
fn document_size() {
    let padding = |n: usize| {
        let mut text = document(json!({})).to_string();
        text.push_str(&" ".repeat(n - text.len()));
        text
    };
    assert!(Ruleset::from_json(padding(MAX_RULESET_BYTES).as_bytes()).is_ok());
    let e = Ruleset::from_json(padding(MAX_RULESET_BYTES + 1).as_bytes()).expect_err("too large");
    assert_eq!(e.code(), "TOO_LARGE");
}

#[test]
fn flags_per_ruleset() {
    at_limit(MAX_FLAGS, "LIMIT_EXCEEDED", |n| {
        document(Value::Object(
            (0..n).map(|i| (format!("f{i}"), flag_with(json!({})))).collect(),
        ))
    });
}

#[test]
fn segments_per_ruleset() {
    at_limit(MAX_SEGMENTS, "LIMIT_EXCEEDED", |n| {
        let segments: serde_json::Map<_, _> = (0..n)
            .map(|i| (format!("s{i}"), json!({ "include": ["a"] })))
            .collect();
        json!({ "schema": "darklaunch/v1", "segments": segments, "flags": {} })
    });
}

#[test]
fn variants_per_flag() {
    at_limit(MAX_VARIANTS, "LIMIT_EXCEEDED", |n| {
        let variants: serde_json::Map<_, _> = (0..n).map(|i| (format!("v{i}"), json!(i))).collect();
        document(json!({ "f": { "variants": variants, "off": "v0", "default": "v0" } }))
    });
}

#[test]
fn rules_per_flag() {
    at_limit(MAX_RULES, "LIMIT_EXCEEDED", |n| {
        let rules: Vec<_> = (0..n)
            .map(|i| json!({ "if": { "attr": "n", "op": "eq", "value": i }, "serve": "on" }))
            .collect();
        document(json!({ "f": flag_with(json!({ "rules": rules })) }))
    });
}

#[test]
fn prerequisites_per_flag() {
    at_limit(MAX_PREREQUISITES, "LIMIT_EXCEEDED", |n| {
        let mut flags = serde_json::Map::new();
        for i in 0..n {
            flags.insert(format!("p{i}"), flag_with(json!({})));
        }
        let prerequisites: Vec<_> = (0..n)
            .map(|i| json!({ "flag": format!("p{i}"), "variant": "on" }))
            .collect();
        flags.insert("f".into(), flag_with(json!({ "prerequisites": prerequisites })));
        document(Value::Object(flags))
    });
}

#[test]
fn prerequisite_chain_depth() {
    // A chain f0 → f1 → … → fn has depth n.
    at_limit(MAX_PREREQUISITE_DEPTH, "LIMIT_EXCEEDED", |n| {
        let flags: serde_json::Map<_, _> = (0..=n)
            .map(|i| {
                let prerequisites = if i < n {
                    json!([{ "flag": format!("f{}", i + 1), "variant": "on" }])
                } else {
                    json!([])
                };
                (
                    format!("f{i}"),
                    flag_with(json!({ "prerequisites": prerequisites })),
                )
            })
            .collect();
        document(Value::Object(flags))
    });
}

#[test]
fn stages_per_rollout() {
    at_limit(MAX_STAGES, "LIMIT_EXCEEDED", |n| {
        let stages: Vec<_> = (0..n)
            .map(|i| json!({ "at": format!("2026-12-01T00:{:02}:{:02}Z", i / 60, i % 60), "percent": 1 }))
            .collect();
        document(
            json!({ "f": flag_with(json!({ "default": { "rollout": { "variants": { "on": 1 }, "stages": stages } } })) }),
        )
    });
}

#[test]
fn condition_nesting_depth() {
    // A rule's `if` is depth 1; each `not` adds one.
    at_limit(MAX_CONDITION_DEPTH, "LIMIT_EXCEEDED", |n| {
        let mut condition = json!({ "attr": "a", "op": "exists" });
        for _ in 1..n {
            condition = json!({ "not": condition });
        }
        document(json!({ "f": flag_with(json!({ "rules": [{ "if": condition, "serve": "on" }] })) }))
    });
}

#[test]
fn conditions_per_flag() {
    // One `any` group plus n - 1 clauses.
    at_limit(MAX_CONDITIONS, "LIMIT_EXCEEDED", |n| {
        let clauses: Vec<_> = (1..n)
            .map(|i| json!({ "attr": "n", "op": "eq", "value": i }))
            .collect();
        document(json!({ "f": flag_with(json!({ "rules": [{ "if": { "any": clauses }, "serve": "on" }] })) }))
    });
}

#[test]
fn values_per_in_list() {
    at_limit(MAX_LIST_VALUES, "LIMIT_EXCEEDED", |n| {
        let values: Vec<_> = (0..n).map(|i| json!(format!("k{i}"))).collect();
        let rule = json!({ "if": { "attr": "k", "op": "in", "values": values }, "serve": "on" });
        document(json!({ "f": flag_with(json!({ "rules": [rule] })) }))
    });
}

#[test]
fn key_length() {
    at_limit(MAX_KEY_BYTES, "INVALID_KEY", |n| {
        document(json!({ "k".repeat(n): flag_with(json!({})) }))
    });
}

#[test]
fn salt_length() {
    at_limit(MAX_KEY_BYTES, "LIMIT_EXCEEDED", |n| {
        let rollout = json!({ "rollout": { "salt": "s".repeat(n), "variants": { "on": 1 } } });
        document(json!({ "f": flag_with(json!({ "default": rollout })) }))
    });
}

#[test]
fn attribute_name_length() {
    at_limit(MAX_ATTRIBUTE_NAME_BYTES, "INVALID_KEY", |n| {
        let rule = json!({ "if": { "attr": "a".repeat(n), "op": "exists" }, "serve": "on" });
        document(json!({ "f": flag_with(json!({ "rules": [rule] })) }))
    });
}

#[test]
fn string_literal_length() {
    at_limit(MAX_STRING_BYTES, "LIMIT_EXCEEDED", |n| {
        let rule = json!({ "if": { "attr": "a", "op": "contains", "value": "x".repeat(n) }, "serve": "on" });
        document(json!({ "f": flag_with(json!({ "rules": [rule] })) }))
    });
}

#[test]
fn json_nesting_depth() {
    // The document, `flags`, the flag and `variants` are 4 levels; the variant value adds
    // `arrays` more.
    let nested = |depth: usize| {
        let arrays = depth - 4;
        let value = format!("{}0{}", "[".repeat(arrays), "]".repeat(arrays));
        format!(
            r#"{{"schema":"darklaunch/v1","flags":{{"f":{{"variants":{{"a":{value}}},"off":"a","default":"a"}}}}}}"#
        )
    };
    if let Err(e) = Ruleset::from_json(nested(MAX_JSON_DEPTH).as_bytes()) {
        panic!("depth {MAX_JSON_DEPTH} must be accepted: {e}");
    }
    let e = Ruleset::from_json(nested(MAX_JSON_DEPTH + 1).as_bytes()).expect_err("too deep");
    assert_eq!(e.code(), "INVALID_JSON", "{e}");
}

fn context_problem(context: &Context) -> Option<ErrorCode> {
    context.problem()
}

#[test]
fn context_limits() {
    let attributes = |n: usize| (0..n).fold(Context::new(), |c, i| c.with(&format!("a{i}"), true));
    assert_eq!(context_problem(&attributes(MAX_CONTEXT_ATTRIBUTES)), None);
    assert_eq!(
        context_problem(&attributes(MAX_CONTEXT_ATTRIBUTES + 1)),
        Some(ErrorCode::InvalidContext)
    );

    let string = |n: usize| Context::new().with("s", "x".repeat(n));
    assert_eq!(context_problem(&string(MAX_CONTEXT_STRING_BYTES)), None);
    assert_eq!(
        context_problem(&string(MAX_CONTEXT_STRING_BYTES + 1)),
        Some(ErrorCode::InvalidContext)
    );

    let list = |n: usize| {
        let items: Vec<AttributeValue> = (0..n).map(|_| AttributeValue::Bool(true)).collect();
        Context::new().with("l", AttributeValue::List(items.into_boxed_slice()))
    };
    assert_eq!(context_problem(&list(MAX_CONTEXT_ARRAY_LEN)), None);
    assert_eq!(
        context_problem(&list(MAX_CONTEXT_ARRAY_LEN + 1)),
        Some(ErrorCode::InvalidContext)
    );

    // JSON text at the cap is read; one byte more is refused unread.
    let padded = |n: usize| {
        let mut text = String::from(r#"{"a": true}"#);
        text.push_str(&" ".repeat(n - text.len()));
        Context::from_json(&text)
    };
    assert_eq!(context_problem(&padded(MAX_CONTEXT_JSON_BYTES)), None);
    assert_eq!(
        context_problem(&padded(MAX_CONTEXT_JSON_BYTES + 1)),
        Some(ErrorCode::InvalidContext)
    );

    // An invalid context makes every evaluation an error, never a panic.
    let ruleset = compile(&document(json!({ "f": flag_with(json!({})) }))).expect("compiles");
    let evaluation = ruleset.evaluate("f", &string(MAX_CONTEXT_STRING_BYTES + 1), 0);
    assert_eq!(
        (evaluation.reason, evaluation.error),
        (Reason::Error, Some(ErrorCode::InvalidContext))
    );
}

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Ruleset>();
    assert_send_sync::<Context>();
    assert_send_sync::<darklaunch::Error>();
    assert_send_sync::<darklaunch::Evaluation<'static>>();
}

#[test]
fn keys_per_segment_list() {
    for list in ["include", "exclude"] {
        at_limit(MAX_SEGMENT_KEYS, "LIMIT_EXCEEDED", |n| {
            let keys: Vec<String> = (0..n).map(|i| format!("{i:x}")).collect();
            json!({ "schema": "darklaunch/v1", "segments": { "s": { list: keys } }, "flags": {} })
        });
    }
}

#[test]
fn segment_key_length() {
    at_limit(
        MAX_STRING_BYTES,
        "LIMIT_EXCEEDED",
        |n| json!({ "schema": "darklaunch/v1", "segments": { "s": { "include": ["k".repeat(n)] } }, "flags": {} }),
    );
}

mod snapshot_limits {
    use darklaunch::limits::{MAX_ENVELOPE_BYTES, MAX_KEYS, MAX_SIGNATURES};
    use darklaunch::snapshot::{encode_base64, pae, verify, Keyring, Policy, Update, PAYLOAD_TYPE};
    use ed25519_dalek::{Signer, SigningKey};
    use serde_json::json;

    fn code(bytes: &[u8], keyring: &Keyring) -> &'static str {
        let policy = Policy::new("prod", 1_796_126_400_000); // 2026-12-01T12:00:00Z
        match verify(bytes, keyring, &policy) {
            Ok(Update::Accepted(_)) => "OK",
            Ok(Update::Unchanged) => "UNCHANGED",
            Err(e) => e.code(),
        }
    }

    #[test]
    fn keys_per_keyring() {
        let key = |i: usize| SigningKey::from_bytes(&[u8::try_from(i + 1).expect("small"); 32]);
        let mut keyring = Keyring::new();
        for i in 0..MAX_KEYS {
            keyring
                .add(&format!("k{i}"), key(i).verifying_key().as_bytes())
                .expect("up to MAX_KEYS keys");
        }
        let e = keyring
            .add("one-more", key(MAX_KEYS).verifying_key().as_bytes())
            .expect_err("MAX_KEYS + 1");
        assert_eq!(e.code(), "KEY_REJECTED", "{e}");
    }

    #[test]
    fn signatures_per_envelope() {
        let signer = SigningKey::from_bytes(&[9; 32]);
        let mut keyring = Keyring::new();
        keyring
            .add("k", signer.verifying_key().as_bytes())
            .expect("valid");
        let payload = serde_json::to_vec(&json!({
            "schema": "darklaunch/v1", "version": 1, "environment": "prod",
            "issued_at": "2026-12-01T11:00:00Z", "expires": "2026-12-08T11:00:00Z", "flags": {}
        }))
        .expect("serialisable");
        let sig = encode_base64(&signer.sign(&pae(PAYLOAD_TYPE, &payload)).to_bytes());
        let envelope = |n: usize| {
            let signatures = vec![json!({ "sig": sig }); n];
            let envelope = json!({ "payload": encode_base64(&payload), "payloadType": PAYLOAD_TYPE, "signatures": signatures });
            serde_json::to_vec(&envelope).expect("serialisable")
        };
        assert_eq!(code(&envelope(MAX_SIGNATURES), &keyring), "OK");
        assert_eq!(code(&envelope(MAX_SIGNATURES + 1), &keyring), "SIGNATURE_COUNT");
    }

    #[test]
    fn envelope_size() {
        // At the cap the envelope is parsed (and is not an envelope); one byte more is not.
        let keyring = Keyring::new();
        assert_eq!(
            code(&vec![b' '; MAX_ENVELOPE_BYTES], &keyring),
            "MALFORMED_ENVELOPE"
        );
        assert_eq!(
            code(&vec![b' '; MAX_ENVELOPE_BYTES + 1], &keyring),
            "ENVELOPE_TOO_LARGE"
        );
    }
}

/// docs/security.md lists every constant of src/limits.rs with its value.
#[test]
fn security_doc_lists_every_limit() {
    let root = env!("CARGO_MANIFEST_DIR");
    let docs = std::fs::read_to_string(format!("{root}/docs/security.md")).expect("docs/security.md");
    let source = std::fs::read_to_string(format!("{root}/src/limits.rs")).expect("src/limits.rs");
    let values = [
        ("MAX_RULESET_BYTES", MAX_RULESET_BYTES, " bytes"),
        ("MAX_JSON_DEPTH", MAX_JSON_DEPTH, ""),
        ("MAX_FLAGS", MAX_FLAGS, ""),
        ("MAX_SEGMENTS", MAX_SEGMENTS, ""),
        ("MAX_VARIANTS", MAX_VARIANTS, ""),
        ("MAX_RULES", MAX_RULES, ""),
        ("MAX_PREREQUISITES", MAX_PREREQUISITES, ""),
        ("MAX_PREREQUISITE_DEPTH", MAX_PREREQUISITE_DEPTH, ""),
        ("MAX_STAGES", MAX_STAGES, ""),
        ("MAX_CONDITION_DEPTH", MAX_CONDITION_DEPTH, ""),
        ("MAX_CONDITIONS", MAX_CONDITIONS, ""),
        ("MAX_LIST_VALUES", MAX_LIST_VALUES, ""),
        ("MAX_SEGMENT_KEYS", MAX_SEGMENT_KEYS, ""),
        ("MAX_KEY_BYTES", MAX_KEY_BYTES, " bytes"),
        ("MAX_ATTRIBUTE_NAME_BYTES", MAX_ATTRIBUTE_NAME_BYTES, " bytes"),
        ("MAX_STRING_BYTES", MAX_STRING_BYTES, " bytes"),
        ("MAX_CONTEXT_ATTRIBUTES", MAX_CONTEXT_ATTRIBUTES, ""),
        ("MAX_CONTEXT_STRING_BYTES", MAX_CONTEXT_STRING_BYTES, " bytes"),
        ("MAX_CONTEXT_ARRAY_LEN", MAX_CONTEXT_ARRAY_LEN, ""),
        ("MAX_CONTEXT_JSON_BYTES", MAX_CONTEXT_JSON_BYTES, " bytes"),
        ("MAX_ENVELOPE_BYTES", MAX_ENVELOPE_BYTES, " bytes"),
        ("MAX_SIGNATURES", MAX_SIGNATURES, ""),
        ("MAX_KEYS", MAX_KEYS, ""),
    ];
    // Every constant of src/limits.rs is in the list above (so a new limit cannot go
    // undocumented).
    let constants: Vec<&str> = source
        .lines()
        .filter_map(|line| line.strip_prefix("pub const "))
        .map(|rest| rest.split(':').next().expect("a name"))
        .collect();
    let listed: Vec<&str> = values.iter().map(|(name, _, _)| *name).collect();
    assert_eq!(
        constants, listed,
        "src/limits.rs and this test list different constants"
    );
    for (name, value, unit) in values {
        let row = format!("| `{name}` | {}{unit} |", with_commas(&value.to_string()));
        assert!(docs.contains(&row), "docs/security.md lacks the row {row:?}");
    }
}
