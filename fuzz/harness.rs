//! The bodies of the fuzz targets, shared by `fuzz/fuzz_targets/*.rs` (cargo-fuzz, nightly) and
//! `tests/fuzz_corpus.rs` (stable `cargo test`, which replays the committed corpora and
//! regressions through exactly these functions). Included by both with `#[path]`.
//!
//! Each function must never panic for any input: a panic is a bug in darklaunch (or a broken
//! invariant asserted here), and the fuzzer reports it as a crash.

#![allow(dead_code)]

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use darklaunch::snapshot::{encode_base64, pae, verify, Keyring, Policy, Update, PAYLOAD_TYPE};
use darklaunch::{AttributeValue, Context, Evaluation, Reason, Ruleset};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};

/// The host's clock in every target: 2026-12-01T12:00:00Z.
pub const NOW_MS: i64 = 1_796_126_400_000;
/// The environment of the fixed policy.
pub const ENVIRONMENT: &str = "prod";

/// The fixed test key (never a real one): Ed25519 seed `[7; 32]`.
pub fn signing_key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| SigningKey::from_bytes(&[7; 32]))
}

/// A keyring trusting only the test key, as `"fuzz"`.
pub fn keyring() -> &'static Keyring {
    static KEYRING: OnceLock<Keyring> = OnceLock::new();
    KEYRING.get_or_init(|| {
        let mut keyring = Keyring::new();
        keyring
            .add("fuzz", signing_key().verifying_key().as_bytes())
            .expect("the test key is valid");
        keyring
    })
}

/// The strict policy of the `envelope` target: fresh snapshots for `prod` at [`NOW_MS`].
pub fn strict_policy() -> Policy<'static> {
    Policy::new(ENVIRONMENT, NOW_MS)
}

/// The lenient policy of the `payload` target: any `issued_at`, stale snapshots allowed, so
/// a payload with the metadata fields reaches the compiler.
pub fn lenient_policy() -> Policy<'static> {
    let mut policy = Policy::new(ENVIRONMENT, NOW_MS);
    policy.max_clock_skew_ms = i64::MAX;
    policy.allow_stale = true;
    policy
}

/// A DSSE envelope around `payload`, signed with the test key over the PAE.
pub fn sign(payload: &[u8]) -> Vec<u8> {
    let signature = signing_key().sign(&pae(PAYLOAD_TYPE, payload));
    let envelope = json!({
        "payload": encode_base64(payload),
        "payloadType": PAYLOAD_TYPE,
        "signatures": [{ "keyid": "fuzz", "sig": encode_base64(&signature.to_bytes()) }],
    });
    serde_json::to_vec(&envelope).expect("serialisable")
}

