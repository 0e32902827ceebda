//! The wire model: plain types mirroring the JSON of `docs/ruleset.md`, untrusted and
//! unvalidated, read by hand with [`json::Reader`](super::json::Reader). Unknown and
//! duplicate fields and values of the wrong JSON type are rejected here; everything else
//! (references, types of literals, limits) is checked by [`compile`](super::compile).

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::vec::Vec;

use super::json::{array, entries, fields, need, optional, Duplicates, JsonError, Literal, Reader};

/// A JSON object kept as its entries in document order, duplicates included, so that the
/// compiler can reject duplicates with a precise path and keep the flags' order.
#[derive(Debug)]
pub struct Entries<'a, V>(pub Vec<(Text<'a>, V)>);

impl<V> Default for Entries<'_, V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

/// The whole document.
#[derive(Debug)]
pub struct Document<'a> {
    pub schema: Text<'a>,
    /// Snapshot metadata (docs/snapshots.md): optional in a plain ruleset, required in a
    /// signed payload, where the snapshot policy reads them from the scan.
    pub version: Option<u64>,
    pub issued_at: Option<Text<'a>>,
    pub expires: Option<Text<'a>>,
    pub environment: Option<Text<'a>>,
    pub segments: Entries<'a, Segment<'a>>,
    pub flags: Entries<'a, Flag<'a>>,
}

#[derive(Debug)]
pub struct Segment<'a> {
    /// For people; accepted and checked for type, not compiled.
    #[allow(dead_code)]
    pub description: Option<Text<'a>>,
    pub by: Option<Text<'a>>,
    pub include: Vec<Text<'a>>,
    pub exclude: Vec<Text<'a>>,
    pub condition: Option<Condition<'a>>,
}

#[derive(Debug)]
pub struct Flag<'a> {
    /// Variant values; duplicate keys inside them are refused.
    pub variants: Entries<'a, Literal<'a>>,
    pub off: Text<'a>,
    pub enabled: bool,
    pub metadata: Metadata<'a>,
    pub prerequisites: Vec<Prerequisite<'a>>,
    pub rules: Vec<Rule<'a>>,
    pub default: Serve<'a>,
}

#[derive(Debug, Default)]
pub struct Metadata<'a> {
    pub owner: Option<Text<'a>>,
    pub description: Option<Text<'a>>,
    pub tags: Vec<Text<'a>>,
    pub temporary: bool,
    pub remove_by: Option<Text<'a>>,
}

#[derive(Debug)]
pub struct Prerequisite<'a> {
    pub flag: Text<'a>,
    pub variant: Text<'a>,
}

#[derive(Debug)]
pub struct Rule<'a> {
    pub id: Option<Text<'a>>,
    pub condition: Condition<'a>,
    pub serve: Serve<'a>,
}

/// A variant name, or `{"rollout": {...}}`.
#[derive(Debug)]
pub enum Serve<'a> {
    Variant(Text<'a>),
    Rollout(Box<Rollout<'a>>),
}

#[derive(Debug)]
pub struct Rollout<'a> {
    pub by: Option<Text<'a>>,
    pub salt: Option<Text<'a>>,
    /// Variant → weight; weights are checked by the compiler (integers, total).
    pub variants: Entries<'a, Literal<'a>>,
    pub otherwise: Option<Text<'a>>,
    pub percent: Option<Literal<'a>>,
    pub stages: Option<Vec<Stage<'a>>>,
    pub ramp: Ramp,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Ramp {
    #[default]
    Step,
    Linear,
}

#[derive(Debug)]
pub struct Stage<'a> {
    pub at: Text<'a>,
    pub percent: Literal<'a>,
    pub rollback: bool,
}

/// Every condition shape in one struct; the compiler checks that exactly one shape is used.
#[derive(Debug, Default)]
pub struct Condition<'a> {
    pub attr: Option<Text<'a>>,
    pub op: Option<Text<'a>>,
    pub value: Option<Literal<'a>>,
    pub values: Option<Vec<Literal<'a>>>,
    pub negate: Option<bool>,
    pub ignore_case: Option<bool>,
    pub all: Option<Vec<Condition<'a>>>,
    pub any: Option<Vec<Condition<'a>>>,
    pub not: Option<Box<Condition<'a>>>,
    pub segment: Option<Text<'a>>,
}

/// A string borrowed from the input when it has no escapes (nearly every key and name),
/// owned otherwise: decoding a large ruleset then allocates for values, not for names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text<'a>(pub Cow<'a, str>);

impl core::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

type Read<T> = Result<T, JsonError>;

