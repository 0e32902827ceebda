//! Short byte strings as little-endian 64-bit words: the bucketing hash's input and the
//! equality of the short strings evaluation compares (attribute names, `in` / `eq` literals).
//!
//! At the wasm build's `opt-level = "z"`, `copy_from_slice`, `memcmp` and iterator adapters
//! stay out-of-line calls (a byte loop behind a call, for `memcmp`), which cost more than
//! the work itself for strings like `country`. These helpers are plain loops, always inlined.

/// Up to 8 bytes as a little-endian word, zero-padded: byte `i` is bits `8i..8i+8`.
#[inline(always)]
pub(crate) fn word(bytes: &[u8]) -> u64 {
    if let Ok(full) = <[u8; 8]>::try_from(bytes) {
        return u64::from_le_bytes(full);
    }
    let mut word = 0u64;
    let mut at = bytes.len().min(8);
    while at > 0 {
        at -= 1;
        word = (word << 8) | u64::from(bytes.get(at).copied().unwrap_or(0));
    }
    word
}

/// `a == b`, 8 bytes at a time.
#[inline(always)]
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
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

#[cfg(test)]
mod tests {
    use super::{same, word};

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
            }
        }
    }
}
