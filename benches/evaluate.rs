//! Criterion benchmarks for the evaluator. Measured with `cargo bench --bench evaluate`, never
//! run as tests: `cargo test --all-targets` runs each benchmark once, unmeasured (criterion's
//! test mode), as a smoke test. Results and budgets: `docs/performance.md`.
//!
//! Every ruleset is generated here as JSON text and loaded with `Ruleset::from_json`, so the
//! benchmarks exercise exactly what a host does. Group and benchmark names are quoted in the
//! docs; keep them stable.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use darklaunch::{Context, Reason, Ruleset};

/// 2026-12-10T09:00:00Z: after the last stage (30 %) of every staged rollout below.
const NOW_MS: i64 = 1_796_893_200_000;

/// Contexts cycled through by the evaluation benchmarks (a power of two: the index wraps with a mask).
const CONTEXTS: usize = 1_024;

/// Stage instants: 2026-12-01, 12-03 and 12-08, 09:00 UTC (the dark launch of `docs/ruleset.md`).
const STAGES_1_5_30: &str = r#"[ { "at": "2026-12-01T09:00:00Z", "percent": 1 },
    { "at": "2026-12-03T09:00:00Z", "percent": 5 },
    { "at": "2026-12-08T09:00:00Z", "percent": 30 } ]"#;

/// The 3-clause targeting rule of `rule_flag` and of the compile benchmark's rule flags.
const THREE_CLAUSES: &str = r#"{ "all": [
    { "attr": "country", "op": "in", "values": ["DE", "FR", "NL"] },
    { "attr": "plan", "op": "eq", "value": "pro" },
    { "attr": "appVersion", "op": "semver_gte", "value": "4.2.0" } ] }"#;

/// The country/plan rule of `evaluate_all`.
const TWO_CLAUSES: &str = r#"{ "all": [
    { "attr": "country", "op": "in", "values": ["DE", "FR", "NL"] },
    { "attr": "plan", "op": "eq", "value": "pro" } ] }"#;

fn criterion() -> Criterion {
    Criterion::default()
        .without_plots()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
}

fn load(json: &str) -> Ruleset {
    match Ruleset::from_json(json.as_bytes()) {
        Ok(ruleset) => ruleset,
        Err(e) => panic!("benchmark ruleset does not compile: {e:?}"),
    }
}

fn document(segments: &str, flags: &str) -> String {
    format!(r#"{{ "schema": "darklaunch/v1", "segments": {{ {segments} }}, "flags": {{ {flags} }} }}"#)
}

/// A boolean flag `key` with the given rules (a JSON array) and default serve.
fn bool_flag(key: &str, rules: &str, default: &str) -> String {
    format!(
        r#""{key}": {{ "variants": {{ "on": true, "off": false }}, "off": "off",
            "rules": {rules}, "default": {default} }}"#
    )
}

/// A 25-byte targeting key, e.g. `u-9e3779b97f4a7c15-000000`: a scrambled part (so keys do
/// not share long prefixes) and the index.
fn user_key(prefix: char, i: usize) -> String {
    let scrambled = (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let key = format!("{prefix}-{scrambled:016x}-{i:06}");
    debug_assert_eq!(key.len(), 25);
    key
}

/// Runs `evaluate` once per iteration on the next of the prebuilt contexts, round-robin.
fn cycle<'c, T, F>(contexts: &'c [Context], mut evaluate: F) -> impl FnMut() -> T + 'c
where
    F: FnMut(&Context) -> T + 'c,
    T: 'c,
{
    assert!(contexts.len().is_power_of_two());
    let mask = contexts.len() - 1;
    let mut next = 0usize;
    move || {
        next = (next + 1) & mask;
        evaluate(black_box(&contexts[next]))
    }
}

