//! Loading snapshots at the documented limits (src/limits.rs) stays within the time and
//! memory docs/security.md#loading-at-the-limits states. A counting global allocator measures
//! the heap: the peak above the baseline while `verify` runs (the envelope, which the host
//! already holds, is not counted), what the loaded snapshot keeps, and that dropping it gives
//! everything back. Memory is deterministic, so its bounds are tight; time is asserted only
//! against a generous bound (10× the documented figure), so the test is not a timing test.
//!
//! Figures: `cargo test --release --test load_limits -- --nocapture`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use darklaunch::limits::*;
use darklaunch::snapshot::{encode_base64, pae, verify, Keyring, Policy, Snapshot, Update, PAYLOAD_TYPE};
use darklaunch::{Context, FlagValue};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Map, Value};

/// The system allocator, counting live bytes and their high-water mark.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn added(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            added(layout.size());
        }
        pointer
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            added(layout.size());
        }
        pointer
    }
    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            added(new_size);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const NOW_MS: i64 = 1_796_126_400_000; // 2026-12-01T12:00:00Z
const MIB: f64 = 1024.0 * 1024.0;

/// One snapshot at a limit, and the bounds docs/security.md states for loading it.
struct Case {
    name: &'static str,
    ruleset: Value,
    /// Pad the payload with spaces to exactly this many bytes.
    pad_to: Option<usize>,
    /// Documented bounds: heap peak and retained heap as multiples of the payload size.
    peak_per_payload_byte: f64,
    retained_per_payload_byte: f64,
    /// Documented load time in a release build, in milliseconds.
    release_ms: u64,
}

fn boolean_flag(extra: Value) -> Value {
    let mut flag = json!({ "variants": { "on": true, "off": false }, "off": "off", "default": "off" });
    for (key, value) in extra.as_object().expect("object") {
        flag[key] = value.clone();
    }
    flag
}

fn ruleset(flags: Map<String, Value>, segments: Map<String, Value>) -> Value {
    json!({ "schema": "darklaunch/v1", "segments": segments, "flags": flags })
}

/// MAX_FLAGS flags, each with a segment rule, an `in` list, a SemVer clause, a staged
/// rollout and metadata: a large, realistic ruleset.
fn max_flags() -> Value {
    let stages = json!([
        { "at": "2026-11-01T09:00:00Z", "percent": 1 },
        { "at": "2026-11-15T09:00:00Z", "percent": 5 },
        { "at": "2026-12-01T09:00:00Z", "percent": 30 },
    ]);
    let flags = (0..MAX_FLAGS)
        .map(|i| {
            let rules = json!([
                { "if": { "segment": "staff" }, "serve": "on" },
                { "if": { "all": [
                    { "attr": "country", "op": "in", "values": ["DE", "FR", "NL", "AT", "CH", "BE", "LU", "DK", "SE", "NO"] },
                    { "attr": "appVersion", "op": "semver_gte", "value": format!("4.{}.0", i % 10) },
                ] }, "serve": "on" },
            ]);
            let metadata = json!({ "owner": format!("team-{}", i % 17), "description": format!("Flag {i} at the limits") });
            let flag = boolean_flag(json!({
                "rules": rules, "metadata": metadata,
                "default": { "rollout": { "variants": { "on": 1 }, "stages": stages } },
            }));
            (format!("flag-{i}"), flag)
        })
        .collect();
    let staff = json!({ "include": ["user-1", "user-2"], "if": { "attr": "email", "op": "ends_with", "value": "@example.com" } });
    ruleset(flags, [("staff".to_string(), staff)].into_iter().collect())
}

/// MAX_SEGMENTS segments of 20 keys each, every one used by a flag's rule.
fn max_segments() -> Value {
    let segments = (0..MAX_SEGMENTS)
        .map(|i| {
            let include: Vec<String> = (0..20).map(|k| format!("user-{i}-{k}")).collect();
            (format!("segment-{i}"), json!({ "include": include }))
        })
        .collect();
    let rules: Vec<Value> = (0..MAX_RULES)
        .map(|i| json!({ "if": { "segment": format!("segment-{}", i * 10) }, "serve": "on" }))
        .collect();
    let flags = [("segmented".to_string(), boolean_flag(json!({ "rules": rules })))]
        .into_iter()
        .collect();
    ruleset(flags, segments)
}

