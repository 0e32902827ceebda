//! A small JSON writer: the same bytes as `serde_json::to_string`, without serde's serializer
//! in the wasm module. It writes the text the wasm bindings return (the catalog, `explain`)
//! and the values quoted in compile errors.

use alloc::string::String;

use serde_json::{Number, Value};

use crate::text::push_decimal;

/// Appends `text` as a JSON string, escaped as serde_json escapes it: `"`, `\` and the
/// control characters, the common ones by name (`\n`), the others as `\u00XX`.
pub(crate) fn string(out: &mut String, text: &str) {
    out.push('"');
    let mut run = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(text.get(run..at).unwrap_or_default());
        run = at + 1;
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte & 0xf));
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(text.get(run..).unwrap_or_default());
    out.push('"');
}

/// A digit of lowercase hexadecimal, `n < 16`.
pub(crate) fn hex_digit(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'a' + n - 10 })
}

/// Appends a number as serde_json writes it (integers as they are, floats shortest
/// round-trip). Integers by hand and floats through serde_json's own writer: `{}` would keep
/// core::fmt's machinery in the wasm module.
pub(crate) fn number(out: &mut String, number: &Number) {
    if let Some(n) = number.as_u64() {
        push_decimal(out, n);
    } else if let Some(n) = number.as_i64() {
        out.push('-');
        push_decimal(out, n.unsigned_abs());
    } else {
        // Writing a finite float (a `Number` holds no other) cannot fail.
        out.push_str(&serde_json::to_string(number).unwrap_or_default());
    }
}

/// Appends `true` or `false`.
pub(crate) fn boolean(out: &mut String, value: bool) {
    out.push_str(if value { "true" } else { "false" });
}

/// A value as JSON text.
pub(crate) fn text(value: &Value) -> String {
    let mut out = String::new();
    self::value(&mut out, value);
    out
}

/// Appends a value; object members in the map's order.
pub(crate) fn value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => boolean(out, *b),
        Value::Number(n) => number(out, n),
        Value::String(s) => string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                self::value(out, item);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (name, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(out, name);
                out.push(':');
                self::value(out, item);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::String;

    use serde_json::Value;

    fn written(value: &Value) -> String {
        super::text(value)
    }

    #[test]
    fn every_ascii_character_and_some_others_as_serde_json_writes_them() {
        let ascii: String = (0u8..=0x7f).map(char::from).collect();
        for text in [ascii.as_str(), "é\u{2028}😀\u{7f}\u{80}", "", "\"\\"] {
            let value = Value::from(text);
            assert_eq!(
                written(&value),
                serde_json::to_string(&value).ok().unwrap_or_default()
            );
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod against_serde_json {
        use alloc::string::String;

        use proptest::prelude::*;
        use serde_json::{Map, Number, Value};

        fn value() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(Value::from),
                any::<u64>().prop_map(Value::from),
                any::<f64>().prop_filter_map("finite", |n| Number::from_f64(n).map(Value::Number)),
                (-1e6f64..1e6).prop_filter_map("finite", |n| Number::from_f64(n).map(Value::Number)),
                any::<String>().prop_map(Value::String),
                "[\\x00-\\x7f]{0,16}".prop_map(Value::String),
            ];
            leaf.prop_recursive(4, 48, 8, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                    prop::collection::vec((any::<String>(), inner), 0..8)
                        .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
                ]
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

            #[test]
            fn values_as_serde_json_writes_them(value in value()) {
                prop_assert_eq!(super::written(&value), serde_json::to_string(&value).ok().unwrap_or_default());
            }
        }
    }
}
