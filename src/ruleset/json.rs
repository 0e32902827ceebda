//! A small strict JSON reader over bytes (RFC 8259), for the documents darklaunch loads: the
//! ruleset, the DSSE envelope and the keyring. Callers pull tokens and build their own types,
//! so strings without escapes are borrowed from the input and no generic decoding framework
//! is compiled in (serde's derive code was the largest part of the wasm module).
//!
//! It mirrors serde_json's typing of numbers (`u64`, then `i64`, else `f64`; `-0` is a
//! float, converted correctly rounded as `JSON.parse` converts it: `crate::decimal`), its
//! recursion limit (the 128th level of arrays and objects is refused) and its error
//! positions (`line L column C`, the column of the offending byte, 1-based).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde_json::Number;

use crate::decimal;
use crate::limits::MAX_JSON_DEPTH;
use crate::ruleset::path::Path;
use crate::text::{concat, push_decimal};

mod literal;

pub(crate) use literal::{Kind, Literal};

/// Why a document was refused, and where.
#[derive(Debug)]
pub(crate) struct JsonError {
    /// Not well-formed JSON (or too deep), as opposed to well-formed but of the wrong shape.
    pub syntax: bool,
    pub line: usize,
    pub column: usize,
    pub message: Cow<'static, str>,
}

impl JsonError {
    /// `line L column C`, the path of INVALID_JSON and INVALID_FORMAT errors.
    pub fn position(&self) -> String {
        let mut out = String::from("line ");
        push_decimal(&mut out, self.line as u64);
        out.push_str(" column ");
        push_decimal(&mut out, self.column as u64);
        out
    }

