//! A second pass over the raw JSON, run only when the typed read failed, to say precisely
//! why: a syntax error (reported before any type error met earlier: `[1 true]` is not JSON),
//! a duplicate key in *any* object (with its JSON Pointer), or a top-level `schema` of
//! another version (so such a document is reported as unsupported rather than as a pile of
//! unknown fields).

use alloc::borrow::Cow;

use crate::error::{Error, ErrorKind};
use crate::ruleset::compile::{decode_error, error, unsupported_schema};
use crate::ruleset::json::{Duplicates, JsonError, Kind, Reader};
use crate::ruleset::path::Path;
use crate::ruleset::SCHEMA;

/// The load error of a document whose typed read failed with `typed`: the first syntax error
/// or duplicate key, else a top-level `schema` of another version, else `typed`.
pub(crate) fn scan(bytes: &[u8], typed: JsonError) -> Error {
    let mut reader = Reader::new(bytes);
    let mut found = Found::default();
    let walked = reader
        .walk(Duplicates::Refuse, Some(&mut found), &Path::Root)
        .and_then(|_| reader.end());
    // The walk stopped there, with an error of its own; the scan has the pointer.
    if let Some(duplicate) = found.duplicate {
        return duplicate;
    }
    match (walked, found.schema) {
        // Not well-formed JSON: the syntax error, not a type error the typed read met before
        // it (`[1 true]` is INVALID_JSON, not INVALID_FORMAT).
        (Err(syntax), _) => decode_error(syntax),
        (Ok(()), Some(schema)) if schema != SCHEMA => unsupported_schema(&schema),
        (Ok(()), _) => decode_error(typed),
    }
}

/// What the walk tells the scan.
#[derive(Default)]
pub(crate) struct Found<'a> {
    /// A key twice in one object: the [`Error`] with its JSON Pointer.
    duplicate: Option<Error>,
    /// The top-level `schema`, if it is a string.
    schema: Option<Cow<'a, str>>,
}

impl<'a> Found<'a> {
    /// A member of the object at `at` was walked: keeps the top-level `schema` string.
    pub(crate) fn member(&mut self, at: &Path<'_>, key: &str, value: Kind<'a>) {
        if let (Path::Root, "schema", Kind::String(schema)) = (at, key, value) {
            self.schema = Some(schema);
        }
    }

    /// `key` is a duplicate, at `at`.
    pub(crate) fn duplicate(&mut self, at: &Path<'_>, key: &str) {
        self.duplicate = Some(error(ErrorKind::DuplicateKey, at, key));
    }
}

#[cfg(test)]
mod tests {
    use alloc::format;
    use alloc::string::{String, ToString};

    use crate::limits::MAX_JSON_DEPTH;
    use crate::ruleset::compile::decode;

    /// The code, pointer (or position) and detail of the load error for `text`.
    fn refused(text: &str) -> (&'static str, String, String) {
        match decode(text.as_bytes()) {
            Ok(_) => ("OK", String::new(), String::new()),
            Err(e) => (e.code(), e.path().to_string(), e.detail().to_string()),
        }
    }

    fn expect(text: &str, code: &str, path: &str, detail: &str) {
        let (c, p, d) = refused(text);
        assert_eq!((c, &*p, &*d), (code, path, detail), "{text}");
    }

    /// A valid document whose flag `f` has the variant `on` with the raw JSON `value`.
    fn with_value(value: &str) -> String {
        format!(
            r#"{{"schema": "darklaunch/v1", "flags": {{"f": {{"variants": {{"on": {value}, "off": 0}}, "off": "off", "default": "on"}}}}}}"#
        )
    }

