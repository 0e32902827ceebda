//! The keyring: pinned Ed25519 public keys, several at once so keys rotate with overlap, and
//! how many distinct keys must sign.

use alloc::borrow::Cow;
use alloc::boxed::Box;

use alloc::string::String;
use alloc::vec::Vec;

use ed25519_dalek::VerifyingKey;

use crate::error::{Error, ErrorKind};
use crate::limits::{MAX_KEYS, MAX_KEY_BYTES};
use crate::ruleset::json::{entries, fields, need, optional, JsonError, Reader};
use crate::ruleset::path::Path;
use crate::snapshot::envelope::decode_base64;
use crate::text::{concat, decimal};

/// Trusted public keys by id, and the signature threshold (default 1).
#[derive(Clone, Debug, Default)]
pub struct Keyring {
    keys: Vec<(Box<str>, VerifyingKey)>,
    threshold: usize,
}

fn rejected(id: &str, detail: &str) -> Error {
    let root = Path::Root;
    let keys = root.key("keys");
    Error::new(
        ErrorKind::KeyRejected,
        keys.key(id).render(),
        String::from(detail),
    )
}

impl Keyring {
    /// An empty keyring with threshold 1.
    pub fn new() -> Self {
        Keyring {
            keys: Vec::new(),
            threshold: 1,
        }
    }

    /// Adds a key from its raw 32 bytes. Refuses malformed, non-canonical and small-order
    /// ("weak") keys, duplicate ids and duplicate keys.
    pub fn add(&mut self, id: &str, public_key: &[u8]) -> Result<(), Error> {
        let valid_id = !id.is_empty()
            && id.len() <= MAX_KEY_BYTES
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b':'));
        if !valid_id {
            return Err(rejected(id, "key ids are 1-128 bytes of A-Z a-z 0-9 . _ - :"));
        }
        if self.keys.len() >= MAX_KEYS {
            return Err(rejected(id, "too many keys"));
        }
        let bytes: &[u8; 32] = public_key
            .try_into()
            .map_err(|_| rejected(id, "a public key is 32 bytes"))?;
        let key = VerifyingKey::from_bytes(bytes).map_err(|_| rejected(id, "not a point on the curve"))?;
        // Decompression reduces y modulo p, so an encoding with y >= p decodes too; only the
        // re-encoded point shows it (`as_bytes` would return the input unchanged).
        if key.to_edwards().compress().as_bytes() != bytes {
            return Err(rejected(id, "non-canonical encoding"));
        }
        if key.is_weak() {
            return Err(rejected(id, "small-order (weak) key"));
        }
        if self
            .keys
            .iter()
            .any(|(existing, k)| **existing == *id || k == &key)
        {
            return Err(rejected(id, "duplicate key id or key"));
        }
        self.keys.push((Box::from(id), key));
        Ok(())
    }

    /// Adds a key given as base64 of its raw 32 bytes (the `ID.pub` file format); ASCII
    /// whitespace around it (a trailing newline) is ignored.
    pub fn add_base64(&mut self, id: &str, public_key: &str) -> Result<(), Error> {
        let bytes = decode_base64(public_key.trim_ascii()).ok_or_else(|| rejected(id, "not base64"))?;
        self.add(id, &bytes)
    }

    /// Requires `threshold` distinct keys to sign (1 ..= number of keys).
    pub fn set_threshold(&mut self, threshold: usize) -> Result<(), Error> {
        if threshold == 0 || threshold > self.keys.len() {
            return Err(Error::new(
                ErrorKind::KeyRejected,
                String::from("/threshold"),
                concat(&[
                    "threshold ",
                    &decimal(threshold as u64),
                    " with ",
                    &decimal(self.keys.len() as u64),
                    " keys",
                ]),
            ));
        }
        self.threshold = threshold;
        Ok(())
    }

    /// Builds a keyring from the JSON keyring file format:
    /// `{"keys": {"ID": "base64 public key", ...}, "threshold": 1}`.
    pub fn from_json(bytes: &[u8]) -> Result<Keyring, Error> {
        let (keys, threshold) = read_file(bytes).map_err(|e| {
            Error::new(
                ErrorKind::KeyRejected,
                String::new(),
                concat(&["keyring: ", &e.describe()]),
            )
        })?;
        let mut keyring = Keyring::new();
        for (id, key) in &keys {
            keyring.add_base64(id, key)?;
        }
        keyring.set_threshold(threshold.unwrap_or(1))?;
        Ok(keyring)
    }

    /// The number of distinct keys that must sign.
    pub fn threshold(&self) -> usize {
        self.threshold
    }

    /// The key ids, in the order they were added.
    pub fn ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.keys.iter().map(|(id, _)| &**id)
    }

    /// Keys to try for a signature: the one its `keyid` names first (a hint only), then the
    /// others, each with its index.
    pub(crate) fn candidates<'k>(
        &'k self,
        hint: Option<&'k str>,
    ) -> impl Iterator<Item = (usize, &'k str, &'k VerifyingKey)> + 'k {
        let hinted = self.keys.iter().position(|(id, _)| Some(&**id) == hint);
        let first = hinted.and_then(|i| self.keys.get(i).map(|(id, key)| (i, &**id, key)));
        let rest = self
            .keys
            .iter()
            .enumerate()
            .filter(move |(i, _)| Some(*i) != hinted)
            .map(|(i, (id, key))| (i, &**id, key));
        first.into_iter().chain(rest)
    }
}

/// Key id → base64 public key, in document order.
type KeyEntries<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

/// The keyring file's fields: its keys and the threshold.
fn read_file(bytes: &[u8]) -> Result<(KeyEntries<'_>, Option<usize>), JsonError> {
    let mut reader = Reader::new(bytes);
    let (mut keys, mut threshold) = (None, None);
    fields(&mut reader, &["keys", "threshold"], |r, i| {
        match i {
            0 => keys = Some(entries(r, Reader::string)?),
            _ => {
                threshold = match optional(r, Reader::unsigned)? {
                    Some(n) => Some(usize::try_from(n).map_err(|_| r.data("threshold out of range"))?),
                    None => None,
                }
            }
        }
        Ok(())
    })?;
    let keys = need(&reader, keys, "keys")?;
    reader.end()?;
    Ok((keys, threshold))
}
