//! Strict SemVer 2.0.0 parsing and precedence for the `semver_*` operators.
//!
//! `semver_*` conditions parse the attribute value on every evaluation, so this module is
//! `core`-only and allocation-free: a [`Version`] borrows its prerelease text from the input,
//! and precedence (<https://semver.org> §11) is computed by walking that text in place.
//! Parsing follows the §9–§10 grammar exactly (no `v` prefix, no partial versions, no
//! leading zeros) and never panics; build metadata is validated and then dropped, since it
//! does not take part in precedence.

use core::cmp::Ordering;

/// A parsed SemVer 2.0.0 version. Build metadata is not kept.
///
/// `Eq` is field-wise and agrees with `Ord`: two versions compare `Equal` exactly when their
/// numbers and prerelease text are identical.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version<'a> {
    /// Major version.
    pub major: u64,
    /// Minor version.
    pub minor: u64,
    /// Patch version.
    pub patch: u64,
    /// Prerelease identifiers without the leading `-`, e.g. `"rc.1"`; `""` for a release.
    pub pre: &'a str,
}

/// Parses a strict SemVer 2.0.0 string `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`.
///
/// `MAJOR`, `MINOR` and `PATCH` must be decimal without leading zeros and fit in `u64`.
/// Prerelease and build identifiers are non-empty runs of `[0-9A-Za-z-]` separated by `.`;
/// numeric prerelease identifiers may not have leading zeros (but may exceed `u64`).
/// Returns `None` for anything else, including a `v` prefix, whitespace and `1.2`.
#[must_use]
pub fn parse(s: &str) -> Option<Version<'_>> {
    // The core and prerelease never contain `+`, so the first `+` starts the build metadata.
    let (rest, build) = split_once(s, b'+');
    if let Some(build) = build {
        if !identifiers(build).all(is_identifier) {
            return None;
        }
    }
    // The core never contains `-`, so the first `-` starts the prerelease.
    let (core, pre) = split_once(rest, b'-');
    let pre = match pre {
        Some(pre) if identifiers(pre).all(is_prerelease_identifier) => pre,
        Some(_) => return None,
        None => "",
    };
    let mut parts = identifiers(core);
    let major = parse_number(parts.next()?)?;
    let minor = parse_number(parts.next()?)?;
    let patch = parse_number(parts.next()?)?;
    if parts.next().is_some() {
        return None;
    }
    Some(Version {
        major,
        minor,
        patch,
        pre,
    })
}

/// `s.split_once(separator)` for an ASCII separator, by a byte search: keeps core's
/// char-pattern machinery (`CharSearcher`, `memchr`, `Split`) out of the wasm module.
fn split_once(s: &str, separator: u8) -> (&str, Option<&str>) {
    match s.bytes().position(|b| b == separator) {
        Some(at) => (s.get(..at).unwrap_or_default(), s.get(at + 1..)),
        None => (s, None),
    }
}

/// The `.`-separated identifiers of `s`, as `s.split('.')` gives them.
fn identifiers(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    core::iter::from_fn(move || {
        let (identifier, after) = split_once(rest?, b'.');
        rest = after;
        Some(identifier)
    })
}

impl Ord for Version<'_> {
    /// SemVer precedence: numbers first, then a prerelease sorts before its release, then
    /// prerelease identifiers left to right (§11).
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| compare_prerelease(self.pre, other.pre))
    }
}

impl PartialOrd for Version<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Orders prerelease strings; `""` (no prerelease) ranks above any prerelease.
fn compare_prerelease(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        // `Iterator::cmp` is lexicographic: the first unequal identifier decides, and if one
        // list is a prefix of the other, the shorter list ranks lower.
        (false, false) => identifiers(a).map(Identifier).cmp(identifiers(b).map(Identifier)),
    }
}

/// One prerelease identifier, ordered per §11.4.
#[derive(PartialEq, Eq)]
struct Identifier<'a>(&'a str);

impl Ord for Identifier<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (self.0, other.0);
        match (is_numeric(a), is_numeric(b)) {
            // Without leading zeros a longer digit string is a larger number, and equal-length
            // digit strings order like their values; this also handles values beyond `u64`.
            (true, true) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => a.as_bytes().cmp(b.as_bytes()),
        }
    }
}

