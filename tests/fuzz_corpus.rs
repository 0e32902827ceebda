//! Replays the committed fuzz corpora (`fuzz/corpus/<target>/`) and every crash turned
//! regression (`fuzz/regressions/<target>/`) through the fuzz targets' own bodies
//! (`fuzz/harness.rs`), on stable Rust: CI checks that no known input panics without nightly
//! or cargo-fuzz. See docs/security.md#fuzzing.

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::Path;

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 3] = [
    ("envelope", harness::envelope),
    ("payload", harness::payload),
    ("evaluate", harness::evaluate),
];

/// Runs every file under `fuzz/<dir>/<target>/` through the target; returns how many ran.
fn replay(dir: &str, name: &str, target: Target) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(dir)
        .join(name);
    let Ok(entries) = std::fs::read_dir(&root) else {
        return 0;
    };
    let mut files: Vec<_> = entries.map(|e| e.expect("readable entry").path()).collect();
    files.sort();
    for file in &files {
        let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let outcome = std::panic::catch_unwind(|| target(&data));
        assert!(outcome.is_ok(), "{} panics in target {name}", file.display());
    }
    files.len()
}

#[test]
fn corpora_replay_without_panics() {
    for (name, target) in TARGETS {
        let count = replay("corpus", name, target);
        assert!(count > 0, "fuzz/corpus/{name}/ is empty or missing");
    }
}

#[test]
fn regressions_replay_without_panics() {
    for (name, target) in TARGETS {
        replay("regressions", name, target);
    }
}

#[test]
fn the_payload_target_reaches_the_compiler() {
    // The harness signs the payload, so a valid ruleset is accepted, not stopped at the
    // signature check (the point of the target).
    let payload = br#"{"schema":"darklaunch/v1","version":1,"issued_at":"2026-12-01T11:00:00Z",
        "expires":"2026-12-08T11:00:00Z","environment":"prod",
        "flags":{"f":{"variants":{"on":true,"off":false},"off":"off","default":"on"}}}"#;
    let update = darklaunch::snapshot::verify(
        &harness::sign(payload),
        harness::keyring(),
        &harness::lenient_policy(),
    );
    assert!(matches!(update, Ok(darklaunch::snapshot::Update::Accepted(_))));
    harness::payload(payload);
    harness::envelope(&harness::sign(payload));
}

#[test]
fn every_fixed_ruleset_compiles() {
    assert_eq!(harness::fixed_rulesets().len(), 11);
}

/// Writes seed inputs for the fuzzers to `$FUZZ_SEEDS/<target>/` (run by `make fuzz`, never
/// by CI): every conformance ruleset and compile-error case and the example, as payloads
/// with and without snapshot metadata, and signed with the test key as envelopes.
#[test]
#[ignore = "writes fuzzing seeds; run by `make fuzz`"]
fn write_fuzz_seeds() {
    use serde_json::{json, Value};
    let out = std::env::var("FUZZ_SEEDS").expect("FUZZ_SEEDS names the output directory");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut payloads: Vec<Vec<u8>> = Vec::new();
    let add_ruleset = |payloads: &mut Vec<Vec<u8>>, ruleset: &Value| {
        payloads.push(serde_json::to_vec(ruleset).expect("serialisable"));
        if let Value::Object(mut object) = ruleset.clone() {
            object.insert("version".into(), json!(7));
            object.insert("issued_at".into(), json!("2026-12-01T11:00:00Z"));
            object.insert("expires".into(), json!("2026-12-08T11:00:00Z"));
            object.insert("environment".into(), json!(harness::ENVIRONMENT));
            payloads.push(serde_json::to_vec_pretty(&Value::Object(object)).expect("serialisable"));
        }
    };
    let example = std::fs::read(root.join("examples/rulesets/dark-launch.json")).expect("example");
    add_ruleset(
        &mut payloads,
        &serde_json::from_slice(&example).expect("example JSON"),
    );
    let mut files: Vec<_> = std::fs::read_dir(root.join("tests/conformance"))
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for file in files {
        let value: Value = serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("JSON");
        if let Some(ruleset) = value.get("ruleset") {
            add_ruleset(&mut payloads, ruleset);
        }
        for case in value["cases"].as_array().into_iter().flatten() {
            if let Some(ruleset) = case.get("ruleset") {
                add_ruleset(&mut payloads, ruleset);
            }
            if let Some(text) = case.get("ruleset_text").and_then(Value::as_str) {
                if case.get("pad_to_bytes").is_none() {
                    payloads.push(text.as_bytes().to_vec());
                }
            }
        }
    }
    let write = |target: &str, inputs: &[Vec<u8>]| {
        let dir = Path::new(&out).join(target);
        std::fs::create_dir_all(&dir).expect("mkdir");
        for (i, input) in inputs.iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i:04}")), input).expect("write");
        }
    };
    let envelopes: Vec<Vec<u8>> = payloads.iter().map(|p| harness::sign(p)).collect();
    write("payload", &payloads);
    write("envelope", &envelopes);
    // `evaluate` decodes its bytes with `arbitrary`: any bytes are a valid seed.
    let evaluate: Vec<Vec<u8>> = payloads
        .iter()
        .map(|p| p.iter().rev().take(512).copied().collect())
        .collect();
    write("evaluate", &evaluate);
}

#[test]
fn the_evaluate_corpus_covers_fixed_and_generated_rulesets() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/evaluate");
    let mut counts = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("fuzz/corpus/evaluate") {
        let data = std::fs::read(entry.expect("entry").path()).expect("readable");
        *counts.entry(harness::evaluate_mode(&data)).or_insert(0) += 1;
    }
    eprintln!("evaluate corpus modes: {counts:?}");
    for mode in ["fixed", "generated", "generated-refused"] {
        assert!(counts.get(&Some(mode)).is_some_and(|&n| n > 0), "{counts:?}");
    }
}