impl<'a> Document<'a> {
    /// Reads a whole document: one object and nothing after it.
    pub fn read(bytes: &'a [u8]) -> Read<Document<'a>> {
        let mut reader = Reader::new(bytes);
        let document = document(&mut reader)?;
        reader.end()?;
        Ok(document)
    }
}

fn text<'a>(r: &mut Reader<'a>) -> Read<Text<'a>> {
    r.string().map(Text)
}

fn optional_text<'a>(r: &mut Reader<'a>) -> Read<Option<Text<'a>>> {
    optional(r, text)
}

fn texts<'a>(r: &mut Reader<'a>) -> Read<Vec<Text<'a>>> {
    array(r, text)
}

fn value<'a>(r: &mut Reader<'a>) -> Read<Literal<'a>> {
    r.literal(Duplicates::KeepLast)
}

fn entries_of<'a, V>(
    r: &mut Reader<'a>,
    read: impl FnMut(&mut Reader<'a>) -> Read<V>,
) -> Read<Entries<'a, V>> {
    let items = entries(r, read)?;
    Ok(Entries(
        items.into_iter().map(|(key, value)| (Text(key), value)).collect(),
    ))
}

fn document<'a>(r: &mut Reader<'a>) -> Read<Document<'a>> {
    const FIELDS: &[&str] = &[
        "schema",
        "version",
        "issued_at",
        "expires",
        "environment",
        "segments",
        "flags",
    ];
    let mut schema = None;
    let (mut version, mut issued_at, mut expires, mut environment) = (None, None, None, None);
    let mut segments = Entries::default();
    let mut flags = None;
    fields(r, FIELDS, |r, i| {
        match i {
            0 => schema = Some(text(r)?),
            1 => version = optional(r, Reader::unsigned)?,
            2 => issued_at = optional_text(r)?,
            3 => expires = optional_text(r)?,
            4 => environment = optional_text(r)?,
            5 => segments = entries_of(r, segment)?,
            _ => flags = Some(entries_of(r, flag)?),
        }
        Ok(())
    })?;
    let schema = need(r, schema, "schema")?;
    let flags = need(r, flags, "flags")?;
    Ok(Document {
        schema,
        version,
        issued_at,
        expires,
        environment,
        segments,
        flags,
    })
}

fn segment<'a>(r: &mut Reader<'a>) -> Read<Segment<'a>> {
    const FIELDS: &[&str] = &["description", "by", "include", "exclude", "if"];
    let (mut description, mut by, mut condition) = (None, None, None);
    let (mut include, mut exclude) = (Vec::new(), Vec::new());
    fields(r, FIELDS, |r, i| {
        match i {
            0 => description = optional_text(r)?,
            1 => by = optional_text(r)?,
            2 => include = texts(r)?,
            3 => exclude = texts(r)?,
            _ => condition = optional(r, self::condition)?,
        }
        Ok(())
    })?;
    Ok(Segment {
        description,
        by,
        include,
        exclude,
        condition,
    })
}

fn flag<'a>(r: &mut Reader<'a>) -> Read<Flag<'a>> {
    const FIELDS: &[&str] = &[
        "variants",
        "off",
        "enabled",
        "metadata",
        "prerequisites",
        "rules",
        "default",
    ];
    let (mut variants, mut off, mut default) = (None, None, None);
    let mut enabled = true;
    let mut meta = Metadata::default();
    let (mut prerequisites, mut rules) = (Vec::new(), Vec::new());
    fields(r, FIELDS, |r, i| {
        match i {
            0 => variants = Some(entries_of(r, |r| r.literal(Duplicates::Refuse))?),
            1 => off = Some(text(r)?),
            2 => enabled = r.boolean()?,
            3 => meta = metadata(r)?,
            4 => prerequisites = array(r, prerequisite)?,
            5 => rules = array(r, rule)?,
            _ => default = Some(serve(r)?),
        }
        Ok(())
    })?;
    let variants = need(r, variants, "variants")?;
    let off = need(r, off, "off")?;
    let default = need(r, default, "default")?;
    Ok(Flag {
        variants,
        off,
        enabled,
        metadata: meta,
        prerequisites,
        rules,
        default,
    })
}

fn metadata<'a>(r: &mut Reader<'a>) -> Read<Metadata<'a>> {
    const FIELDS: &[&str] = &["owner", "description", "tags", "temporary", "remove_by"];
    let mut meta = Metadata::default();
    fields(r, FIELDS, |r, i| {
        match i {
            0 => meta.owner = optional_text(r)?,
            1 => meta.description = optional_text(r)?,
            2 => meta.tags = texts(r)?,
            3 => meta.temporary = r.boolean()?,
            _ => meta.remove_by = optional_text(r)?,
        }
        Ok(())
    })?;
    Ok(meta)
}