/// Checks what every compiled ruleset must do for any context: evaluation never panics, every
/// flag evaluates, `evaluate` agrees with `evaluate_all`, and an error carries a code and no
/// value (and a value never comes with an error).
pub fn check_ruleset(ruleset: &Ruleset, context: &Context, now_ms: i64) {
    let all: Vec<(&str, Evaluation<'_>)> = ruleset.evaluate_all(context, now_ms).collect();
    assert_eq!(all.len(), ruleset.len());
    for (key, evaluation) in &all {
        check_evaluation(evaluation);
        assert_eq!(&ruleset.evaluate(key, context, now_ms), evaluation, "flag {key}");
    }
}

fn check_evaluation(evaluation: &Evaluation<'_>) {
    if evaluation.reason == Reason::Error {
        assert!(evaluation.value.is_none() && evaluation.error.is_some());
    } else {
        assert!(evaluation.value.is_some() && evaluation.variant.is_some());
        assert!(evaluation.error.is_none());
    }
}

/// Target `envelope`: any bytes as a signed snapshot, against the fixed keyring and a strict
/// policy. Only the test key can sign, so anything accepted must carry its signature.
pub fn envelope(data: &[u8]) {
    if let Ok(Update::Accepted(snapshot)) = verify(data, keyring(), &strict_policy()) {
        assert_eq!(snapshot.info().environment.as_ref(), ENVIRONMENT);
        assert_eq!(snapshot.info().key_ids.len(), 1);
        check_ruleset(snapshot.ruleset(), &Context::with_targeting_key("user-1"), NOW_MS);
    }
}

/// Target `payload`: the bytes are a ruleset payload, compiled directly and inside a valid
/// envelope signed with the test key (so they get past the signature check and reach the
/// decoder and the compiler). The two paths must agree.
pub fn payload(data: &[u8]) {
    let direct = Ruleset::from_json(data);
    match verify(&sign(data), keyring(), &lenient_policy()) {
        Ok(Update::Accepted(snapshot)) => {
            let direct = direct.expect("a payload the verifier compiled compiles on its own");
            assert_eq!(direct.len(), snapshot.ruleset().len());
            assert!(direct.flags().eq(snapshot.ruleset().flags()));
            let context = Context::with_targeting_key("user-1").with("country", "DE");
            check_ruleset(snapshot.ruleset(), &context, NOW_MS);
        }
        Ok(Update::Unchanged) => unreachable!("no previous snapshot in the policy"),
        Err(e) => {
            assert!(!e.code().is_empty());
            if let Ok(ruleset) = &direct {
                check_ruleset(ruleset, &Context::with_targeting_key("user-1"), NOW_MS);
            }
        }
    }
}

/// The fixed rulesets of the `evaluate` target: the example dark launch and every
/// conformance ruleset (together they use every operator, segments, prerequisites, stages).
pub fn fixed_rulesets() -> &'static [Ruleset] {
    static RULESETS: OnceLock<Vec<Ruleset>> = OnceLock::new();
    RULESETS.get_or_init(|| {
        let corpus = [
            include_str!("../tests/conformance/operators.json"),
            include_str!("../tests/conformance/segments.json"),
            include_str!("../tests/conformance/prerequisites.json"),
            include_str!("../tests/conformance/stages.json"),
            include_str!("../tests/conformance/rollouts.json"),
            include_str!("../tests/conformance/types.json"),
            include_str!("../tests/conformance/conditions.json"),
            include_str!("../tests/conformance/kill-switch.json"),
            include_str!("../tests/conformance/reasons-and-errors.json"),
            include_str!("../tests/conformance/worked-example.json"),
        ];
        let mut rulesets = vec![
            Ruleset::from_json(include_bytes!("../examples/rulesets/dark-launch.json"))
                .expect("the example compiles"),
        ];
        for text in corpus {
            let file: Value = serde_json::from_str(text).expect("corpus JSON");
            let bytes = serde_json::to_vec(&file["ruleset"]).expect("serialisable");
            rulesets.push(Ruleset::from_json(&bytes).expect("corpus rulesets compile"));
        }
        rulesets
    })
}

/// Attribute names the fixed rulesets use, so fuzzed contexts hit their clauses.
const NAMES: &[&str] = &[
    "targetingKey",
    "country",
    "appVersion",
    "plan",
    "email",
    "n",
    "age",
    "roles",
    "a",
    "b",
    "x",
    "orgId",
    "signupAt",
    "beta",
    "spend",
    "code",
    "versions",
    "tags",
    "staff",
    "scores",
    "score",
    "logins",
    "flagged",
    "city",
    "userId",
];

/// Strings likely to matter to the operators: SemVer, RFC 3339 times, numbers as text,
/// unicode, empty.
const STRINGS: &[&str] = &[
    "DE",
    "FR",
    "US",
    "",
    "user-42",
    "1.2.3",
    "1.0.0-alpha.1",
    "2.0.0+build",
    "01.2.3",
    "2026-01-01T00:00:00Z",
    "2026-12-01T12:00:00.123+02:00",
    "42",
    "-0",
    "1e400",
    "pro",
    "@example.com",
    "a@example.com",
    "ü\u{0}\u{10ffff}",
    "e\u{301}",
    "\u{feff}",
];

/// A name: from the vocabulary, or arbitrary (unicode, empty, long).
#[derive(Debug)]
pub struct Name(pub String);

impl<'a> Arbitrary<'a> for Name {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Name(if u.ratio(7, 8)? {
            String::from(*u.choose(NAMES)?)
        } else {
            String::arbitrary(u)?
        }))
    }
}

/// A scalar attribute value.
#[derive(Debug, Arbitrary)]
pub enum Scalar {
    Bool(bool),
    Number(f64),
    Integer(i64),
    Known(u8),
    Text(String),
    /// A long string around the context limit (4,096 bytes): up to 4,199 copies of `unit`.
    Long {
        unit: char,
        len: u16,
    },
}

impl Scalar {
    fn value(&self) -> AttributeValue {
        self.value_up_to(4_200)
    }

