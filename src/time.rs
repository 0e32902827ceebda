//! RFC 3339 date-time and full-date parsing into Unix milliseconds / days.
//!
//! Rulesets carry stage times and `before`/`after` literals as RFC 3339 strings, and
//! `before`/`after` conditions parse the attribute value on every evaluation. This module
//! therefore uses only `core`: it works on the input bytes, never allocates, never panics
//! (no indexing; checked arithmetic wherever a bound is not obvious), and rejects anything
//! outside the strict profile `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` instead of guessing.

/// Milliseconds in one day.
const MS_PER_DAY: i64 = 86_400_000;

/// Parses an RFC 3339 date-time into milliseconds since 1970-01-01T00:00:00Z.
///
/// Accepted form: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, where `T` and `Z` may be
/// lower case (RFC 3339 §5.6), the year is `0000`–`9999`, the day must exist in its month
/// (Gregorian leap years), and the fraction has 1–9 digits, truncated to milliseconds.
/// Offsets range over `00:00`–`23:59`; `-00:00` is treated as UTC.
///
/// A leap second (`SS` = `60`) is not clamped: it counts as 60 seconds into the minute, so
/// `23:59:60Z` is the same instant as `00:00:00Z` of the next day.
///
/// Returns `None` for anything else: empty input, a missing offset, whitespace, trailing
/// characters, non-ASCII bytes, or an out-of-range field.
#[must_use]
pub fn parse_rfc3339_ms(s: &str) -> Option<i64> {
    let (date, rest) = s.as_bytes().split_at_checked(10)?;
    let days = full_date(date)?;

    let (time, rest) = rest.split_at_checked(9)?;
    let &[b'T' | b't', h1, h2, b':', m1, m2, b':', s1, s2] = time else {
        return None;
    };
    let hour = two_digits(h1, h2).filter(|&h| h <= 23)?;
    let minute = two_digits(m1, m2).filter(|&m| m <= 59)?;
    let second = two_digits(s1, s2).filter(|&s| s <= 60)?;

    let (millis, rest) = fraction_ms(rest)?;
    let offset_min = offset_minutes(rest)?;

    let secs_of_day = i64::from(hour * 3600 + minute * 60 + second);
    days.checked_mul(MS_PER_DAY)?
        .checked_add(secs_of_day.checked_mul(1000)?)?
        .checked_add(i64::from(millis))?
        .checked_sub(offset_min.checked_mul(60_000)?)
}

/// Parses an RFC 3339 full-date `YYYY-MM-DD` into days since 1970-01-01 (negative before).
///
/// Same validation as [`parse_rfc3339_ms`]: year `0000`–`9999`, month `01`–`12`, and a day
/// that exists in that month. Anything else, including surrounding text, returns `None`.
#[must_use]
pub fn parse_date(s: &str) -> Option<i64> {
    full_date(s.as_bytes())
}

/// Validates exactly `YYYY-MM-DD` and returns its day number relative to the Unix epoch.
fn full_date(b: &[u8]) -> Option<i64> {
    let &[y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = b else {
        return None;
    };
    let year = digits(&[y1, y2, y3, y4])?;
    let month = two_digits(m1, m2).filter(|m| (1..=12).contains(m))?;
    let day = two_digits(d1, d2).filter(|&d| d >= 1 && d <= days_in_month(year, month))?;
    Some(days_from_civil(i64::from(year), month, day))
}

/// Parses an optional `.fraction` (1–9 digits) into whole milliseconds, returning the rest.
fn fraction_ms(b: &[u8]) -> Option<(u32, &[u8])> {
    let Some(frac) = b.strip_prefix(b".") else {
        return Some((0, b));
    };
    let len = frac.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=9).contains(&len) {
        return None;
    }
    let (frac_digits, rest) = frac.split_at_checked(len)?;
    // Right-pad to three digits ("5" -> "500") and drop the rest (truncation, no rounding).
    let mut ms = *b"000";
    for (dst, src) in ms.iter_mut().zip(frac_digits) {
        *dst = *src;
    }
    Some((digits(&ms)?, rest))
}

