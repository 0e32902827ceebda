//! Decimal number text to f64, correctly rounded (to nearest, ties to even), as
//! `str::parse::<f64>` and JavaScript's `JSON.parse` read it, for the JSON reader. Exact
//! with one u128 division for the usual numbers and a small bignum for the others, instead
//! of tables of powers of ten: ~1.8 KiB gzipped in the wasm module, where serde_json's
//! conversion (only nearly correct) took 3.7 KiB with its table and error machinery and
//! core's float parser would take ~12 KiB.
//!
//! The bignum path costs ~2 µs in wasm (a 17-digit number near 10^-300), against ~0.4 µs
//! for serde_json's approximation: a 4 MB context of such numbers reads in ~0.3 s instead of
//! ~75 ms (numbers as JSON.stringify writes them, from 10^-21 up, take the fast path).

mod bigint;
#[cfg(test)]
mod tests;

use bigint::{divide, Big};

/// Significant digits read exactly. A decimal halfway between two f64 has at most 767, so
/// the digits after the first 800 only count through whether one of them is nonzero.
const MAX_DIGITS: usize = 800;

/// The f64 nearest a JSON number token (`-? digits (. digits)? ([eE] [+-]? digits)?`), or
/// `None` if it is too large for an f64 (or not such a token).
pub(crate) fn parse(token: &[u8]) -> Option<f64> {
    let (negative, rest) = match token.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, token),
    };
    let (integer, rest) = split_digits(rest);
    if integer.is_empty() {
        return None;
    }
    let (fraction, rest) = match rest.split_first() {
        Some((b'.', rest)) => match split_digits(rest) {
            (&[], _) => return None,
            split => split,
        },
        _ => (&[][..], rest),
    };
    let exponent = match rest.split_first() {
        None => 0,
        Some((b'e' | b'E', rest)) => exponent(rest)?,
        Some(_) => return None,
    };
    // The significant digits (values 0 to 9), on the stack: no allocation per number.
    let mut digits = [0u8; MAX_DIGITS + 1];
    let mut count = 0;
    let mut dropped = 0i64;
    let mut dropped_nonzero = false;
    for &d in integer.iter().chain(fraction).skip_while(|&&d| d == b'0') {
        match digits.get_mut(count).filter(|_| count < MAX_DIGITS) {
            Some(slot) => {
                *slot = d - b'0';
                count += 1;
            }
            None => {
                dropped += 1;
                dropped_nonzero |= d != b'0';
            }
        }
    }
    let fraction_len = i64::try_from(fraction.len()).unwrap_or(i64::MAX);
    let mut last = exponent.saturating_sub(fraction_len).saturating_add(dropped);
    if dropped_nonzero {
        // A nonzero digit after the kept ones: the same side of every halfway point.
        if let Some(slot) = digits.get_mut(count) {
            *slot = 1;
            count += 1;
        }
        last = last.saturating_sub(1);
    }
    let digits = digits.get(..count).unwrap_or_default();
    let magnitude = magnitude(digits, last)?;
    Some(if negative { -magnitude } else { magnitude })
}

/// The leading ASCII digits and what follows them.
fn split_digits(text: &[u8]) -> (&[u8], &[u8]) {
    let count = text.iter().take_while(|b| b.is_ascii_digit()).count();
    text.split_at_checked(count).unwrap_or((text, &[]))
}

/// The value of an exponent's `[+-]? digits`, saturated far beyond any f64.
fn exponent(text: &[u8]) -> Option<i64> {
    let (negative, text) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = text
        .iter()
        .fold(0i64, |n, d| (n * 10 + i64::from(d - b'0')).min(1 << 40));
    Some(if negative { -value } else { value })
}