    /// `MESSAGE at line L column C`, the detail of the load error.
    pub fn describe(&self) -> String {
        concat(&[&self.message, " at ", &self.position()])
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// Duplicate keys inside a value: refused (variant values) or allowed (the last one counts,
/// as in serde_json's `Value` and `JSON.parse`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Duplicates {
    Refuse,
    KeepLast,
}

/// How many leading bytes of `bytes` can be copied into a string as they are: not `"`, `\\`
/// or a control byte. Eight at a time (a snapshot's payload is one string of ~1 MB of base64),
/// then byte by byte.
fn plain_run(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    // A byte of `word` below `n` (n ≤ 128) sets that byte's high bit.
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH;
    let special = |word: u64| {
        below(word ^ (ONES * u64::from(b'"')), 1)
            | below(word ^ (ONES * u64::from(b'\\')), 1)
            | below(word, 0x20)
    };
    let mut run = 0;
    for group in bytes.chunks_exact(8) {
        let Ok(group) = <[u8; 8]>::try_from(group) else {
            break;
        };
        if special(u64::from_ne_bytes(group)) != 0 {
            break;
        }
        run += 8;
    }
    run + bytes
        .get(run..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| !matches!(b, b'"' | b'\\' | 0..=0x1f))
        .count()
}

pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader {
            bytes,
            pos: 0,
            depth: 0,
        }
    }

    /// An error at byte index `at` (reported as the column after it, as serde_json does).
    fn error_at(&self, syntax: bool, at: usize, message: impl Into<Cow<'static, str>>) -> JsonError {
        let at = at.min(self.bytes.len());
        let before = self.bytes.get(..at).unwrap_or_default();
        let start_of_line = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let line = 1 + before.iter().take(start_of_line).filter(|&&b| b == b'\n').count();
        JsonError {
            syntax,
            line,
            column: at - start_of_line,
            message: message.into(),
        }
    }

    /// A syntax error at the byte about to be read.
    fn syntax(&self, message: &'static str) -> JsonError {
        self.error_at(true, self.pos + 1, message)
    }

    /// A well-formed value of the wrong shape, reported where reading stopped.
    pub fn data(&self, message: impl Into<Cow<'static, str>>) -> JsonError {
        self.error_at(false, self.pos, message)
    }

    fn eof(&self, what: &'static str) -> JsonError {
        self.error_at(true, self.bytes.len(), what)
    }

    /// The next byte after whitespace, not consumed.
    pub fn peek(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// Only whitespace may follow the document.
    pub fn end(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.syntax("trailing characters")),
        }
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_JSON_DEPTH {
            return Err(self.syntax("recursion limit exceeded"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Opens an object: `{` must come next.
    pub fn begin_object(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            Some(b'{') => self.enter(),
            _ => Err(self.unexpected("an object")),
        }
    }

    /// The next key of an open object (consuming its `:`), or `None` at its `}`.
    pub fn next_key(&mut self, first: &mut bool) -> Result<Option<Cow<'a, str>>, JsonError> {
        match self.peek() {
            Some(b'}') => return self.close().map(|()| None),
            Some(b',') if !*first => {
                self.pos += 1;
                if self.peek() != Some(b'"') {
                    return Err(match self.peek() {
                        Some(b'}') => self.syntax("trailing comma"),
                        Some(_) => self.syntax("key must be a string"),
                        None => self.eof("EOF while parsing an object"),
                    });
                }
            }
            Some(b'"') if *first => {}
            Some(_) if *first => return Err(self.syntax("key must be a string")),
            Some(_) => return Err(self.syntax("expected `,` or `}`")),
            None => return Err(self.eof("EOF while parsing an object")),
        }
        *first = false;
        let key = self.string_token()?;
        match self.peek() {
            Some(b':') => self.pos += 1,
            Some(_) => return Err(self.syntax("expected `:`")),
            None => return Err(self.eof("EOF while parsing an object")),
        }
        Ok(Some(key))
    }

    /// Opens an array: `[` must come next.
    pub fn begin_array(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            Some(b'[') => self.enter(),
            _ => Err(self.unexpected("an array")),
        }
    }

    /// Whether another element of an open array follows (consuming its `,`), or `false` at
    /// its `]`.
    pub fn next_element(&mut self, first: &mut bool) -> Result<bool, JsonError> {
        match self.peek() {
            Some(b']') => return self.close().map(|()| false),
            Some(b',') if !*first => {
                self.pos += 1;
                if self.peek() == Some(b']') {
                    return Err(self.syntax("trailing comma"));
                }
            }
            Some(_) if *first => {}
            Some(_) => return Err(self.syntax("expected `,` or `]`")),
            None => return Err(self.eof("EOF while parsing a list")),
        }
        *first = false;
        Ok(true)
    }

    fn close(&mut self) -> Result<(), JsonError> {
        self.depth -= 1;
        self.pos += 1;
        Ok(())
    }

    /// A string value.
    pub fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        match self.peek() {
            Some(b'"') => self.string_token(),
            _ => Err(self.unexpected("a string")),
        }
    }

    /// A boolean value.
    pub fn boolean(&mut self) -> Result<bool, JsonError> {
        match self.peek() {
            Some(b't') => self.keyword(b"true").map(|()| true),
            Some(b'f') => self.keyword(b"false").map(|()| false),
            _ => Err(self.unexpected("a boolean")),
        }
    }

    /// A non-negative integer written without fraction or exponent that fits in a `u64`.
    pub fn unsigned(&mut self) -> Result<u64, JsonError> {
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => self
                .number()?
                .as_u64()
                .ok_or_else(|| self.data("invalid value: expected an unsigned integer")),
            _ => Err(self.unexpected("an unsigned integer")),
        }
    }

    /// `null` (consumed, giving `true`) or any other value (not consumed).
    pub fn null(&mut self) -> Result<bool, JsonError> {
        match self.peek() {
            Some(b'n') => self.keyword(b"null").map(|()| true),
            _ => Ok(false),
        }
    }

    /// Reads and drops any value: only its well-formedness matters.
    pub fn skip(&mut self) -> Result<(), JsonError> {
        self.walk(Duplicates::KeepLast, None, &Path::Root).map(drop)
    }

    /// The wrong kind of value where `expected` was wanted. A token that is not JSON at all
    /// is a syntax error, as serde_json reports it.
    fn unexpected(&mut self, expected: &'static str) -> JsonError {
        let start = self.pos;
        let found = match self.peek() {
            None => return self.eof("EOF while parsing a value"),
            Some(b'{') => "an object",
            Some(b'[') => "an array",
            Some(b'"') => "a string",
            Some(b't' | b'f') => "a boolean",
            Some(b'n') => "null",
            Some(b'-' | b'0'..=b'9') => "a number",
            Some(_) => return self.syntax("expected value"),
        };
        // Point past simple tokens like serde_json does; a container stays at its start.
        if !matches!(found, "an object" | "an array") {
            if let Err(e) = self.skip() {
                return e;
            }
        }
        let e = self.data(concat(&["invalid type: ", found, ", expected ", expected]));
        self.pos = start;
        e
    }

    fn keyword(&mut self, word: &'static [u8]) -> Result<(), JsonError> {
        for &expected in word {
            match self.bytes.get(self.pos) {
                Some(&b) if b == expected => self.pos += 1,
                Some(_) => return Err(self.syntax("expected ident")),
                None => return Err(self.eof("EOF while parsing a value")),
            }
        }
        Ok(())
    }

    /// A string token, `"` next: borrowed when it has no escapes.
    fn string_token(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.pos += 1;
        let mut owned: Option<String> = None;
        let mut run = self.pos;
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(self.eof("EOF while parsing a string"));
            };
            match b {
                b'"' => {
                    let text = self.utf8(run, self.pos)?;
                    self.pos += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(text),
                        Some(mut s) => {
                            s.push_str(text);
                            Cow::Owned(s)
                        }
                    });
                }
                b'\\' => {
                    let text = self.utf8(run, self.pos)?;
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(text);
                    self.pos += 1;
                    let c = self.escape()?;
                    owned.get_or_insert_with(String::new).push(c);
                    run = self.pos;
                }
                0..=0x1f => {
                    return Err(self.error_at(
                        true,
                        self.pos + 1,
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ))
                }
                _ => self.pos += plain_run(self.bytes.get(self.pos..).unwrap_or_default()).max(1),
            }
        }
    }

    fn utf8(&self, from: usize, to: usize) -> Result<&'a str, JsonError> {
        let bytes: &'a [u8] = self.bytes;
        let raw = bytes.get(from..to).unwrap_or_default();
        core::str::from_utf8(raw)
            .map_err(|e| self.error_at(true, from + e.valid_up_to() + 1, "invalid unicode code point"))
    }

    /// One escape, the `\` consumed.
    fn escape(&mut self) -> Result<char, JsonError> {
        let Some(&b) = self.bytes.get(self.pos) else {
            return Err(self.eof("EOF while parsing a string"));
        };
        self.pos += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                let code = match unit {
                    0xd800..=0xdbff => {
                        if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                            return Err(self.error_at(
                                true,
                                self.pos,
                                "lone leading surrogate in hex escape",
                            ));
                        }
                        self.pos += 2;
                        let low = self.hex4()?;
                        if !(0xdc00..=0xdfff).contains(&low) {
                            return Err(self.error_at(
                                true,
                                self.pos,
                                "lone leading surrogate in hex escape",
                            ));
                        }
                        0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00)
                    }
                    0xdc00..=0xdfff => {
                        return Err(self.error_at(true, self.pos, "lone leading surrogate in hex escape"))
                    }
                    unit => unit,
                };
                char::from_u32(code)
                    .ok_or_else(|| self.error_at(true, self.pos, "invalid unicode code point"))?
            }
            _ => return Err(self.error_at(true, self.pos, "invalid escape")),
        })
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut value = 0;
        for _ in 0..4 {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(self.eof("EOF while parsing a string"));
            };
            self.pos += 1;
            let digit = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(self.error_at(true, self.pos, "invalid escape")),
            };
            value = value * 16 + u32::from(digit);
        }
        Ok(value)
    }

    /// A number token: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    pub fn number(&mut self) -> Result<Number, JsonError> {
        let start = self.pos;
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
                    return Err(self.syntax("invalid number"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            Some(_) => return Err(self.syntax("invalid number")),
            None => return Err(self.eof("EOF while parsing a value")),
        }
        let integer = self.bytes.get(start..self.pos).unwrap_or_default();
        if !matches!(self.bytes.get(self.pos), Some(b'.' | b'e' | b'E')) {
            if let Some(n) = integer_number(integer) {
                return Ok(n);
            }
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            self.required_digits()?;
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.required_digits()?;
        }
        let text = self.bytes.get(start..self.pos).unwrap_or_default();
        // Correctly rounded, as JSON.parse reads it (serde_json's own conversion is only
        // nearly so, and brings its tables and error machinery into the wasm module).
        decimal::parse(text)
            .and_then(Number::from_f64)
            .ok_or_else(|| self.error_at(true, self.pos, "number out of range"))
    }

    fn digits(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn required_digits(&mut self) -> Result<(), JsonError> {
        match self.bytes.get(self.pos) {
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            Some(_) => Err(self.syntax("invalid number")),
            None => Err(self.eof("EOF while parsing a value")),
        }
    }
}