/// Parses the whole remaining input as `Z`/`z` or `±HH:MM`, in minutes east of UTC.
fn offset_minutes(b: &[u8]) -> Option<i64> {
    match *b {
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = two_digits(h1, h2).filter(|&h| h <= 23)?;
            let minutes = two_digits(m1, m2).filter(|&m| m <= 59)?;
            let offset = i64::from(hours * 60 + minutes);
            Some(if sign == b'-' { -offset } else { offset })
        }
        _ => None,
    }
}

/// Value of two ASCII decimal digits.
fn two_digits(hi: u8, lo: u8) -> Option<u32> {
    digits(&[hi, lo])
}

/// Value of a short run of ASCII decimal digits; `None` if any byte is not a digit.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| {
        let digit = char::from(c).to_digit(10)?;
        acc.checked_mul(10)?.checked_add(digit)
    })
}

/// Gregorian leap year rule: every 4th year, except centuries not divisible by 400.
fn is_leap_year(year: u32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Number of days in `month` (1–12) of `year`; 0 for an invalid month.
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of the proleptic Gregorian date `y-m-d` (Howard Hinnant's
/// `days_from_civil`). Expects a valid date with year 0–9999, so nothing can overflow.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    // Shift the year to start in March so the leap day is the last day of the year.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400); // [0, 399]
    let month_from_march = i64::from((m + 9) % 12); // Mar = 0 … Feb = 11
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(d) - 1; // [0, 365]
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    const DAY: i64 = MS_PER_DAY;
    const HOUR: i64 = 3_600_000;
    const MINUTE: i64 = 60_000;

    fn ms(s: &str) -> i64 {
        parse_rfc3339_ms(s).unwrap_or_else(|| panic!("{s:?} should parse"))
    }

    #[test]
    fn epoch() {
        assert_eq!(ms("1970-01-01T00:00:00Z"), 0);
        assert_eq!(ms("1970-01-01T00:00:00.000Z"), 0);
        assert_eq!(ms("1970-01-01T00:00:00+00:00"), 0);
        assert_eq!(ms("1970-01-01T00:00:00-00:00"), 0);
        assert_eq!(ms("1969-12-31T23:59:59.999Z"), -1);
        assert_eq!(parse_date("1970-01-01"), Some(0));
    }

    #[test]
    fn known_instants() {
        assert_eq!(ms("2026-12-01T09:00:00Z"), 1_796_115_600_000);
        assert_eq!(ms("2000-01-01T00:00:00Z"), 946_684_800_000);
        assert_eq!(ms("2038-01-19T03:14:07Z"), 2_147_483_647_000);
        assert_eq!(ms("2001-09-09T01:46:40Z"), 1_000_000_000_000);
    }

    /// Random instants (1–9 fraction digits, assorted offsets, some lower case) whose
    /// expected values were computed independently with Python's `datetime`.
    #[test]
    fn python_cross_checks() {
        let cases: &[(&str, i64)] = &[
            ("2325-04-06T02:57:59.3Z", 11_210_929_079_300),
            ("1965-11-04T09:50:10.98598467-18:06", -131_141_029_015),
            ("2084-03-29T13:02:25.524712865+12:00", 3_605_130_145_524),
            ("1970-08-19t03:28:15.8973-22:00", 19_963_695_897),
            ("8718-08-25T22:34:59.78870636Z", 212_966_750_099_788),
            ("1963-03-12T09:05:14.04084-11:00", -214_804_485_960),
            ("2018-03-22T01:31:08.525288856Z", 1_521_682_268_525),
            ("1933-11-10T18:12:12.251390972-04:30", -1_140_484_667_749),
            ("2010-03-16T05:07:30+00:00", 1_268_716_050_000),
            ("7848-08-30T02:54:52.3+23:00", 185_512_564_492_300),
            ("6536-08-23t20:40:56.3851750z", 144_109_399_256_385),
            ("1969-03-10T10:11:32.2Z", -25_624_107_800),
            ("9597-01-21T12:11:05Z", 240_686_683_865_000),
            ("1093-08-25t07:47:03.6834932-23:45", -27_654_884_876_317),
            ("3667-07-04T13:28:23.50509-00:00", 53_568_134_903_505),
            ("1966-10-09T22:04:03.375940305+23:45", -101_958_056_625),
        ];
        for &(s, want) in cases {
            assert_eq!(parse_rfc3339_ms(s), Some(want), "{s}");
        }
    }

    #[test]
    fn offsets() {
        let utc = ms("2026-12-01T09:00:00Z");
        // Local time is ahead of UTC by the offset, so UTC = local - offset.
        assert_eq!(ms("2026-12-01T10:00:00+01:00"), utc);
        assert_eq!(ms("2026-12-01T09:00:00+01:00"), utc - HOUR);
        assert_eq!(ms("2026-12-01T03:30:00-05:30"), utc);
        assert_eq!(ms("2026-12-01T09:00:00-05:30"), utc + 5 * HOUR + 30 * MINUTE);
        // Offsets may cross the date line.
        assert_eq!(ms("2026-11-30T23:00:00-10:00"), utc);
        assert_eq!(ms("2026-12-01T23:59:00+23:59"), ms("2026-12-01T00:00:00Z"));
        assert_eq!(ms("2026-12-01T00:00:00-23:59"), ms("2026-12-01T23:59:00Z"));
    }

    #[test]
    fn fractions() {
        let base = ms("2026-12-01T09:00:00Z");
        assert_eq!(ms("2026-12-01T09:00:00.5Z"), base + 500);
        assert_eq!(ms("2026-12-01T09:00:00.05Z"), base + 50);
        assert_eq!(ms("2026-12-01T09:00:00.123Z"), base + 123);
        assert_eq!(ms("2026-12-01T09:00:00.1239Z"), base + 123);
        // Nine digits, truncated (not rounded) to milliseconds.
        assert_eq!(ms("2026-12-01T09:00:00.999999999Z"), base + 999);
        assert_eq!(ms("2026-12-01T09:00:00.000999999Z"), base);
        assert_eq!(ms("2026-12-01T10:00:00.250+01:00"), base + 250);
        // Before the epoch the fraction still moves the instant forward.
        assert_eq!(ms("1969-12-31T23:59:59.5Z"), -500);
    }

    #[test]
    fn bad_fractions() {
        for s in [
            "2026-12-01T09:00:00.Z",
            "2026-12-01T09:00:00.1234567890Z",
            "2026-12-01T09:00:00,5Z",
            "2026-12-01T09:00:00.5.5Z",
            "2026-12-01T09:00:00.-5Z",
            "2026-12-01T09:00:00.5",
        ] {
            assert_eq!(parse_rfc3339_ms(s), None, "{s}");
        }
    }

    #[test]
    fn leap_days() {
        assert_eq!(ms("2024-02-29T00:00:00Z"), 19_782 * DAY);
        assert_eq!(ms("2000-02-29T12:00:00Z"), 951_825_600_000);
        assert_eq!(parse_rfc3339_ms("2023-02-29T00:00:00Z"), None);
        assert_eq!(parse_rfc3339_ms("1900-02-29T00:00:00Z"), None);
        assert_eq!(parse_rfc3339_ms("2024-02-30T00:00:00Z"), None);
        assert_eq!(ms("2024-03-01T00:00:00Z") - ms("2024-02-28T00:00:00Z"), 2 * DAY);
        assert_eq!(ms("2023-03-01T00:00:00Z") - ms("2023-02-28T00:00:00Z"), DAY);
    }

    #[test]
    fn day_ranges_per_month() {
        for (month, last) in [
            (1, 31),
            (2, 28),
            (3, 31),
            (4, 30),
            (5, 31),
            (6, 30),
            (7, 31),
            (8, 31),
            (9, 30),
            (10, 31),
            (11, 30),
            (12, 31),
        ] {
            let ok = std::format!("2025-{month:02}-{last:02}");
            let bad = std::format!("2025-{month:02}-{:02}", last + 1);
            assert!(parse_date(&ok).is_some(), "{ok}");
            assert_eq!(parse_date(&bad), None, "{bad}");
            assert_eq!(parse_date(&std::format!("2025-{month:02}-00")), None);
        }
    }

    #[test]
    fn consecutive_days_are_contiguous() {
        // Walk 1999-01-01 .. 2001-12-31: each valid date is exactly one day after the previous.
        let mut prev = parse_date("1998-12-31").unwrap();
        for year in 1999..=2001 {
            for month in 1..=12 {
                for day in 1..=31 {
                    let s = std::format!("{year:04}-{month:02}-{day:02}");
                    if let Some(d) = parse_date(&s) {
                        assert_eq!(d, prev + 1, "{s}");
                        prev = d;
                    }
                }
            }
        }
        assert_eq!(prev, parse_date("2001-12-31").unwrap());
    }

    #[test]
    fn leap_second() {
        // Second 60 is counted as-is: 23:59:60 is the next day's midnight.
        assert_eq!(ms("2016-12-31T23:59:60Z"), ms("2017-01-01T00:00:00Z"));
        assert_eq!(ms("2016-12-31T23:59:60.5Z"), ms("2017-01-01T00:00:00.5Z"));
        assert_eq!(ms("2016-12-31T18:59:60-05:00"), ms("2017-01-01T00:00:00Z"));
        assert_eq!(parse_rfc3339_ms("2016-12-31T23:59:61Z"), None);
    }

    #[test]
    fn lower_case_separators() {
        let upper = ms("2026-12-01T09:00:00Z");
        assert_eq!(ms("2026-12-01t09:00:00z"), upper);
        assert_eq!(ms("2026-12-01t09:00:00Z"), upper);
        assert_eq!(ms("2026-12-01T09:00:00z"), upper);
        assert_eq!(ms("2026-12-01t10:00:00+01:00"), upper);
    }

    #[test]
    fn year_bounds() {
        // 0000 is a leap year in the proleptic Gregorian calendar: 366 days before 0001-01-01.
        assert_eq!(parse_date("0000-01-01"), Some(-719_528));
        assert_eq!(parse_date("0001-01-01"), Some(-719_162));
        assert_eq!(parse_date("0000-02-29"), Some(-719_469));
        assert_eq!(ms("0000-01-01T00:00:00Z"), -719_528 * DAY);
        assert_eq!(
            ms("0000-01-01T00:00:00+23:59"),
            -719_528 * DAY - 23 * HOUR - 59 * MINUTE
        );
        assert_eq!(parse_date("9999-12-31"), Some(2_932_896));
        assert_eq!(ms("9999-12-31T23:59:59.999Z"), 253_402_300_799_999);
        assert_eq!(ms("9999-12-31T23:59:60.999-23:59"), 253_402_387_140_999);
        assert_eq!(parse_rfc3339_ms("10000-01-01T00:00:00Z"), None);
        assert_eq!(parse_rfc3339_ms("-0001-01-01T00:00:00Z"), None);
        assert_eq!(parse_rfc3339_ms("+2026-12-01T09:00:00Z"), None);
    }

    #[test]
    fn field_ranges() {
        for s in [
            "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z",
            "2026-12-00T00:00:00Z",
            "2026-12-32T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-12-01T24:00:00Z",
            "2026-12-01T23:60:00Z",
            "2026-12-01T23:59:61Z",
            "2026-12-01T09:00:00+24:00",
            "2026-12-01T09:00:00-24:00",
            "2026-12-01T09:00:00+01:60",
            "2026-12-01T09:00:00+99:99",
        ] {
            assert_eq!(parse_rfc3339_ms(s), None, "{s}");
        }
        assert_eq!(ms("2026-12-01T23:59:59+23:59"), ms("2026-12-01T00:00:59Z"));
    }

    #[test]
    fn bad_inputs() {
        for s in [
            "",
            "2026-12-01",
            "2026-12-01T",
            "2026-12-01T09:00",
            "2026-12-01T09:00Z",
            "2026-12-01T09:00:00",
            "2026-12-01 09:00:00Z",
            " 2026-12-01T09:00:00Z",
            "2026-12-01T09:00:00Z ",
            "2026-12-01T09:00:00 Z",
            "2026-12-01T09:00:00Zjunk",
            "2026-12-01T09:00:00ZZ",
            "2026-12-01T09:00:00+01:00Z",
            "2026-12-01T09:00:00+01",
            "2026-12-01T09:00:00+0100",
            "2026-12-01T09:00:00+1:00",
            "2026-12-01T09:00:00UTC",
            "2026-12-01X09:00:00Z",
            "2026/12/01T09:00:00Z",
            "2026-12-1T09:00:00Z",
            "2026-12-01T9:00:00Z",
            "2026-12-01T09:0:00Z",
            "2026-12-01T09:00:0Z",
            "2026-12-01T09-00-00Z",
            "2026-1é-01T09:00:00Z",
            "2026-12-01T09:é0:00Z",
            "2026-12-01T09:00:00.5éZ",
            "2026-12-01T09:00:00+01:0é",
            "２026-12-01T09:00:00Z",
            "2026-12-01T09:00:00\u{2212}05:00",
            "abcd-ef-ghTij:kl:mnZ",
        ] {
            assert_eq!(parse_rfc3339_ms(s), None, "{s:?}");
        }
    }

    #[test]
    fn parse_date_cases() {
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        assert_eq!(parse_date("2026-12-01"), Some(20_788));
        assert_eq!(parse_date("1969-12-31"), Some(-1));
        assert_eq!(parse_date("1900-01-01"), Some(-25_567));
        assert_eq!(parse_date("2000-02-29"), Some(11_016));
        assert_eq!(
            parse_date("2026-12-01").map(|d| d * DAY),
            parse_rfc3339_ms("2026-12-01T00:00:00Z")
        );
        for s in [
            "",
            "2023-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-12-32",
            "2026-12-1",
            "26-12-01",
            "2026-12-01T00:00:00Z",
            "2026-12-01 ",
            " 2026-12-01",
            "2026-12-01Z",
            "2026/12/01",
            "20261201",
            "2026-1é-01",
            "10000-01-01",
        ] {
            assert_eq!(parse_date(s), None, "{s:?}");
        }
    }

    #[test]
    fn civil_matches_reference_points() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1970, 3, 1), 59);
        assert_eq!(days_from_civil(0, 3, 1), -719_468);
        assert_eq!(days_from_civil(-1, 12, 31), -719_529);
        assert_eq!(days_from_civil(2400, 2, 29), 157_113);
    }

    #[test]
    fn never_panics_on_truncations_and_garbage() {
        let full = "2026-12-01T09:00:00.123456789+05:30";
        for end in 0..full.len() {
            let prefix = &full[..end];
            assert_eq!(parse_rfc3339_ms(prefix), None, "{prefix:?}");
            let _ = parse_date(prefix);
        }
        assert!(parse_rfc3339_ms(full).is_some());
        // Every byte position replaced by a multi-byte character.
        for i in 0..full.len() {
            let mut s = std::string::String::from(&full[..i]);
            s.push('€');
            s.push_str(&full[i + 1..]);
            assert_eq!(parse_rfc3339_ms(&s), None, "{s:?}");
            assert_eq!(parse_date(&s), None, "{s:?}");
        }
    }
}