/// The f64 nearest `digits × 10^last` (digits 0 to 9, the first nonzero), `None` if that
/// is too large.
fn magnitude(digits: &[u8], last: i64) -> Option<f64> {
    // Trailing zeros are a power of ten (JSON.stringify writes 1.5e20 as 150000000000000000000).
    let zeros = digits.iter().rev().take_while(|&&d| d == 0).count();
    let digits = digits.get(..digits.len() - zeros).unwrap_or_default();
    let last = last + zeros as i64;
    let count = digits.len() as i64;
    if count == 0 || count + last < -324 {
        // Below 10^-325, less than half the smallest subnormal (2^-1075 ≈ 2.5 × 10^-324).
        return Some(0.0);
    }
    if count + last > 309 {
        // At least 10^309.
        return None;
    }
    if count <= 19 && (-21..=19).contains(&last) {
        // Up to 19 digits, the last worth 10^-21 to 10^19: the numbers people write, and
        // JSON.stringify's from 10^-5 to 10^21. Below 10^38 and over at most 10^21 < 2^70,
        // the quotient keeps 57 bits or more.
        let mantissa = u128::from(digits.iter().fold(0u64, |n, &d| n * 10 + u64::from(d)));
        let power = 10u128.pow(last.unsigned_abs() as u32);
        let (num, den) = if last < 0 {
            (mantissa, power)
        } else {
            (mantissa * power, 1)
        };
        let shift = num.leading_zeros();
        let num = num << shift;
        return round(num / den, num % den != 0, i64::from(shift));
    }
    // 10^last = 5^last × 2^last: the power of two goes into the binary exponent, so the
    // bignums stay 30 % shorter.
    let mut num = Big::from_digits(digits);
    let mut den = Big::from_u64(1);
    if last > 0 {
        num.mul_pow5(last as u32);
    } else {
        den.mul_pow5(last.unsigned_abs() as u32);
    }
    nearest(num, den, last)
}

/// The f64 nearest `num / den × 2^binary` (`num` not zero), `None` if that is too large.
fn nearest(mut num: Big, mut den: Big, binary: i64) -> Option<f64> {
    // Scaled by 2^shift, the quotient has 63 or 64 bits.
    let shift = i64::from(den.bit_len()) - i64::from(num.bit_len()) + 63;
    if shift > 0 {
        num.shl(shift as u32);
    } else {
        den.shl(shift.unsigned_abs() as u32);
    }
    let (quotient, inexact) = divide(num, &den);
    round(u128::from(quotient), inexact, shift - binary)
}

/// The f64 nearest `(quotient + f) / 2^shift` for an `f` in [0, 1), nonzero if `inexact`;
/// `None` if that is too large. The quotient has at least 54 bits.
fn round(quotient: u128, inexact: bool, shift: i64) -> Option<f64> {
    // The value is in [2^top, 2^(top + 1)); its last bit in an f64 is worth 2^ulp.
    let top = 127 - i64::from(quotient.leading_zeros()) - shift;
    let ulp = (top - 52).max(-1074);
    // Bits of the quotient below the f64's last: at least 1, as it has 54 or more.
    let dropped = ulp + shift;
    if dropped > 128 {
        // Less than half the smallest subnormal.
        return Some(0.0);
    }
    let dropped = dropped as u32;
    let mantissa = quotient.checked_shr(dropped).unwrap_or(0);
    let rest = quotient - mantissa.checked_shl(dropped).unwrap_or(0);
    let half = 1 << (dropped - 1);
    let up = rest > half || (rest == half && (inexact || mantissa & 1 == 1));
    // A normal f64's bits are (biased exponent − 1) × 2^52 plus its 53-bit mantissa, a
    // subnormal's its mantissa: a mantissa that rounds up to 2^53 (or 2^52) carries into
    // the exponent. The value is below 10^309, so the sum stays far below 2^64.
    let bits = (((ulp + 1074) as u64) << 52) + mantissa as u64 + u64::from(up);
    (bits < f64::INFINITY.to_bits()).then(|| f64::from_bits(bits))
}