/// An integer token as serde_json types it: a `u64` if it fits, else an `i64` if negative
/// and it fits; `None` (a float) otherwise, and for `-0`. The common case on the load path
/// (weights, percents, versions), with no float conversion.
fn integer_number(token: &[u8]) -> Option<Number> {
    let (negative, digits) = match token.split_first() {
        Some((b'-', digits)) => (true, digits),
        _ => (false, token),
    };
    let magnitude = digits
        .iter()
        .try_fold(0u64, |n, d| n.checked_mul(10)?.checked_add(u64::from(d - b'0')))?;
    match (negative, magnitude) {
        (false, n) => Some(Number::from(n)),
        (true, 0) => None,
        (true, n) => 0i64.checked_sub_unsigned(n).map(Number::from),
    }
}

/// What a member or element callback returns.
type Step = Result<(), JsonError>;

/// Reads an object whose members are the named `fields`, each at most once; `member` reads
/// the value of field `i`.
pub(crate) fn fields<'a>(
    reader: &mut Reader<'a>,
    fields: &[&str],
    mut member: impl FnMut(&mut Reader<'a>, usize) -> Result<(), JsonError>,
) -> Result<(), JsonError> {
    read_fields(reader, fields, &mut member)
}

/// The loop of [`fields`], compiled once for every struct (a `dyn` callback keeps the
/// module small; the member readers are where the time goes).
fn read_fields<'a>(
    reader: &mut Reader<'a>,
    fields: &[&str],
    member: &mut dyn FnMut(&mut Reader<'a>, usize) -> Step,
) -> Result<(), JsonError> {
    reader.begin_object()?;
    let mut seen = 0u32;
    let mut first = true;
    while let Some(key) = reader.next_key(&mut first)? {
        let Some(i) = fields.iter().position(|field| *field == key) else {
            return Err(reader.data(concat(&["unknown field `", &key, "`"])));
        };
        if seen & (1 << i) != 0 {
            return Err(reader.data(concat(&["duplicate field `", &key, "`"])));
        }
        seen |= 1 << i;
        member(reader, i)?;
    }
    Ok(())
}

