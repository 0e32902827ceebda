//! The evaluation context: the attributes of one request or user, borrowed by every evaluation.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::eval::words::{same, word, Keyed};
use crate::eval::ErrorCode;
use crate::limits::{MAX_CONTEXT_ARRAY_LEN, MAX_CONTEXT_ATTRIBUTES, MAX_CONTEXT_STRING_BYTES};

mod json;

/// Contexts with up to this many attributes (besides the targeting key) are scanned.
const SCANNED_ATTRIBUTES: usize = 8;

/// The attribute that identifies the unit being evaluated (OpenFeature's name).
pub const TARGETING_KEY: &str = "targetingKey";

/// One attribute value. `null` is not a value: a null attribute is simply absent.
#[derive(Clone, Debug, PartialEq)]
pub enum AttributeValue {
    /// `true` / `false`.
    Bool(bool),
    /// Any finite number (JSON numbers are doubles).
    Number(f64),
    /// A string.
    String(Box<str>),
    /// An array of scalars (booleans, numbers, strings); never nested.
    List(Box<[AttributeValue]>),
}

impl From<bool> for AttributeValue {
    fn from(v: bool) -> Self {
        AttributeValue::Bool(v)
    }
}
impl From<f64> for AttributeValue {
    fn from(v: f64) -> Self {
        AttributeValue::Number(v)
    }
}
impl From<i32> for AttributeValue {
    fn from(v: i32) -> Self {
        AttributeValue::Number(f64::from(v))
    }
}
impl From<&str> for AttributeValue {
    fn from(v: &str) -> Self {
        AttributeValue::String(Box::from(v))
    }
}
impl From<String> for AttributeValue {
    fn from(v: String) -> Self {
        AttributeValue::String(v.into_boxed_str())
    }
}

/// The attributes of one evaluation, e.g. `{targetingKey: "user-42", country: "DE"}`.
///
/// Building a context never fails: a context that breaks the rules (over the limits in
/// [`limits`](crate::limits), not a JSON object, not JSON at all) remembers why, and every
/// evaluation with it returns `ERROR` with that [`ErrorCode`]. Build it once per request and
/// evaluate every flag against it.
#[derive(Clone, Debug, Default)]
pub struct Context {
    targeting_key: Option<AttributeValue>,
    /// Sorted by name, names unique, for binary search.
    attributes: Vec<(Keyed, AttributeValue)>,
    problem: Option<ErrorCode>,
}

impl Context {
    /// An empty context.
    pub fn new() -> Self {
        Context::default()
    }

    /// A context whose targeting key is `key`.
    pub fn with_targeting_key(key: &str) -> Self {
        Context::new().with(TARGETING_KEY, key)
    }

    /// Adds (or replaces) an attribute and returns the context, for chaining.
    pub fn with(mut self, name: &str, value: impl Into<AttributeValue>) -> Self {
        self.set(name, value.into());
        self
    }

    /// Sets (or replaces) an attribute. Values over the limits, nested arrays, and too many
    /// attributes make the context invalid.
    pub fn set(&mut self, name: &str, value: AttributeValue) {
        if !value_within_limits(&value, true) {
            self.problem = Some(ErrorCode::InvalidContext);
            return;
        }
        if name == TARGETING_KEY {
            self.targeting_key = Some(value);
            return;
        }
        match self.attributes.binary_search_by(|(n, _)| (*n.text).cmp(name)) {
            Ok(at) => {
                if let Some(slot) = self.attributes.get_mut(at) {
                    slot.1 = value;
                }
            }
            Err(at) => {
                if self.attributes.len() >= MAX_CONTEXT_ATTRIBUTES {
                    self.problem = Some(ErrorCode::InvalidContext);
                    return;
                }
                self.attributes.insert(at, (Keyed::new(name), value));
            }
        }
    }

    /// Removes an attribute (the same as setting it to `null`).
    pub fn remove(&mut self, name: &str) {
        self.put(name, None);
    }

    /// Sets (`Some`) or removes (`None`) an attribute without checking the limits:
    /// [`checked`](Context::checked) does once all are in.
    fn put(&mut self, name: &str, value: Option<AttributeValue>) {
        if name == TARGETING_KEY {
            self.targeting_key = value;
            return;
        }
        let found = self.attributes.binary_search_by(|(n, _)| (*n.text).cmp(name));
        match (found, value) {
            (Ok(at), Some(value)) => {
                if let Some(slot) = self.attributes.get_mut(at) {
                    slot.1 = value;
                }
            }
            (Ok(at), None) => {
                self.attributes.remove(at);
            }
            (Err(at), Some(value)) => self.attributes.insert(at, (Keyed::new(name), value)),
            (Err(_), None) => {}
        }
    }