/// 16 flags of MAX_RULES rules each, the last flag's condition at MAX_CONDITIONS, and a
/// prerequisite chain of MAX_PREREQUISITE_DEPTH.
fn max_rules() -> Value {
    let mut flags: Map<String, Value> = (0..16)
        .map(|f| {
            let rules: Vec<Value> = (0..MAX_RULES)
                .map(|i| json!({ "if": { "attr": "n", "op": "eq", "value": i + f * MAX_RULES }, "serve": "on" }))
                .collect();
            (format!("rules-{f}"), boolean_flag(json!({ "rules": rules })))
        })
        .collect();
    let clauses: Vec<Value> = (1..MAX_CONDITIONS)
        .map(|i| json!({ "attr": "m", "op": "eq", "value": i }))
        .collect();
    flags.insert(
        "conditions".into(),
        boolean_flag(json!({ "rules": [{ "if": { "any": clauses }, "serve": "on" }] })),
    );
    for i in 0..=MAX_PREREQUISITE_DEPTH {
        let prerequisites = if i < MAX_PREREQUISITE_DEPTH {
            json!([{ "flag": format!("chain-{}", i + 1), "variant": "on" }])
        } else {
            json!([])
        };
        flags.insert(
            format!("chain-{i}"),
            boolean_flag(json!({ "prerequisites": prerequisites, "default": "on" })),
        );
    }
    ruleset(flags, Map::new())
}

/// A segment with MAX_SEGMENT_KEYS keys in `include` and an `in` list of MAX_LIST_VALUES;
/// the rest of the MAX_RULESET_BYTES document is `exclude` keys, then spaces.
fn max_size() -> Value {
    let include: Vec<String> = (0..MAX_SEGMENT_KEYS).map(|i| format!("{i:x}")).collect();
    let exclude: Vec<String> = (0..600_000).map(|i| format!("x{i:x}")).collect();
    let values: Vec<String> = (0..MAX_LIST_VALUES).map(|i| format!("v{i}")).collect();
    let segment = json!({ "include": include, "exclude": exclude });
    let rules = json!([
        { "if": { "segment": "huge" }, "serve": "on" },
        { "if": { "attr": "plan", "op": "in", "values": values }, "serve": "on" },
    ]);
    let flags = [("huge".to_string(), boolean_flag(json!({ "rules": rules })))]
        .into_iter()
        .collect();
    ruleset(flags, [("huge".to_string(), segment)].into_iter().collect())
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "MAX_FLAGS (10,000) flags with rules, stages and metadata",
            ruleset: max_flags(),
            pad_to: None,
            peak_per_payload_byte: 16.0,
            retained_per_payload_byte: 4.0,
            release_ms: 110,
        },
        Case {
            name: "MAX_SEGMENTS (10,000) segments, a flag of MAX_RULES rules",
            ruleset: max_segments(),
            pad_to: None,
            peak_per_payload_byte: 10.0,
            retained_per_payload_byte: 4.0,
            release_ms: 40,
        },
        Case {
            name: "16 flags of MAX_RULES (1,000) rules, MAX_CONDITIONS, a prerequisite chain",
            ruleset: max_rules(),
            pad_to: None,
            peak_per_payload_byte: 10.0,
            retained_per_payload_byte: 3.0,
            release_ms: 10,
        },
        Case {
            name: "MAX_RULESET_BYTES (16 MiB): MAX_SEGMENT_KEYS and MAX_LIST_VALUES",
            ruleset: max_size(),
            pad_to: Some(MAX_RULESET_BYTES),
            peak_per_payload_byte: 10.0,
            retained_per_payload_byte: 5.0,
            release_ms: 600,
        },
    ]
}

fn snapshot_payload(case: &Case) -> Vec<u8> {
    let mut document = case.ruleset.clone();
    document["version"] = json!(1);
    document["issued_at"] = json!("2026-12-01T11:00:00Z");
    document["expires"] = json!("2026-12-08T11:00:00Z");
    document["environment"] = json!("prod");
    let mut payload = serde_json::to_vec(&document).expect("serialisable");
    if let Some(size) = case.pad_to {
        assert!(
            payload.len() <= size,
            "{}: {} bytes before padding",
            case.name,
            payload.len()
        );
        payload.resize(size, b' ');
    }
    assert!(
        payload.len() <= MAX_RULESET_BYTES,
        "{}: over the document limit",
        case.name
    );
    payload
}

