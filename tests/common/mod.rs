//! Shared helpers for the integration tests: reading the conformance corpus; `corpus` holds
//! the checks every layer runs on it.

#![allow(dead_code)]

pub mod corpus;

use std::path::{Path, PathBuf};

use serde_json::Value;

pub fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&read_text(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The corpus files of evaluation cases (every `*.json` with a `ruleset` and `cases`).
pub fn evaluation_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(conformance_dir())
        .expect("tests/conformance exists")
        .map(|entry| entry.expect("readable dir entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .filter(|path| {
            let value = read_json(path);
            value.get("ruleset").is_some() && value.get("cases").is_some()
        })
        .collect();
    files.sort();
    files
}

pub fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
