//! The compiled, immutable ruleset: flags, segments and interned attribute names, as plain
//! data addressed by index. Built only by [`Ruleset::from_json`] (via the compiler), so every
//! reference inside it has been checked.

pub(crate) mod compile;
pub(crate) mod json;
mod model;
pub(crate) mod path;
mod scan;
mod value;

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::eval::bucket::SaltedHasher;
use crate::eval::condition::Condition;
use crate::eval::context::{AttributeValue, Context};
use crate::eval::table::StrTable;
use crate::eval::words::Keyed;

pub use value::{FlagValue, JsonText, ValueType};

/// The schema string this version reads.
pub const SCHEMA: &str = "darklaunch/v1";

/// A flag's position in its ruleset: resolve a key once with [`Ruleset::flag_id`], then
/// evaluate by id without hashing the key again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FlagId(pub(crate) u32);

impl FlagId {
    /// The position in document order (the order of [`Ruleset::flags`]).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct SegmentId(pub(crate) u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct VariantId(pub(crate) u16);

/// Which attribute a clause, segment or rollout reads: the targeting key has a fast path;
/// any other name is interned once per ruleset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AttributeRef {
    TargetingKey,
    Named(u32),
}

/// A compiled ruleset. Immutable, `Send + Sync`, cheap to share (wrap it in an `Arc`).
#[derive(Debug)]
pub struct Ruleset {
    pub(crate) flags: Vec<Flag>,
    pub(crate) index: StrTable<Box<str>, u32>,
    pub(crate) segments: Vec<Segment>,
    pub(crate) attributes: Vec<Keyed>,
}

#[derive(Debug)]
pub(crate) struct Flag {
    pub key: Box<str>,
    pub variants: Vec<Variant>,
    pub value_type: ValueType,
    pub off: VariantId,
    pub enabled: bool,
    pub prerequisites: Vec<(FlagId, VariantId)>,
    pub rules: Vec<Rule>,
    pub default: Serve,
    pub metadata: Metadata,
    /// No rules and no prerequisites: the value cannot depend on the context.
    pub is_static: bool,
}

#[derive(Debug)]
pub(crate) struct Variant {
    pub name: Box<str>,
    pub value: FlagValue,
    /// The value's JSON text as signed, which the wasm bindings hand to JS verbatim (so no
    /// float formatting is needed there, and JS parses numbers exactly as written).
    #[cfg(feature = "wasm")]
    pub json: Box<str>,
}

#[derive(Debug)]
pub(crate) struct Rule {
    pub id: Option<Box<str>>,
    pub condition: Condition,
    pub serve: Serve,
}

#[derive(Debug)]
pub(crate) enum Serve {
    Variant(VariantId),
    Rollout(Box<Rollout>),
}

#[derive(Debug)]
pub(crate) struct Rollout {
    pub by: AttributeRef,
    pub inclusion: SaltedHasher,
    pub variant_choice: SaltedHasher,
    /// Variants inside, sorted by name, with cumulative upper bounds on the variant position
    /// (the last bound is 2^64).
    pub split: Vec<(u128, VariantId)>,
    pub otherwise: VariantId,
    pub exposure: Exposure,
}

#[derive(Debug)]
pub(crate) enum Exposure {
    Fixed(Level),
    Stages { stages: Vec<Stage>, linear: bool },
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Stage {
    pub at: i64,
    pub level: Level,
}

/// An exposure in millionths with its threshold, computed once at compile time (a 128-bit
/// division is too slow to repeat per evaluation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Level {
    pub units: u32,
    pub threshold: u128,
}

impl Level {
    pub fn new(units: u32) -> Self {
        Level {
            units,
            threshold: crate::eval::bucket::threshold(units),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Segment {
    pub by: AttributeRef,
    pub include: StrTable<Box<str>>,
    pub exclude: StrTable<Box<str>>,
    pub condition: Option<Condition>,
}

/// Descriptive metadata of a flag (owner, description, tags, temporary / remove-by).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// Who owns the flag.
    pub owner: Option<Box<str>>,
    /// What the flag is for.
    pub description: Option<Box<str>>,
    /// Free-form tags.
    pub tags: Vec<Box<str>>,
    /// A flag meant to be removed once launched.
    pub temporary: bool,
    /// `YYYY-MM-DD`, only on temporary flags.
    pub remove_by: Option<Box<str>>,
}

impl Ruleset {
    /// Resolves a flag key to its id, once; evaluate by id on hot paths.
    pub fn flag_id(&self, key: &str) -> Option<FlagId> {
        self.index.get(key).map(FlagId)
    }

    /// Number of flags.
    pub fn len(&self) -> usize {
        self.flags.len()
    }

    /// Whether the ruleset has no flags.
    pub fn is_empty(&self) -> bool {
        self.flags.is_empty()
    }

    /// Flag keys in document order (the order of [`evaluate_all`](Ruleset::evaluate_all)).
    pub fn flags(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.flags.iter().map(|flag| &*flag.key)
    }

    /// The type of a flag's variants.
    pub fn value_type(&self, id: FlagId) -> Option<ValueType> {
        self.flag(id).map(|flag| flag.value_type)
    }

    /// A flag's variants, as (name, value), in the order of their indices. Empty for an id
    /// of another ruleset. Hosts read them once at load (the JS package caches the values).
    pub fn variants(&self, id: FlagId) -> impl ExactSizeIterator<Item = (&str, &FlagValue)> + '_ {
        let variants = self.flag(id).map_or(&[][..], |flag| flag.variants.as_slice());
        variants.iter().map(|variant| (&*variant.name, &variant.value))
    }

    /// A flag's metadata.
    pub fn metadata(&self, id: FlagId) -> Option<&Metadata> {
        self.flag(id).map(|flag| &flag.metadata)
    }

    pub(crate) fn flag(&self, id: FlagId) -> Option<&Flag> {
        self.flags.get(id.index())
    }

    pub(crate) fn segment(&self, id: SegmentId) -> Option<&Segment> {
        self.segments.get(id.0 as usize)
    }

    /// The context's value for an interned attribute.
    pub(crate) fn attribute<'c>(
        &self,
        attribute: AttributeRef,
        context: &'c Context,
    ) -> Option<&'c AttributeValue> {
        match attribute {
            AttributeRef::TargetingKey => context.targeting_key(),
            AttributeRef::Named(id) => {
                let name = self.attributes.get(id as usize)?;
                context.get_keyed(&name.text, name.head())
            }
        }
    }
}

impl Flag {
    pub(crate) fn variant(&self, id: VariantId) -> Option<&Variant> {
        self.variants.get(usize::from(id.0))
    }
}
