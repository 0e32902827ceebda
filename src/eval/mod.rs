//! Evaluation: contexts, condition matching, sticky bucketing, and the result type.

pub(crate) mod bucket;
pub(crate) mod condition;
pub(crate) mod context;
pub(crate) mod evaluate;
mod evaluation;
pub(crate) mod lowercase;
pub(crate) mod semver;
mod siphash;
pub(crate) mod table;
pub(crate) mod words;

pub use context::{AttributeValue, Context, TARGETING_KEY};
pub use evaluation::{Bucket, ErrorCode, Evaluation, Reason};
