//! The JSON text the bindings return (the catalog, `explain`), written by appending: neither
//! serde's serializer nor `core::fmt` reaches the wasm module. Strings are escaped exactly as
//! serde_json escapes them; the only numbers are integers (variant values are copied as
//! signed, see [`LoadedSnapshot::catalog`](super::LoadedSnapshot::catalog)).

use alloc::string::String;

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

/// Appends an integer.
pub(crate) fn integer(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_decimal(out, n.unsigned_abs());
}

/// Appends `true` or `false`.
pub(crate) fn boolean(out: &mut String, value: bool) {
    out.push_str(if value { "true" } else { "false" });
}

#[cfg(test)]
mod tests {
    use alloc::string::String;

    use serde_json::Value;

    fn string(text: &str) -> String {
        let mut out = String::new();
        super::string(&mut out, text);
        out
    }

    #[test]
    fn every_ascii_character_and_some_others_as_serde_json_writes_them() {
        let ascii: String = (0u8..=0x7f).map(char::from).collect();
        for text in [ascii.as_str(), "é\u{2028}😀\u{7f}\u{80}", "", "\"\\"] {
            assert_eq!(
                string(text),
                serde_json::to_string(&Value::from(text)).ok().unwrap_or_default()
            );
        }
    }

    #[test]
    fn integers_at_the_edges() {
        for n in [0, 7, -7, i64::MAX, i64::MIN] {
            let mut out = String::new();
            super::integer(&mut out, n);
            assert_eq!(out, alloc::format!("{n}"));
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn any_string_as_serde_json_writes_it(text in proptest::prelude::any::<String>()) {
            proptest::prop_assert_eq!(string(&text), serde_json::to_string(&text).ok().unwrap_or_default());
        }
    }
}