fn envelope(signer: &SigningKey, payload: &[u8]) -> Vec<u8> {
    let sig = signer.sign(&pae(PAYLOAD_TYPE, payload));
    let envelope = json!({
        "payload": encode_base64(payload),
        "payloadType": PAYLOAD_TYPE,
        "signatures": [{ "keyid": "k", "sig": encode_base64(&sig.to_bytes()) }],
    });
    serde_json::to_vec(&envelope).expect("serialisable")
}

struct Measured {
    elapsed: Duration,
    peak: usize,
    retained: usize,
}

/// Verifies `bytes` with the heap counted from here; the loaded snapshot is handed to `check`.
fn measure_load(bytes: &[u8], keyring: &Keyring, check: impl FnOnce(&Snapshot)) -> Measured {
    let policy = Policy::new("prod", NOW_MS);
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let start = Instant::now();
    let snapshot = match verify(bytes, keyring, &policy) {
        Ok(Update::Accepted(snapshot)) => snapshot,
        Ok(Update::Unchanged) => panic!("no last snapshot was given"),
        Err(e) => panic!("{e}"),
    };
    let elapsed = start.elapsed();
    let measured = Measured {
        elapsed,
        peak: PEAK.load(Ordering::Relaxed) - base,
        retained: LIVE.load(Ordering::Relaxed) - base,
    };
    check(&snapshot);
    drop(snapshot);
    assert_eq!(
        LIVE.load(Ordering::Relaxed),
        base,
        "dropping the snapshot gives every byte back"
    );
    measured
}

/// One test, so no other test thread allocates while the heap is counted.
#[test]
fn snapshots_at_the_limits_load_within_the_documented_bounds() {
    let signer = SigningKey::from_bytes(&[5; 32]);
    let mut keyring = Keyring::new();
    keyring
        .add("k", signer.verifying_key().as_bytes())
        .expect("valid key");
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/security.md")).expect("docs");
    let context = Context::with_targeting_key("user-1")
        .with("country", "DE")
        .with("appVersion", "4.9.0")
        .with("n", 15_999)
        .with("m", 4_095)
        .with("plan", "v99999");
    for case in cases() {
        let payload = snapshot_payload(&case);
        let bytes = envelope(&signer, &payload);
        assert!(
            bytes.len() <= MAX_ENVELOPE_BYTES,
            "{}: envelope over the limit",
            case.name
        );
        let measured = measure_load(&bytes, &keyring, |snapshot| {
            // It works: every flag evaluates, and the rules at the far end of each list match.
            let ruleset = snapshot.ruleset();
            assert!(ruleset
                .evaluate_all(&context, NOW_MS)
                .all(|(_, e)| e.error.is_none()));
            for key in ["rules-15", "conditions", "chain-0", "huge"] {
                if ruleset.flag_id(key).is_some() {
                    assert_eq!(
                        ruleset.evaluate(key, &context, NOW_MS).value,
                        Some(&FlagValue::Bool(true)),
                        "{key}"
                    );
                }
            }
        });
        let size = payload.len() as f64;
        println!(
            "{}: payload {:.2} MiB, envelope {:.2} MiB; load {} ms; heap peak {:.1} MiB ({:.2}× the payload), retained {:.1} MiB ({:.2}×)",
            case.name,
            size / MIB,
            bytes.len() as f64 / MIB,
            measured.elapsed.as_millis(),
            measured.peak as f64 / MIB,
            measured.peak as f64 / size,
            measured.retained as f64 / MIB,
            measured.retained as f64 / size,
        );
        assert!(
            measured.peak as f64 <= case.peak_per_payload_byte * size,
            "{}: heap peak over the bound",
            case.name
        );
        assert!(
            measured.retained as f64 <= case.retained_per_payload_byte * size,
            "{}: retained heap over the bound",
            case.name
        );
        // Test builds run the crate at opt-level 0 (measured: 2–4× slower): allow them 30×.
        let factor = if cfg!(debug_assertions) { 30 } else { 10 };
        let bound = Duration::from_millis(case.release_ms * factor);
        assert!(
            measured.elapsed <= bound,
            "{}: {:?} > {bound:?}",
            case.name,
            measured.elapsed
        );
        // The documented row states these same bounds.
        let row = format!(
            "| {} | {} ms | {}× | {}× |",
            case.name, case.release_ms, case.peak_per_payload_byte, case.retained_per_payload_byte
        );
        assert!(docs.contains(&row), "docs/security.md lacks the row {row:?}");
    }
}
