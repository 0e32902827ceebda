//! Signed snapshots: every acceptance and rejection the snapshot issue lists, each asserting
//! its error code, and each checking that a host holding a good snapshot keeps serving it.

use darklaunch::snapshot::{
    encode_base64, pae, verify, Accepted, Keyring, Policy, Snapshot, Update, PAYLOAD_TYPE,
};
use darklaunch::{parse_rfc3339_ms, Context, Reason};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};

const ENV: &str = "prod";
const NOW: &str = "2026-12-01T12:00:00Z";

fn now() -> i64 {
    parse_rfc3339_ms(NOW).expect("valid")
}

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn payload_with(version: u64, edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut payload = json!({
        "schema": "darklaunch/v1",
        "version": version,
        "issued_at": "2026-12-01T11:00:00Z",
        "expires": "2026-12-08T11:00:00Z",
        "environment": ENV,
        "flags": { "kill": { "variants": { "on": true, "off": false }, "off": "off", "default": "on" } }
    });
    edit(&mut payload);
    serde_json::to_vec(&payload).expect("serialisable")
}

fn payload(version: u64) -> Vec<u8> {
    payload_with(version, |_| {})
}

fn signature(payload_type: &str, payload: &[u8], keyid: Option<&str>, signer: &SigningKey) -> Value {
    let sig = encode_base64(&signer.sign(&pae(payload_type, payload)).to_bytes());
    match keyid {
        Some(id) => json!({ "keyid": id, "sig": sig }),
        None => json!({ "sig": sig }),
    }
}

fn envelope(payload: &[u8], signatures: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(
        &json!({ "payload": encode_base64(payload), "payloadType": PAYLOAD_TYPE, "signatures": signatures }),
    )
    .expect("serialisable")
}

/// A snapshot signed by key `a` (seed 1).
fn signed(payload: &[u8]) -> Vec<u8> {
    envelope(
        payload,
        vec![signature(PAYLOAD_TYPE, payload, Some("a"), &key(1))],
    )
}

fn keyring(ids: &[(&str, u8)], threshold: usize) -> Keyring {
    let mut keyring = Keyring::new();
    for (id, seed) in ids {
        keyring
            .add(id, key(*seed).verifying_key().as_bytes())
            .expect("valid key");
    }
    keyring.set_threshold(threshold).expect("valid threshold");
    keyring
}

/// A host as the docs describe it: swap only after full verification, persist `Accepted`.
struct Host {
    keyring: Keyring,
    serving: Option<Snapshot>,
    last: Option<Accepted>,
}

impl Host {
    fn new(keyring: Keyring) -> Self {
        Host {
            keyring,
            serving: None,
            last: None,
        }
    }

    fn update(&mut self, bytes: &[u8]) -> Result<(), darklaunch::Error> {
        let mut policy = Policy::new(ENV, now());
        policy.last = self.last;
        if let Update::Accepted(snapshot) = verify(bytes, &self.keyring, &policy)? {
            self.last = Some(snapshot.accepted());
            self.serving = Some(snapshot);
        }
        Ok(())
    }

    fn serves_kill_switch_on(&self) -> bool {
        let snapshot = self.serving.as_ref().expect("serving a snapshot");
        snapshot.evaluate("kill", &Context::new(), now()).as_bool() == Some(true)
    }
}

/// A host holding the good version-10 snapshot signed by `a`.
fn good_host() -> Host {
    let mut host = Host::new(keyring(&[("a", 1)], 1));
    host.update(&signed(&payload(10)))
        .expect("the good snapshot verifies");
    host
}

#[track_caller]
fn assert_rejected(bytes: &[u8], code: &str) {
    let mut host = good_host();
    match host.update(bytes) {
        Ok(()) => panic!("accepted; expected {code}"),
        Err(e) => assert_eq!(e.code(), code, "{e}"),
    }
    assert_eq!(
        host.last.map(|a| a.version),
        Some(10),
        "the accepted version moved"
    );
    assert!(host.serves_kill_switch_on(), "the good snapshot stopped serving");
}

