//! The compiler: wire model → [`Ruleset`]. Validates every reference, type and limit,
//! interns attribute names, precomputes thresholds and salted hash states, and indexes flags.
//!
//! A signed snapshot is all or nothing: one bad flag rejects the whole ruleset, because
//! serving a partial ruleset would silently change behaviour the publisher signed off on.

mod condition;
mod rollout;

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use self::condition::{Budget, Scope};
use crate::error::{Error, ErrorKind};
use crate::eval::context::TARGETING_KEY;
use crate::eval::table::StrTable;
use crate::eval::words::Keyed;
use crate::limits::*;
use crate::ruleset::json::{JsonError, Kind, Literal};
use crate::ruleset::path::Path;
use crate::ruleset::scan::scan;
use crate::ruleset::{
    model, AttributeRef, Flag, FlagId, FlagValue, JsonText, Metadata, Rule, Ruleset, Segment, Serve,
    ValueType, Variant, VariantId, SCHEMA,
};
use crate::text::{concat, decimal};
use crate::time::{parse_date, parse_rfc3339_ms};

pub(crate) fn error(kind: ErrorKind, path: &Path<'_>, detail: &str) -> Error {
    Error::new(kind, path.render(), String::from(detail))
}

impl Ruleset {
    /// Decodes and compiles a `darklaunch/v1` JSON document (see `docs/ruleset.md`).
    ///
    /// Errors carry a stable code and the JSON Pointer of the offending value. The input is
    /// untrusted: every size and count is capped (see [`limits`](crate::limits)).
    ///
    /// Hosts that serve traffic load *signed* snapshots instead (see [`crate::snapshot`]);
    /// this entry point is for tools, tests and rulesets that never leave the process.
    pub fn from_json(bytes: &[u8]) -> Result<Ruleset, Error> {
        compile(&decode(bytes)?)
    }
}

/// Loading, step 1: the size cap and the typed decode, then the schema. The document is read
/// once; only when that fails does a second pass (the scan) look for a more precise error:
/// a duplicate key with its JSON Pointer, or a document of another schema version.
pub(crate) fn decode(bytes: &[u8]) -> Result<model::Document<'_>, Error> {
    if bytes.len() > MAX_RULESET_BYTES {
        return Err(error(
            ErrorKind::TooLarge,
            &Path::Root,
            &concat(&[&decimal(bytes.len() as u64), " bytes"]),
        ));
    }
    let document = match model::Document::read(bytes) {
        Ok(document) => document,
        Err(e) => return Err(scan(bytes, e)),
    };
    if *document.schema != *SCHEMA {
        return Err(unsupported_schema(&document.schema));
    }
    Ok(document)
}

/// Loading, step 2: the compile.
pub(crate) fn compile(document: &model::Document) -> Result<Ruleset, Error> {
    Compiler::default().document(document)
}

pub(crate) fn unsupported_schema(schema: &str) -> Error {
    error(ErrorKind::UnsupportedSchema, &Path::Root.key("schema"), schema)
}

pub(crate) fn decode_error(e: JsonError) -> Error {
    let kind = if e.syntax {
        ErrorKind::InvalidJson
    } else {
        ErrorKind::InvalidFormat
    };
    Error::new(kind, e.position(), e.describe())
}

#[derive(Default)]
struct Compiler {
    segment_ids: StrTable<Box<str>, u32>,
    flag_ids: StrTable<Box<str>, u32>,
    attribute_ids: StrTable<Box<str>, u32>,
    attributes: Vec<Keyed>,
}

/// Keys: 1–128 bytes of `A–Z a–z 0–9 . _ - :`.
fn check_key(key: &str, path: &Path<'_>) -> Result<(), Error> {
    let valid_byte = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b':');
    if key.is_empty() || key.len() > MAX_KEY_BYTES || !key.bytes().all(valid_byte) {
        return Err(error(ErrorKind::InvalidKey, path, key));
    }
    Ok(())
}

/// Checks the keys, their uniqueness and the count of a list of entries.
fn check_entries<V>(entries: &model::Entries<V>, max: usize, path: &Path<'_>) -> Result<(), Error> {
    if entries.0.len() > max {
        return Err(error(
            ErrorKind::LimitExceeded,
            path,
            &concat(&["more than ", &decimal(max as u64), " entries"]),
        ));
    }
    let mut seen = StrTable::with_capacity(entries.0.len());
    for (key, _) in &entries.0 {
        check_key(key, &path.key(key))?;
        if !seen.insert(&**key, ()) {
            return Err(error(ErrorKind::DuplicateKey, &path.key(key), key));
        }
    }
    Ok(())
}

