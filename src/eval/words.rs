//! Short byte strings as little-endian 64-bit words: the bucketing hash's input and the
//! equality of the short strings evaluation compares (attribute names, `in` / `eq` literals).
//!
//! At the wasm build's `opt-level = "z"`, `copy_from_slice`, `memcmp` and iterator adapters
//! stay out-of-line calls (a byte loop behind a call, for `memcmp`), which cost more than
//! the work itself for strings like `country`. These helpers are plain loops, always inlined.

use alloc::boxed::Box;

/// Up to 8 bytes as a little-endian word, zero-padded: byte `i` is bits `8i..8i+8` (of a
/// longer slice, its first 8 bytes). Short slices are read as two overlapping 4-byte loads
/// (or three single bytes), not byte by byte: the overlap writes equal bytes to equal bits.
#[inline(always)]
pub(crate) fn word(bytes: &[u8]) -> u64 {
    let bytes = bytes.get(..8).unwrap_or(bytes);
    if let Ok(full) = <[u8; 8]>::try_from(bytes) {
        return u64::from_le_bytes(full);
    }
    let len = bytes.len();
    let byte = |at: usize| u64::from(bytes.get(at).copied().unwrap_or(0)) << (8 * at);
    let quad = |at: usize| {
        let quad = bytes.get(at..at + 4).and_then(|q| <[u8; 4]>::try_from(q).ok());
        quad.map_or(0, |q| u64::from(u32::from_le_bytes(q)) << (8 * at))
    };
    match len {
        0 => 0,
        1..=3 => byte(0) | byte(len / 2) | byte(len - 1),
        _ => quad(0) | quad(len - 4),
    }
}

/// `a == b`, 8 bytes at a time.
#[inline(always)]
pub(crate) fn same(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

#[inline(always)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut at = 0;
    while at < a.len() {
        let end = a.len().min(at + 8);
        match (a.get(at..end), b.get(at..end)) {
            (Some(x), Some(y)) if word(x) == word(y) => at = end,
            _ => return false,
        }
    }
    true
}

/// A string kept with its first word, compared many times (attribute names: the ruleset's
/// and the context's side are both prepared, so a lookup compares two words and lengths).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Keyed {
    pub(crate) text: Box<str>,
    head: u64,
}

impl Keyed {
    pub(crate) fn new(text: &str) -> Self {
        Keyed::from(Box::from(text))
    }

    /// `self.text == text`, given `head == word(text)`.
    #[inline(always)]
    pub(crate) fn is(&self, text: &str, head: u64) -> bool {
        // Bytes, not `str` slices: a `str` range checks char boundaries in an out-of-line call.
        self.head == head
            && self.text.len() == text.len()
            && match (self.text.as_bytes().get(8..), text.as_bytes().get(8..)) {
                (Some(a), Some(b)) => same_bytes(a, b),
                _ => true,
            }
    }

    #[inline(always)]
    pub(crate) fn head(&self) -> u64 {
        self.head
    }
}

impl From<Box<str>> for Keyed {
    fn from(text: Box<str>) -> Self {
        let head = word(text.as_bytes());
        Keyed { text, head }
    }
}

#[cfg(test)]
mod tests {
    use super::{same, word, Keyed};

    #[test]
    fn words_agree_with_a_byte_loop() {
        let bytes: [u8; 12] = core::array::from_fn(|i| 0x11 * (i as u8 + 1));
        for len in 0..=bytes.len() {
            let slice = &bytes[..len];
            let expected = slice
                .iter()
                .take(8)
                .enumerate()
                .fold(0u64, |w, (i, b)| w | u64::from(*b) << (8 * i));
            assert_eq!(word(slice), expected, "length {len}");
        }
    }

    #[test]
    fn words_are_little_endian_and_padded() {
        assert_eq!(word(b""), 0);
        assert_eq!(word(b"\x01\x02"), 0x0201);
        assert_eq!(word(b"\x01\x02\x03\x04\x05\x06\x07\x08"), 0x0807_0605_0403_0201);
        assert_eq!(word(b"\xff\x00\x00\x00\x00\x00\x00"), 0xff);
    }

    #[test]
    fn same_agrees_with_eq() {
        let words = [
            "",
            "a",
            "b",
            "ab",
            "country",
            "countrx",
            "userId",
            "targetingKey",
            "targetingKez",
            "12345678",
            "123456789",
            "12345679",
            "é",
            "e",
        ];
        for a in words {
            for b in words {
                assert_eq!(same(a, b), a == b, "{a:?} {b:?}");
                assert_eq!(Keyed::new(a).is(b, word(b.as_bytes())), a == b, "{a:?} {b:?}");
            }
        }
    }
}
