//! Flag values: what a variant serves.

use alloc::boxed::Box;

/// The value of a variant. All variants of one flag have the same [`ValueType`].
#[derive(Clone, Debug, PartialEq)]
pub enum FlagValue {
    /// A boolean flag's value.
    Bool(bool),
    /// A number flag's value.
    Number(f64),
    /// A string flag's value.
    String(Box<str>),
    /// A JSON object or array (OpenFeature's "object" flags).
    Object(JsonText),
}

/// An object or array value exactly as the ruleset wrote it: verbatim JSON text, checked at
/// load to be well-formed, within the nesting limit and free of duplicate keys. The
/// evaluator never looks inside it; hosts parse it (the npm package with `JSON.parse`).
#[derive(Clone, Debug, PartialEq)]
pub struct JsonText(Box<str>);

impl JsonText {
    pub(crate) fn new(text: &str) -> Self {
        JsonText(Box::from(text))
    }

    /// The JSON text, as written in the ruleset.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as serde_json's `Value` (`Null` only if the text were not JSON, which
    /// loading rules out).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.0).unwrap_or(serde_json::Value::Null)
    }
}

/// The type of a flag's variants, which is the type an OpenFeature resolver asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// `true` / `false`.
    Boolean,
    /// Text.
    String,
    /// A number.
    Number,
    /// A JSON object or array.
    Object,
}

impl ValueType {
    /// `"boolean"`, `"string"`, `"number"` or `"object"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ValueType::Boolean => "boolean",
            ValueType::String => "string",
            ValueType::Number => "number",
            ValueType::Object => "object",
        }
    }
}

impl FlagValue {
    /// The value's type.
    pub fn value_type(&self) -> ValueType {
        match self {
            FlagValue::Bool(_) => ValueType::Boolean,
            FlagValue::Number(_) => ValueType::Number,
            FlagValue::String(_) => ValueType::String,
            FlagValue::Object(_) => ValueType::Object,
        }
    }

    /// The value as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            FlagValue::Bool(b) => serde_json::Value::Bool(*b),
            FlagValue::Number(n) => number_to_json(*n),
            FlagValue::String(s) => serde_json::Value::String(s.as_ref().into()),
            FlagValue::Object(v) => v.to_json(),
        }
    }
}

/// Integral numbers as JSON integers (`3`, not `3.0`), so values round-trip as written.
fn number_to_json(n: f64) -> serde_json::Value {
    match crate::eval::bucket::exact_integer(n) {
        Some(int) => serde_json::Value::from(int),
        None => serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number),
    }
}

#[cfg(test)]
mod tests {
    use super::FlagValue;
    use crate::{Context, Ruleset};

    #[test]
    fn object_values_are_the_signed_text_and_parse_to_the_same_json() {
        let object = r#"{ "zeta": [1, 2.5e-3], "alpha": {"x": "\u00e9"} }"#;
        let document = alloc::format!(
            r#"{{"schema": "darklaunch/v1", "flags": {{"f": {{"variants": {{"v": {object}}}, "off": "v", "default": "v"}}}}}}"#
        );
        let ruleset = Ruleset::from_json(document.as_bytes()).expect("compiles");
        let evaluation = ruleset.evaluate("f", &Context::new(), 0);
        let Some(FlagValue::Object(text)) = evaluation.value else {
            panic!("an object value: {evaluation:?}");
        };
        assert_eq!(text.as_str(), object);
        assert_eq!(
            text.to_json(),
            serde_json::json!({"alpha": {"x": "é"}, "zeta": [1, 0.0025]})
        );
        assert_eq!(evaluation.value.map(FlagValue::to_json), Some(text.to_json()));
    }
}