impl Compiler {
    fn document(mut self, document: &model::Document) -> Result<Ruleset, Error> {
        let root = Path::Root;
        for (field, time) in [("issued_at", &document.issued_at), ("expires", &document.expires)] {
            if let Some(time) = time.as_deref().filter(|t| parse_rfc3339_ms(t).is_none()) {
                return Err(error(ErrorKind::InvalidTime, &root.key(field), time));
            }
        }
        if let Some(environment) = &document.environment {
            check_key(environment, &root.key("environment"))?;
        }
        let segments_path = root.key("segments");
        check_entries(&document.segments, MAX_SEGMENTS, &segments_path)?;
        let flags_path = root.key("flags");
        check_entries(&document.flags, MAX_FLAGS, &flags_path)?;

        for (i, (name, _)) in document.segments.0.iter().enumerate() {
            self.segment_ids.insert(Box::from(&**name), index_u32(i));
        }
        for (i, (key, _)) in document.flags.0.iter().enumerate() {
            self.flag_ids.insert(Box::from(&**key), index_u32(i));
        }

        let mut segments = Vec::with_capacity(document.segments.0.len());
        for (name, segment) in &document.segments.0 {
            segments.push(self.segment(segment, &segments_path.key(name))?);
        }
        let mut flags = Vec::with_capacity(document.flags.0.len());
        for (key, flag) in &document.flags.0 {
            flags.push(self.flag(key, flag, document, &flags_path.key(key))?);
        }
        check_prerequisite_graph(&flags, document, &flags_path)?;

        let mut index = StrTable::with_capacity(flags.len());
        for (i, flag) in flags.iter().enumerate() {
            index.insert(flag.key.clone(), index_u32(i));
        }
        Ok(Ruleset {
            flags,
            index,
            segments,
            attributes: self.attributes,
        })
    }

    /// Interns an attribute name.
    fn attribute(&mut self, name: &str, path: &Path<'_>) -> Result<AttributeRef, Error> {
        if name.is_empty() || name.len() > MAX_ATTRIBUTE_NAME_BYTES {
            return Err(error(
                ErrorKind::InvalidKey,
                path,
                "attribute names are 1-256 bytes",
            ));
        }
        if name == TARGETING_KEY {
            return Ok(AttributeRef::TargetingKey);
        }
        if let Some(id) = self.attribute_ids.get(name) {
            return Ok(AttributeRef::Named(id));
        }
        let id = index_u32(self.attributes.len());
        self.attributes.push(Keyed::new(name));
        self.attribute_ids.insert(Box::from(name), id);
        Ok(AttributeRef::Named(id))
    }

    fn segment(&mut self, segment: &model::Segment, path: &Path<'_>) -> Result<Segment, Error> {
        let by = match &segment.by {
            Some(by) => self.attribute(by, &path.key("by"))?,
            None => AttributeRef::TargetingKey,
        };
        let include = key_set(&segment.include, &path.key("include"))?;
        let exclude = key_set(&segment.exclude, &path.key("exclude"))?;
        let condition = match &segment.condition {
            Some(c) => Some(self.condition(c, &path.key("if"), Scope::Segment, 1, &mut Budget::new())?),
            None => None,
        };
        Ok(Segment {
            by,
            include,
            exclude,
            condition,
        })
    }