fn prerequisite<'a>(r: &mut Reader<'a>) -> Read<Prerequisite<'a>> {
    const FIELDS: &[&str] = &["flag", "variant"];
    let (mut flag, mut variant) = (None, None);
    fields(r, FIELDS, |r, i| {
        match i {
            0 => flag = Some(text(r)?),
            _ => variant = Some(text(r)?),
        }
        Ok(())
    })?;
    let flag = need(r, flag, "flag")?;
    let variant = need(r, variant, "variant")?;
    Ok(Prerequisite { flag, variant })
}

fn rule<'a>(r: &mut Reader<'a>) -> Read<Rule<'a>> {
    const FIELDS: &[&str] = &["id", "if", "serve"];
    let (mut id, mut condition, mut serve) = (None, None, None);
    fields(r, FIELDS, |r, i| {
        match i {
            0 => id = optional_text(r)?,
            1 => condition = Some(self::condition(r)?),
            _ => serve = Some(self::serve(r)?),
        }
        Ok(())
    })?;
    let condition = need(r, condition, "if")?;
    let serve = need(r, serve, "serve")?;
    Ok(Rule { id, condition, serve })
}

fn serve<'a>(r: &mut Reader<'a>) -> Read<Serve<'a>> {
    if r.peek() == Some(b'"') {
        return text(r).map(Serve::Variant);
    }
    const FIELDS: &[&str] = &["rollout"];
    let mut inner = None;
    fields(r, FIELDS, |r, _| {
        inner = Some(rollout(r)?);
        Ok(())
    })?;
    let inner = need(r, inner, "rollout")?;
    Ok(Serve::Rollout(Box::new(inner)))
}

fn rollout<'a>(r: &mut Reader<'a>) -> Read<Rollout<'a>> {
    const FIELDS: &[&str] = &["by", "salt", "variants", "otherwise", "percent", "stages", "ramp"];
    let (mut by, mut salt, mut variants, mut otherwise) = (None, None, None, None);
    let (mut percent, mut stages) = (None, None);
    let mut ramp = Ramp::default();
    fields(r, FIELDS, |r, i| {
        match i {
            0 => by = optional_text(r)?,
            1 => salt = optional_text(r)?,
            2 => variants = Some(entries_of(r, value)?),
            3 => otherwise = optional_text(r)?,
            4 => percent = optional(r, value)?,
            5 => stages = optional(r, |r| array(r, stage))?,
            _ => {
                ramp = match &*r.string()? {
                    "step" => Ramp::Step,
                    "linear" => Ramp::Linear,
                    _ => return Err(r.data("unknown variant, expected `step` or `linear`")),
                }
            }
        }
        Ok(())
    })?;
    let variants = need(r, variants, "variants")?;
    Ok(Rollout {
        by,
        salt,
        variants,
        otherwise,
        percent,
        stages,
        ramp,
    })
}

fn stage<'a>(r: &mut Reader<'a>) -> Read<Stage<'a>> {
    const FIELDS: &[&str] = &["at", "percent", "rollback"];
    let (mut at, mut percent) = (None, None);
    let mut rollback = false;
    fields(r, FIELDS, |r, i| {
        match i {
            0 => at = Some(text(r)?),
            1 => percent = Some(value(r)?),
            _ => rollback = r.boolean()?,
        }
        Ok(())
    })?;
    let at = need(r, at, "at")?;
    let percent = need(r, percent, "percent")?;
    Ok(Stage {
        at,
        percent,
        rollback,
    })
}

fn condition<'a>(r: &mut Reader<'a>) -> Read<Condition<'a>> {
    const FIELDS: &[&str] = &[
        "attr",
        "op",
        "value",
        "values",
        "negate",
        "ignore_case",
        "all",
        "any",
        "not",
        "segment",
    ];
    let mut c = Condition::default();
    fields(r, FIELDS, |r, i| {
        match i {
            0 => c.attr = optional_text(r)?,
            1 => c.op = optional_text(r)?,
            2 => c.value = optional(r, value)?,
            3 => c.values = optional(r, |r| array(r, value))?,
            4 => c.negate = optional(r, Reader::boolean)?,
            5 => c.ignore_case = optional(r, Reader::boolean)?,
            6 => c.all = optional(r, |r| array(r, condition))?,
            7 => c.any = optional(r, |r| array(r, condition))?,
            8 => c.not = optional(r, |r| condition(r).map(Box::new))?,
            _ => c.segment = optional_text(r)?,
        }
        Ok(())
    })?;
    Ok(c)
}