/// A required field's value, or the error serde gives when it is missing.
pub(crate) fn need<T>(reader: &Reader<'_>, value: Option<T>, name: &str) -> Result<T, JsonError> {
    value.ok_or_else(|| reader.data(concat(&["missing field `", name, "`"])))
}

/// A JSON array, each element read by `element`.
pub(crate) fn array<'a, T>(
    reader: &mut Reader<'a>,
    mut element: impl FnMut(&mut Reader<'a>) -> Result<T, JsonError>,
) -> Result<Vec<T>, JsonError> {
    let mut items = Vec::new();
    read_array(reader, &mut |reader| {
        items.push(element(reader)?);
        Ok(())
    })?;
    Ok(items)
}

/// The loop of [`array`], compiled once (see [`read_fields`]).
fn read_array<'a>(
    reader: &mut Reader<'a>,
    element: &mut dyn FnMut(&mut Reader<'a>) -> Step,
) -> Result<(), JsonError> {
    reader.begin_array()?;
    let mut first = true;
    while reader.next_element(&mut first)? {
        element(reader)?;
    }
    Ok(())
}

/// A JSON object kept as its entries in document order, duplicates included.
pub(crate) fn entries<'a, T>(
    reader: &mut Reader<'a>,
    mut value: impl FnMut(&mut Reader<'a>) -> Result<T, JsonError>,
) -> Result<Vec<(Cow<'a, str>, T)>, JsonError> {
    let mut items = Vec::new();
    read_entries(reader, &mut |reader, key| {
        items.push((key, value(reader)?));
        Ok(())
    })?;
    Ok(items)
}

