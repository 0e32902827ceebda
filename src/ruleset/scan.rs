//! A second pass over the raw JSON, run only when the typed read failed, to say precisely
//! why: a syntax error (reported before any type error met earlier: `[1 true]` is not JSON),
//! a duplicate key in *any* object (with its JSON Pointer), or a top-level `schema` of
//! another version (so such a document is reported as unsupported rather than as a pile of
//! unknown fields).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::eval::table::StrTable;

use crate::error::{Error, ErrorKind};
use crate::ruleset::compile::error;
use crate::ruleset::json::{JsonError, Reader};
use crate::ruleset::path::Path;

/// Objects up to this many keys are checked by a linear scan; bigger ones use a hash set.
const LINEAR_KEYS: usize = 16;

/// What the scan found first.
pub(crate) enum Found {
    /// Not well-formed JSON.
    Syntax(JsonError),
    /// A key twice in one object: the [`Error`] with its JSON Pointer.
    Duplicate(Error),
    /// Well-formed, no duplicates; the top-level `schema` if it is a string.
    Schema(Option<String>),
}

/// Walks the whole document.
pub(crate) fn scan(bytes: &[u8]) -> Found {
    let mut reader = Reader::new(bytes);
    let mut schema = None;
    match walk(&mut reader, &Path::Root, &mut schema).and_then(|()| reader.end().map_err(Found::Syntax)) {
        Ok(()) => Found::Schema(schema),
        Err(found) => found,
    }
}

fn walk(reader: &mut Reader<'_>, path: &Path<'_>, schema: &mut Option<String>) -> Result<(), Found> {
    match reader.peek() {
        Some(b'{') => {
            reader.begin_object().map_err(Found::Syntax)?;
            let mut small: Vec<Cow<'_, str>> = Vec::new();
            let mut large: StrTable<Cow<'_, str>> = StrTable::with_capacity(0);
            let mut first = true;
            while let Some(key) = reader.next_key(&mut first).map_err(Found::Syntax)? {
                let seen = if large.is_empty() && small.len() < LINEAR_KEYS {
                    small.contains(&key)
                } else {
                    for key in small.drain(..) {
                        large.insert(key, ());
                    }
                    large.contains(&key)
                };
                if seen {
                    return Err(Found::Duplicate(error(
                        ErrorKind::DuplicateKey,
                        &path.key(&key),
                        &key,
                    )));
                }
                if matches!(path, Path::Root) && key == "schema" && reader.peek() == Some(b'"') {
                    *schema = Some(reader.string().map_err(Found::Syntax)?.into_owned());
                } else {
                    walk(reader, &path.key(&key), schema)?;
                }
                if large.is_empty() && small.len() < LINEAR_KEYS {
                    small.push(key);
                } else {
                    large.insert(key, ());
                }
            }
            Ok(())
        }
        Some(b'[') => {
            reader.begin_array().map_err(Found::Syntax)?;
            let mut first = true;
            let mut index = 0;
            while reader.next_element(&mut first).map_err(Found::Syntax)? {
                walk(reader, &path.index(index), schema)?;
                index += 1;
            }
            Ok(())
        }
        _ => reader.skip().map_err(Found::Syntax),
    }
}