// ---- accepted ----

#[test]
fn single_key() {
    let host = good_host();
    let snapshot = host.serving.as_ref().expect("serving");
    assert_eq!(snapshot.info().version, 10);
    assert_eq!(&*snapshot.info().environment, ENV);
    assert_eq!(snapshot.info().key_ids, vec![Box::from("a")]);
    assert!(host.serves_kill_switch_on());
}

#[test]
fn two_of_three_keys_with_threshold_two() {
    let p = payload(11);
    let bytes = envelope(
        &p,
        vec![
            signature(PAYLOAD_TYPE, &p, Some("a"), &key(1)),
            signature(PAYLOAD_TYPE, &p, Some("c"), &key(3)),
        ],
    );
    let keyring = keyring(&[("a", 1), ("b", 2), ("c", 3)], 2);
    let Update::Accepted(snapshot) = verify(&bytes, &keyring, &Policy::new(ENV, now())).expect("verifies")
    else {
        panic!("expected a new snapshot");
    };
    assert_eq!(snapshot.info().key_ids.len(), 2);
}

#[test]
fn keyid_missing_or_wrong_is_only_a_hint() {
    let p = payload(11);
    let keyring = keyring(&[("a", 1), ("b", 2)], 1);
    for keyid in [None, Some("b"), Some("nobody")] {
        let bytes = envelope(&p, vec![signature(PAYLOAD_TYPE, &p, keyid, &key(1))]);
        let update = verify(&bytes, &keyring, &Policy::new(ENV, now())).expect("verifies");
        let Update::Accepted(snapshot) = update else {
            panic!("expected a new snapshot")
        };
        assert_eq!(snapshot.info().key_ids, vec![Box::from("a")], "keyid {keyid:?}");
    }
}

#[test]
fn same_version_and_bytes_is_unchanged() {
    let mut host = good_host();
    let mut policy = Policy::new(ENV, now());
    policy.last = host.last;
    let update = verify(&signed(&payload(10)), &host.keyring, &policy).expect("verifies");
    assert!(matches!(update, Update::Unchanged));
    host.update(&signed(&payload(10))).expect("a no-op");
    assert!(host.serves_kill_switch_on());
}

#[test]
fn newer_version_replaces_and_kill_switch_applies() {
    let mut host = good_host();
    let killed = payload_with(11, |p| p["flags"]["kill"]["enabled"] = json!(false));
    host.update(&signed(&killed)).expect("verifies");
    let snapshot = host.serving.as_ref().expect("serving");
    let evaluation = snapshot.evaluate("kill", &Context::new(), now());
    assert_eq!(
        (evaluation.as_bool(), evaluation.reason),
        (Some(false), Reason::Disabled)
    );
}

#[test]
fn expired_snapshot_is_stale_when_the_host_allows_it() {
    let p = payload_with(11, |p| p["expires"] = json!("2026-12-01T11:30:00Z"));
    let mut policy = Policy::new(ENV, now());
    policy.allow_stale = true;
    let update = verify(&signed(&p), &keyring(&[("a", 1)], 1), &policy).expect("stale allowed");
    let Update::Accepted(snapshot) = update else {
        panic!("expected a new snapshot")
    };
    assert!(snapshot.is_expired(now()));
    assert_eq!(
        snapshot.evaluate("kill", &Context::new(), now()).reason,
        Reason::Stale
    );
}

// ---- rejected ----

#[test]
fn any_single_bit_flip_in_the_signature() {
    let p = payload(11);
    let sig = key(1).sign(&pae(PAYLOAD_TYPE, &p)).to_bytes();
    for bit in 0..sig.len() * 8 {
        let mut flipped = sig;
        flipped[bit / 8] ^= 1 << (bit % 8);
        let bytes = envelope(&p, vec![json!({ "keyid": "a", "sig": encode_base64(&flipped) })]);
        assert_rejected(&bytes, "SIGNATURE_INVALID");
    }
}