    fn nested(depth: usize, inner: &str) -> String {
        format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn a_syntax_error_after_a_type_error_is_invalid_json() {
        expect(
            r#"{"flags": 1, "schema": "darklaunch/v1", "x": [1 2]}"#,
            "INVALID_JSON",
            "line 1 column 49",
            "expected `,` or `]` at line 1 column 49",
        );
        // Without one, the type error stands.
        expect(
            r#"{"flags": 1, "schema": "darklaunch/v1", "x": [1, 2]}"#,
            "INVALID_FORMAT",
            "line 1 column 11",
            "invalid type: a number, expected an object at line 1 column 11",
        );
    }

    #[test]
    fn a_duplicate_key_anywhere_is_reported_with_its_pointer() {
        expect(
            r#"{"flags": 1, "x": [0, {"y": [{}, {"k~/": [], "b": 2, "k~/": 3}]}]}"#,
            "DUPLICATE_KEY",
            "/x/1/y/1/k~0~1",
            "k~/",
        );
        // Keys compare as decoded.
        expect(r#"{"flags": 1, "\u0061": 1, "a": 2}"#, "DUPLICATE_KEY", "/a", "a");
        // Seventeen distinct keys and then a repeat (the scan once switched from a list to a
        // hash set after 16 keys).
        let many: String = (0..17).map(|i| format!(r#""k{i}": {i}, "#)).collect();
        expect(
            &format!(r#"{{"flags": 1, {many}"k3": 0}}"#),
            "DUPLICATE_KEY",
            "/k3",
            "k3",
        );
        // The same key in sibling or nested objects is no duplicate.
        expect(
            r#"{"flags": 1, "a": {"a": {"a": 1}}, "b": {"a": 2}}"#,
            "INVALID_FORMAT",
            "line 1 column 11",
            "invalid type: a number, expected an object at line 1 column 11",
        );
    }

    #[test]
    fn the_first_problem_in_document_order_wins() {
        // A duplicate before a syntax error, and a syntax error before a duplicate.
        expect(r#"{"a": 1, "a": 2, "b": [1 2]}"#, "DUPLICATE_KEY", "/a", "a");
        expect(
            r#"{"b": [1 2], "a": 1, "a": 2}"#,
            "INVALID_JSON",
            "line 1 column 10",
            "expected `,` or `]` at line 1 column 10",
        );
        // The duplicate is seen at its key, before a malformed value.
        expect(r#"{"a": 1, "a": [1 2]}"#, "DUPLICATE_KEY", "/a", "a");
        // An unterminated document with a duplicate: the duplicate.
        expect(r#"{"a": 1, "a": 2"#, "DUPLICATE_KEY", "/a", "a");
    }

    #[test]
    fn duplicates_inside_variant_values_have_their_pointer() {
        expect(
            &with_value(r#"{"x": 1, "x": 2}"#),
            "DUPLICATE_KEY",
            "/flags/f/variants/on/x",
            "x",
        );
        expect(
            &with_value(r#"[{}, {"y": {"x": 1, "x": [1 2]}}]"#),
            "DUPLICATE_KEY",
            "/flags/f/variants/on/1/y/x",
            "x",
        );
        expect(
            &with_value(r#"{"x": [1 2], "x": 2}"#),
            "INVALID_JSON",
            "line 1 column 73",
            "expected `,` or `]` at line 1 column 73",
        );
    }

    #[test]
    fn a_top_level_schema_of_another_version_is_unsupported() {
        expect(
            r#"{"toggles": {}, "schema": "darklaunch/v2"}"#,
            "UNSUPPORTED_SCHEMA",
            "/schema",
            "darklaunch/v2",
        );
        expect(
            r#"{"sch\u0065ma": "darklaunch\/v2", "toggles": 1}"#,
            "UNSUPPORTED_SCHEMA",
            "/schema",
            "darklaunch/v2",
        );
        // Only a string at the top level counts; a syntax error or a duplicate comes first.
        expect(
            r#"{"schema": 2, "toggles": {}}"#,
            "INVALID_FORMAT",
            "line 1 column 12",
            "invalid type: a number, expected a string at line 1 column 12",
        );
        expect(
            r#"{"toggles": {"schema": "darklaunch/v2"}}"#,
            "INVALID_FORMAT",
            "line 1 column 11",
            "unknown field `toggles` at line 1 column 11",
        );
        expect(
            r#"[{"schema": "darklaunch/v2"}]"#,
            "INVALID_FORMAT",
            "line 1 column 0",
            "invalid type: an array, expected an object at line 1 column 0",
        );
        expect(
            r#"{"schema": "darklaunch/v2", "toggles": [1 2]}"#,
            "INVALID_JSON",
            "line 1 column 43",
            "expected `,` or `]` at line 1 column 43",
        );
        expect(
            r#"{"schema": "darklaunch/v2", "t": 1, "t": 2}"#,
            "DUPLICATE_KEY",
            "/t",
            "t",
        );
        expect(
            r#"{"schema": "darklaunch/v2", "schema": "darklaunch/v1"}"#,
            "DUPLICATE_KEY",
            "/schema",
            "schema",
        );
    }

    #[test]
    fn the_depth_limit_holds_after_a_type_error() {
        let deep = |depth| format!(r#"{{"flags": 1, "x": {}, "a": 1, "a": 2}}"#, nested(depth, "1"));
        // The document is level 1: MAX_JSON_DEPTH - 1 arrays reach the limit.
        expect(&deep(MAX_JSON_DEPTH - 1), "DUPLICATE_KEY", "/a", "a");
        let (code, path, detail) = refused(&deep(MAX_JSON_DEPTH));
        assert_eq!((code, &*path), ("INVALID_JSON", "line 1 column 145"));
        assert_eq!(detail, "recursion limit exceeded at line 1 column 145");
        let objects = |depth| {
            format!(
                r#"{{"flags": 1, "x": {}1{}}}"#,
                r#"{"o": "#.repeat(depth),
                "}".repeat(depth)
            )
        };
        let (code, _, detail) = refused(&objects(MAX_JSON_DEPTH));
        assert_eq!(code, "INVALID_JSON");
        assert!(detail.starts_with("recursion limit exceeded"), "{detail}");
    }
}
