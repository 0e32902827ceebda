//! The corpus through the `wasm` feature's bindings, the route the npm package takes: each
//! ruleset signed into a snapshot (a key generated at run time), verified and compiled by
//! `Verifier`, evaluated by flag index with a `PreparedContext`, the packed `u32` decoded
//! with the names and values of `LoadedSnapshot::catalog` (layout in src/wasm/packed.rs).

use darklaunch::parse_rfc3339_ms;
use darklaunch::snapshot::{encode_base64, pae, PAYLOAD_TYPE};
use darklaunch::wasm::{LoadedSnapshot, PreparedContext, Verifier};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::corpus::{case_now, differences, DEFAULT_NOW};
use crate::EVALUATION_FILES;

const KEY_ID: &str = "wasm-test";
const ENVIRONMENT: &str = "test";
const ISSUED_AT: &str = "2026-01-01T00:00:00Z";

/// A throwaway signing key from the engine's random numbers (no key is ever committed).
fn signing_key() -> SigningKey {
    let mut hasher = Sha256::new();
    for _ in 0..8 {
        hasher.update(js_sys::Math::random().to_bits().to_le_bytes());
    }
    SigningKey::from_bytes(&hasher.finalize().into())
}

/// The keyring file format `Verifier::new` takes, trusting `key`.
fn keyring_json(key: &SigningKey) -> String {
    json!({ "keys": { KEY_ID: encode_base64(key.verifying_key().as_bytes()) }, "threshold": 1 }).to_string()
}

/// A DSSE envelope of `ruleset` plus the snapshot metadata, signed by `key`.
fn signed_snapshot(ruleset: &Value, key: &SigningKey) -> Vec<u8> {
    let mut payload = ruleset.clone();
    let fields = payload.as_object_mut().expect("a ruleset is an object");
    fields.insert("version".into(), json!(1));
    fields.insert("issued_at".into(), json!(ISSUED_AT));
    fields.insert("expires".into(), json!("2999-01-01T00:00:00Z"));
    fields.insert("environment".into(), json!(ENVIRONMENT));
    let payload = serde_json::to_vec(&payload).expect("serialisable");
    let sig = key.sign(&pae(PAYLOAD_TYPE, &payload));
    serde_json::to_vec(&json!({
        "payload": encode_base64(&payload),
        "payloadType": PAYLOAD_TYPE,
        "signatures": [{ "keyid": KEY_ID, "sig": encode_base64(&sig.to_bytes()) }],
    }))
    .expect("serialisable")
}

fn load_now() -> f64 {
    ms(ISSUED_AT)
}

fn ms(rfc3339: &str) -> f64 {
    parse_rfc3339_ms(rfc3339).expect("RFC 3339") as f64
}

/// The JS error's `code` property.
fn code_of(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &JsValue::from_str("code"))
        .ok()
        .and_then(|code| code.as_string())
        .unwrap_or_default()
}

/// A loaded snapshot with its catalog, decoding packed evaluations as api.js does.
struct Loaded {
    snapshot: LoadedSnapshot,
    catalog: Value,
}

impl Loaded {
    fn index(&self, flag: &str) -> Option<usize> {
        let flags = self.catalog["flags"].as_array().expect("flags");
        flags.iter().position(|f| f["key"] == flag)
    }

    fn name(&self, table: &str, code: u32) -> Value {
        let pairs = self.catalog["names"][table].as_array().expect("names");
        let pair = pairs.iter().find(|pair| pair[0] == code);
        pair.map_or(Value::Null, |pair| pair[1].clone())
    }

    /// The packed evaluation in the corpus's vocabulary.
    fn decode(&self, index: Option<usize>, packed: u32) -> Value {
        let optional = |shift: u32, bits: u32| match (packed >> shift) & ((1 << bits) - 1) {
            0 => Value::Null,
            n => json!(n - 1),
        };
        let variant = (packed & 0x7f) as usize;
        let flag = index.map(|i| &self.catalog["flags"][i]);
        let pick = |field: &str| match (flag, variant) {
            (Some(flag), 1..) => flag[field][variant - 1].clone(),
            _ => Value::Null,
        };
        json!({
            "value": pick("values"),
            "variant": pick("variants"),
            "reason": self.name("reasons", (packed >> 7) & 7),
            "error": self.name("errors", (packed >> 10) & 7),
            "rule": optional(13, 10),
            "stage": optional(23, 7),
        })
    }
}

fn load(ruleset: &Value, key: &SigningKey) -> Loaded {
    let verifier = Verifier::new(&keyring_json(key), ENVIRONMENT.into(), false)
        .unwrap_or_else(|e| panic!("keyring refused: {}", code_of(&e)));
    let snapshot = verifier
        .verify(&signed_snapshot(ruleset, key), load_now(), None, None)
        .unwrap_or_else(|e| panic!("snapshot refused: {}", code_of(&e)))
        .expect("a first load is never unchanged");
    let catalog = serde_json::from_str(&snapshot.catalog()).expect("catalog JSON");
    Loaded { snapshot, catalog }
}

