//! The form `ignore_case` compares: Unicode lowercase as `str::to_lowercase` gives it, with
//! the final sigma `ς` written `σ`. So `Σ`, `σ` and `ς` all match one another wherever they
//! stand in a word (Unicode's caseless matching folds them together too), `contains` /
//! `starts_with` / `ends_with` do not depend on where a word happens to end, and each char
//! maps on its own: std's one contextual rule (Final_Sigma, which needs two more Unicode
//! sets: 1.7 KiB of the gzipped wasm module) only ever chooses between `σ` and `ς`.
//! Other languages reproduce it as `s.to_lowercase().replace('ς', "σ")` (Rust),
//! `s.toLowerCase().replaceAll('ς', 'σ')` (JavaScript), `s.lower().replace('ς', 'σ')`
//! (Python).
//!
//! The tables (`lowercase/tables.rs`) are generated from the toolchain's own std by
//! `cargo run --example lowercase_tables`, which records the Unicode version; a test fails
//! when std's differs. Tests compare with std for every char, alone and around `Σ`. The
//! tables hold:
//! - `RANGES`: the chars that lowercase to one other char, as runs (stride 1 or 2) that
//!   share a delta, sorted by start for a binary search; each packs the start (21 bits),
//!   the length - 1 (8) and the stride - 1 (1);
//! - `MULTI`: the chars that lowercase to several (U+0130 `İ` → `i̇`).

#[rustfmt::skip]
mod tables;

use alloc::string::String;

use tables::{MULTI, RANGES};

const FINAL_SIGMA: char = 'ς';
const SIGMA: char = 'σ';
const CODE_POINT_BITS: u32 = 21;
const CODE_POINT_MASK: u32 = (1 << CODE_POINT_BITS) - 1;

/// `s.to_lowercase().replace('ς', "σ")`, without core's tables.
pub(crate) fn caseless(s: &str) -> String {
    // The ASCII prefix in one go, as std does.
    let ascii_len = s.bytes().position(|byte| !byte.is_ascii()).unwrap_or(s.len());
    let (ascii, rest) = s.split_at_checked(ascii_len).unwrap_or((s, ""));
    let mut lower = String::with_capacity(s.len());
    lower.push_str(ascii);
    lower.make_ascii_lowercase();
    for c in rest.chars() {
        if c.is_ascii() {
            lower.push(c.to_ascii_lowercase());
        } else if c == FINAL_SIGMA {
            lower.push(SIGMA);
        } else if let Some((_, mapped)) = MULTI.iter().find(|(upper, _)| *upper == c) {
            lower.push_str(mapped);
        } else {
            lower.push(lowercase_char(c));
        }
    }
    lower
}

/// The single char `c` lowercases to (itself when it has no lowercase).
fn lowercase_char(c: char) -> char {
    let code = u32::from(c);
    let after = RANGES.partition_point(|&(packed, _)| packed & CODE_POINT_MASK <= code);
    let Some(&(packed, delta)) = after.checked_sub(1).and_then(|index| RANGES.get(index)) else {
        return c;
    };
    let offset = code - (packed & CODE_POINT_MASK);
    let len = (packed >> CODE_POINT_BITS & 0xFF) + 1;
    let stride = (packed >> (CODE_POINT_BITS + 8) & 1) + 1;
    if offset % stride == 0 && offset / stride < len {
        code.checked_add_signed(delta)
            .and_then(char::from_u32)
            .unwrap_or(c)
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::{caseless, tables};
    use alloc::string::{String, ToString};

    const REGENERATE: &str = "cargo run --example lowercase_tables";

    fn chars() -> impl Iterator<Item = char> {
        (0..=u32::from(char::MAX)).filter_map(char::from_u32)
    }

    /// What `caseless` promises, from std.
    fn expected(text: &str) -> String {
        text.to_lowercase().replace('ς', "σ")
    }

    #[test]
    fn tables_are_from_this_unicode_version() {
        assert_eq!(
            tables::UNICODE_VERSION,
            core::char::UNICODE_VERSION,
            "std's Unicode version changed: regenerate the tables with `{REGENERATE}`"
        );
    }

    #[test]
    fn every_char_alone() {
        let mut text = String::new();
        for c in chars() {
            text.clear();
            text.push(c);
            assert_eq!(caseless(&text), expected(&text), "U+{:04X}", u32::from(c));
        }
    }

    /// Every char where std's Final_Sigma looks: just before a `Σ` (alone, and after a cased
    /// char) and just after one that follows a cased char (alone, and before a cased char).
    #[test]
    fn every_char_around_sigma() {
        let mut text = String::new();
        for c in chars() {
            for [head, tail] in [["", "Σ"], ["A", "Σ"], ["AΣ", ""], ["AΣ", "a"]] {
                text.clear();
                text.push_str(head);
                text.push(c);
                text.push_str(tail);
                assert_eq!(
                    caseless(&text),
                    expected(&text),
                    "{text:?} (U+{:04X})",
                    u32::from(c)
                );
            }
        }
    }

    /// The point of the sigma rule: a word ending in `Σ` matches however it was written, and
    /// the form of a prefix does not depend on what follows it.
    #[test]
    fn every_sigma_matches_every_sigma() {
        let forms = ["ΟΔΟΣ", "οδος", "οδοσ", "ΟΔΟς", "Οδοσ"];
        for form in forms {
            assert_eq!(caseless(form), "οδοσ", "{form}");
        }
        assert!(caseless("ΟΔΟΣΤΕΣΤ").starts_with(&caseless("ΟΔΟΣ")));
        assert_eq!(caseless("ΣΑ"), caseless("σα"));
        assert_eq!(caseless("İ"), "i\u{307}".to_string());
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod random {
        use super::super::caseless;
        use super::expected;
        use alloc::string::String;
        use proptest::char::range;
        use proptest::prelude::*;

        /// Sigmas, combining and modifier marks (case-ignorable, some also cased), word
        /// punctuation, ASCII, Greek and other cased letters, and anything at all.
        fn interesting_char() -> impl Strategy<Value = char> {
            prop_oneof![
                3 => Just('Σ'),
                1 => prop::sample::select(alloc::vec!['σ', 'ς', 'İ', '\u{345}', 'ʰ', '\'', '.', ':', ' ', '-', '\u{AD}']),
                2 => range('\u{300}', '\u{36F}'),
                2 => range('A', 'z'),
                2 => range('\u{370}', '\u{3FF}'),
                1 => range('\u{100}', '\u{24F}'),
                1 => range('\u{1E900}', '\u{1E95F}'),
                1 => any::<char>(),
            ]
        }

        proptest! {
            #[test]
            fn random_strings(chars in proptest::collection::vec(interesting_char(), 0..24)) {
                let text: String = chars.into_iter().collect();
                prop_assert_eq!(caseless(&text), expected(&text));
            }
        }
    }
}