/// 1. A boolean flag whose default is a 30 % rollout (and a staged 1/5/30 % one).
fn rollout_flag(c: &mut Criterion) {
    let flags = [
        bool_flag(
            "rollout",
            "[]",
            r#"{ "rollout": { "variants": { "on": 1 }, "percent": 30 } }"#,
        ),
        bool_flag(
            "staged",
            "[]",
            &format!(r#"{{ "rollout": {{ "variants": {{ "on": 1 }}, "stages": {STAGES_1_5_30} }} }}"#),
        ),
    ];
    let ruleset = load(&document("", &flags.join(",")));
    let contexts: Vec<Context> = (0..CONTEXTS)
        .map(|i| Context::with_targeting_key(&user_key('u', i)))
        .collect();
    let rollout = ruleset.flag_id("rollout").expect("flag `rollout`");
    let staged = ruleset.flag_id("staged").expect("flag `staged`");

    // Sanity: rollouts decide by split, and roughly 30 % of the units are let in.
    let on = contexts
        .iter()
        .filter(|ctx| {
            let evaluation = ruleset.evaluate_id(rollout, ctx, NOW_MS);
            assert_eq!(evaluation.reason, Reason::Split);
            evaluation.as_bool() == Some(true)
        })
        .count();
    assert!(
        (200..420).contains(&on),
        "{on} of {CONTEXTS} inside a 30 % rollout"
    );
    assert_eq!(ruleset.evaluate_id(staged, &contexts[0], NOW_MS).stage, Some(2));

    let mut group = c.benchmark_group("rollout_flag");
    group.throughput(Throughput::Elements(1));
    group.bench_function("evaluate_id", |b| {
        b.iter(cycle(&contexts, |ctx| {
            black_box(ruleset.evaluate_id(black_box(rollout), ctx, black_box(NOW_MS)))
        }))
    });
    group.bench_function("evaluate_by_key", |b| {
        b.iter(cycle(&contexts, |ctx| {
            black_box(ruleset.evaluate(black_box("rollout"), ctx, black_box(NOW_MS)))
        }))
    });
    group.bench_function("staged", |b| {
        b.iter(cycle(&contexts, |ctx| {
            black_box(ruleset.evaluate_id(black_box(staged), ctx, black_box(NOW_MS)))
        }))
    });
    group.finish();
}

/// 2. One rule: `all` of country `in` [DE, FR, NL], plan `eq` pro, appVersion `semver_gte` 4.2.0.
fn rule_flag(c: &mut Criterion) {
    let rules = format!(r#"[ {{ "if": {THREE_CLAUSES}, "serve": "on" }} ]"#);
    let ruleset = load(&document("", &bool_flag("rule", &rules, r#""off""#)));
    let id = ruleset.flag_id("rule").expect("flag `rule`");
    // Half the contexts match; the others fail at the first, second or third clause.
    let countries = ["DE", "FR", "NL", "DE", "US", "FR", "NL", "GB"];
    let plans = ["pro", "pro", "pro", "pro", "pro", "free", "pro", "pro"];
    let versions = [
        "4.2.0", "4.3.1", "5.0.0", "10.1.2", "4.3.1", "4.2.0", "4.1.9", "4.2.0",
    ];
    let contexts: Vec<Context> = (0..CONTEXTS)
        .map(|i| {
            let at = i % countries.len();
            Context::with_targeting_key(&user_key('u', i))
                .with("country", countries[at])
                .with("plan", plans[at])
                .with("appVersion", versions[at])
        })
        .collect();
    let hits = contexts
        .iter()
        .filter(|ctx| ruleset.evaluate_id(id, ctx, NOW_MS).reason == Reason::TargetingMatch)
        .count();
    assert_eq!(hits, CONTEXTS / 2);

    let mut group = c.benchmark_group("rule_flag");
    group.throughput(Throughput::Elements(1));
    group.bench_function("three_clauses", |b| {
        b.iter(cycle(&contexts, |ctx| {
            black_box(ruleset.evaluate_id(black_box(id), ctx, black_box(NOW_MS)))
        }))
    });
    group.finish();
}

/// 3. A segment with 100,000 `include` keys, used by a flag's only rule.
fn segment_100k(c: &mut Criterion) {
    const MEMBERS: usize = 100_000;
    let mut include = String::with_capacity(MEMBERS * 28);
    for i in 0..MEMBERS {
        if i > 0 {
            include.push(',');
        }
        write!(include, r#""{}""#, user_key('m', i)).expect("writing to a String");
    }
    let segments = format!(r#""big": {{ "include": [{include}] }}"#);
    let flag = bool_flag(
        "vip",
        r#"[ { "if": { "segment": "big" }, "serve": "on" } ]"#,
        r#""off""#,
    );
    let ruleset = load(&document(&segments, &flag));
    let id = ruleset.flag_id("vip").expect("flag `vip`");
    // Members spread over the whole list; non-members have keys of the same shape and length.
    let members: Vec<Context> = (0..CONTEXTS)
        .map(|i| Context::with_targeting_key(&user_key('m', i * (MEMBERS / CONTEXTS))))
        .collect();
    let strangers: Vec<Context> = (0..CONTEXTS)
        .map(|i| Context::with_targeting_key(&user_key('x', i)))
        .collect();
    assert!(members
        .iter()
        .all(|ctx| ruleset.evaluate_id(id, ctx, NOW_MS).as_bool() == Some(true)));
    assert!(strangers
        .iter()
        .all(|ctx| ruleset.evaluate_id(id, ctx, NOW_MS).as_bool() == Some(false)));

    let mut group = c.benchmark_group("segment_100k");
    group.throughput(Throughput::Elements(1));
    group.bench_function("hit", |b| {
        b.iter(cycle(&members, |ctx| {
            black_box(ruleset.evaluate_id(black_box(id), ctx, black_box(NOW_MS)))
        }))
    });
    group.bench_function("miss", |b| {
        b.iter(cycle(&strangers, |ctx| {
            black_box(ruleset.evaluate_id(black_box(id), ctx, black_box(NOW_MS)))
        }))
    });
    group.finish();
}

/// 4. `evaluate_all` over 50 flags: a country/plan rule, else a 1/5/30 % rollout.
fn evaluate_all(c: &mut Criterion) {
    const FLAGS: usize = 50;
    let rules = format!(r#"[ {{ "if": {TWO_CLAUSES}, "serve": "on" }} ]"#);
    let flags: Vec<String> = (0..FLAGS)
        .map(|i| {
            let percent = [1, 5, 30][i % 3];
            let default =
                format!(r#"{{ "rollout": {{ "variants": {{ "on": 1 }}, "percent": {percent} }} }}"#);
            bool_flag(&format!("flag-{i:02}"), &rules, &default)
        })
        .collect();
    let ruleset = load(&document("", &flags.join(",")));
    assert_eq!(ruleset.len(), FLAGS);
    // A quarter of the contexts match the rule; the others fall through to the rollout.
    let countries = ["DE", "US", "FR", "GB"];
    let plans = ["pro", "pro", "free", "free"];
    let contexts: Vec<Context> = (0..CONTEXTS)
        .map(|i| {
            Context::with_targeting_key(&user_key('u', i))
                .with("country", countries[i % 4])
                .with("plan", plans[(i / 4) % 4])
        })
        .collect();
    assert!(contexts.iter().all(|ctx| ruleset
        .evaluate_all(ctx, NOW_MS)
        .all(|(_, e)| e.as_bool().is_some())));

    let mut group = c.benchmark_group("evaluate_all");
    group.throughput(Throughput::Elements(FLAGS as u64));
    group.bench_function("50_flags", |b| {
        b.iter(cycle(&contexts, |ctx| {
            ruleset.evaluate_all(ctx, black_box(NOW_MS)).for_each(|e| {
                black_box(e);
            })
        }))
    });
    group.finish();
}

/// The 1,000-flag document of the compile benchmark: a third fixed, a third with a 3-clause
/// rule, a third staged rollouts (1/5/30 %), all boolean, with metadata like real flags.
fn thousand_flags() -> String {
    const FLAGS: usize = 1_000;
    let rules = format!(r#"[ {{ "id": "targeted", "if": {THREE_CLAUSES}, "serve": "on" }} ]"#);
    let staged = format!(r#"{{ "rollout": {{ "variants": {{ "on": 1 }}, "stages": {STAGES_1_5_30} }} }}"#);
    let flags: Vec<String> = (0..FLAGS)
        .map(|i| {
            let key = format!("team-{}.feature-{i:04}", i % 17);
            let (rules, default) = match i % 3 {
                0 => ("[]", if i % 2 == 0 { r#""on""# } else { r#""off""# }),
                1 => (rules.as_str(), r#""off""#),
                _ => ("[]", staged.as_str()),
            };
            format!(
                r#""{key}": {{ "variants": {{ "on": true, "off": false }}, "off": "off",
                "metadata": {{ "owner": "team-{}", "description": "Feature {i} of the benchmark",
                               "tags": ["bench"], "temporary": true, "remove_by": "2027-03-01" }},
                "rules": {rules}, "default": {default} }}"#,
                i % 17
            )
        })
        .collect();
    document("", &flags.join(",\n"))
}

/// 5. `Ruleset::from_json` on the 1,000-flag document (bytes built outside the timing loop).
fn compile(c: &mut Criterion) {
    let bytes = thousand_flags().into_bytes();
    assert_eq!(load(std::str::from_utf8(&bytes).expect("UTF-8")).len(), 1_000);
    println!("compile/1000_flags: document is {} bytes", bytes.len());

    let mut group = c.benchmark_group("compile");
    // Milliseconds per iteration: flat sampling (the same iteration count in every sample)
    // fits 50 samples in 5 s, where criterion's default linear sampling would need more.
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("1000_flags", |b| {
        // The compiled ruleset is dropped outside the timing: this measures loading only.
        b.iter_with_large_drop(|| Ruleset::from_json(black_box(&bytes)))
    });
    group.finish();
}

/// 6. `snapshot::verify` of the same 1,000 flags as a signed snapshot: a host's whole load.
///
/// That is envelope parse, base64, Ed25519 `verify_strict` over the PAE, SHA-256, decode, compile.
fn verify_snapshot(c: &mut Criterion) {
    use darklaunch::snapshot::{encode_base64, pae, verify, Keyring, Policy, Update, PAYLOAD_TYPE};
    use ed25519_dalek::{Signer, SigningKey};

    let ruleset = thousand_flags();
    let payload = format!(
        r#"{{ "version": 1, "issued_at": "2026-12-01T00:00:00Z", "expires": "2027-12-01T00:00:00Z",
        "environment": "prod", {}"#,
        ruleset.trim_start().trim_start_matches('{')
    );
    let key = SigningKey::from_bytes(&[7; 32]);
    let signature = key.sign(&pae(PAYLOAD_TYPE, payload.as_bytes()));
    let envelope = format!(
        r#"{{"payload":"{}","payloadType":"{PAYLOAD_TYPE}","signatures":[{{"keyid":"ci","sig":"{}"}}]}}"#,
        encode_base64(payload.as_bytes()),
        encode_base64(&signature.to_bytes())
    );
    let mut keyring = Keyring::new();
    keyring
        .add("ci", key.verifying_key().as_bytes())
        .expect("valid key");
    let policy = Policy::new("prod", NOW_MS);
    assert!(matches!(
        verify(envelope.as_bytes(), &keyring, &policy),
        Ok(Update::Accepted(_))
    ));
    println!("verify/1000_flags: envelope is {} bytes", envelope.len());

    let mut group = c.benchmark_group("verify");
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Bytes(envelope.len() as u64));
    group.bench_function("1000_flags", |b| {
        b.iter_with_large_drop(|| verify(black_box(envelope.as_bytes()), &keyring, &policy))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = criterion();
    targets = rollout_flag, rule_flag, segment_100k, evaluate_all, compile, verify_snapshot
}
criterion_main!(benches);
