//! Context JSON text read straight into attributes by the ruleset's JSON reader: no
//! `serde_json::Value` tree is built, and serde_json's parser stays out of the wasm module.

use alloc::vec::Vec;

use super::{AttributeValue, Context};
use crate::eval::ErrorCode;
use crate::ruleset::json::{JsonError, Reader};

/// The context of a JSON document, or why the text is not JSON. Well-formed JSON that is not
/// an object is an `INVALID_CONTEXT` context; duplicate names keep the last value.
pub(super) fn read(text: &str) -> Result<Context, JsonError> {
    let mut reader = Reader::new(text.as_bytes());
    if reader.peek() != Some(b'{') {
        reader.skip()?;
        reader.end()?;
        return Ok(Context::invalid(ErrorCode::InvalidContext));
    }
    reader.begin_object()?;
    let mut context = Context::new();
    let mut first = true;
    while let Some(name) = reader.next_key(&mut first)? {
        let value = attribute(&mut reader)?;
        context.put(&name, value);
    }
    reader.end()?;
    Ok(context.checked())
}

/// An attribute's value; `None` (absent) for `null`, objects, and arrays holding anything
/// but scalars.
fn attribute(reader: &mut Reader<'_>) -> Result<Option<AttributeValue>, JsonError> {
    if reader.peek() != Some(b'[') {
        return scalar(reader);
    }
    reader.begin_array()?;
    let mut items = Some(Vec::new());
    let mut first = true;
    while reader.next_element(&mut first)? {
        match (scalar(reader)?, items.as_mut()) {
            (Some(item), Some(list)) => list.push(item),
            _ => items = None,
        }
    }
    Ok(items.map(|items| AttributeValue::List(items.into_boxed_slice())))
}

