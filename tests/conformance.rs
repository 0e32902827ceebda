//! Runs the language-neutral corpus in `tests/conformance/` against the native evaluator.
//! The same files drive the wasm, npm, workerd and browser layers; the checks themselves are
//! `tests/common/corpus.rs`, shared with the wasm test.

mod common;

use common::corpus::{check_compile_errors, check_evaluation_file};
use common::{conformance_dir, evaluation_files, read_text};

#[test]
fn corpus_matches_native_evaluation() {
    let files = evaluation_files();
    assert!(files.len() >= 5, "the corpus has gone missing: {files:?}");
    let mut cases = 0;
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let outcome = check_evaluation_file(&name, &read_text(path));
        cases += outcome.cases;
        failures.extend(outcome.failures);
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(cases >= 60, "the corpus must keep at least 60 cases, has {cases}");
}

#[test]
fn compile_errors_have_the_documented_code_and_path() {
    let outcome = check_compile_errors(&read_text(&conformance_dir().join("compile-errors.json")));
    assert!(
        outcome.failures.is_empty(),
        "{} of {} cases differ:\n{}",
        outcome.failures.len(),
        outcome.cases,
        outcome.failures.join("\n")
    );
}