    /// The value, a `Long` string at most `max_len - 1` characters long.
    fn value_up_to(&self, max_len: usize) -> AttributeValue {
        match self {
            Scalar::Bool(b) => AttributeValue::Bool(*b),
            Scalar::Number(n) => AttributeValue::Number(*n),
            Scalar::Integer(n) => AttributeValue::Number(*n as f64),
            Scalar::Known(i) => AttributeValue::from(STRINGS[usize::from(*i) % STRINGS.len()]),
            Scalar::Text(s) => AttributeValue::from(s.as_str()),
            Scalar::Long { unit, len } => {
                AttributeValue::from(unit.to_string().repeat(usize::from(*len) % max_len))
            }
        }
    }
}

/// An attribute value of any type, including lists (possibly over the length limit).
#[derive(Debug, Arbitrary)]
pub enum Attribute {
    Scalar(Scalar),
    List(Vec<Scalar>),
    /// `len` copies of one scalar: long lists around the limit (256).
    LongList {
        item: Scalar,
        len: u16,
    },
}

impl Attribute {
    fn value(&self) -> AttributeValue {
        match self {
            Attribute::Scalar(s) => s.value(),
            Attribute::List(items) => AttributeValue::List(items.iter().map(Scalar::value).collect()),
            Attribute::LongList { item, len } => {
                // Around the length limit (256); short strings keep each run cheap.
                AttributeValue::List(vec![item.value_up_to(64); usize::from(*len) % 300].into())
            }
        }
    }
}

/// How the context is built: through the typed API, or from JSON text (any text).
#[derive(Debug, Arbitrary)]
pub enum ContextInput {
    Typed(Vec<(Name, Attribute)>),
    Json(String),
}

impl ContextInput {
    pub fn build(&self) -> Context {
        match self {
            ContextInput::Typed(attributes) => {
                let mut context = Context::new();
                for (name, value) in attributes {
                    context.set(&name.0, value.value());
                }
                context
            }
            ContextInput::Json(text) => Context::from_json(text),
        }
    }
}

/// Which ruleset to evaluate over.
#[derive(Debug, Arbitrary)]
pub enum RulesetInput {
    /// One of [`fixed_rulesets`].
    Fixed(u8),
    /// A generated ruleset (mostly valid, built from the operator vocabulary).
    Generated(GenRuleset),
}

/// The inputs of target `evaluate`.
#[derive(Debug, Arbitrary)]
pub struct EvaluateInput {
    pub ruleset: RulesetInput,
    pub context: ContextInput,
    /// Flag keys to evaluate one by one (by index into the ruleset's flags, or arbitrary).
    pub flags: Vec<FlagChoice>,
    pub now_ms: i64,
}

#[derive(Debug, Arbitrary)]
pub enum FlagChoice {
    Index(u16),
    Key(String),
}

/// Target `evaluate`: arbitrary contexts and flag keys over a fixed or generated ruleset.
pub fn evaluate(data: &[u8]) {
    let Ok(input) = EvaluateInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let generated;
    let ruleset = match &input.ruleset {
        RulesetInput::Fixed(i) => {
            let rulesets = fixed_rulesets();
            &rulesets[usize::from(*i) % rulesets.len()]
        }
        RulesetInput::Generated(spec) => match Ruleset::from_json(spec.to_json().as_bytes()) {
            Ok(ruleset) => {
                generated = ruleset;
                &generated
            }
            Err(e) => {
                assert!(!e.code().is_empty());
                return;
            }
        },
    };
    let context = input.context.build();
    // The fuzzed instant in full; two fixed ones around the stage schedules, every flag once.
    check_ruleset(ruleset, &context, input.now_ms);
    for now_ms in [NOW_MS, 1_767_225_600_000] {
        ruleset
            .evaluate_all(&context, now_ms)
            .for_each(|(_, e)| check_evaluation(&e));
    }
    let keys: Vec<&str> = ruleset.flags().collect();
    for choice in &input.flags {
        let evaluation = match choice {
            FlagChoice::Index(i) if !keys.is_empty() => {
                ruleset.evaluate(keys[usize::from(*i) % keys.len()], &context, input.now_ms)
            }
            FlagChoice::Index(_) => ruleset.evaluate("", &context, input.now_ms),
            FlagChoice::Key(key) => ruleset.evaluate(key, &context, input.now_ms),
        };
        check_evaluation(&evaluation);
    }
}

// --- Generated rulesets: a small grammar over the ruleset format, serialised to JSON. ---

const OPERATORS: &[&str] = &[
    "eq",
    "neq",
    "in",
    "not_in",
    "contains",
    "starts_with",
    "ends_with",
    "lt",
    "lte",
    "gt",
    "gte",
    "semver_eq",
    "semver_lt",
    "semver_lte",
    "semver_gt",
    "semver_gte",
    "before",
    "after",
    "exists",
    "matches",
];