impl PartialOrd for Identifier<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A `MAJOR`/`MINOR`/`PATCH` number: digits, no leading zero, fits in `u64`.
fn parse_number(s: &str) -> Option<u64> {
    if !is_numeric(s) || has_leading_zero(s) {
        return None;
    }
    s.bytes().try_fold(0u64, |acc, c| {
        acc.checked_mul(10)?.checked_add(u64::from(c.checked_sub(b'0')?))
    })
}

/// A non-empty run of `[0-9A-Za-z-]` (a build identifier, or the shape of any identifier).
fn is_identifier(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
}

/// A build-style identifier that, if purely numeric, has no leading zero.
fn is_prerelease_identifier(s: &str) -> bool {
    is_identifier(s) && !(is_numeric(s) && has_leading_zero(s))
}

/// Non-empty and only ASCII digits.
fn is_numeric(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())
}

/// More than one character and starts with `0`.
fn has_leading_zero(s: &str) -> bool {
    s.len() > 1 && s.as_bytes().first() == Some(&b'0')
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version<'_> {
        parse(s).unwrap_or_else(|| panic!("{s:?} should parse"))
    }

    fn assert_ascending(chain: &[&str]) {
        for (i, a) in chain.iter().enumerate() {
            for (j, b) in chain.iter().enumerate() {
                assert_eq!(v(a).cmp(&v(b)), i.cmp(&j), "{a} vs {b}");
                assert_eq!(v(a) == v(b), i == j, "{a} == {b}");
            }
        }
    }

    #[test]
    fn identifiers_split_as_str_split_does() {
        for text in ["", ".", "a", "a.", ".a", "a..b", "rc.1.x-y", "é.ü", "..."] {
            assert_eq!(
                identifiers(text).collect::<alloc::vec::Vec<_>>(),
                text.split('.').collect::<alloc::vec::Vec<_>>(),
                "{text:?}"
            );
            assert_eq!(
                split_once(text, b'.'),
                match text.split_once('.') {
                    Some((a, b)) => (a, Some(b)),
                    None => (text, None),
                }
            );
        }
    }

    #[test]
    fn parses_fields() {
        assert_eq!(
            parse("1.2.3"),
            Some(Version {
                major: 1,
                minor: 2,
                patch: 3,
                pre: ""
            })
        );
        assert_eq!(
            parse("0.0.0-rc.1+build.5"),
            Some(Version {
                major: 0,
                minor: 0,
                patch: 0,
                pre: "rc.1"
            })
        );
        assert_eq!(v("1.0.0-alpha-1.x-y").pre, "alpha-1.x-y");
        assert_eq!(v("1.0.0--").pre, "-");
        assert_eq!(v("1.0.0-0").pre, "0");
        assert_eq!(v("1.0.0-0a").pre, "0a");
        assert_eq!(v("1.0.0-x.7.z.92").pre, "x.7.z.92");
        assert_eq!(v("1.0.0+20130313144700").pre, "");
        assert_eq!(v("1.0.0-beta+exp.sha.5114f85").pre, "beta");
        assert_eq!(v("1.0.0+21AF26D3----117B344092BD").pre, "");
        assert_eq!(v("1.0.0+001.0-").pre, "");
    }

    #[test]
    fn max_u64_parts() {
        let max = v("18446744073709551615.18446744073709551615.18446744073709551615");
        assert_eq!((max.major, max.minor, max.patch), (u64::MAX, u64::MAX, u64::MAX));
        assert!(v("18446744073709551614.0.0") < v("18446744073709551615.0.0"));
    }

    #[test]
    fn spec_precedence_chain() {
        assert_ascending(&[
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
        ]);
    }

    #[test]
    fn core_precedence() {
        assert_ascending(&["1.0.0", "2.0.0", "2.1.0", "2.1.1"]);
        assert_ascending(&["0.0.9", "0.1.0", "0.9.0", "0.10.0", "1.0.0", "10.0.0"]);
        // Numbers beat prerelease: a later core version with a prerelease is still higher.
        assert_ascending(&["1.0.0", "1.0.1-alpha", "1.0.1"]);
    }

    #[test]
    fn prerelease_identifier_rules() {
        // Numeric < alphanumeric, numeric compared numerically, alphanumeric by ASCII bytes.
        assert_ascending(&["1.0.0-1", "1.0.0-2", "1.0.0-10", "1.0.0-A", "1.0.0-Z", "1.0.0-a"]);
        assert_ascending(&["1.0.0--", "1.0.0-0a", "1.0.0-1a", "1.0.0-a-", "1.0.0-a0"]);
        assert_ascending(&["1.0.0-a", "1.0.0-a.0", "1.0.0-a.0.0", "1.0.0-a.1", "1.0.0-a.a"]);
        assert_ascending(&["1.0.0-beta.9", "1.0.0-beta.10", "1.0.0-beta.a", "1.0.0-beta9"]);
        assert_ascending(&["1.0.0-rc.1.2", "1.0.0-rc.1.10", "1.0.0-rc.2"]);
    }

    #[test]
    fn numeric_prerelease_beyond_u64() {
        let huge = "1.0.0-99999999999999999999999";
        assert_eq!(v(huge).pre, "99999999999999999999999");
        assert!(v("1.0.0-100") < v(huge));
        assert!(v(huge) > v("1.0.0-18446744073709551615"));
        assert!(v(huge) < v("1.0.0-100000000000000000000000"));
        assert!(v(huge) < v("1.0.0-a"));
        assert!(v(huge) < v("1.0.0"));
        assert_eq!(v(huge).cmp(&v(huge)), Ordering::Equal);
    }

    #[test]
    fn build_metadata_ignored() {
        assert_eq!(v("1.0.0+a"), v("1.0.0+b"));
        assert_eq!(v("1.0.0+a").cmp(&v("1.0.0+b")), Ordering::Equal);
        assert_eq!(v("1.0.0+a"), v("1.0.0"));
        assert_eq!(v("1.0.0-rc.1+x.y"), v("1.0.0-rc.1"));
        assert!(v("1.0.0-rc.1+zzz") < v("1.0.0+aaa"));
        assert_eq!(v("1.0.0+001"), v("1.0.0+1"));
    }

    #[test]
    fn eq_agrees_with_ord() {
        let all = [
            "0.0.0",
            "1.0.0",
            "1.0.0-0",
            "1.0.0-1",
            "1.0.0-a",
            "1.0.0-a.1",
            "1.0.0-a.b",
            "1.0.0-A",
            "1.0.0-a-",
            "1.0.0--",
            "1.0.0-1.a",
            "1.0.0-a.1.0",
            "1.0.1",
            "2.0.0-rc",
        ];
        for a in all {
            for b in all {
                let (x, y) = (v(a), v(b));
                assert_eq!(x == y, x.cmp(&y) == Ordering::Equal, "{a} vs {b}");
                assert_eq!(x.partial_cmp(&y), Some(x.cmp(&y)));
                assert_eq!(x.cmp(&y), y.cmp(&x).reverse(), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn invalid_inputs() {
        for s in [
            "",
            "1",
            "1.0",
            "1.0.",
            "1..0",
            "1.0.0.0",
            ".1.0.0",
            "01.0.0",
            "1.01.0",
            "1.0.01",
            "00.0.0",
            "1.0.0-",
            "1.0.0-01",
            "1.0.0-alpha.01",
            "1.0.0-00",
            "1.0.0+",
            "1.0.0-+",
            "1.0.0-a+",
            "1.0.0+a..b",
            "1.0.0+a.",
            "1.0.0+.a",
            "1.0.0+a+b",
            "1.0.0-a..b",
            "1.0.0-a.",
            "1.0.0-.a",
            "1.0.0-a_b",
            "1.0.0-a b",
            "v1.0.0",
            "V1.0.0",
            "=1.0.0",
            " 1.0.0",
            "1.0.0 ",
            "1.0.0\n",
            "1 .0.0",
            "1.0.0-é",
            "1.0.0+é",
            "1.0.é",
            "１.0.0",
            "+1.0.0",
            "-1.0.0",
            "1.-0.0",
            "1.+0.0",
            "1.0.0x",
            "a.b.c",
            "1.0.0-alpha.beta..1",
            "18446744073709551616.0.0",
            "0.18446744073709551616.0",
            "0.0.18446744073709551616",
            "99999999999999999999999.0.0",
        ] {
            assert_eq!(parse(s), None, "{s:?}");
        }
    }

    #[test]
    fn never_panics_on_truncations() {
        let full = "12.345.6789-rc.1.x-y.0+build.007";
        for end in 0..=full.len() {
            let _ = parse(&full[..end]);
        }
        assert_eq!(v(full).pre, "rc.1.x-y.0");
    }
}