/// The loop of [`entries`], compiled once (see [`read_fields`]).
fn read_entries<'a>(
    reader: &mut Reader<'a>,
    entry: &mut dyn FnMut(&mut Reader<'a>, Cow<'a, str>) -> Step,
) -> Result<(), JsonError> {
    reader.begin_object()?;
    let mut first = true;
    while let Some(key) = reader.next_key(&mut first)? {
        entry(reader, key)?;
    }
    Ok(())
}

/// `null` as `None`, like serde's `Option`.
pub(crate) fn optional<'a, T>(
    reader: &mut Reader<'a>,
    value: impl FnOnce(&mut Reader<'a>) -> Result<T, JsonError>,
) -> Result<Option<T>, JsonError> {
    if reader.null()? {
        Ok(None)
    } else {
        value(reader).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    /// The word-at-a-time scan stops exactly where a byte-by-byte scan would, for every
    /// byte value at every position of the first three words, among ASCII and UTF-8 bytes.
    #[test]
    fn plain_run_matches_a_byte_by_byte_scan() {
        let plain = |b: u8| !matches!(b, b'"' | b'\\' | 0..=0x1f);
        for fill in [b'a', 0x80, 0xff, b'~', b' '] {
            for at in 0..24 {
                for byte in 0..=u8::MAX {
                    let mut bytes = [fill; 27];
                    bytes[at] = byte;
                    let expected = bytes.iter().take_while(|&&b| plain(b)).count();
                    assert_eq!(
                        plain_run(&bytes),
                        expected,
                        "byte {byte:#x} at {at} among {fill:#x}"
                    );
                }
            }
        }
    }

    fn value(text: &str) -> Result<Kind<'_>, JsonError> {
        let mut reader = Reader::new(text.as_bytes());
        let literal = reader.literal(Duplicates::Refuse)?;
        reader.end()?;
        Ok(literal.kind)
    }

    fn number(text: &str) -> Result<Number, JsonError> {
        let mut reader = Reader::new(text.as_bytes());
        let number = reader.number()?;
        reader.end()?;
        Ok(number)
    }

    #[test]
    fn numbers_typed_as_serde_json_types_them_and_read_correctly_rounded() {
        assert_eq!(number("18446744073709551615").ok(), Some(Number::from(u64::MAX)));
        assert_eq!(number("-9223372036854775808").ok(), Some(Number::from(i64::MIN)));
        assert_eq!(
            number("9007199254740993").ok(),
            Some(Number::from(9_007_199_254_740_993u64))
        );
        let float = |text| number(text).ok().filter(Number::is_f64).and_then(|n| n.as_f64());
        assert_eq!(
            float("-0").map(f64::to_bits),
            Some((-0.0f64).to_bits()),
            "-0 is a float"
        );
        assert_eq!(float("18446744073709551616"), Some(18_446_744_073_709_551_616.0));
        assert_eq!(float("-9223372036854775809"), Some(-9_223_372_036_854_775_808.0));
        assert_eq!(float("1e-400"), Some(0.0));
        assert_eq!(float("2.5E+1"), Some(25.0));
        // As JSON.parse reads them. serde_json's conversion (without `float_roundtrip`, as
        // in the wasm module) read these as 9007199254740994, 9.999999999999999e-31 and
        // 1.2345678901234567e20, and refused the last (f64::MAX) as out of range.
        assert_eq!(float("9007199254740993.0"), Some(9_007_199_254_740_992.0));
        assert_eq!(float("1e-30"), Some(1e-30));
        assert_eq!(
            float("123456789012345678901"),
            Some(123_456_789_012_345_683_968.0)
        );
        assert_eq!(float("1.7976931348623158e308"), Some(f64::MAX));
        for bad in ["01", "-", "1.", "1e", ".5", "+1", "1e400", "-1.8e308"] {
            assert!(number(bad).is_err_and(|e| e.syntax), "{bad}");
        }
    }

    #[test]
    fn unsigned_refuses_other_numbers_as_data() {
        for text in ["-1", "1.5", "1e2", "-0", "18446744073709551616", "\"1\""] {
            let e = Reader::new(text.as_bytes()).unsigned().expect_err(text);
            assert!(!e.syntax, "{text}: {e}");
        }
        assert_eq!(Reader::new(b" 42").unsigned().ok(), Some(42));
    }

    #[test]
    fn strings_borrow_unless_escaped_and_check_escapes() {
        let mut reader = Reader::new(br#""plain""#);
        assert!(matches!(reader.string(), Ok(Cow::Borrowed("plain"))));
        let mut reader = Reader::new(br#""a\n\u00e9\ud83d\ude00\/""#);
        assert_eq!(reader.string().ok().as_deref(), Some("a\n\u{e9}\u{1f600}/"));
        for bad in [
            r#""\ud800""#,
            r#""\udc00""#,
            r#""\ud800\u0041""#,
            r#""\x""#,
            "\"\u{1}\"",
            "\"open",
        ] {
            assert!(value(bad).is_err_and(|e| e.syntax), "{bad}");
        }
        assert!(value("\"\\u0000\"").is_ok());
        let invalid_utf8 = Reader::new(b"\"\xff\"").string().expect_err("not UTF-8");
        assert!(invalid_utf8.syntax);
    }

    #[test]
    fn nesting_stops_at_the_depth_limit() {
        let nested = |depth: usize| alloc::format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(value(&nested(MAX_JSON_DEPTH)).is_ok());
        let e = value(&nested(MAX_JSON_DEPTH + 1)).expect_err("too deep");
        assert!(e.syntax && e.message.contains("recursion"), "{e}");
    }

    #[test]
    fn syntax_errors_point_at_the_offending_byte() {
        for (text, position) in [
            ("[1 true]", "line 1 column 4"),
            ("{\"a\": 1,}", "line 1 column 9"),
            ("{\n  \"a\" 1}", "line 2 column 7"),
            ("1 x", "line 1 column 3"),
            ("[1,", "line 1 column 3"),
        ] {
            let e = value(text).expect_err(text);
            assert_eq!(
                (e.syntax, e.position()),
                (true, position.to_string()),
                "{text}: {e}"
            );
        }
    }

    #[test]
    fn fields_refuse_unknown_duplicate_and_wrong_types() {
        let read = |text: &str| {
            let mut reader = Reader::new(text.as_bytes());
            let mut a = None;
            fields(&mut reader, &["a"], |r, _| {
                a = Some(r.boolean()?);
                Ok(())
            })?;
            need(&reader, a, "a")
        };
        assert_eq!(read(r#"{"a": true}"#).ok(), Some(true));
        for bad in [
            r#"{"a": true, "b": 1}"#,
            r#"{"a": true, "a": true}"#,
            r#"{"a": 1}"#,
            "{}",
            "[]",
        ] {
            let e = read(bad).expect_err(bad);
            assert!(!e.syntax, "{bad}: {e}");
        }
    }
}