#[wasm_bindgen_test]
fn corpus_through_the_bindings() {
    let key = signing_key();
    let (mut cases, mut typed_in_js) = (0, 0);
    let mut failures = Vec::new();
    for (name, text) in EVALUATION_FILES {
        let file: Value = serde_json::from_str(text).expect("corpus JSON");
        let loaded = load(&file["ruleset"], &key);
        for case in file["cases"].as_array().expect("cases") {
            let flag = case["flag"].as_str().expect("flag");
            let index = loaded.index(flag);
            // A requested type that differs from the flag's is resolved in api.js
            // (TYPE_MISMATCH), before wasm: tests/js covers those cases.
            let flag_type = index.map(|i| &loaded.catalog["flags"][i]["type"]);
            if case
                .get("type")
                .is_some_and(|t| flag_type.is_some_and(|ft| ft != t))
            {
                typed_in_js += 1;
                continue;
            }
            cases += 1;
            let context = match case.get("context_json") {
                Some(text) => PreparedContext::from_json(text.as_str().expect("context_json")),
                None => PreparedContext::from_json(&case.get("context").unwrap_or(&json!({})).to_string()),
            };
            let now = case_now(case) as f64;
            // An unknown flag never reaches wasm from api.js; an index past the end is the
            // binding's own FLAG_NOT_FOUND.
            let wasm_index = index.map_or(u32::MAX, |i| u32::try_from(i).expect("fits"));
            let packed = loaded.snapshot.evaluate(wasm_index, &context, now);
            failures.extend(differences(name, case, &loaded.decode(index, packed)));
        }
    }
    assert!(
        cases >= 400,
        "only {cases} cases went through the bindings ({typed_in_js} typed in JS)"
    );
    assert!(
        failures.is_empty(),
        "{} of {cases} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `evaluateAll` fills one slot per flag with what `evaluate` returns for it.
#[wasm_bindgen_test]
fn evaluate_all_matches_evaluate() {
    let key = signing_key();
    for (_, text) in EVALUATION_FILES {
        let file: Value = serde_json::from_str(text).expect("corpus JSON");
        let loaded = load(&file["ruleset"], &key);
        let count = loaded.catalog["flags"].as_array().expect("flags").len();
        let context = PreparedContext::from_json(r#"{"targetingKey":"user-42","country":"DE"}"#);
        let now = ms(DEFAULT_NOW);
        let mut all = vec![0; count];
        loaded.snapshot.evaluate_all(&context, now, &mut all);
        for (index, packed) in all.iter().enumerate() {
            let one = loaded
                .snapshot
                .evaluate(u32::try_from(index).expect("fits"), &context, now);
            assert_eq!(*packed, one, "flag {index}");
        }
    }
}

/// Load errors cross the boundary as JS `Error`s carrying the stable code.
#[wasm_bindgen_test]
fn a_snapshot_signed_by_another_key_is_refused_with_its_code() {
    let (trusted, other) = (signing_key(), signing_key());
    let ruleset = json!({ "schema": "darklaunch/v1", "flags": {} });
    let verifier = Verifier::new(&keyring_json(&trusted), ENVIRONMENT.into(), false).expect("keyring");
    let error = verifier
        .verify(&signed_snapshot(&ruleset, &other), load_now(), None, None)
        .err()
        .expect("refused");
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(code_of(&error), "SIGNATURE_INVALID");
}

/// `explain` returns the core's `details_json` plus the bucket (its position as a decimal
/// string), with the members in name order as serde_json wrote them before the bindings got
/// their own JSON writer.
#[wasm_bindgen_test]
fn explain_is_the_cores_explanation() {
    let key = signing_key();
    let mut explained = 0;
    for (name, text) in EVALUATION_FILES {
        let file: Value = serde_json::from_str(text).expect("corpus JSON");
        let loaded = load(&file["ruleset"], &key);
        let ruleset =
            darklaunch::Ruleset::from_json(file["ruleset"].to_string().as_bytes()).expect("compiles");
        let flags = loaded.catalog["flags"].as_array().expect("flags");
        for case in file["cases"].as_array().expect("cases") {
            let context_text = match case.get("context_json") {
                Some(text) => text.as_str().expect("context_json").to_string(),
                None => case.get("context").unwrap_or(&json!({})).to_string(),
            };
            let (context, core_context) = (
                PreparedContext::from_json(&context_text),
                darklaunch::Context::from_json(&context_text),
            );
            let now = case_now(case);
            for (index, flag) in flags.iter().enumerate() {
                let flag = flag["key"].as_str().expect("key");
                let e = ruleset.evaluate(flag, &core_context, now);
                let mut expected = e.details_json();
                let bucket = e.bucket.map(|b| {
                    json!({ "position": b.position.to_string(), "exposure": b.exposure, "inside": b.inside })
                });
                expected.insert("bucket".into(), json!(bucket));
                let text = loaded
                    .snapshot
                    .explain(u32::try_from(index).expect("fits"), &context, now as f64);
                let got: serde_json::Map<String, Value> = serde_json::from_str(&text).expect("explain JSON");
                assert_eq!(got, expected, "{name}: {flag}");
                let names: Vec<_> = got.keys().collect();
                assert!(names.is_sorted(), "{name}: {flag}: {text}");
                explained += 1;
            }
        }
    }
    assert!(explained >= 1_000, "only {explained} explanations");
}
