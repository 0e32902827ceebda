//! A hash table of strings, each with a small `Copy` value (`()` for sets): flag keys to ids,
//! segment keys, long `in` lists, and the compiler's name tables.
//!
//! Open addressing with linear probing over a power-of-two array of slots, at most three
//! quarters full, so probes stay short and always end. A slot holds one plus an index into
//! the entries (0: free) and 32 bits of the key's hash, so a probe passes other keys without
//! reading them (a miss in a large segment then costs one or two memory reads). It replaces
//! hashbrown, whose generic code was ~9 KB of the wasm module, and hashes with 64-bit
//! multiplies over 8-byte words ([`word`]), which wasm has natively (foldhash multiplies in
//! 128 bits, emulated there).
//!
//! The hash has no per-process seed. Every key inserted comes from a ruleset (signed, for a
//! host serving traffic); requests only look keys up, so they cannot make a table degrade.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::eval::words::{same, word};

/// FxHash's multiplier: odd, with well-spread bits.
const MULTIPLIER: u64 = 0x517c_c1b7_2722_0a95;

/// Keys of type `K` (owned or borrowed strings), each with a `V`.
#[derive(Debug, Default)]
pub(crate) struct StrTable<K, V = ()> {
    entries: Vec<(K, V)>,
    slots: Slots,
}

impl<K: AsRef<str>, V: Copy> StrTable<K, V> {
    /// An empty table with room for `capacity` keys before it grows. With 0 it allocates
    /// nothing (segments mostly have empty include or exclude lists).
    pub fn with_capacity(capacity: usize) -> Self {
        let mut table = StrTable {
            entries: Vec::with_capacity(capacity),
            slots: Slots::default(),
        };
        if capacity > 0 {
            table.rebuild(capacity);
        }
        table
    }

    /// The value of `key`, if present.
    #[inline]
    pub fn get(&self, key: &str) -> Option<V> {
        let index = self.find(key).ok()?;
        self.entries.get(index).map(|(_, value)| *value)
    }

    /// Whether `key` is present.
    #[inline]
    pub fn contains(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Adds `key` with `value` unless the key is present (its value stays); whether it was
    /// added.
    pub fn insert(&mut self, key: K, value: V) -> bool {
        if (self.entries.len() + 1) * 4 > self.slots.0.len() * 3 {
            self.rebuild(self.entries.len() + 1);
        }
        let hash = hash(key.as_ref().as_bytes());
        let Err(free) = self.slots.find(hash, key.as_ref(), &|index| self.key_at(index)) else {
            return false;
        };
        if self.slots.fill(free, hash, self.entries.len()) {
            self.entries.push((key, value));
            return true;
        }
        false
    }

    #[inline]
    fn find(&self, key: &str) -> Result<usize, usize> {
        self.slots
            .find(hash(key.as_bytes()), key, &|index| self.key_at(index))
    }

    fn key_at(&self, index: usize) -> Option<&str> {
        self.entries.get(index).map(|(k, _)| k.as_ref())
    }

    fn rebuild(&mut self, keys: usize) {
        self.slots
            .rebuild(keys, &mut self.entries.iter().map(|(key, _)| key.as_ref()));
    }
}

/// The slots and the probing, apart from the entries so that they are compiled once, not
/// once per key and value type: the entries are reached through a callback, which a lookup
/// calls only for a slot whose tag matches (once for a hit, almost never for a miss).
#[derive(Debug, Default)]
struct Slots(
    /// `tag(hash) | (index + 1)`, or 0 when free.
    Box<[u64]>,
);

impl Slots {
    /// The entry index of `key` (whose hash is `hash`; `key_at` gives the key of an entry
    /// index), or the free slot where it would go. The table is at most three quarters full,
    /// so the probe meets a free slot within `slots.len()` steps.
    #[inline]
    fn find<'k>(
        &self,
        hash: u64,
        key: &str,
        key_at: &dyn Fn(usize) -> Option<&'k str>,
    ) -> Result<usize, usize> {
        let mask = self.0.len().wrapping_sub(1);
        let mut at = start(hash, self.0.len());
        for _ in 0..self.0.len() {
            match self.0.get(at) {
                Some(&0) | None => return Err(at),
                Some(&slot) if slot & !INDEX == tag(hash) => {
                    let index = (slot & INDEX) as usize - 1;
                    if key_at(index).is_some_and(|k| same(k, key)) {
                        return Ok(index);
                    }
                }
                Some(_) => {}
            }
            at = (at + 1) & mask;
        }
        Err(usize::MAX)
    }

    /// Points the free slot `at` to entry `index`, whose key hashes to `hash`; whether it could.
    fn fill(&mut self, at: usize, hash: u64, index: usize) -> bool {
        let Ok(index) = u32::try_from(index + 1) else {
            return false; // over 4 billion keys: limits.rs caps every table far below
        };
        let Some(slot) = self.0.get_mut(at) else {
            return false;
        };
        *slot = tag(hash) | u64::from(index);
        true
    }

