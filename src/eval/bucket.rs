//! Sticky bucketing: SipHash-2-4 over explicitly framed bytes (see `docs/bucketing.md`).
//!
//! The salt half of the frame is hashed once, when the ruleset is compiled; an evaluation
//! clones that state and hashes only the unit id. The free functions here are the published
//! algorithm, for tools and tests that reproduce positions outside a ruleset.

use crate::eval::siphash::Sip24;

/// SipHash key for the inclusion position.
pub const INCLUSION_KEY: &[u8; 16] = b"darklaunch:incl1";
/// SipHash key for the variant position: independent of inclusion, so raising the percent
/// never changes a unit's variant.
pub const VARIANT_KEY: &[u8; 16] = b"darklaunch:vari1";
/// Exposure units in 100%: the percent is kept in millionths (resolution 0.0001%).
pub const FULL_EXPOSURE: u32 = 1_000_000;

/// SipHash state after `u32_le(len(salt)) || salt`, ready to take the unit half of the frame.
#[derive(Clone, Copy, Debug)]
pub struct SaltedHasher(Sip24);

impl SaltedHasher {
    /// `None` if the salt is longer than `u32::MAX` bytes (the compiler caps it far below).
    pub fn new(key: &[u8; 16], salt: &[u8]) -> Option<Self> {
        let mut hasher = Sip24::new(key);
        hasher.write(&u32::try_from(salt.len()).ok()?.to_le_bytes());
        hasher.write(salt);
        Some(SaltedHasher(hasher))
    }

    /// The 64-bit position of `unit`. `None` if `unit` is longer than `u32::MAX` bytes.
    #[inline]
    pub fn position(&self, unit: &[u8]) -> Option<u64> {
        let length = u32::try_from(unit.len()).ok()?.to_le_bytes();
        let mut hasher = self.0;
        hasher.write(&length);
        hasher.write(unit);
        Some(hasher.finish())
    }
}

/// The inclusion position of `unit` under `salt`: `SipHash-2-4(INCLUSION_KEY, frame)`.
/// `None` only for inputs over 4 GiB.
pub fn position(salt: &[u8], unit: &[u8]) -> Option<u64> {
    SaltedHasher::new(INCLUSION_KEY, salt)?.position(unit)
}

/// The variant position of `unit` under `salt`: `SipHash-2-4(VARIANT_KEY, frame)`.
pub fn variant_position(salt: &[u8], unit: &[u8]) -> Option<u64> {
    SaltedHasher::new(VARIANT_KEY, salt)?.position(unit)
}

/// `floor(units × 2^64 / 1,000,000)`: positions below it are inside. 100% is `2^64`.
pub fn threshold(units: u32) -> u128 {
    (u128::from(units.min(FULL_EXPOSURE)) << 64) / u128::from(FULL_EXPOSURE)
}

/// Whether `position` is inside an exposure of `units`.
pub fn is_inside(position: u64, units: u32) -> bool {
    u128::from(position) < threshold(units)
}

/// Percent (0–100, at most 4 decimal places) to exposure units (millionths). `None` out of
/// range or finer than 0.0001: a decimal such as `12.34565` has no exact binary value, so
/// rounding it would differ between languages; refusing it keeps every port bit-exact.
pub fn percent_to_units(percent: f64) -> Option<u32> {
    if !(0.0..=100.0).contains(&percent) {
        return None;
    }
    let scaled = percent * 10_000.0;
    // `as` saturates and the range is checked above: 0 ..= 1_000_000.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let units = (scaled + 0.5) as u32;
    // A 4-decimal percent lands within float noise (~1e-10) of an integer.
    let exact = (scaled - f64::from(units)).abs() < 1e-6;
    exact.then_some(units.min(FULL_EXPOSURE))
}

/// The integer a number holds exactly, if it is integral and below 2^53 in magnitude (where
/// every integer is representable). `core` has no `f64::fract`, hence the round trip.
pub(crate) fn exact_integer(value: f64) -> Option<i64> {
    const MAX_EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if !value.is_finite() || value.abs() >= MAX_EXACT {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    let int = value as i64;
    #[allow(clippy::cast_precision_loss)]
    let exact = int as f64 == value;
    exact.then_some(int)
}

/// Writes an integer-valued number as decimal text (the unit id of a numeric attribute)
/// without allocating. `None` for fractions, non-finite values and magnitudes ≥ 2^53.
pub fn integer_text(value: f64, buffer: &mut [u8; 20]) -> Option<&str> {
    let int = exact_integer(value)?;
    let mut digits = int.unsigned_abs();
    let mut start = buffer.len();
    loop {
        start = start.checked_sub(1)?;
        #[allow(clippy::cast_possible_truncation)]
        let digit = b'0' + (digits % 10) as u8;
        *buffer.get_mut(start)? = digit;
        digits /= 10;
        if digits == 0 {
            break;
        }
    }
    if int < 0 {
        start = start.checked_sub(1)?;
        *buffer.get_mut(start)? = b'-';
    }
    core::str::from_utf8(buffer.get(start..)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_exact() {
        assert_eq!(threshold(0), 0);
        assert_eq!(threshold(FULL_EXPOSURE), 1u128 << 64);
        assert_eq!(threshold(500_000), 1u128 << 63);
        assert_eq!(threshold(1), (1u128 << 64) / 1_000_000);
    }

    #[test]
    fn percents_round_to_millionths() {
        assert_eq!(percent_to_units(0.0), Some(0));
        assert_eq!(percent_to_units(1.0), Some(10_000));
        assert_eq!(percent_to_units(33.3333), Some(333_333));
        assert_eq!(percent_to_units(0.0001), Some(1));
        assert_eq!(percent_to_units(100.0), Some(FULL_EXPOSURE));
        assert_eq!(percent_to_units(12.3456), Some(123_456));
        assert_eq!(percent_to_units(12.34565), None);
        assert_eq!(percent_to_units(0.00001), None);
        assert_eq!(percent_to_units(100.1), None);
        assert_eq!(percent_to_units(-0.1), None);
        assert_eq!(percent_to_units(f64::NAN), None);
    }

    #[test]
    fn frame_is_length_prefixed() {
        let ab = SaltedHasher::new(INCLUSION_KEY, b"ab").and_then(|h| h.position(b"c"));
        let a = SaltedHasher::new(INCLUSION_KEY, b"a").and_then(|h| h.position(b"bc"));
        assert_ne!(ab, a);
    }

    #[test]
    fn integers_format_like_decimal_text() {
        let mut buffer = [0u8; 20];
        assert_eq!(integer_text(0.0, &mut buffer), Some("0"));
        assert_eq!(integer_text(42.0, &mut buffer), Some("42"));
        assert_eq!(integer_text(-7.0, &mut buffer), Some("-7"));
        assert_eq!(
            integer_text(9_007_199_254_740_991.0, &mut buffer),
            Some("9007199254740991")
        );
        assert_eq!(integer_text(9_007_199_254_740_992.0, &mut buffer), None);
        assert_eq!(integer_text(1.5, &mut buffer), None);
        assert_eq!(integer_text(f64::INFINITY, &mut buffer), None);
    }
}