/// A boolean, number or string; any other value is read (it must be well-formed) and `None`.
fn scalar(reader: &mut Reader<'_>) -> Result<Option<AttributeValue>, JsonError> {
    Ok(match reader.peek() {
        Some(b'"') => Some(AttributeValue::from(reader.string()?.into_owned())),
        Some(b't' | b'f') => Some(AttributeValue::Bool(reader.boolean()?)),
        Some(b'-' | b'0'..=b'9') => reader.number()?.as_f64().map(AttributeValue::Number),
        _ => {
            reader.skip()?;
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use alloc::format;
    use alloc::string::String;

    use crate::limits::{MAX_CONTEXT_ATTRIBUTES, MAX_CONTEXT_STRING_BYTES, MAX_JSON_DEPTH};
    use crate::{AttributeValue, Context, ErrorCode};

    /// `{"n0":0,…}` with `n` attributes, then `tail` (more members, or nothing).
    fn attributes(n: usize, tail: &str) -> String {
        let members: alloc::vec::Vec<String> = (0..n).map(|i| format!("\"n{i}\":{i}")).collect();
        format!("{{{}{tail}}}", members.join(","))
    }

    #[test]
    fn a_name_given_twice_keeps_its_last_value() {
        let context =
            Context::from_json(r#"{"a":1,"b":true,"a":"x","b":null,"targetingKey":[],"targetingKey":"u"}"#);
        assert_eq!(context.problem(), None);
        assert_eq!(context.get("a"), Some(&AttributeValue::from("x")));
        assert_eq!(context.get("b"), None, "a later null removes");
        assert_eq!(context.targeting_key(), Some(&AttributeValue::from("u")));
        let ignored = Context::from_json(r#"{"a":1,"a":{"b":2}}"#);
        assert_eq!(ignored.get("a"), None, "a later object removes");
    }

    /// Only the last value of a name counts towards the limits, as when serde_json kept it.
    #[test]
    fn limits_apply_to_the_last_values() {
        let long = "x".repeat(MAX_CONTEXT_STRING_BYTES + 1);
        let replaced = Context::from_json(&format!(r#"{{"a":"{long}","a":"short"}}"#));
        assert_eq!(replaced.problem(), None);
        let kept = Context::from_json(&format!(r#"{{"a":"short","a":"{long}"}}"#));
        assert_eq!(kept.problem(), Some(ErrorCode::InvalidContext));
        let full = attributes(MAX_CONTEXT_ATTRIBUTES, r#","extra":1,"extra":null"#);
        assert_eq!(Context::from_json(&full).problem(), None);
        let over = attributes(MAX_CONTEXT_ATTRIBUTES, r#","extra":1"#);
        assert_eq!(
            Context::from_json(&over).problem(),
            Some(ErrorCode::InvalidContext)
        );
        let twice = attributes(MAX_CONTEXT_ATTRIBUTES, r#","n0":1"#);
        assert_eq!(Context::from_json(&twice).problem(), None);
    }

    /// The document may nest `MAX_JSON_DEPTH` levels (the context object is the first),
    /// also inside values that are ignored.
    #[test]
    fn nesting_is_limited_like_a_rulesets() {
        for (open, close) in [("[", "]"), (r#"{"k":"#, "}")] {
            let nested = |levels: usize| {
                format!(
                    r#"{{"a":{}1{}}}"#,
                    open.repeat(levels - 1),
                    close.repeat(levels - 1)
                )
            };
            assert_eq!(Context::from_json(&nested(MAX_JSON_DEPTH)).problem(), None);
            assert_eq!(
                Context::from_json(&nested(MAX_JSON_DEPTH + 1)).problem(),
                Some(ErrorCode::ParseError)
            );
        }
    }

    #[test]
    fn text_that_is_not_json_wins_over_every_other_problem() {
        let over = attributes(MAX_CONTEXT_ATTRIBUTES + 1, "");
        let broken = format!("{over} x");
        assert_eq!(
            Context::from_json(&over).problem(),
            Some(ErrorCode::InvalidContext)
        );
        assert_eq!(Context::from_json(&broken).problem(), Some(ErrorCode::ParseError));
        for text in ["[1,", "\"a", "nul", "-", "{\"a\":[{]}"] {
            assert_eq!(
                Context::from_json(text).problem(),
                Some(ErrorCode::ParseError),
                "{text}"
            );
        }
        for text in ["[1, {\"a\": 2}]", "\"a\"", " null ", "-0.5e3", "true"] {
            assert_eq!(
                Context::from_json(text).problem(),
                Some(ErrorCode::InvalidContext),
                "{text}"
            );
        }
    }

    /// Against the way contexts were read before: serde_json into a `Value`, then
    /// `from_json_value`. Equal problems, and equal attributes when valid.
    #[cfg(not(target_arch = "wasm32"))]
    mod against_serde_json {
        use alloc::format;
        use alloc::string::{String, ToString};
        use alloc::vec::Vec;

        use proptest::prelude::*;

        use crate::{Context, ErrorCode};

        fn reference(text: &str) -> Context {
            match serde_json::from_str::<serde_json::Value>(text) {
                Ok(value) => Context::from_json_value(&value),
                Err(_) => Context::invalid(ErrorCode::ParseError),
            }
        }

        /// JSON text of scalars as serde_json writes them and as people write them.
        fn scalar() -> impl Strategy<Value = String> {
            prop_oneof![
                Just("null".to_string()),
                any::<bool>().prop_map(|b| b.to_string()),
                any::<i64>().prop_map(|n| n.to_string()),
                any::<u64>().prop_map(|n| n.to_string()),
                any::<f64>().prop_map(|n| serde_json::Value::from(n).to_string()),
                prop::sample::select(&["-0", "1e2", "1.5E-3", "0.1", "1e400", "123456789012345678901"][..])
                    .prop_map(String::from),
                ".{0,12}".prop_map(|s| serde_json::Value::from(s).to_string()),
                prop::sample::select(&[r#""\u00e9\n""#, r#""\ud83d\ude00""#, r#""\ud800""#][..])
                    .prop_map(String::from),
                (4090usize..4100).prop_map(|n| format!("\"{}\"", "x".repeat(n))),
            ]
        }

        fn value() -> impl Strategy<Value = String> {
            scalar().prop_recursive(3, 24, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6)
                        .prop_map(|items| format!("[{}]", items.join(","))),
                    prop::collection::vec((name(), inner), 0..4).prop_map(|members| object(&members)),
                ]
            })
        }

        /// Few names, so that duplicates are common.
        fn name() -> impl Strategy<Value = String> {
            prop::sample::select(&["targetingKey", "a", "b", "é", "a\"b", ""][..])
                .prop_map(|name| serde_json::Value::from(name).to_string())
        }

        fn object(members: &[(String, String)]) -> String {
            let members: Vec<String> = members.iter().map(|(k, v)| format!("{k}:{v}")).collect();
            format!("{{{}}}", members.join(","))
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

            #[test]
            fn contexts_read_as_before(
                members in prop::collection::vec((name(), value()), 0..8),
                top in prop::option::weighted(0.1, value()),
                cut in prop::option::weighted(0.1, any::<prop::sample::Index>()),
            ) {
                let mut text = top.unwrap_or_else(|| object(&members));
                if let Some(cut) = cut {
                    text.truncate(text.char_indices().nth(cut.index(text.chars().count())).map_or(0, |(i, _)| i));
                }
                let (context, expected) = (Context::from_json(&text), reference(&text));
                prop_assert_eq!(context.problem(), expected.problem(), "{}", text);
                if context.problem().is_none() {
                    prop_assert_eq!(format!("{context:?}"), format!("{expected:?}"), "{}", text);
                }
            }
        }
    }
}