    /// Resizes the slots for `keys` keys (a power of two, at least 8 and 4/3 of the keys) and
    /// places every entry again, `entries` in index order.
    fn rebuild(&mut self, keys: usize, entries: &mut dyn Iterator<Item = &str>) {
        let size = (keys.saturating_mul(4) / 3 + 1).max(8).next_power_of_two();
        self.0 = alloc::vec![0; size].into_boxed_slice();
        let mask = size - 1;
        for (i, key) in entries.enumerate() {
            let hash = hash(key.as_bytes());
            let mut at = start(hash, size);
            while self.0.get(at).is_some_and(|slot| *slot != 0) {
                at = (at + 1) & mask;
            }
            if let (Some(slot), Ok(index)) = (self.0.get_mut(at), u32::try_from(i + 1)) {
                *slot = tag(hash) | u64::from(index);
            }
        }
    }
}

impl<K: AsRef<str>> FromIterator<K> for StrTable<K> {
    /// A set (repeated keys kept once).
    fn from_iter<I: IntoIterator<Item = K>>(keys: I) -> Self {
        let keys = keys.into_iter();
        let mut table = StrTable::with_capacity(keys.size_hint().0);
        for key in keys {
            table.insert(key, ());
        }
        table
    }
}

/// The low half of a slot: one plus the entry's index.
const INDEX: u64 = 0xffff_ffff;

/// FxHash over 8-byte words, seeded with the length.
#[inline]
fn hash(bytes: &[u8]) -> u64 {
    let mut hash = (bytes.len() as u64).wrapping_mul(MULTIPLIER);
    for chunk in bytes.chunks(8) {
        hash = (hash.rotate_left(5) ^ word(chunk)).wrapping_mul(MULTIPLIER);
    }
    hash
}

/// The high half of a slot: bits 16–47 of the hash, mostly below those that place the key
/// (keys probed side by side share those), so the tag still tells them apart.
#[inline]
fn tag(hash: u64) -> u64 {
    (hash << 16) & !INDEX
}

/// The first slot to probe in a table of `size` (a power of two) slots: the top bits of the
/// hash, where a multiplicative hash mixes best.
#[inline]
fn start(hash: u64, size: usize) -> usize {
    let bits = size.trailing_zeros();
    if bits == 0 {
        return 0;
    }
    (hash >> (64 - bits)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeMap;
    use alloc::format;
    use alloc::string::String;
    use proptest::prelude::*;

    #[test]
    fn inserts_get_and_refuse_repeats() {
        let mut table = StrTable::with_capacity(0);
        assert!(!table.contains(""));
        assert_eq!(table.slots.0.len(), 0);
        assert!(table.insert("a", 1));
        assert!(table.insert("", 2));
        assert!(!table.insert("a", 3));
        assert_eq!(table.get("a"), Some(1));
        assert_eq!(table.get(""), Some(2));
        assert_eq!(table.get("b"), None);
        assert_eq!(table.entries.len(), 2);
    }

    #[test]
    fn grows_and_keeps_every_key() {
        let mut table = StrTable::with_capacity(0);
        for i in 0..20_000u32 {
            assert!(table.insert(format!("u-{i:06}"), i));
        }
        for i in 0..20_000u32 {
            assert_eq!(table.get(&format!("u-{i:06}")), Some(i));
            assert!(!table.contains(&format!("v-{i:06}")));
        }
        assert!(table.slots.0.len() * 3 >= 4 * table.entries.len());
    }

    #[test]
    fn keys_that_share_words_are_told_apart() {
        // Equal first 8 bytes, different lengths and tails; zero bytes against padding.
        let keys = [
            "abcdefgh",
            "abcdefghi",
            "abcdefgh\0",
            "abc",
            "abc\0",
            "\0",
            "",
            "abcdefghabcdefgh",
        ];
        let table: StrTable<&str> = keys.iter().copied().collect();
        assert_eq!(table.entries.len(), keys.len());
        for key in keys {
            assert!(table.contains(key), "{key:?}");
        }
        assert!(!table.contains("abcdefg"));
    }

    proptest! {
        #[test]
        fn agrees_with_a_map(keys in proptest::collection::vec(".{0,20}", 0..200), probes in proptest::collection::vec(".{0,20}", 0..50)) {
            let mut table = StrTable::with_capacity(0);
            let mut reference = BTreeMap::new();
            for (i, key) in keys.iter().enumerate() {
                let value = i as u32;
                let added = table.insert(String::from(key.as_str()), value);
                prop_assert_eq!(added, !reference.contains_key(key));
                reference.entry(key.clone()).or_insert(value);
            }
            prop_assert_eq!(table.entries.len(), reference.len());
            for key in keys.iter().chain(&probes) {
                prop_assert_eq!(table.get(key), reference.get(key).copied());
            }
        }
    }
}
