//! Fuzz target `envelope`: raw bytes as a signed snapshot, verified against a fixed keyring and policy.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::envelope(data));
