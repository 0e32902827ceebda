//! SipHash-2-4 (Aumasson & Bernstein), streaming, with every step inlined.
//!
//! The bucketing hash runs once per rollout evaluation. siphasher's implementation is correct
//! but, at the `opt-level = "z"` of the wasm build, its rounds, word loads and tail handling
//! stay out-of-line calls; this one is small enough to inline into `SaltedHasher::position`.
//! The output is the reference algorithm's (checked against siphasher in the tests).

use crate::eval::words::word;

/// The state after some bytes: four words, the pending tail (< 8 bytes) and the length.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sip24 {
    v: [u64; 4],
    tail: u64,
    tail_len: usize,
    length: usize,
}

#[inline(always)]
fn round(v: &mut [u64; 4]) {
    let [mut v0, mut v1, mut v2, mut v3] = *v;
    v0 = v0.wrapping_add(v1);
    v1 = v1.rotate_left(13) ^ v0;
    v0 = v0.rotate_left(32);
    v2 = v2.wrapping_add(v3);
    v3 = v3.rotate_left(16) ^ v2;
    v0 = v0.wrapping_add(v3);
    v3 = v3.rotate_left(21) ^ v0;
    v2 = v2.wrapping_add(v1);
    v1 = v1.rotate_left(17) ^ v2;
    v2 = v2.rotate_left(32);
    *v = [v0, v1, v2, v3];
}

impl Sip24 {
    pub(crate) fn new(key: &[u8; 16]) -> Self {
        let (k0, k1) = key.split_at(8);
        let (k0, k1) = (word(k0), word(k1));
        Sip24 {
            v: [
                k0 ^ 0x736f_6d65_7073_6575,
                k1 ^ 0x646f_7261_6e64_6f6d,
                k0 ^ 0x6c79_6765_6e65_7261,
                k1 ^ 0x7465_6462_7974_6573,
            ],
            tail: 0,
            tail_len: 0,
            length: 0,
        }
    }

    #[inline(always)]
    fn compress(&mut self, m: u64) {
        self.v[3] ^= m;
        round(&mut self.v);
        round(&mut self.v);
        self.v[0] ^= m;
    }

    /// Appends bytes to the message.
    #[inline(always)]
    pub(crate) fn write(&mut self, mut bytes: &[u8]) {
        self.length = self.length.wrapping_add(bytes.len());
        if self.tail_len > 0 {
            let take = (8 - self.tail_len).min(bytes.len());
            let (head, rest) = (
                bytes.get(..take).unwrap_or_default(),
                bytes.get(take..).unwrap_or_default(),
            );
            self.tail |= word(head) << (8 * self.tail_len);
            self.tail_len += take;
            bytes = rest;
            if self.tail_len < 8 {
                return;
            }
            self.compress(self.tail);
            self.tail = 0;
            self.tail_len = 0;
        }
        // Plain loops: iterator adapters would be calls at the wasm build's size optimisation.
        while let (Some(block), Some(rest)) = (bytes.get(..8), bytes.get(8..)) {
            self.compress(word(block));
            bytes = rest;
        }
        self.tail = word(bytes);
        self.tail_len = bytes.len();
    }

    /// The 64-bit hash of everything written.
    #[inline(always)]
    pub(crate) fn finish(mut self) -> u64 {
        #[allow(clippy::cast_possible_truncation)]
        let last = ((self.length as u64) << 56) | self.tail;
        self.compress(last);
        self.v[2] ^= 0xff;
        round(&mut self.v);
        round(&mut self.v);
        round(&mut self.v);
        round(&mut self.v);
        let [v0, v1, v2, v3] = self.v;
        v0 ^ v1 ^ v2 ^ v3
    }
}

#[cfg(test)]
mod tests {
    use super::Sip24;
    use core::hash::Hasher;
    use siphasher::sip::SipHasher24;

    /// Every split of every message length up to 40 bytes, against the reference crate.
    #[test]
    fn matches_siphasher() {
        let key = *b"0123456789abcdef";
        let message: [u8; 40] = core::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(11));
        for len in 0..=message.len() {
            let bytes = &message[..len];
            let mut reference = SipHasher24::new_with_key(&key);
            reference.write(bytes);
            let expected = reference.finish();
            for split in 0..=len {
                for second in split..=len {
                    let mut ours = Sip24::new(&key);
                    ours.write(&bytes[..split]);
                    ours.write(&bytes[split..second]);
                    ours.write(&bytes[second..]);
                    assert_eq!(ours.finish(), expected, "len {len}, splits {split}/{second}");
                }
            }
        }
    }

    /// The paper's test vector (appendix A): key 00..0f, message 00..0e.
    #[test]
    fn paper_vector() {
        let key: [u8; 16] = core::array::from_fn(|i| i as u8);
        let message: [u8; 15] = core::array::from_fn(|i| i as u8);
        let mut ours = Sip24::new(&key);
        ours.write(&message);
        assert_eq!(ours.finish(), 0xa129_ca61_49be_45e5);
    }
}
