//! The wire model: plain serde types mirroring the JSON of `docs/ruleset.md`, untrusted and
//! unvalidated. Unknown fields are rejected here; everything else (references, types of
//! literals, limits) is checked by [`compile`](super::compile).

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
pub struct Entries<V>(pub Vec<(String, V)>);

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, V>()? {
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
pub struct Document {
    pub schema: String,
    /// Snapshot metadata (docs/snapshots.md): optional in a plain ruleset, required in a
    /// signed payload, where the snapshot policy reads them from the scan.
    #[serde(default)]
    pub version: Option<u64>,
    #[serde(default)]
    pub issued_at: Option<String>,
    #[serde(default)]
    pub expires: Option<String>,
    #[serde(default)]
    pub environment: Option<String>,
    #[serde(default)]
    pub segments: Entries<Segment>,
    pub flags: Entries<Flag>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    /// For people; accepted and checked for type, not compiled.
    #[serde(default)]
    #[allow(dead_code)]
    pub description: Option<String>,
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default, rename = "if")]
    pub condition: Option<Condition>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flag {
    pub variants: Entries<StrictValue>,
    pub off: String,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    #[serde(default)]
    pub metadata: Metadata,
    #[serde(default)]
    pub prerequisites: Vec<Prerequisite>,
    #[serde(default)]
    pub rules: Vec<Rule>,
    pub default: Serve,
}

fn enabled_by_default() -> bool {
    true
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub temporary: bool,
    #[serde(default)]
    pub remove_by: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prerequisite {
    pub flag: String,
    pub variant: String,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(rename = "if")]
    pub condition: Condition,
    pub serve: Serve,
}

/// A variant name, or `{"rollout": {...}}`.
#[derive(Debug)]
pub enum Serve {
    Variant(String),
    Rollout(Box<Rollout>),
}

impl<'de> Deserialize<'de> for Serve {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Wrapper {
            rollout: Box<Rollout>,
        }
        struct ServeVisitor;
        impl<'de> Visitor<'de> for ServeVisitor {
            type Value = Serve;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a variant name or {\"rollout\": {...}}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Serve, E> {
                Ok(Serve::Variant(String::from(v)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Serve, A::Error> {
                let wrapper = Wrapper::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Serve::Rollout(wrapper.rollout))
            }
        }
        deserializer.deserialize_any(ServeVisitor)
    }
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rollout {
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub salt: Option<String>,
    /// Variant → weight; weights are checked by the compiler (integers, total).
    pub variants: Entries<Value>,
    #[serde(default)]
    pub otherwise: Option<String>,
    #[serde(default)]
    pub percent: Option<Value>,
    #[serde(default)]
    pub stages: Option<Vec<Stage>>,
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
pub struct Stage {
    pub at: String,
    pub percent: Value,
    #[serde(default)]
    pub rollback: bool,
}

/// Every condition shape in one struct; the compiler checks that exactly one shape is used.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    #[serde(default)]
    pub attr: Option<String>,
    #[serde(default)]
    pub op: Option<String>,
    #[serde(default)]
    pub value: Option<Value>,
    #[serde(default)]
    pub values: Option<Vec<Value>>,
    #[serde(default)]
    pub negate: Option<bool>,
    #[serde(default)]
    pub ignore_case: Option<bool>,
    #[serde(default)]
    pub all: Option<Vec<Condition>>,
    #[serde(default)]
    pub any: Option<Vec<Condition>>,
    #[serde(default)]
    pub not: Option<Box<Condition>>,
    #[serde(default)]
    pub segment: Option<String>,
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
