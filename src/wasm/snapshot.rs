//! Loading (verify + compile) and evaluating a snapshot by flag index.

use alloc::string::String;
use alloc::vec::Vec;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::context::PreparedContext;
use super::json::{self, string};
use super::{error, millis, packed};
use crate::snapshot::{verify, Accepted, Keyring, Policy, Snapshot, Update};
use crate::text::decimal;
use crate::{Context, ErrorCode, Evaluation, FlagId};

/// The host's fixed side of verification: pinned keys, threshold, environment, stale policy.
#[wasm_bindgen]
pub struct Verifier {
    keyring: Keyring,
    environment: String,
    allow_stale: bool,
}

#[wasm_bindgen]
impl Verifier {
    /// From the keyring file format `{"keys": {"ID": "base64"}, "threshold": N}`; a refused
    /// key throws an `Error` with code `KEY_REJECTED`.
    #[wasm_bindgen(constructor)]
    pub fn new(keyring_json: &str, environment: String, allow_stale: bool) -> Result<Verifier, JsValue> {
        let keyring = Keyring::from_json(keyring_json.as_bytes()).map_err(|e| error::to_js(&e))?;
        Ok(Verifier {
            keyring,
            environment,
            allow_stale,
        })
    }

    /// Verifies and compiles snapshot bytes at `now` (Unix ms). `last_version` /
    /// `last_digest` are the last accepted snapshot's; without a digest an equal version is a
    /// `VERSION_CONFLICT`. Returns `undefined` when the bytes are the accepted ones
    /// (unchanged); throws an `Error` with the load error's `code`, `path` and `detail`.
    pub fn verify(
        &self,
        bytes: &[u8],
        now: f64,
        last_version: Option<u64>,
        last_digest: Option<Vec<u8>>,
    ) -> Result<Option<LoadedSnapshot>, JsValue> {
        let mut policy = Policy::new(&self.environment, millis(now));
        policy.allow_stale = self.allow_stale;
        policy.last = last_version.map(|version| Accepted {
            version,
            digest: last_digest
                .and_then(|d| <[u8; 32]>::try_from(d.as_slice()).ok())
                .unwrap_or_default(),
        });
        match verify(bytes, &self.keyring, &policy) {
            Ok(Update::Accepted(snapshot)) => Ok(Some(LoadedSnapshot { snapshot })),
            Ok(Update::Unchanged) => Ok(None),
            Err(e) => Err(error::to_js(&e)),
        }
    }
}

/// A verified, compiled snapshot, evaluated by flag index.
#[wasm_bindgen]
pub struct LoadedSnapshot {
    snapshot: Snapshot,
}

