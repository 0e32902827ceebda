//! The natural numbers the exact conversion of `decimal` computes with: a few thousand bits
//! at most (10^1125 for the smallest subnormals read from 800 digits), so schoolbook
//! arithmetic on 32-bit limbs is enough.

use alloc::vec::Vec;
use core::cmp::Ordering;

/// A natural number, little-endian limbs without high zero limbs (zero has none).
#[derive(Clone)]
pub(super) struct Big(Vec<u32>);

impl Big {
    pub(super) fn from_u64(n: u64) -> Big {
        let mut big = Big(Vec::from([n as u32, (n >> 32) as u32]));
        big.trim();
        big
    }

    /// The number the decimal digits (values 0 to 9) spell.
    pub(super) fn from_digits(digits: &[u8]) -> Big {
        let mut big = Big(Vec::new());
        for &digit in digits {
            big.mul_add(10, u32::from(digit));
        }
        big
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    /// `self × factor + add`.
    fn mul_add(&mut self, factor: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let n = u64::from(*limb) * u64::from(factor) + carry;
            *limb = n as u32;
            carry = n >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
        self.trim();
    }

    /// `self × 10^k`.
    pub(super) fn mul_pow10(&mut self, k: u32) {
        let mut left = k;
        while left > 0 {
            let step = left.min(9);
            self.mul_add(10u32.pow(step), 0);
            left -= step;
        }
    }

    /// `self × 2^bits`, in place.
    pub(super) fn shl(&mut self, bits: u32) {
        if bits % 32 > 0 {
            let mut carry = 0;
            for limb in &mut self.0 {
                let n = (u64::from(*limb) << (bits % 32)) | carry;
                *limb = n as u32;
                carry = n >> 32;
            }
            if carry != 0 {
                self.0.push(carry as u32);
            }
        }
        if !self.0.is_empty() {
            for _ in 0..bits / 32 {
                self.0.insert(0, 0);
            }
        }
    }

    /// `self − other`, for `other ≤ self`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = false;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let (n, b1) = limb.overflowing_sub(other.0.get(i).copied().unwrap_or(0));
            let (n, b2) = n.overflowing_sub(u32::from(borrow));
            *limb = n;
            borrow = b1 || b2;
        }
        self.trim();
    }

    pub(super) fn bit_len(&self) -> u32 {
        self.0
            .last()
            .map_or(0, |top| self.0.len() as u32 * 32 - top.leading_zeros())
    }

    fn compare(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

/// `⌊num / den⌋` and whether the division leaves a remainder, for `num < den × 2^64`: the
/// quotient bit by bit (schoolbook binary division), as only 64 bits of it are wanted.
pub(super) fn divide(num: Big, den: &Big) -> (u64, bool) {
    let mut rest = num;
    let mut shifted = den.clone();
    shifted.shl(63);
    let mut quotient = 0u64;
    for _ in 0..64 {
        quotient <<= 1;
        if rest.compare(&shifted) != Ordering::Less {
            rest.sub(&shifted);
            quotient |= 1;
        }
        rest.shl(1);
    }
    (quotient, !rest.0.is_empty())
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;
    use alloc::vec::Vec;

    use super::{divide, Big};

    fn value(big: &Big) -> u128 {
        big.0
            .iter()
            .rev()
            .fold(0, |n, &limb| (n << 32) | u128::from(limb))
    }

    #[test]
    fn arithmetic_matches_u128() {
        let mut big = Big::from_digits(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2]);
        assert_eq!(value(&big), 123_456_789_012);
        big.mul_pow10(13);
        assert_eq!(value(&big), 123_456_789_012 * 10u128.pow(13));
        big.shl(7);
        assert_eq!(value(&big), 123_456_789_012 * 10u128.pow(13) * 128);
        assert_eq!(big.bit_len(), 128 - value(&big).leading_zeros());
        let small = Big::from_u64(u64::MAX);
        big.sub(&small);
        assert_eq!(
            value(&big),
            123_456_789_012 * 10u128.pow(13) * 128 - u128::from(u64::MAX)
        );
        assert_eq!(Big::from_u64(0).bit_len(), 0);
        let mut zero = Big::from_u64(0);
        zero.shl(40);
        assert_eq!(zero.bit_len(), 0);
    }

    #[test]
    fn division_gives_the_quotient_and_whether_it_is_exact() {
        for (num, den) in [
            (7u128, 2u128),
            (1 << 70, 1 << 7),
            (u128::from(u64::MAX) * 3, 3),
            (u128::from(u64::MAX) * 3 + 2, 3),
            (123_456_789_012_345_678_901, 1_000_000_007),
        ] {
            let big = |n: u128| {
                let digits: Vec<u8> = n.to_string().bytes().map(|b| b - b'0').collect();
                Big::from_digits(&digits)
            };
            assert_eq!(value(&big(num)), num);
            let (quotient, inexact) = divide(big(num), &big(den));
            assert_eq!(u128::from(quotient), num / den, "{num} / {den}");
            assert_eq!(inexact, num % den != 0, "{num} % {den}");
        }
    }
}
