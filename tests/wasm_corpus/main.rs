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
#[path = "../common/corpus.rs"]
mod corpus;
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