#[wasm_bindgen]
impl LoadedSnapshot {
    /// JSON text read once at load: the signed facts, the flags in index order with their
    /// type, variant names and values, and the reason / error names of the packed layout.
    /// Written straight into one buffer: building a `serde_json::Value` tree first (and
    /// cloning every variant value into it) took ~3 ms for 1,000 flags in wasm.
    pub fn catalog(&self) -> String {
        let ruleset = self.snapshot.ruleset();
        let info = self.snapshot.info();
        let mut out = String::with_capacity(128 * ruleset.len() + 512);
        out.push_str("{\"version\":");
        string(&mut out, &decimal(info.version));
        out.push_str(",\"issuedAt\":");
        json::integer(&mut out, info.issued_at_ms);
        out.push_str(",\"expires\":");
        json::integer(&mut out, info.expires_ms);
        out.push_str(",\"environment\":");
        string(&mut out, &info.environment);
        out.push_str(",\"digest\":");
        string(&mut out, &hex(&info.digest));
        out.push_str(",\"keyIds\":[");
        for (i, id) in info.key_ids.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            string(&mut out, id);
        }
        out.push(']');
        out.push_str(",\"flags\":[");
        for (index, key) in ruleset.flags().enumerate() {
            let id = flag_id(index);
            if index > 0 {
                out.push(',');
            }
            out.push_str("{\"key\":");
            string(&mut out, key);
            out.push_str(",\"type\":");
            match ruleset.value_type(id) {
                Some(value_type) => string(&mut out, value_type.as_str()),
                None => out.push_str("null"),
            }
            out.push_str(",\"variants\":[");
            for (i, (name, _)) in ruleset.variants(id).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(&mut out, name);
            }
            out.push_str("],\"values\":[");
            // Each value's JSON text as signed: JS parses it exactly as the author wrote it.
            let variants = ruleset.flag(id).map_or(&[][..], |flag| &flag.variants[..]);
            for (i, variant) in variants.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&variant.json);
            }
            out.push_str("]}");
        }
        out.push_str("],\"names\":");
        packed::names(&mut out);
        out.push('}');
        out
    }

    /// The SHA-256 of the payload, for the host to persist with the version.
    pub fn digest(&self) -> Vec<u8> {
        self.snapshot.info().digest.to_vec()
    }

    /// Evaluates flag `flag` (its index) for a context at `now`: the packed result.
    pub fn evaluate(&self, flag: u32, context: &PreparedContext, now: f64) -> u32 {
        let id = flag_id(flag as usize);
        let evaluation = self.snapshot.evaluate_id(id, &context.context, millis(now));
        packed::pack(&evaluation, self.variant_index(id, &evaluation))
    }

    /// Evaluates every flag (index order) into `out`, in one call.
    #[wasm_bindgen(js_name = evaluateAll)]
    pub fn evaluate_all(&self, context: &PreparedContext, now: f64, out: &mut [u32]) {
        self.fill(&context.context, now, out);
    }

    /// As `evaluate`, for a context used once: its JSON text is parsed here, so no
    /// `PreparedContext` object (and its finalizer registration) is made on the JS side.
    #[wasm_bindgen(js_name = evaluateJson)]
    pub fn evaluate_json(&self, flag: u32, context_json: &str, now: f64) -> u32 {
        let id = flag_id(flag as usize);
        let evaluation = self
            .snapshot
            .evaluate_id(id, &Context::from_json(context_json), millis(now));
        packed::pack(&evaluation, self.variant_index(id, &evaluation))
    }

    /// As `evaluateAll`, for a context used once (see `evaluateJson`).
    #[wasm_bindgen(js_name = evaluateAllJson)]
    pub fn evaluate_all_json(&self, context_json: &str, now: f64, out: &mut [u32]) {
        self.fill(&Context::from_json(context_json), now, out);
    }

    /// Everything about one evaluation, as JSON text: the slow path for people and tools.
    /// The fields of [`Evaluation::details_json`] and the bucket, in name order (as
    /// serde_json wrote them). The bucket position is a decimal string (a u64 does not fit a
    /// JS number).
    pub fn explain(&self, flag: u32, context: &PreparedContext, now: f64) -> String {
        let id = flag_id(flag as usize);
        let e = self.snapshot.evaluate_id(id, &context.context, millis(now));
        let mut out = String::with_capacity(256);
        out.push_str("{\"bucket\":");
        match e.bucket {
            Some(b) => {
                out.push_str("{\"exposure\":");
                json::integer(&mut out, i64::from(b.exposure));
                out.push_str(",\"inside\":");
                json::boolean(&mut out, b.inside);
                out.push_str(",\"position\":");
                string(&mut out, &decimal(b.position));
                out.push('}');
            }
            None => out.push_str("null"),
        }
        out.push_str(",\"errorCode\":");
        optional_string(&mut out, e.error.map(ErrorCode::as_str));
        out.push_str(",\"failedPrerequisite\":");
        optional_string(&mut out, e.failed_prerequisite);
        out.push_str(",\"reason\":");
        string(&mut out, e.reason.as_str());
        out.push_str(",\"rule\":");
        optional_index(&mut out, e.rule);
        out.push_str(",\"ruleId\":");
        optional_string(&mut out, e.rule_id);
        out.push_str(",\"stage\":");
        optional_index(&mut out, e.stage);
        out.push_str(",\"variant\":");
        optional_string(&mut out, e.variant);
        out.push('}');
        out
    }

    fn fill(&self, context: &Context, now: f64, out: &mut [u32]) {
        let now = millis(now);
        for (index, slot) in out.iter_mut().enumerate().take(self.snapshot.ruleset().len()) {
            let id = flag_id(index);
            let evaluation = self.snapshot.evaluate_id(id, context, now);
            *slot = packed::pack(&evaluation, self.variant_index(id, &evaluation));
        }
    }

    /// The variant's index in its flag: found by identity, not by comparing names.
    fn variant_index(&self, id: FlagId, evaluation: &Evaluation<'_>) -> Option<usize> {
        let served = evaluation.value?;
        self.snapshot
            .ruleset()
            .variants(id)
            .position(|(_, value)| core::ptr::eq(value, served))
    }
}

/// Indices beyond the ruleset give `FLAG_NOT_FOUND`, never a panic.
fn flag_id(index: usize) -> FlagId {
    FlagId(u32::try_from(index).unwrap_or(u32::MAX))
}

fn optional_string(out: &mut String, text: Option<&str>) {
    match text {
        Some(text) => string(out, text),
        None => out.push_str("null"),
    }
}

fn optional_index(out: &mut String, index: Option<usize>) {
    match index {
        Some(index) => json::integer(out, i64::try_from(index).unwrap_or(i64::MAX)),
        None => out.push_str("null"),
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(json::hex_digit(byte >> 4));
        text.push(json::hex_digit(byte & 0xf));
    }
    text
}