#[test]
fn any_single_bit_flip_in_the_payload() {
    let p = payload(11);
    let sig = signature(PAYLOAD_TYPE, &p, Some("a"), &key(1));
    for bit in 0..p.len() * 8 {
        let mut flipped = p.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        assert_rejected(&envelope(&flipped, vec![sig.clone()]), "SIGNATURE_INVALID");
    }
}

#[test]
fn any_single_bit_flip_in_the_payload_type() {
    let p = payload(11);
    let sig = signature(PAYLOAD_TYPE, &p, Some("a"), &key(1));
    for bit in 0..PAYLOAD_TYPE.len() * 8 {
        let mut flipped = PAYLOAD_TYPE.as_bytes().to_vec();
        flipped[bit / 8] ^= 1 << (bit % 8);
        let Ok(payload_type) = String::from_utf8(flipped) else {
            continue;
        };
        let bytes = serde_json::to_vec(
            &json!({ "payload": encode_base64(&p), "payloadType": payload_type, "signatures": [sig] }),
        )
        .expect("serialisable");
        assert_rejected(&bytes, "WRONG_PAYLOAD_TYPE");
    }
}

#[test]
fn payload_type_changed_even_if_re_signed() {
    let p = payload(11);
    let other = "application/vnd.darklaunch.snapshot.v2+json";
    let bytes = serde_json::to_vec(&json!({
        "payload": encode_base64(&p), "payloadType": other,
        "signatures": [signature(other, &p, Some("a"), &key(1))]
    }))
    .expect("serialisable");
    assert_rejected(&bytes, "WRONG_PAYLOAD_TYPE");
}

#[test]
fn truncated_empty_and_all_zero_signatures() {
    let p = payload(11);
    let sig = key(1).sign(&pae(PAYLOAD_TYPE, &p)).to_bytes();
    for bad in [
        &sig[..63],
        &[][..],
        &[0u8; 64][..],
        &[sig.as_slice(), &[0]].concat()[..],
    ] {
        assert_rejected(
            &envelope(&p, vec![json!({ "keyid": "a", "sig": encode_base64(bad) })]),
            "SIGNATURE_INVALID",
        );
    }
}

/// The group order L of Ed25519, little-endian.
const L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

#[test]
fn signature_scalar_at_or_above_the_group_order() {
    let p = payload(11);
    let sig = key(1).sign(&pae(PAYLOAD_TYPE, &p)).to_bytes();
    // S + L is the same scalar mod L: a malleable, non-canonical encoding of a valid signature.
    let mut s_plus_l = sig;
    let mut carry = 0u16;
    for i in 0..32 {
        let sum = u16::from(sig[32 + i]) + u16::from(L[i]) + carry;
        s_plus_l[32 + i] = sum as u8;
        carry = sum >> 8;
    }
    assert_eq!(carry, 0);
    let mut s_equal_l = sig;
    s_equal_l[32..].copy_from_slice(&L);
    for bad in [s_plus_l, s_equal_l] {
        assert_rejected(
            &envelope(&p, vec![json!({ "keyid": "a", "sig": encode_base64(&bad) })]),
            "SIGNATURE_INVALID",
        );
    }
}

/// Encodings of small-order points: the identity and a point of order 4 / 8.
const SMALL_ORDER_POINTS: [[u8; 32]; 3] = [
    [
        1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ],
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ],
    [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a,
        0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a,
    ],
];

#[test]
fn small_order_r_is_refused() {
    let p = payload(11);
    let sig = key(1).sign(&pae(PAYLOAD_TYPE, &p)).to_bytes();
    for r in SMALL_ORDER_POINTS {
        let mut bad = sig;
        bad[..32].copy_from_slice(&r);
        assert_rejected(
            &envelope(&p, vec![json!({ "keyid": "a", "sig": encode_base64(&bad) })]),
            "SIGNATURE_INVALID",
        );
    }
}

