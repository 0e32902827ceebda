//! The natural numbers the exact conversion of `decimal` computes with: a few thousand bits
//! at most (5^1125 for the smallest subnormals read from 800 digits), so schoolbook
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

    /// The number the decimal digits (values 0 to 9) spell, taken nine at a time.
    pub(super) fn from_digits(digits: &[u8]) -> Big {
        // 10^9 < 2^30: a limb per nine digits and a bit to spare.
        let mut big = Big(Vec::with_capacity(digits.len() / 9 + 1));
        for chunk in digits.chunks(9) {
            let value = chunk.iter().fold(0u32, |n, &d| n * 10 + u32::from(d));
            big.mul_add(10u32.pow(chunk.len() as u32), value);
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

    /// `self × 5^k`.
    pub(super) fn mul_pow5(&mut self, k: u32) {
        // 5^k has fewer than 2.33 × k bits.
        self.0.reserve((k as usize * 7 / 3) / 32 + 2);
        let mut left = k;
        while left > 0 {
            // 5^13 < 2^31: one limb.
            let step = left.min(13);
            self.mul_add(5u32.pow(step), 0);
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
            let words = (bits / 32) as usize;
            let len = self.0.len();
            self.0.resize(len + words, 0);
            self.0.copy_within(..len, words);
            if let Some(low) = self.0.get_mut(..words) {
                low.fill(0);
            }
        }
    }

    /// `self × factor`.
    fn times(&self, factor: u64) -> Big {
        let mut product = Vec::with_capacity(self.0.len() + 2);
        let mut carry = 0u128;
        for &limb in &self.0 {
            let n = u128::from(limb) * u128::from(factor) + carry;
            product.push(n as u32);
            carry = n >> 32;
        }
        while carry != 0 {
            product.push(carry as u32);
            carry >>= 32;
        }
        let mut product = Big(product);
        product.trim();
        product
    }

    /// `⌊self / 2^from⌋`, of which only the low 128 bits are kept.
    fn bits_from(&self, from: u32) -> u128 {
        let first = (from / 32) as usize;
        let within = from % 32;
        let mut value = 0u128;
        for (i, &limb) in self.0.iter().enumerate().skip(first).take(5) {
            // The limb's lowest bit lands at `32 × (i − first) − within`.
            let at = (i - first) as u32 * 32;
            value |= match at.checked_sub(within) {
                Some(left) => u128::from(limb).checked_shl(left).unwrap_or(0),
                None => u128::from(limb) >> within,
            };
        }
        value
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

/// `⌊num / den⌋` and whether the division leaves a remainder, for `num < den × 2^64`.
/// The quotient is estimated from the top bits, then corrected exactly: a few passes over
/// the limbs whatever their number, where schoolbook division takes one per quotient bit
/// (a 17-digit number near 10^-300 read 10× slower that way).
pub(super) fn divide(num: Big, den: &Big) -> (u64, bool) {
    // Both scaled by 2^-from: the divisor keeps 64 bits (all of it, if it has no more).
    let from = den.bit_len().saturating_sub(64);
    let top = den.bits_from(from);
    let inexact_top = from > 0;
    let estimate = num.bits_from(from) / (top + u128::from(inexact_top));
    let mut quotient = u64::try_from(estimate).unwrap_or(u64::MAX);
    let mut rest = num;
    rest.sub(&den.times(quotient));
    // With the divisor's top 64 bits rounded up the estimate is at most 3 low (and never
    // high): num / den < 2^64 and the divisor is overstated by less than 2^-63.
    for _ in 0..3 {
        if rest.compare(den) == Ordering::Less {
            break;
        }
        rest.sub(den);
        quotient = quotient.wrapping_add(1);
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
        big.mul_pow5(27);
        assert_eq!(value(&big), 123_456_789_012 * 5u128.pow(27));
        big.shl(7);
        assert_eq!(value(&big), 123_456_789_012 * 5u128.pow(27) * 128);
        assert_eq!(big.bit_len(), 128 - value(&big).leading_zeros());
        let small = Big::from_u64(u64::MAX);
        big.sub(&small);
        assert_eq!(
            value(&big),
            123_456_789_012 * 5u128.pow(27) * 128 - u128::from(u64::MAX)
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

    /// Schoolbook binary division, one quotient bit at a time: the reference for `divide`.
    fn divide_bitwise(num: Big, den: &Big) -> (u64, bool) {
        let mut rest = num;
        let mut shifted = den.clone();
        shifted.shl(63);
        let mut quotient = 0u64;
        for _ in 0..64 {
            quotient <<= 1;
            if rest.compare(&shifted) != core::cmp::Ordering::Less {
                rest.sub(&shifted);
                quotient |= 1;
            }
            rest.shl(1);
        }
        (quotient, !rest.0.is_empty())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3_000))]

        /// Random big divisors (up to 40 limbs, any top bits) and quotients up to 2^64 - 1,
        /// with remainders from 0 to den - 1.
        #[test]
        fn division_of_big_numbers_matches_the_bitwise_one(
            den in proptest::collection::vec(proptest::prelude::any::<u32>(), 1..40),
            top in 1u32..,
            quotient in proptest::prelude::any::<u64>(),
            rest_limbs in proptest::collection::vec(proptest::prelude::any::<u32>(), 0..40),
        ) {
            let mut den = Big(den);
            den.0.push(top);
            let mut num = den.times(quotient);
            let mut rest = Big(rest_limbs);
            rest.trim();
            while rest.compare(&den) != core::cmp::Ordering::Less {
                rest.0.pop();
                rest.trim();
            }
            // num = den × quotient + rest, rest < den.
            let mut sum = Big(Vec::new());
            let len = num.0.len().max(rest.0.len()) + 1;
            let mut carry = 0u64;
            for i in 0..len {
                let n = u64::from(num.0.get(i).copied().unwrap_or(0)) + u64::from(rest.0.get(i).copied().unwrap_or(0)) + carry;
                sum.0.push(n as u32);
                carry = n >> 32;
            }
            sum.trim();
            num = sum;
            let expected = divide_bitwise(num.clone(), &den);
            proptest::prop_assert_eq!(expected, (quotient, !rest.0.is_empty()));
            proptest::prop_assert_eq!(divide(num, &den), expected);
        }
    }
}
