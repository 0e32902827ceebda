//! The conversion against Rust's own (`str::parse::<f64>`, correctly rounded).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::parse;

/// `str::parse`'s f64 for a token, `None` where it is infinite.
fn reference(token: &str) -> Option<f64> {
    token.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn assert_reads_as_std(token: &str) {
    let ours = parse(token.as_bytes()).map(f64::to_bits);
    assert_eq!(ours, reference(token).map(f64::to_bits), "{token}");
}

/// The exact decimal digits of `mantissa × 2^exponent` (`mantissa` < 10^18), and the power
/// of ten of the last digit.
fn exact(mantissa: u64, exponent: i64) -> (String, i64) {
    // Base 10^9, least significant limb first.
    let mut limbs = Vec::from([mantissa % 1_000_000_000, mantissa / 1_000_000_000]);
    let times = |limbs: &mut Vec<u64>, factor: u64| {
        let mut carry = 0;
        for limb in limbs.iter_mut() {
            let n = *limb * factor + carry;
            *limb = n % 1_000_000_000;
            carry = n / 1_000_000_000;
        }
        while carry > 0 {
            limbs.push(carry % 1_000_000_000);
            carry /= 1_000_000_000;
        }
    };
    // m × 2^-k = m × 5^k × 10^-k; 2^20 and 5^13 keep a limb's product below 2^64.
    let (base, most) = if exponent >= 0 { (2u64, 20) } else { (5, 13) };
    let mut left = exponent.unsigned_abs() as u32;
    while left > 0 {
        let n = left.min(most);
        times(&mut limbs, base.pow(n));
        left -= n;
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut digits = String::new();
    for (i, limb) in limbs.iter().rev().enumerate() {
        if i == 0 {
            digits.push_str(&limb.to_string());
        } else {
            digits.push_str(&format!("{limb:09}"));
        }
    }
    (digits, exponent.min(0))
}

/// The exact decimal halfway between a finite positive f64 and the next one up.
fn halfway(value: f64) -> (String, i64) {
    let bits = value.to_bits();
    let field = (bits >> 52) as i64;
    let (mantissa, exponent) = if field == 0 {
        (bits, -1074)
    } else {
        (bits & ((1 << 52) - 1) | 1 << 52, field - 1075)
    };
    exact(2 * mantissa + 1, exponent - 1)
}

/// `digits − 1` (digits > 0) in decimal.
fn minus_one(digits: &str) -> String {
    let mut bytes = digits.as_bytes().to_vec();
    for byte in bytes.iter_mut().rev() {
        if *byte == b'0' {
            *byte = b'9';
        } else {
            *byte -= 1;
            break;
        }
    }
    String::from_utf8(bytes).unwrap_or_default()
}

#[test]
fn hard_cases_read_as_str_parse_reads_them() {
    let nines = "9".repeat(800);
    let long_half = format!("9007199254740993{}", "0".repeat(900));
    let long_above = format!("9007199254740993{}1", "0".repeat(900));
    for token in [
        "0",
        "-0",
        "0.0",
        "0e10",
        "0.000e-999999999999",
        "1",
        "0.1",
        "0.3",
        "-0.3",
        "2.5E+1",
        "1e-30",
        "3e30",
        "1e22",
        "1e23",
        "9007199254740992",
        "9007199254740993",
        "9007199254740994",
        "9007199254740995",
        "9007199254740993.0000000000000000000000000001",
        "123456789012345678901234567890e-10",
        // The ends of the u128 path: 19 digits, 10^19 above, 10^-21 below.
        "9999999999999999999e19",
        "9999999999999999999e20",
        "1234567890123456789e-21",
        "9999999999999999999e-21",
        "1e-21",
        "1e-22",
        "18446744073709551615",
        "0.30000000000000004",
        "5e-324",
        "4.9406564584124654e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
        "2.2250738585072011e-308",
        "2.2250738585072014e-308",
        "2.225073858507201136057409796709131975934819546351645648e-308",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999",
        "1e308",
        "1e309",
        "1e400",
        "1e-400",
        "-1e-400",
        "1e99999999999999999999999",
        "1e-99999999999999999999999",
        &nines,
        &format!("0.{nines}"),
        &format!("{nines}e-1100"),
        &format!("{nines}e-500"),
        &long_half,
        &long_above,
        &format!("{}e-900", &long_half),
        &format!("{}e-900", &long_above),
    ] {
        assert_reads_as_std(token);
    }
}

/// serde_json's reading (its default, without `float_roundtrip`) was only nearly correct:
/// it read these as 9.999999999999999e-31 and 3.0000000000000003e30.
#[test]
fn reads_what_serde_json_read_one_ulp_off() {
    assert_eq!(parse(b"1e-30"), Some(1e-30));
    assert_eq!(parse(b"3e30"), Some(3e30));
}

#[test]
fn tokens_outside_the_json_grammar_are_refused() {
    for token in [
        "", "-", "1.", ".5", "1e", "1e+", "1x", "+1", "1.5.5", "e5", "1e5e5",
    ] {
        assert_eq!(parse(token.as_bytes()), None, "{token}");
    }
}

#[test]
fn halfway_cases_round_to_even() {
    for value in [
        0.0,
        1.0,
        9007199254740992.0,
        0.1,
        f64::MIN_POSITIVE,
        f64::from_bits(1),
        f64::from_bits(2),
        f64::from_bits((1 << 52) - 1),
        f64::MAX / 2.0,
        1e300,
        1e-300,
        f64::MAX,
    ] {
        check_around_halfway(value);
    }
}

/// The halfway point after `value`, and just above and below it.
fn check_around_halfway(value: f64) {
    let (digits, last) = halfway(value);
    assert_reads_as_std(&format!("{digits}e{last}"));
    assert_reads_as_std(&format!("{digits}1e{}", last - 1));
    assert_reads_as_std(&format!("{}9e{}", minus_one(&digits), last - 1));
    assert_reads_as_std(&format!("{digits}{}1e{}", "0".repeat(300), last - 301));
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use alloc::format;
    use alloc::string::String;

    use proptest::prelude::*;

    use super::{assert_reads_as_std, check_around_halfway};

    /// A token of the JSON grammar with up to ~900 significant digits and exponents well
    /// past both ends of f64.
    fn token() -> impl Strategy<Value = String> {
        (
            any::<bool>(),
            "(0|[1-9][0-9]{0,30}|[1-9][0-9]{0,900})",
            proptest::option::of("[0-9]{1,30}|[0-9]{1,900}"),
            proptest::option::of((
                prop_oneof![Just("e"), Just("E")],
                prop_oneof![Just(""), Just("+"), Just("-")],
                0u32..450,
            )),
        )
            .prop_map(|(negative, integer, fraction, exponent)| {
                let mut token = String::from(if negative { "-" } else { "" });
                token.push_str(&integer);
                if let Some(fraction) = fraction {
                    token.push('.');
                    token.push_str(&fraction);
                }
                if let Some((e, sign, value)) = exponent {
                    token.push_str(&format!("{e}{sign}{value}"));
                }
                token
            })
    }

    fn finite() -> impl Strategy<Value = f64> {
        any::<u64>()
            .prop_map(f64::from_bits)
            .prop_filter("finite", |x| x.is_finite())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn tokens_read_as_str_parse_reads_them(token in token()) {
            assert_reads_as_std(&token);
        }

        #[test]
        fn halfway_points_read_as_str_parse_reads_them(value in finite()) {
            check_around_halfway(value.abs());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn printed_f64s_read_as_str_parse_reads_them(value in finite(), precision in 0usize..40) {
            assert_reads_as_std(&format!("{value:e}"));
            assert_reads_as_std(&format!("{value:.precision$e}"));
        }
    }
}
