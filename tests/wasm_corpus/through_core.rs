//! The corpus and the bucketing vectors through the core compiled to wasm32: exactly the
//! checks of `tests/conformance.rs` and `tests/bucketing_vectors.rs` (`tests/common/corpus.rs`).

use wasm_bindgen_test::wasm_bindgen_test;

use crate::corpus::{check_bucketing_vectors, check_compile_errors, check_evaluation_file};
use crate::{BUCKETING_VECTORS, COMPILE_ERRORS, EVALUATION_FILES};

#[wasm_bindgen_test]
fn corpus_through_the_core() {
    let mut cases = 0;
    let mut failures = Vec::new();
    for (name, text) in EVALUATION_FILES {
        let outcome = check_evaluation_file(name, text);
        cases += outcome.cases;
        failures.extend(outcome.failures);
    }
    assert!(cases >= 60, "the corpus must keep at least 60 cases, has {cases}");
    assert!(
        failures.is_empty(),
        "{} of {cases} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[wasm_bindgen_test]
fn compile_errors_through_the_core() {
    let outcome = check_compile_errors(COMPILE_ERRORS);
    assert!(outcome.failures.is_empty(), "{}", outcome.failures.join("\n"));
}

#[wasm_bindgen_test]
fn bucketing_vectors_through_the_core() {
    check_bucketing_vectors(BUCKETING_VECTORS);
}
