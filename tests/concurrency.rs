//! Atomic swaps under concurrency: threads evaluate every flag (`evaluate_all`) while another
//! thread verifies and swaps in newer snapshots, as docs/snapshots.md tells hosts to do
//! (an `Arc` swap behind a `std::sync::RwLock`). Every flag of version N serves a value naming
//! N, so a batch that mixed two versions would show it.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::thread;

use darklaunch::snapshot::{
    encode_base64, pae, verify, Accepted, Keyring, Policy, Snapshot, Update, PAYLOAD_TYPE,
};
use darklaunch::{Context, FlagValue, Reason, Ruleset};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Map, Value};

const NOW_MS: i64 = 1_796_126_400_000; // 2026-12-01T12:00:00Z
const VERSIONS: u64 = 60;
const FLAGS: usize = 40;
const READERS: usize = 3;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_and_sync() {
    assert_send_sync::<Snapshot>();
    assert_send_sync::<Ruleset>();
    assert_send_sync::<Keyring>();
    assert_send_sync::<Context>();
}

/// Version `n`: `FLAGS` flags (fixed serves, rules, rollouts) whose every variant's value
/// is `"v{n}:{variant}"`.
fn signed_snapshot(signer: &SigningKey, n: u64) -> Vec<u8> {
    let mut flags = Map::new();
    for i in 0..FLAGS {
        let variants = json!({ "a": format!("v{n}:a"), "b": format!("v{n}:b"), "off": format!("v{n}:off") });
        let default = match i % 3 {
            0 => json!("a"),
            1 => json!({ "rollout": { "variants": { "a": 1, "b": 1 }, "percent": 50 } }),
            _ => json!("b"),
        };
        let flag = json!({
            "variants": variants,
            "off": "off",
            "enabled": i % 7 != 6,
            "rules": [ { "if": { "attr": "country", "op": "in", "values": ["DE", "FR"] }, "serve": "b" } ],
            "default": default,
        });
        flags.insert(format!("flag-{i}"), flag);
    }
    let payload = serde_json::to_vec(&json!({
        "schema": "darklaunch/v1",
        "version": n,
        "issued_at": "2026-12-01T11:00:00Z",
        "expires": "2026-12-08T11:00:00Z",
        "environment": "prod",
        "flags": Value::Object(flags),
    }))
    .expect("serialisable");
    let sig = signer.sign(&pae(PAYLOAD_TYPE, &payload));
    serde_json::to_vec(&json!({
        "payload": encode_base64(&payload),
        "payloadType": PAYLOAD_TYPE,
        "signatures": [ { "keyid": "k", "sig": encode_base64(&sig.to_bytes()) } ],
    }))
    .expect("serialisable")
}

/// The version every value of one `evaluate_all` batch names; panics on a mix.
fn batch_version(snapshot: &Snapshot, context: &Context) -> u64 {
    let mut version = None;
    let mut count = 0;
    for (key, evaluation) in snapshot.ruleset().evaluate_all(context, NOW_MS) {
        assert_ne!(evaluation.reason, Reason::Error, "{key}");
        let Some(FlagValue::String(value)) = evaluation.value else {
            panic!("{key}: not a string value");
        };
        let n: u64 = value[1..value.find(':').expect("v{n}:variant")]
            .parse()
            .expect("a version");
        assert_eq!(
            *version.get_or_insert(n),
            n,
            "one batch mixes versions: {key} = {value}"
        );
        count += 1;
    }
    assert_eq!(count, FLAGS);
    version.expect("at least one flag")
}

#[test]
fn evaluations_never_mix_two_snapshot_versions() {
    let signer = SigningKey::from_bytes(&[3; 32]);
    let mut keyring = Keyring::new();
    keyring
        .add("k", signer.verifying_key().as_bytes())
        .expect("valid key");
    let envelopes: Vec<Vec<u8>> = (1..=VERSIONS).map(|n| signed_snapshot(&signer, n)).collect();

    let load = |bytes: &[u8], last: Option<Accepted>| {
        let mut policy = Policy::new("prod", NOW_MS);
        policy.last = last;
        match verify(bytes, &keyring, &policy).expect("verifies") {
            Update::Accepted(snapshot) => snapshot,
            Update::Unchanged => panic!("every version is new"),
        }
    };
    let first = load(&envelopes[0], None);
    let mut last = Some(first.accepted());
    let serving = RwLock::new(Arc::new(first));
    let done = AtomicBool::new(false);
    let batches = AtomicUsize::new(0);

    thread::scope(|scope| {
        let readers: Vec<_> = (0..READERS)
            .map(|r| {
                let (serving, done, batches) = (&serving, &done, &batches);
                scope.spawn(move || {
                    let contexts = [
                        Context::with_targeting_key(&format!("user-{r}")).with("country", "DE"),
                        Context::with_targeting_key(&format!("user-{r}-x")).with("country", "US"),
                    ];
                    let mut seen = Vec::new();
                    let mut i = 0;
                    while !done.load(Ordering::Acquire) {
                        // Hold the lock only to clone the Arc: a swap never waits for a batch,
                        // and a batch keeps its snapshot alive however long it runs.
                        let snapshot = Arc::clone(&serving.read().expect("not poisoned"));
                        let version = batch_version(&snapshot, &contexts[i % 2]);
                        assert_eq!(version, snapshot.info().version);
                        if seen.last() != Some(&version) {
                            assert!(seen.last() < Some(&version), "a reader went back in time");
                            seen.push(version);
                        }
                        i += 1;
                        batches.fetch_add(1, Ordering::Release);
                    }
                    seen
                })
            })
            .collect();

        for bytes in &envelopes[1..] {
            // Verify and compile outside the lock; swap only a fully loaded snapshot.
            let next = load(bytes, last);
            last = Some(next.accepted());
            let before = batches.load(Ordering::Acquire);
            *serving.write().expect("not poisoned") = Arc::new(next);
            // Let the readers evaluate the new version a little before the next swap.
            while batches.load(Ordering::Acquire) < before + READERS {
                thread::yield_now();
            }
        }
        done.store(true, Ordering::Release);

        let mut versions_seen = 0;
        for reader in readers {
            let seen = reader.join().expect("a reader panicked");
            assert!(seen.last().is_some_and(|&v| v <= VERSIONS));
            versions_seen += seen.len();
        }
        assert_eq!(serving.read().expect("not poisoned").info().version, VERSIONS);
        // The swaps really happened under the readers' feet.
        assert!(
            versions_seen > READERS * 2,
            "readers saw {versions_seen} versions in all"
        );
    });
}
