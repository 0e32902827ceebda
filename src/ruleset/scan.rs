//! A second pass over the raw JSON, run only when the typed decode failed, to say precisely
//! why: a duplicate key in *any* object (with its JSON Pointer; serde reports duplicate
//! fields without a path), or a top-level `schema` of another version (so such a document is
//! reported as unsupported rather than as a pile of unknown fields).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use hashbrown::HashSet;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::ruleset::compile::error;
use crate::ruleset::path::Path;

/// Objects up to this many keys are checked by a linear scan; bigger ones use a hash set.
const LINEAR_KEYS: usize = 16;

/// Walks the whole document. Syntax errors come back from serde_json as usual; a duplicate
/// key comes back as the [`Error`] with its JSON Pointer. Otherwise it returns the top-level
/// `schema` if that is a string.
pub(crate) fn scan(bytes: &[u8]) -> Result<Result<Option<String>, Error>, serde_json::Error> {
    let mut state = State {
        duplicate: None,
        schema: None,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let outcome = Walk {
        path: &Path::Root,
        state: &mut state,
    }
    .deserialize(&mut deserializer);
    let outcome = outcome.and_then(|()| deserializer.end());
    match (outcome, state.duplicate) {
        (_, Some(duplicate)) => Ok(Err(duplicate)),
        (Err(e), None) => Err(e),
        (Ok(()), None) => Ok(Ok(state.schema)),
    }
}

struct State {
    duplicate: Option<Error>,
    schema: Option<String>,
}

struct Walk<'a, 'p> {
    path: &'a Path<'p>,
    state: &'a mut State,
}

impl<'de> DeserializeSeed<'de> for Walk<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while seq
            .next_element_seed(Walk {
                path: &self.path.index(index),
                state: &mut *self.state,
            })?
            .is_some()
        {
            index += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut small: Vec<Cow<'de, str>> = Vec::new();
        let mut large: HashSet<Cow<'de, str>> = HashSet::new();
        while let Some(key) = map.next_key_seed(Key)? {
            let seen = if large.is_empty() && small.len() < LINEAR_KEYS {
                small.contains(&key)
            } else {
                large.extend(small.drain(..));
                large.contains(&key)
            };
            if seen {
                let path = self.path.key(&key);
                self.state.duplicate = Some(error(ErrorKind::DuplicateKey, &path, &key));
                return Err(de::Error::custom("duplicate key"));
            }
            if matches!(self.path, Path::Root) && key == "schema" {
                let schema = map.next_value::<Value>()?;
                self.state.schema = schema.as_str().map(String::from);
            } else {
                map.next_value_seed(Walk {
                    path: &self.path.key(&key),
                    state: &mut *self.state,
                })?;
            }
            if large.is_empty() && small.len() < LINEAR_KEYS {
                small.push(key);
            } else {
                large.insert(key);
            }
        }
        Ok(())
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(String::from(v)))
    }
}