    /// The context, made invalid if it is over the limits.
    fn checked(mut self) -> Self {
        let mut values = self
            .targeting_key
            .iter()
            .chain(self.attributes.iter().map(|(_, v)| v));
        let within = self.attributes.len() <= MAX_CONTEXT_ATTRIBUTES
            && values.all(|value| value_within_limits(value, true));
        if !within {
            self.problem = Some(ErrorCode::InvalidContext);
        }
        self
    }

    /// A context that makes every evaluation return `ERROR` with `code`. Host layers use it
    /// for input they could not turn into a context (e.g. `PARSE_ERROR`).
    pub fn invalid(code: ErrorCode) -> Self {
        Context {
            problem: Some(code),
            ..Context::default()
        }
    }

    /// Builds a context from a JSON object (OpenFeature's flat evaluation context).
    ///
    /// Text that is not JSON gives a context with `PARSE_ERROR`; JSON that is not an object,
    /// or is over the limits (text over [`MAX_CONTEXT_JSON_BYTES`](crate::limits::MAX_CONTEXT_JSON_BYTES)
    /// is not even read), gives `INVALID_CONTEXT`. `null` attributes are absent; values
    /// that are objects, or arrays holding anything but scalars, are ignored (no clause can
    /// name them). A name given twice keeps its last value, as `JSON.parse` and serde_json
    /// do, and only that value counts towards the limits. Nesting is limited like a ruleset's
    /// ([`MAX_JSON_DEPTH`](crate::limits::MAX_JSON_DEPTH), serde_json's limit): a value
    /// nested deeper is `PARSE_ERROR`, even inside an ignored attribute.
    pub fn from_json(text: &str) -> Self {
        if text.len() > crate::limits::MAX_CONTEXT_JSON_BYTES {
            return Context::invalid(ErrorCode::InvalidContext);
        }
        json::read(text).unwrap_or_else(|_| Context::invalid(ErrorCode::ParseError))
    }

    /// As [`from_json`](Context::from_json), from an already parsed value.
    pub fn from_json_value(value: &serde_json::Value) -> Self {
        let Some(object) = value.as_object() else {
            return Context::invalid(ErrorCode::InvalidContext);
        };
        let mut context = Context::new();
        for (name, value) in object {
            if let Some(value) = attribute_from_json(value) {
                context.set(name, value);
            }
        }
        context
    }

    /// The value of an attribute, if present.
    pub fn get(&self, name: &str) -> Option<&AttributeValue> {
        self.get_keyed(name, word(name.as_bytes()))
    }

    /// As [`get`](Context::get), given `head == word(name)` (compiled rulesets keep it).
    #[inline]
    pub(crate) fn get_keyed(&self, name: &str, head: u64) -> Option<&AttributeValue> {
        if same(name, TARGETING_KEY) {
            return self.targeting_key.as_ref();
        }
        // Typical contexts have a handful of attributes: a scan that compares first words and
        // lengths beats a binary search of full string comparisons.
        if self.attributes.len() <= SCANNED_ATTRIBUTES {
            return self
                .attributes
                .iter()
                .find(|(n, _)| n.is(name, head))
                .map(|(_, value)| value);
        }
        self.attributes
            .binary_search_by(|(n, _)| (*n.text).cmp(name))
            .ok()
            .and_then(|at| self.attributes.get(at))
            .map(|(_, value)| value)
    }

    /// The targeting key, if present.
    pub fn targeting_key(&self) -> Option<&AttributeValue> {
        self.targeting_key.as_ref()
    }

    /// Why every evaluation with this context is an error, if it is invalid.
    pub fn problem(&self) -> Option<ErrorCode> {
        self.problem
    }
}

fn value_within_limits(value: &AttributeValue, top_level: bool) -> bool {
    match value {
        AttributeValue::Bool(_) => true,
        AttributeValue::Number(n) => n.is_finite(),
        AttributeValue::String(s) => s.len() <= MAX_CONTEXT_STRING_BYTES,
        AttributeValue::List(items) => {
            top_level
                && items.len() <= MAX_CONTEXT_ARRAY_LEN
                && items.iter().all(|item| value_within_limits(item, false))
        }
    }
}

fn scalar_from_json(value: &serde_json::Value) -> Option<AttributeValue> {
    match value {
        serde_json::Value::Bool(b) => Some(AttributeValue::Bool(*b)),
        serde_json::Value::Number(n) => n.as_f64().map(AttributeValue::Number),
        serde_json::Value::String(s) => Some(AttributeValue::from(s.as_str())),
        _ => None,
    }
}

fn attribute_from_json(value: &serde_json::Value) -> Option<AttributeValue> {
    match value {
        serde_json::Value::Array(items) => items
            .iter()
            .map(scalar_from_json)
            .collect::<Option<Vec<_>>>()
            .map(|items| AttributeValue::List(items.into_boxed_slice())),
        other => scalar_from_json(other),
    }
}