#[test]
fn small_order_and_non_canonical_keys_are_refused_by_the_keyring() {
    for point in SMALL_ORDER_POINTS {
        let e = Keyring::new().add("weak", &point).expect_err("weak key");
        assert_eq!(e.code(), "KEY_REJECTED", "{e}");
    }
    // y = p (2^255 - 19) is a non-canonical encoding of y = 0.
    let mut non_canonical = [0xffu8; 32];
    non_canonical[0] = 0xed;
    non_canonical[31] = 0x7f;
    assert_eq!(
        Keyring::new()
            .add("odd", &non_canonical)
            .expect_err("refused")
            .code(),
        "KEY_REJECTED"
    );
    // y = p + k for these k are points of large order (not weak), so only the canonicity
    // check refuses them: ed25519-dalek's decompression accepts y >= p.
    for k in [3u8, 4, 5, 6, 9, 10, 14, 15, 16, 18] {
        for sign in [0, 0x80] {
            let mut encoding = [0xffu8; 32];
            encoding[0] = 0xed + k;
            encoding[31] = 0x7f | sign;
            let e = Keyring::new()
                .add("odd", &encoding)
                .expect_err("non-canonical key accepted");
            assert_eq!(
                (e.code(), e.detail()),
                ("KEY_REJECTED", "non-canonical encoding"),
                "y = p + {k}, sign {sign}"
            );
        }
    }
    assert_eq!(
        Keyring::new()
            .add("short", &[1u8; 31])
            .expect_err("refused")
            .code(),
        "KEY_REJECTED"
    );
    assert_eq!(
        Keyring::new().set_threshold(1).expect_err("no keys").code(),
        "KEY_REJECTED"
    );
}

#[test]
fn untrusted_key() {
    let p = payload(11);
    assert_rejected(
        &envelope(&p, vec![signature(PAYLOAD_TYPE, &p, Some("a"), &key(9))]),
        "SIGNATURE_INVALID",
    );
}

#[test]
fn removed_key() {
    // The key was rotated out: a keyring without it refuses what it signed.
    let p = payload(11);
    let bytes = envelope(&p, vec![signature(PAYLOAD_TYPE, &p, Some("old"), &key(7))]);
    let mut host = Host::new(keyring(&[("old", 7), ("a", 1)], 1));
    host.update(&signed(&payload(10))).expect("good");
    host.keyring = keyring(&[("a", 1)], 1);
    assert_eq!(
        host.update(&bytes).expect_err("removed key").code(),
        "SIGNATURE_INVALID"
    );
    assert!(host.serves_kill_switch_on());
}

#[test]
fn same_signature_twice_does_not_meet_a_threshold_of_two() {
    let p = payload(11);
    let sig = signature(PAYLOAD_TYPE, &p, Some("a"), &key(1));
    let bytes = envelope(&p, vec![sig.clone(), sig]);
    let mut host = Host::new(keyring(&[("a", 1), ("b", 2)], 2));
    let e = host.update(&bytes).expect_err("one distinct key");
    assert_eq!(e.code(), "THRESHOLD_NOT_MET", "{e}");
    assert!(host.serving.is_none());
}

#[test]
fn version_rollback() {
    assert_rejected(&signed(&payload(9)), "ROLLBACK");
}

#[test]
fn same_version_with_different_bytes() {
    let other = payload_with(10, |p| p["flags"]["kill"]["default"] = json!("off"));
    assert_rejected(&signed(&other), "VERSION_CONFLICT");
}

#[test]
fn expired() {
    assert_rejected(
        &signed(&payload_with(11, |p| {
            p["expires"] = json!("2026-12-01T11:30:00Z")
        })),
        "EXPIRED",
    );
}

#[test]
fn issued_in_the_future() {
    // Five minutes of skew are allowed; ten are not.
    let ok = payload_with(11, |p| p["issued_at"] = json!("2026-12-01T12:04:00Z"));
    good_host().update(&signed(&ok)).expect("within the skew");
    assert_rejected(
        &signed(&payload_with(11, |p| {
            p["issued_at"] = json!("2026-12-01T12:10:00Z")
        })),
        "ISSUED_IN_FUTURE",
    );
}

#[test]
fn wrong_environment() {
    assert_rejected(
        &signed(&payload_with(11, |p| p["environment"] = json!("staging"))),
        "WRONG_ENVIRONMENT",
    );
}