#[derive(Debug, Arbitrary)]
pub struct GenRuleset {
    pub segments: Vec<GenSegment>,
    pub flags: Vec<GenFlag>,
}

#[derive(Debug, Arbitrary)]
pub struct GenSegment {
    pub by: Option<Name>,
    pub include: Vec<Scalar>,
    pub exclude: Vec<Scalar>,
    pub condition: Option<GenCondition>,
}

#[derive(Debug, Arbitrary)]
pub struct GenFlag {
    /// 1 to 4 variants, of one type chosen by `kind`.
    pub variants: u8,
    pub kind: u8,
    pub enabled: bool,
    pub prerequisites: Vec<(u8, u8)>,
    pub rules: Vec<(GenCondition, GenServe)>,
    pub default: GenServe,
}

#[derive(Debug, Arbitrary)]
pub enum GenServe {
    Variant(u8),
    Rollout {
        by: Option<Name>,
        salt: Option<String>,
        weights: Vec<u32>,
        percent: Option<f64>,
        stages: Vec<(i64, u8, bool)>,
        linear: bool,
    },
}

#[derive(Debug, Arbitrary)]
pub enum GenCondition {
    Clause {
        attr: Name,
        op: u8,
        value: Scalar,
    },
    List {
        attr: Name,
        not: bool,
        values: Vec<Scalar>,
    },
    Exists(Name),
    All(Vec<GenCondition>),
    Any(Vec<GenCondition>),
    Not(Box<GenCondition>),
    Segment(u8),
}

fn scalar_json(scalar: &Scalar) -> Value {
    match scalar.value() {
        AttributeValue::Bool(b) => json!(b),
        AttributeValue::Number(n) => serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
        AttributeValue::String(s) => json!(&*s),
        AttributeValue::List(_) => Value::Null,
    }
}

impl GenCondition {
    fn to_json(&self, segments: usize, depth: usize) -> Value {
        if depth > 20 {
            return json!({ "all": [] });
        }
        match self {
            GenCondition::Clause { attr, op, value } => {
                let op = OPERATORS[usize::from(*op) % OPERATORS.len()];
                json!({ "attr": attr.0, "op": op, "value": scalar_json(value) })
            }
            GenCondition::List { attr, not, values } => json!({
                "attr": attr.0,
                "op": if *not { "not_in" } else { "in" },
                "values": values.iter().map(scalar_json).collect::<Vec<_>>(),
            }),
            GenCondition::Exists(attr) => json!({ "attr": attr.0, "op": "exists" }),
            GenCondition::All(items) => json!({
                "all": items.iter().map(|c| c.to_json(segments, depth + 1)).collect::<Vec<_>>()
            }),
            GenCondition::Any(items) => json!({
                "any": items.iter().map(|c| c.to_json(segments, depth + 1)).collect::<Vec<_>>()
            }),
            GenCondition::Not(inner) => json!({ "not": inner.to_json(segments, depth + 1) }),
            GenCondition::Segment(i) => {
                json!({ "segment": format!("s{}", usize::from(*i) % segments.max(1)) })
            }
        }
    }
}

impl GenServe {
    fn to_json(&self, variants: usize) -> Value {
        let variant = |i: u8| format!("v{}", usize::from(i) % variants);
        match self {
            GenServe::Variant(i) => json!(variant(*i)),
            GenServe::Rollout {
                by,
                salt,
                weights,
                percent,
                stages,
                linear,
            } => {
                let mut rollout = serde_json::Map::new();
                if let Some(by) = by {
                    rollout.insert("by".into(), json!(by.0));
                }
                if let Some(salt) = salt {
                    rollout.insert("salt".into(), json!(salt));
                }
                let weights: serde_json::Map<String, Value> = weights
                    .iter()
                    .enumerate()
                    .take(variants)
                    .map(|(i, w)| (format!("v{i}"), json!(w % 1_000_001)))
                    .collect();
                rollout.insert("variants".into(), Value::Object(weights));
                if let Some(percent) = percent {
                    rollout.insert(
                        "percent".into(),
                        serde_json::Number::from_f64(*percent).map_or(json!(50), Value::Number),
                    );
                }
                if !stages.is_empty() {
                    // Mostly valid schedules: times ascending, percents ascending (unless a
                    // stage says rollback, then as given).
                    let mut ats: Vec<i64> = stages
                        .iter()
                        .map(|(at, _, _)| at.rem_euclid(400 * 86_400))
                        .collect();
                    ats.sort_unstable();
                    ats.dedup();
                    let mut percents: Vec<u8> = stages.iter().map(|(_, p, _)| p % 101).collect();
                    if !stages.iter().any(|(_, _, rollback)| *rollback) {
                        percents.sort_unstable();
                    }
                    let stages: Vec<Value> = ats
                        .iter()
                        .zip(stages.iter().zip(percents))
                        .map(|(at, ((_, _, rollback), percent))| {
                            json!({ "at": darklaunch_time(*at), "percent": percent, "rollback": rollback })
                        })
                        .collect();
                    rollout.insert("stages".into(), json!(stages));
                    if *linear {
                        rollout.insert("ramp".into(), json!("linear"));
                    }
                }
                json!({ "rollout": rollout })
            }
        }
    }
}

