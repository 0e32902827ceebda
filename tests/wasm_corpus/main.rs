//! The conformance corpus and the bucketing vectors inside WebAssembly, in Node and in headless
//! Chromium (`make test-wasm-node`, `make test-wasm-browser`): the same test binary, run by
//! `wasm-bindgen-test-runner` in each engine (`WASM_BINDGEN_USE_BROWSER` picks Chromium).
//!
//! Two routes, both compiled to wasm32:
//! - the core, exactly as `tests/conformance.rs` and `tests/bucketing_vectors.rs` run it
//!   natively (every case, typed resolution and compile errors included);
//! - the `wasm` feature's bindings, the route the npm package takes: each ruleset signed into
//!   a snapshot, loaded by `Verifier`, evaluated by flag index with a `PreparedContext`, the
//!   packed result decoded with the catalog (`through_bindings.rs`).
//!
//! wasm has no file system, so the corpus is embedded; natively, this file only checks that
//! the embedded list names every corpus file.

#[cfg(all(target_arch = "wasm32", feature = "wasm"))]
mod through_bindings;
#[cfg(all(target_arch = "wasm32", feature = "wasm"))]
mod through_core;

macro_rules! corpus {
    ($($name:literal),* $(,)?) => {
        /// The evaluation files of `tests/conformance/`: `(file name, text)`.
        pub const EVALUATION_FILES: &[(&str, &str)] =
            &[$(($name, include_str!(concat!("../conformance/", $name)))),*];
    };
}

corpus!(
    "conditions.json",
    "kill-switch.json",
    "operators.json",
    "prerequisites.json",
    "reasons-and-errors.json",
    "rollouts.json",
    "segments.json",
    "stages.json",
    "types.json",
    "worked-example.json",
);

pub const COMPILE_ERRORS: &str = include_str!("../conformance/compile-errors.json");
pub const BUCKETING_VECTORS: &str = include_str!("../conformance/bucketing-vectors.json");

/// `now` of a case without one (tests/conformance/README.md).
pub const DEFAULT_NOW: &str = "2026-01-01T00:00:00Z";

/// The fields every case's `expect` has.
pub const FIELDS: [&str; 6] = ["value", "variant", "reason", "error", "rule", "stage"];

/// Numbers compare by value (`1` equals `1.0`); everything else structurally.
pub fn json_equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
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
pub fn differences(file: &str, case: &serde_json::Value, got: &serde_json::Value) -> Vec<String> {
    let null = serde_json::Value::Null;
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

/// The embedded list must name every evaluation file, or the wasm layers silently skip it.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_corpus_file_is_embedded() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/conformance exists")
        .map(|entry| entry.expect("readable").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .filter(|path| {
            let text = std::fs::read_to_string(path).expect("readable");
            let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            value.get("ruleset").is_some() && value.get("cases").is_some()
        })
        .map(|path| path.file_name().expect("a file").to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let embedded: Vec<&str> = EVALUATION_FILES.iter().map(|(name, _)| *name).collect();
    assert_eq!(embedded, on_disk);
}
