//! Messages and paths built by plain appending. `format!` and `{}` would keep core::fmt's
//! machinery (`Formatter`, padding, integer `Display`: ~4 KB) in the wasm module for load
//! errors that need none of it.

use alloc::string::String;

/// The parts one after the other.
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `n` in decimal, as `{}` writes it.
pub(crate) fn decimal(n: u64) -> String {
    let mut out = String::new();
    push_decimal(&mut out, n);
    out
}

/// Appends `n` in decimal, as `{}` writes it.
pub(crate) fn push_decimal(out: &mut String, n: u64) {
    // Least significant digit first; u64::MAX has 20 digits.
    let mut digits = [0u8; 20];
    let mut count = 0;
    let mut rest = n;
    for digit in &mut digits {
        *digit = b'0' + (rest % 10) as u8;
        count += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits.iter().take(count).rev().map(|&d| char::from(d)));
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::{concat, decimal};

    #[test]
    fn decimal_matches_display() {
        for n in [
            0,
            1,
            9,
            10,
            99,
            100,
            1_000_000,
            4_294_967_295,
            u64::MAX - 1,
            u64::MAX,
        ] {
            assert_eq!(decimal(n), n.to_string());
        }
        let mut n = 1u64;
        while let Some(next) = n.checked_mul(7) {
            assert_eq!(decimal(n - 1), (n - 1).to_string());
            n = next;
        }
    }

    #[test]
    fn concat_joins_without_separator() {
        assert_eq!(concat(&[]), "");
        assert_eq!(concat(&["a", "", "bc"]), "abc");
    }
}
