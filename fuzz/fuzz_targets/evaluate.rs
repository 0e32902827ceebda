//! Fuzz target `evaluate`: arbitrary contexts and flag keys over fixed and generated rulesets.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::evaluate(data));
