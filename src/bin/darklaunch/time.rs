//! Time on the command line: the system clock, RFC 3339 in and out, and `--expires` durations.
//! The library only parses (it never reads a clock); formatting lives here.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::output::Failure;

const MS_PER_DAY: i64 = 86_400_000;

/// The system clock in Unix milliseconds.
pub fn now_ms() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(elapsed) => i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

/// `--flag RFC3339` or, when absent, the system clock.
pub fn time_or_now(flag: &str, value: Option<&str>) -> Result<i64, Failure> {
    value.map_or_else(|| Ok(now_ms()), |text| parse_time(flag, text))
}

/// An RFC 3339 time given to `flag`.
pub fn parse_time(flag: &str, text: &str) -> Result<i64, Failure> {
    darklaunch::parse_rfc3339_ms(text).ok_or_else(|| {
        Failure::usage(
            flag,
            format!("{text:?} is not an RFC 3339 time such as 2026-12-01T09:00:00Z"),
        )
    })
}

/// `--expires`: an RFC 3339 time, or a duration (`30s`, `30m`, `12h`, `7d`, `2w`) after
/// `issued_ms`.
pub fn parse_expires(text: &str, issued_ms: i64) -> Result<i64, Failure> {
    if let Some(ms) = darklaunch::parse_rfc3339_ms(text) {
        return Ok(ms);
    }
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let unit_ms: i64 = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => MS_PER_DAY,
        "w" => 7 * MS_PER_DAY,
        _ => 0,
    };
    let amount: Option<i64> = if digits.is_empty() {
        None
    } else {
        digits.parse().ok()
    };
    match amount
        .and_then(|n| n.checked_mul(unit_ms))
        .filter(|_| unit_ms > 0)
    {
        Some(duration) => Ok(issued_ms.saturating_add(duration)),
        None => Err(Failure::usage(
            "--expires",
            format!("{text:?} is neither an RFC 3339 time nor a duration such as 7d, 12h, 30m, 90s or 2w"),
        )),
    }
}

/// Unix milliseconds as RFC 3339 in UTC: `2026-12-01T09:00:00Z`, with `.mmm` when the
/// milliseconds are not zero.
pub fn format_rfc3339(ms: i64) -> String {
    let days = ms.div_euclid(MS_PER_DAY);
    let in_day = ms.rem_euclid(MS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute, second, milli) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1_000 % 60,
        in_day % 1_000,
    );
    let mut text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
    if milli != 0 {
        text.push_str(&format!(".{milli:03}"));
    }
    text.push('Z');
    text
}

/// The calendar day of `ms`, as days since 1970-01-01.
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(MS_PER_DAY)
}

/// Days since 1970-01-01 → proleptic Gregorian (year, month, day) (Howard Hinnant's
/// `civil_from_days`, the inverse of the library's `days_from_civil`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097); // [0, 146096]
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // [0, 365]
    let month_from_march = (5 * day_of_year + 2) / 153; // [0, 11]
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_what_the_library_parses() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2026-12-01T09:00:00Z",
            "2024-02-29T23:59:59.999Z",
            "2000-03-01T00:00:00.001Z",
            "1969-12-31T23:59:59Z",
            "9999-12-31T23:59:59Z",
        ] {
            let ms = darklaunch::parse_rfc3339_ms(text).unwrap_or_default();
            assert_eq!(format_rfc3339(ms), text);
        }
    }

    #[test]
    fn durations() {
        let base = 1_000_000;
        assert_eq!(parse_expires("7d", base).ok(), Some(base + 7 * MS_PER_DAY));
        assert_eq!(parse_expires("12h", base).ok(), Some(base + 12 * 3_600_000));
        assert_eq!(parse_expires("30m", base).ok(), Some(base + 30 * 60_000));
        assert_eq!(parse_expires("90s", base).ok(), Some(base + 90_000));
        assert_eq!(parse_expires("2w", base).ok(), Some(base + 14 * MS_PER_DAY));
        for bad in ["", "d", "7", "7x", "-7d", "7 d", "7dd", "1.5h"] {
            assert!(parse_expires(bad, base).is_err(), "{bad:?}");
        }
    }
}
