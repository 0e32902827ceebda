//! The wire model: plain serde types mirroring the JSON of `docs/ruleset.md`, untrusted and
//! unvalidated. Unknown fields are rejected here; everything else (references, types of
//! literals, limits) is checked by [`compile`](super::compile).

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;

/// A JSON object kept as its entries in document order, duplicates included, so that the
/// compiler can reject duplicates with a precise path and keep the flags' order.
#[derive(Debug)]
pub struct Entries<'a, V>(pub Vec<(Text<'a>, V)>);

impl<V> Default for Entries<'_, V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de: 'a, 'a, V: Deserialize<'de>> Deserialize<'de> for Entries<'a, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<'a, V>(PhantomData<(&'a (), V)>);
        impl<'de: 'a, 'a, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<'a, V> {
            type Value = Entries<'a, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<Text<'a>, V>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}

/// The whole document.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document<'a> {
    #[serde(borrow)]
    pub schema: Text<'a>,
    /// Snapshot metadata (docs/snapshots.md): optional in a plain ruleset, required in a
    /// signed payload, where the snapshot policy reads them from the scan.
    #[serde(default)]
    pub version: Option<u64>,
    #[serde(borrow, default)]
    pub issued_at: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub expires: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub environment: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub segments: Entries<'a, Segment<'a>>,
    #[serde(borrow)]
    pub flags: Entries<'a, Flag<'a>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment<'a> {
    /// For people; accepted and checked for type, not compiled.
    #[serde(default)]
    #[allow(dead_code)]
    #[serde(borrow)]
    pub description: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub by: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub include: Vec<Text<'a>>,
    #[serde(borrow, default)]
    pub exclude: Vec<Text<'a>>,
    #[serde(borrow, default, rename = "if")]
    pub condition: Option<Condition<'a>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flag<'a> {
    #[serde(borrow)]
    pub variants: Entries<'a, StrictValue>,
    #[serde(borrow)]
    pub off: Text<'a>,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    #[serde(borrow, default)]
    pub metadata: Metadata<'a>,
    #[serde(borrow, default)]
    pub prerequisites: Vec<Prerequisite<'a>>,
    #[serde(borrow, default)]
    pub rules: Vec<Rule<'a>>,
    #[serde(borrow)]
    pub default: Serve<'a>,
}

fn enabled_by_default() -> bool {
    true
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata<'a> {
    #[serde(borrow, default)]
    pub owner: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub description: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub tags: Vec<Text<'a>>,
    #[serde(default)]
    pub temporary: bool,
    #[serde(borrow, default)]
    pub remove_by: Option<Text<'a>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prerequisite<'a> {
    #[serde(borrow)]
    pub flag: Text<'a>,
    #[serde(borrow)]
    pub variant: Text<'a>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule<'a> {
    #[serde(borrow, default)]
    pub id: Option<Text<'a>>,
    #[serde(borrow, rename = "if")]
    pub condition: Condition<'a>,
    #[serde(borrow)]
    pub serve: Serve<'a>,
}

/// A variant name, or `{"rollout": {...}}`.
#[derive(Debug)]
pub enum Serve<'a> {
    Variant(Text<'a>),
    Rollout(Box<Rollout<'a>>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Serve<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Wrapper<'a> {
            #[serde(borrow)]
            rollout: Box<Rollout<'a>>,
        }
        struct ServeVisitor<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for ServeVisitor<'a> {
            type Value = Serve<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a variant name or {\"rollout\": {...}}")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Serve<'a>, E> {
                Ok(Serve::Variant(Text(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Serve<'a>, E> {
                Ok(Serve::Variant(Text(Cow::Owned(String::from(v)))))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Serve<'a>, A::Error> {
                let wrapper = Wrapper::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Serve::Rollout(wrapper.rollout))
            }
        }
        deserializer.deserialize_any(ServeVisitor(PhantomData))
    }
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rollout<'a> {
    #[serde(borrow, default)]
    pub by: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub salt: Option<Text<'a>>,
    /// Variant → weight; weights are checked by the compiler (integers, total).
    #[serde(borrow)]
    pub variants: Entries<'a, Value>,
    #[serde(borrow, default)]
    pub otherwise: Option<Text<'a>>,
    #[serde(default)]
    pub percent: Option<Value>,
    #[serde(borrow, default)]
    pub stages: Option<Vec<Stage<'a>>>,
    #[serde(default)]
    pub ramp: Ramp,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ramp {
    #[default]
    Step,
    Linear,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage<'a> {
    #[serde(borrow)]
    pub at: Text<'a>,
    pub percent: Value,
    #[serde(default)]
    pub rollback: bool,
}

/// Every condition shape in one struct; the compiler checks that exactly one shape is used.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition<'a> {
    #[serde(borrow, default)]
    pub attr: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub op: Option<Text<'a>>,
    #[serde(default)]
    pub value: Option<Value>,
    #[serde(default)]
    pub values: Option<Vec<Value>>,
    #[serde(default)]
    pub negate: Option<bool>,
    #[serde(default)]
    pub ignore_case: Option<bool>,
    #[serde(borrow, default)]
    pub all: Option<Vec<Condition<'a>>>,
    #[serde(borrow, default)]
    pub any: Option<Vec<Condition<'a>>>,
    #[serde(borrow, default)]
    pub not: Option<Box<Condition<'a>>>,
    #[serde(borrow, default)]
    pub segment: Option<Text<'a>>,
}

/// Any JSON value, with duplicate keys refused in every object inside it (serde_json's own
/// `Value` keeps the last one). Used for variant values, which may be whole JSON objects.
#[derive(Debug)]
pub struct StrictValue(pub Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrictVisitor;
        impl<'de> Visitor<'de> for StrictVisitor {
            type Value = StrictValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::Bool(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::from(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::String(String::from(v))))
            }
            fn visit_unit<E: de::Error>(self) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::Null))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<StrictValue, A::Error> {
                let mut items = Vec::new();
                while let Some(StrictValue(item)) = seq.next_element()? {
                    items.push(item);
                }
                Ok(StrictValue(Value::Array(items)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StrictValue, A::Error> {
                let mut object = serde_json::Map::new();
                while let Some((key, StrictValue(value))) = map.next_entry::<String, StrictValue>()? {
                    if object.contains_key(&key) {
                        return Err(de::Error::custom(alloc::format!("duplicate key `{key}`")));
                    }
                    object.insert(key, value);
                }
                Ok(StrictValue(Value::Object(object)))
            }
        }
        deserializer.deserialize_any(StrictVisitor)
    }
}

/// A string borrowed from the input when it has no escapes (nearly every key and name),
/// owned otherwise: decoding a large ruleset then allocates for values, not for names.
/// (serde's own `Cow<str>` borrows only as a direct field, not inside `Option` or `Vec`.)
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text<'a>(pub Cow<'a, str>);

impl core::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for TextVisitor<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(String::from(v))))
            }
        }
        deserializer.deserialize_str(TextVisitor(PhantomData))
    }
}
