//! Values read as written: the verbatim JSON text of a value and, for scalars, what it holds;
//! and the walker under them, which also skips values and serves the scan.
//!
//! Variant values and clause literals need no value tree: the compiler reads scalars, and
//! an object or array variant is handed on as the text that was signed (the JS side parses
//! it with `JSON.parse`, native callers with serde_json). So no map type, no value tree and
//! no number formatting reach the wasm module for them.

use alloc::borrow::Cow;

use super::{Duplicates, JsonError, Reader};
use crate::eval::table::StrTable;
use crate::ruleset::path::Path;
use crate::ruleset::scan::Found;
use crate::text::concat;

/// A JSON value as written in the document.
#[derive(Debug)]
pub(crate) struct Literal<'a> {
    /// The value's text, verbatim (an object keeps its whitespace and member order).
    pub text: &'a str,
    pub kind: Kind<'a>,
}

/// What a [`Literal`] holds: scalars are read, objects and arrays only checked.
#[derive(Debug, PartialEq)]
pub(crate) enum Kind<'a> {
    Null,
    Bool(bool),
    Number(f64),
    String(Cow<'a, str>),
    Array,
    Object,
}

impl Literal<'_> {
    /// The number, if the value is one.
    pub fn number(&self) -> Option<f64> {
        match self.kind {
            Kind::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The string, if the value is one.
    pub fn string(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }
}

impl<'a> Reader<'a> {
    /// Any value: well-formed, within the depth limit, and with `duplicates` applied to the
    /// keys of every object inside it.
    pub fn literal(&mut self, duplicates: Duplicates) -> Result<Literal<'a>, JsonError> {
        self.peek();
        let start = self.pos;
        let kind = self.walk(duplicates, None, &Path::Root)?;
        let bytes: &'a [u8] = self.bytes;
        let raw = bytes.get(start..self.pos).unwrap_or_default();
        // Strings were checked as UTF-8 while read; every other byte of a value is ASCII.
        let text = core::str::from_utf8(raw).unwrap_or_default();
        Ok(Literal { text, kind })
    }

    /// Walks any value: well-formed, within the depth limit, and with `duplicates` applied to
    /// the keys of every object inside it. The reader's one walker, for literals, skipped
    /// values and the scan: that passes itself as `scan` (only once loading has failed, see
    /// [`crate::ruleset::scan`]) and is told of every member and duplicate key with its JSON
    /// Pointer (`at` is the value's).
    pub(crate) fn walk(
        &mut self,
        duplicates: Duplicates,
        mut scan: Option<&mut Found<'a>>,
        at: &Path<'_>,
    ) -> Result<Kind<'a>, JsonError> {
        match self.peek() {
            Some(b'{') => {
                self.enter()?;
                let mut keys: StrTable<Cow<'a, str>> = StrTable::with_capacity(0);
                let mut first = true;
                while let Some(key) = self.next_key(&mut first)? {
                    let member = at.key(&key);
                    let repeated = duplicates == Duplicates::Refuse && !keys.insert(key.clone(), ());
                    // The scan is told of a duplicate at its key, before anything wrong inside
                    // its value; a literal reports it after the value, where serde_json does.
                    if !(repeated && scan.is_some()) {
                        let kind = self.walk(duplicates, scan.as_deref_mut(), &member)?;
                        if let Some(found) = scan.as_deref_mut() {
                            found.member(at, &key, kind);
                        }
                    }
                    if repeated {
                        if let Some(found) = scan {
                            found.duplicate(&member, &key);
                        }
                        return Err(self.data(concat(&["duplicate key `", &key, "`"])));
                    }
                }
                Ok(Kind::Object)
            }
            Some(b'[') => {
                self.enter()?;
                let mut first = true;
                let mut index = 0;
                while self.next_element(&mut first)? {
                    self.walk(duplicates, scan.as_deref_mut(), &at.index(index))?;
                    index += 1;
                }
                Ok(Kind::Array)
            }
            Some(b'"') => self.string_token().map(Kind::String),
            Some(b't' | b'f') => self.boolean().map(Kind::Bool),
            Some(b'n') => self.keyword(b"null").map(|()| Kind::Null),
            Some(b'-' | b'0'..=b'9') => Ok(Kind::Number(self.number()?.as_f64().unwrap_or(f64::NAN))),
            Some(_) => Err(self.syntax("expected value")),
            None => Err(self.eof("EOF while parsing a value")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, duplicates: Duplicates) -> Result<Literal<'_>, JsonError> {
        let mut reader = Reader::new(text.as_bytes());
        let literal = reader.literal(duplicates)?;
        reader.end()?;
        Ok(literal)
    }

    #[test]
    fn scalars_are_read_and_containers_kept_verbatim() {
        let kind = |text| read(text, Duplicates::Refuse).map(|l| l.kind).ok();
        assert_eq!(kind(" true"), Some(Kind::Bool(true)));
        assert_eq!(kind("null"), Some(Kind::Null));
        assert_eq!(kind("2.5e1"), Some(Kind::Number(25.0)));
        assert_eq!(kind(r#""a\u0041""#), Some(Kind::String(Cow::Owned("aA".into()))));
        let object = r#"{"b": [1, {"c": "é"}],  "a": null}"#;
        let padded = alloc::format!(" \n{object} ");
        let literal = read(&padded, Duplicates::Refuse).expect("object");
        assert_eq!((literal.text, literal.kind), (object, Kind::Object));
        assert_eq!(
            read("[1, 2]", Duplicates::Refuse).map(|l| l.text).ok(),
            Some("[1, 2]")
        );
        assert_eq!(
            read(r#""x\"y""#, Duplicates::Refuse).map(|l| l.text).ok(),
            Some(r#""x\"y""#)
        );
    }

    #[test]
    fn duplicate_keys_are_refused_at_any_depth_or_allowed() {
        for text in [
            r#"{"a": 1, "a": 2}"#,
            r#"[{"a": {"b": 1, "b": 2}}]"#,
            r#"{"\u0061": 1, "a": 2}"#,
        ] {
            let e = read(text, Duplicates::Refuse).expect_err(text);
            let named = e.message.contains("duplicate key `a`") || e.message.contains("duplicate key `b`");
            assert!(!e.syntax && named, "{e}");
            assert!(read(text, Duplicates::KeepLast).is_ok(), "{text}");
        }
        assert!(read(r#"{"a": {"a": 1}, "b": {"a": 2}}"#, Duplicates::Refuse).is_ok());
    }

    #[test]
    fn a_duplicate_key_is_reported_after_its_value() {
        let e = read(r#"{"a": 1, "a": [1, 2] }"#, Duplicates::Refuse).expect_err("duplicate");
        assert_eq!(
            (e.syntax, &*e.message, &*e.position()),
            (false, "duplicate key `a`", "line 1 column 20")
        );
        // So a malformed value is reported first.
        let e = read(r#"{"a": 1, "a": [1 2]}"#, Duplicates::Refuse).expect_err("malformed");
        assert_eq!((e.syntax, &*e.position()), (true, "line 1 column 18"), "{e}");
    }

    #[test]
    fn malformed_values_are_syntax_errors() {
        for text in ["{", "[1,]", r#"{"a" 1}"#, "tru", "nul", "-", "[1 2]", "{1: 2}"] {
            let e = read(text, Duplicates::KeepLast).expect_err(text);
            assert!(e.syntax, "{text}: {e}");
        }
    }
}
