//! Lowercasing exactly as `str::to_lowercase` does, from tables a fraction of the size of
//! core's: `ignore_case` clauses promise that behaviour (docs/ruleset.md), and core's case
//! tables were several KiB of the wasm module.
//!
//! The tables (`lowercase/tables.rs`) are generated from the toolchain's own std by
//! `cargo run --example lowercase_tables`, which records the Unicode version; a test fails
//! when std's differs. Tests compare with std for every char, alone and around `Σ`. The
//! tables hold:
//! - `RANGES`: the chars that lowercase to one other char, as runs (stride 1 or 2) that
//!   share a delta, sorted by start for a binary search; each packs the start (21 bits),
//!   the length - 1 (8) and the stride - 1 (1);
//! - `MULTI`: the chars that lowercase to several (U+0130 `İ` → `i̇`);
//! - for the one contextual rule, Final_Sigma (`Σ` → `ς` at the end of a word), two sets
//!   as range boundaries: `IGNORABLE` (Case_Ignorable) and `CASED` (Cased and not
//!   Case_Ignorable). Each is blocks of boundaries: a header with the block's first boundary
//!   (low 21 bits) and its index (high 11), the rest as u8 deltas; a char is in the set when
//!   an odd number of boundaries are at or below it.

#[rustfmt::skip]
mod tables;

use alloc::string::String;

use tables::{CASED_BLOCKS, CASED_DELTAS, IGNORABLE_BLOCKS, IGNORABLE_DELTAS, MULTI, RANGES};

const CAPITAL_SIGMA: char = 'Σ';
const CODE_POINT_BITS: u32 = 21;
const CODE_POINT_MASK: u32 = (1 << CODE_POINT_BITS) - 1;

/// `s.to_lowercase()`, without core's tables.
pub(crate) fn to_lowercase(s: &str) -> String {
    // The ASCII prefix in one go, as std does.
    let ascii_len = s.bytes().position(|byte| !byte.is_ascii()).unwrap_or(s.len());
    let (ascii, rest) = s.split_at_checked(ascii_len).unwrap_or((s, ""));
    let mut lower = String::with_capacity(s.len());
    lower.push_str(ascii);
    lower.make_ascii_lowercase();
    for (offset, c) in rest.char_indices() {
        if c.is_ascii() {
            lower.push(c.to_ascii_lowercase());
        } else if c == CAPITAL_SIGMA {
            lower.push(lowercase_sigma(s, ascii_len + offset));
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

/// Final_Sigma as std applies it: `ς` when a cased char precedes the `Σ` at `index` and none
/// follows it, case-ignorable chars skipped on both sides; `σ` otherwise.
fn lowercase_sigma(s: &str, index: usize) -> char {
    let before = s.get(..index).unwrap_or_default().chars().rev();
    let after = s
        .get(index + CAPITAL_SIGMA.len_utf8()..)
        .unwrap_or_default()
        .chars();
    if cased_past_ignorables(before) && !cased_past_ignorables(after) {
        'ς'
    } else {
        'σ'
    }
}

/// Whether the first char that is not case-ignorable is cased.
fn cased_past_ignorables(mut chars: impl Iterator<Item = char>) -> bool {
    chars
        .find(|&c| !in_set(&IGNORABLE_BLOCKS, &IGNORABLE_DELTAS, c))
        .is_some_and(|c| in_set(&CASED_BLOCKS, &CASED_DELTAS, c))
}

/// Whether `c` is in a set of ranges stored as blocks of boundaries (see the module docs).
fn in_set(blocks: &[u32], deltas: &[u8], c: char) -> bool {
    let code = u32::from(c);
    let after = blocks.partition_point(|&header| header & CODE_POINT_MASK <= code);
    let Some(&header) = after.checked_sub(1).and_then(|index| blocks.get(index)) else {
        return false;
    };
    let first = index_of(header);
    let end = blocks.get(after).map_or(deltas.len(), |&next| index_of(next));
    let later_at_or_below = deltas
        .get(first + 1..end)
        .unwrap_or_default()
        .iter()
        .scan(header & CODE_POINT_MASK, |boundary, &delta| {
            *boundary += u32::from(delta);
            Some(*boundary)
        })
        .take_while(|&boundary| boundary <= code)
        .count();
    // Boundaries `0..=first` are at or below `code` too: in the set when the count is odd.
    (first + later_at_or_below) % 2 == 0
}

/// The index of a block's first boundary, from its header.
fn index_of(header: u32) -> usize {
    (header >> CODE_POINT_BITS) as usize
}

#[cfg(test)]
mod tests {
    use super::{tables, to_lowercase};
    use alloc::string::String;

    const REGENERATE: &str = "cargo run --example lowercase_tables";

    fn chars() -> impl Iterator<Item = char> {
        (0..=u32::from(char::MAX)).filter_map(char::from_u32)
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
            let lower = to_lowercase(&text);
            assert_eq!(
                lower,
                c.to_lowercase().collect::<String>(),
                "U+{:04X}",
                u32::from(c)
            );
            assert_eq!(lower, text.to_lowercase(), "U+{:04X}", u32::from(c));
        }
    }

    /// Every char where Final_Sigma looks: just before a `Σ` (alone, and after a cased char)
    /// and just after one that follows a cased char (alone, and before a cased char).
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
                    to_lowercase(&text),
                    text.to_lowercase(),
                    "{text:?} (U+{:04X})",
                    u32::from(c)
                );
            }
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod random {
        use super::super::to_lowercase;
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
                prop_assert_eq!(to_lowercase(&text), text.to_lowercase());
            }
        }
    }
}
