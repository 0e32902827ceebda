//! Fuzz target `payload`: the bytes as a ruleset payload, inside an envelope signed with the test key.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::payload(data));