    fn flag(
        &mut self,
        key: &str,
        flag: &model::Flag,
        document: &model::Document,
        path: &Path<'_>,
    ) -> Result<Flag, Error> {
        let (variants, value_type) = variants(&flag.variants, &path.key("variants"))?;
        let off = variant_id(&flag.variants, &flag.off, &path.key("off"))?;
        let metadata = metadata(&flag.metadata, &path.key("metadata"))?;

        let prerequisites_path = path.key("prerequisites");
        if flag.prerequisites.len() > MAX_PREREQUISITES {
            return Err(error(
                ErrorKind::LimitExceeded,
                &prerequisites_path,
                "too many prerequisites",
            ));
        }
        let mut prerequisites = Vec::with_capacity(flag.prerequisites.len());
        for (i, prerequisite) in flag.prerequisites.iter().enumerate() {
            let entry = prerequisites_path.index(i);
            let Some(id) = self.flag_ids.get(&prerequisite.flag).map(FlagId) else {
                return Err(error(
                    ErrorKind::UnknownFlag,
                    &entry.key("flag"),
                    &prerequisite.flag,
                ));
            };
            let (_, other) = document
                .flags
                .0
                .get(id.index())
                .ok_or_else(|| error(ErrorKind::UnknownFlag, &entry.key("flag"), &prerequisite.flag))?;
            let variant = variant_id(&other.variants, &prerequisite.variant, &entry.key("variant"))?;
            prerequisites.push((id, variant));
        }

        let rules_path = path.key("rules");
        if flag.rules.len() > MAX_RULES {
            return Err(error(ErrorKind::LimitExceeded, &rules_path, "too many rules"));
        }
        let mut rules = Vec::with_capacity(flag.rules.len());
        let mut rule_ids = StrTable::with_capacity(flag.rules.len());
        let mut budget = Budget::new();
        for (i, rule) in flag.rules.iter().enumerate() {
            let rule_path = rules_path.index(i);
            if let Some(id) = &rule.id {
                check_key(id, &rule_path.key("id"))?;
                if !rule_ids.insert(&**id, ()) {
                    return Err(error(ErrorKind::DuplicateKey, &rule_path.key("id"), id));
                }
            }
            let condition =
                self.condition(&rule.condition, &rule_path.key("if"), Scope::Flag, 1, &mut budget)?;
            let serve = self.serve(key, flag, &rule.serve, &rule_path.key("serve"))?;
            rules.push(Rule {
                id: rule.id.as_deref().map(Box::from),
                condition,
                serve,
            });
        }
        let default = self.serve(key, flag, &flag.default, &path.key("default"))?;
        let is_static = rules.is_empty() && prerequisites.is_empty() && matches!(default, Serve::Variant(_));
        Ok(Flag {
            key: Box::from(key),
            variants,
            value_type,
            off,
            enabled: flag.enabled,
            prerequisites,
            rules,
            default,
            metadata,
            is_static,
        })
    }

    fn serve(
        &mut self,
        key: &str,
        flag: &model::Flag,
        serve: &model::Serve,
        path: &Path<'_>,
    ) -> Result<Serve, Error> {
        match serve {
            model::Serve::Variant(name) => variant_id(&flag.variants, name, path).map(Serve::Variant),
            model::Serve::Rollout(rollout) => {
                let rollout = self.rollout(key, flag, rollout, &path.key("rollout"))?;
                Ok(Serve::Rollout(Box::new(rollout)))
            }
        }
    }
}

/// Flag ids and attribute ids are `u32`; the limits keep every index far below that.
fn index_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn variant_id<V>(variants: &model::Entries<V>, name: &str, path: &Path<'_>) -> Result<VariantId, Error> {
    variants
        .0
        .iter()
        .position(|(n, _)| **n == *name)
        .and_then(|i| u16::try_from(i).ok())
        .map(VariantId)
        .ok_or_else(|| error(ErrorKind::UnknownVariant, path, name))
}

fn variants(entries: &model::Entries<Literal>, path: &Path<'_>) -> Result<(Vec<Variant>, ValueType), Error> {
    check_entries(entries, MAX_VARIANTS, path)?;
    let mut value_type = None;
    let mut variants = Vec::with_capacity(entries.0.len());
    for (name, literal) in &entries.0 {
        let value = match &literal.kind {
            Kind::Bool(b) => FlagValue::Bool(*b),
            Kind::Number(n) => FlagValue::Number(*n),
            Kind::String(s) => FlagValue::String(Box::from(&**s)),
            Kind::Object | Kind::Array => FlagValue::Object(JsonText::new(literal.text)),
            Kind::Null => {
                return Err(error(
                    ErrorKind::VariantTypeMismatch,
                    &path.key(name),
                    "null is not a value",
                ))
            }
        };
        if *value_type.get_or_insert(value.value_type()) != value.value_type() {
            return Err(error(
                ErrorKind::VariantTypeMismatch,
                &path.key(name),
                value.value_type().as_str(),
            ));
        }
        variants.push(Variant {
            name: Box::from(&**name),
            value,
            #[cfg(feature = "wasm")]
            json: Box::from(literal.text),
        });
    }
    let value_type =
        value_type.ok_or_else(|| error(ErrorKind::InvalidFormat, path, "a flag needs variants"))?;
    Ok((variants, value_type))
}

