//! Property tests: stickiness across stages, variants that never change, and an evaluator
//! and compiler that never panic on arbitrary input.

use darklaunch::{parse_rfc3339_ms, AttributeValue, Context, Reason, Ruleset};
use proptest::prelude::*;
use serde_json::json;

const STAGE_TIMES: [&str; 4] = [
    "2026-12-01T09:00:00Z",
    "2026-12-03T09:00:00Z",
    "2026-12-08T09:00:00Z",
    "2026-12-15T09:00:00Z",
];

/// A staged 1% → 5% → 30% → 100% rollout with a three-way split, under `salt`.
fn staged_ruleset(salt: &str) -> Ruleset {
    let stages: Vec<_> = STAGE_TIMES
        .iter()
        .zip([1, 5, 30, 100])
        .map(|(at, percent)| json!({ "at": at, "percent": percent }))
        .collect();
    let document = json!({
        "schema": "darklaunch/v1",
        "flags": { "launch": {
            "variants": { "off": "off", "a": "a", "b": "b", "c": "c" }, "off": "off",
            "default": { "rollout": { "salt": salt, "variants": { "a": 34, "b": 33, "c": 33 }, "stages": stages } }
        } }
    });
    Ruleset::from_json(document.to_string().as_bytes()).expect("compiles")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// 1% ⊂ 5% ⊂ 30% ⊂ 100%, and an included unit keeps its variant at every later stage.
    #[test]
    fn stages_only_add_units_and_never_reshuffle(salt in "[a-z0-9-]{0,24}", ids in prop::collection::vec(".{0,40}", 1..40)) {
        let ruleset = staged_ruleset(&salt);
        for id in &ids {
            let context = Context::with_targeting_key(id);
            let mut first_variant: Option<&str> = None;
            for at in STAGE_TIMES {
                let now = parse_rfc3339_ms(at).expect("valid time");
                let evaluation = ruleset.evaluate("launch", &context, now);
                prop_assert_eq!(evaluation.reason, Reason::Split);
                let inside = evaluation.bucket.expect("bucketed").inside;
                match first_variant {
                    Some(variant) => {
                        prop_assert!(inside, "{id:?} dropped out at {at}");
                        prop_assert_eq!(evaluation.variant, Some(variant));
                    }
                    None if inside => first_variant = evaluation.variant,
                    None => prop_assert_eq!(evaluation.variant, Some("off")),
                }
            }
            // 100% at the last stage: everyone is inside.
            prop_assert!(first_variant.is_some());
        }
    }

    /// Arbitrary contexts never make evaluation panic, and every result is well-formed.
    #[test]
    fn evaluation_never_panics(attrs in prop::collection::vec((".{0,12}", any_attribute()), 0..12), now in any::<i64>()) {
        let ruleset = Ruleset::from_json(include_bytes!("../examples/rulesets/dark-launch.json")).expect("compiles");
        let mut context = Context::new();
        for (name, value) in attrs {
            context.set(&name, value);
        }
        for (_, evaluation) in ruleset.evaluate_all(&context, now) {
            prop_assert_eq!(evaluation.value.is_none(), evaluation.reason == Reason::Error);
            prop_assert_eq!(evaluation.error.is_some(), evaluation.reason == Reason::Error);
        }
    }

    /// Arbitrary bytes, and single-byte corruptions of a valid ruleset, never panic the compiler.
    #[test]
    fn compiler_never_panics_on_corruption(position in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut bytes = include_bytes!("../examples/rulesets/dark-launch.json").to_vec();
        let at = position.index(bytes.len());
        bytes[at] = byte;
        let _ = Ruleset::from_json(&bytes);
    }

    #[test]
    fn compiler_never_panics_on_noise(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = Ruleset::from_json(&bytes);
    }
}

fn any_attribute() -> impl Strategy<Value = AttributeValue> {
    let scalar = prop_oneof![
        any::<bool>().prop_map(AttributeValue::Bool),
        any::<f64>().prop_map(AttributeValue::Number),
        ".{0,20}".prop_map(AttributeValue::from),
        "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}(-[a-z0-9.]{1,8})?".prop_map(AttributeValue::from),
    ];
    prop_oneof![
        scalar.clone(),
        prop::collection::vec(scalar, 0..4).prop_map(|items| AttributeValue::List(items.into_boxed_slice())),
    ]
}