#[test]
fn missing_metadata() {
    for field in ["version", "issued_at", "expires", "environment"] {
        let p = payload_with(11, |p| {
            p.as_object_mut().expect("object").remove(field);
        });
        assert_rejected(&signed(&p), "MISSING_METADATA");
    }
}

#[test]
fn unsupported_schema() {
    assert_rejected(
        &signed(&payload_with(11, |p| p["schema"] = json!("darklaunch/v2"))),
        "UNSUPPORTED_SCHEMA",
    );
}

#[test]
fn invalid_ruleset_inside_a_valid_signature() {
    assert_rejected(
        &signed(&payload_with(11, |p| {
            p["flags"]["kill"]["default"] = json!("nope")
        })),
        "UNKNOWN_VARIANT",
    );
}

#[test]
fn envelope_over_the_size_cap() {
    let mut bytes = signed(&payload(11));
    bytes.resize(darklaunch::limits::MAX_ENVELOPE_BYTES + 1, b' ');
    assert_rejected(&bytes, "ENVELOPE_TOO_LARGE");
}

#[test]
fn ten_thousand_signatures() {
    let p = payload(11);
    let sig = signature(PAYLOAD_TYPE, &p, Some("a"), &key(1));
    assert_rejected(&envelope(&p, vec![sig; 10_000]), "SIGNATURE_COUNT");
    assert_rejected(&envelope(&p, vec![]), "SIGNATURE_COUNT");
}

#[test]
fn duplicate_payload_field() {
    let p = payload(11);
    let good = String::from_utf8(signed(&p)).expect("utf-8");
    let duplicated = good.replacen(
        "{",
        &format!("{{\"payload\":\"{}\",", encode_base64(&payload(12))),
        1,
    );
    assert_rejected(duplicated.as_bytes(), "MALFORMED_ENVELOPE");
}

#[test]
fn trailing_garbage() {
    let mut bytes = signed(&payload(11));
    bytes.extend_from_slice(b"{}");
    assert_rejected(&bytes, "MALFORMED_ENVELOPE");
}

#[test]
fn unknown_envelope_field_and_bad_base64() {
    let p = payload(11);
    let mut value: Value = serde_json::from_slice(&signed(&p)).expect("json");
    value["extra"] = json!(1);
    assert_rejected(&serde_json::to_vec(&value).expect("json"), "MALFORMED_ENVELOPE");
    let mut value: Value = serde_json::from_slice(&signed(&p)).expect("json");
    value["payload"] = json!("not base64!");
    assert_rejected(&serde_json::to_vec(&value).expect("json"), "MALFORMED_ENVELOPE");
}

#[test]
fn url_safe_base64_is_accepted() {
    let p = payload(11);
    let mut value: Value = serde_json::from_slice(&signed(&p)).expect("json");
    let url_safe = |s: &str| {
        s.replace('+', "-")
            .replace('/', "_")
            .trim_end_matches('=')
            .to_string()
    };
    value["payload"] = json!(url_safe(value["payload"].as_str().expect("string")));
    value["signatures"][0]["sig"] = json!(url_safe(value["signatures"][0]["sig"].as_str().expect("string")));
    good_host()
        .update(&serde_json::to_vec(&value).expect("json"))
        .expect("both alphabets are DSSE");
}

#[test]
fn keyring_file_format() {
    let file = json!({
        "keys": { "a": encode_base64(key(1).verifying_key().as_bytes()), "b": encode_base64(key(2).verifying_key().as_bytes()) },
        "threshold": 2
    });
    let keyring = Keyring::from_json(file.to_string().as_bytes()).expect("valid keyring");
    assert_eq!(
        (keyring.threshold(), keyring.ids().collect::<Vec<_>>()),
        (2, vec!["a", "b"])
    );
    let bad = json!({ "keys": { "a": encode_base64(&SMALL_ORDER_POINTS[0]) } });
    assert_eq!(
        Keyring::from_json(bad.to_string().as_bytes())
            .expect_err("weak")
            .code(),
        "KEY_REJECTED"
    );
}