fn metadata(metadata: &model::Metadata, path: &Path<'_>) -> Result<Metadata, Error> {
    let text = |s: &str, field: &str| -> Result<Box<str>, Error> {
        if s.len() > MAX_STRING_BYTES {
            return Err(error(ErrorKind::LimitExceeded, &path.key(field), "text too long"));
        }
        Ok(Box::from(s))
    };
    if metadata.tags.len() > MAX_VARIANTS {
        return Err(error(
            ErrorKind::LimitExceeded,
            &path.key("tags"),
            "too many tags",
        ));
    }
    if let Some(date) = &metadata.remove_by {
        let at = path.key("remove_by");
        if parse_date(date).is_none() {
            return Err(error(ErrorKind::InvalidTime, &at, date));
        }
        if !metadata.temporary {
            return Err(error(
                ErrorKind::InvalidTime,
                &at,
                "remove_by needs \"temporary\": true",
            ));
        }
    }
    Ok(Metadata {
        owner: metadata.owner.as_deref().map(|s| text(s, "owner")).transpose()?,
        description: metadata
            .description
            .as_deref()
            .map(|s| text(s, "description"))
            .transpose()?,
        tags: metadata
            .tags
            .iter()
            .map(|s| text(s, "tags"))
            .collect::<Result<_, _>>()?,
        temporary: metadata.temporary,
        remove_by: metadata.remove_by.as_deref().map(Box::from),
    })
}

fn key_set(keys: &[model::Text<'_>], path: &Path<'_>) -> Result<StrTable<Box<str>>, Error> {
    if keys.len() > MAX_SEGMENT_KEYS {
        return Err(error(ErrorKind::LimitExceeded, path, "too many keys"));
    }
    let mut set = StrTable::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        if key.len() > MAX_STRING_BYTES {
            return Err(error(ErrorKind::LimitExceeded, &path.index(i), "key too long"));
        }
        set.insert(Box::from(&**key), ());
    }
    Ok(set)
}

/// Rejects prerequisite cycles and chains deeper than `MAX_PREREQUISITE_DEPTH`, so that
/// evaluation can follow prerequisites without a visited set. Iterative: a hostile chain of
/// 10,000 flags must not overflow the stack here.
fn check_prerequisite_graph(
    flags: &[Flag],
    document: &model::Document,
    flags_path: &Path<'_>,
) -> Result<(), Error> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done(usize),
    }
    let mut state = alloc::vec![State::New; flags.len()];
    let prerequisites = |f: usize| flags.get(f).map_or(&[][..], |flag| &flag.prerequisites[..]);
    for start in 0..flags.len() {
        if state.get(start) != Some(&State::New) {
            continue;
        }
        // (flag, index of the next prerequisite to visit)
        let mut stack: Vec<(usize, usize)> = alloc::vec![(start, 0)];
        if let Some(s) = state.get_mut(start) {
            *s = State::Open;
        }
        while let Some(&mut (flag, ref mut next)) = stack.last_mut() {
            if let Some(&(FlagId(target), _)) = prerequisites(flag).get(*next) {
                let entry = *next;
                *next += 1;
                let target = target as usize;
                match state.get(target).copied() {
                    Some(State::New) => {
                        if let Some(s) = state.get_mut(target) {
                            *s = State::Open;
                        }
                        stack.push((target, 0));
                    }
                    Some(State::Open) => {
                        let key = document.flags.0.get(flag).map_or("", |(k, _)| &**k);
                        let path = flags_path.key(key);
                        let path = path.key("prerequisites");
                        return Err(error(ErrorKind::PrerequisiteCycle, &path.index(entry), key));
                    }
                    _ => {}
                }
            } else {
                stack.pop();
                let depth = prerequisites(flag)
                    .iter()
                    .map(|(FlagId(t), _)| match state.get(*t as usize) {
                        Some(State::Done(d)) => d + 1,
                        _ => 1,
                    })
                    .max()
                    .unwrap_or(0);
                if depth > MAX_PREREQUISITE_DEPTH {
                    let key = document.flags.0.get(flag).map_or("", |(k, _)| &**k);
                    let path = flags_path.key(key);
                    return Err(error(
                        ErrorKind::LimitExceeded,
                        &path.key("prerequisites"),
                        "prerequisite chain too deep",
                    ));
                }
                if let Some(s) = state.get_mut(flag) {
                    *s = State::Done(depth);
                }
            }
        }
    }
    Ok(())
}