/// An RFC 3339 time near 2026 from any integer (whole seconds).
fn darklaunch_time(seed: i64) -> String {
    let seconds = 1_767_225_600 + seed.rem_euclid(400 * 86_400);
    let days = seconds / 86_400;
    let secs = seconds % 86_400;
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3_600,
        secs / 60 % 60,
        secs % 60
    )
}

impl GenRuleset {
    pub fn to_json(&self) -> String {
        let segments = self.segments.len();
        let segment_objects: serde_json::Map<String, Value> = self
            .segments
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut segment = serde_json::Map::new();
                if let Some(by) = &s.by {
                    segment.insert("by".into(), json!(by.0));
                }
                let keys = |list: &[Scalar]| -> Vec<Value> {
                    list.iter()
                        .map(|key| match scalar_json(key) {
                            Value::String(s) => Value::String(s),
                            other => Value::String(other.to_string()),
                        })
                        .collect()
                };
                segment.insert("include".into(), json!(keys(&s.include)));
                segment.insert("exclude".into(), json!(keys(&s.exclude)));
                if let Some(condition) = &s.condition {
                    segment.insert("if".into(), condition.to_json(segments, 0));
                }
                (format!("s{i}"), Value::Object(segment))
            })
            .collect();
        let flag_count = self.flags.len();
        let flags: serde_json::Map<String, Value> = self
            .flags
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let variants = usize::from(f.variants % 4) + 1;
                let values: serde_json::Map<String, Value> = (0..variants)
                    .map(|v| {
                        let value = match f.kind % 4 {
                            0 => json!(v % 2 == 0),
                            1 => json!(format!("value-{v}")),
                            2 => json!(v as f64 * 1.5),
                            _ => json!({ "v": v, "list": [v] }),
                        };
                        (format!("v{v}"), value)
                    })
                    .collect();
                let prerequisites: Vec<Value> = f
                    .prerequisites
                    .iter()
                    .map(|(flag, variant)| {
                        json!({
                            "flag": format!("f{}", usize::from(*flag) % flag_count),
                            "variant": format!("v{}", variant % 4),
                        })
                    })
                    .collect();
                let rules: Vec<Value> = f
                    .rules
                    .iter()
                    .map(|(condition, serve)| {
                        let mut rule = serde_json::Map::new();
                        rule.insert("if".into(), condition.to_json(segments, 0));
                        rule.insert("serve".into(), serve.to_json(variants));
                        Value::Object(rule)
                    })
                    .collect();
                let flag = json!({
                    "variants": values,
                    "off": "v0",
                    "enabled": f.enabled,
                    "prerequisites": prerequisites,
                    "rules": rules,
                    "default": f.default.to_json(variants),
                });
                (format!("f{i}"), flag)
            })
            .collect();
        json!({ "schema": "darklaunch/v1", "segments": segment_objects, "flags": flags }).to_string()
    }
}

/// What an `evaluate` input exercises: `"fixed"`, `"generated"` (a generated ruleset that
/// compiled) or `"generated-refused"`; `None` when the bytes do not decode. For tests that
/// check the corpus covers both modes.
pub fn evaluate_mode(data: &[u8]) -> Option<&'static str> {
    let input = EvaluateInput::arbitrary_take_rest(Unstructured::new(data)).ok()?;
    Some(match &input.ruleset {
        RulesetInput::Fixed(_) => "fixed",
        RulesetInput::Generated(spec) => match Ruleset::from_json(spec.to_json().as_bytes()) {
            Ok(_) => "generated",
            Err(_) => "generated-refused",
        },
    })
}
