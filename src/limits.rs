//! Every cap on sizes and counts taken from untrusted input, in one place.
//!
//! A ruleset or context over any of these is refused with
//! [`ErrorKind::LimitExceeded`](crate::ErrorKind::LimitExceeded) (or, for the document size,
//! [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge)) at load time; a context over them
//! evaluates to `ERROR` / `INVALID_CONTEXT`. The values are documented in `docs/ruleset.md`
//! (a test keeps that table equal to these constants) and each is tested at N and N + 1.

/// Bytes of one ruleset JSON document.
pub const MAX_RULESET_BYTES: usize = 16 * 1024 * 1024;
/// Nesting depth of a JSON document (ruleset, envelope, keyring, context): the reader refuses
/// the 128th level of arrays and objects (serde_json's recursion limit), which also bounds the
/// stack the reader uses.
pub const MAX_JSON_DEPTH: usize = 127;
/// Flags in one ruleset.
pub const MAX_FLAGS: usize = 10_000;
/// Segments in one ruleset.
pub const MAX_SEGMENTS: usize = 10_000;
/// Variants of one flag.
pub const MAX_VARIANTS: usize = 64;
/// Targeting rules of one flag.
pub const MAX_RULES: usize = 1_000;
/// Prerequisites of one flag.
pub const MAX_PREREQUISITES: usize = 16;
/// Longest chain of prerequisites (a → b → c is depth 2).
pub const MAX_PREREQUISITE_DEPTH: usize = 16;
/// Stages of one rollout.
pub const MAX_STAGES: usize = 64;
/// Nesting depth of conditions (`all` / `any` / `not`).
pub const MAX_CONDITION_DEPTH: usize = 16;
/// Conditions (clauses and groups) in one flag or segment.
pub const MAX_CONDITIONS: usize = 4_096;
/// Values in one `in` / `not_in` list.
pub const MAX_LIST_VALUES: usize = 100_000;
/// Keys in one segment `include` or `exclude` list.
pub const MAX_SEGMENT_KEYS: usize = 1_000_000;
/// Bytes of a key (flag key, segment name, variant name, rule id) and of a rollout salt.
pub const MAX_KEY_BYTES: usize = 128;
/// Bytes of an attribute name.
pub const MAX_ATTRIBUTE_NAME_BYTES: usize = 256;
/// Bytes of a string literal in a condition or of one key in a key list.
pub const MAX_STRING_BYTES: usize = 4_096;
/// Attributes in one evaluation context.
pub const MAX_CONTEXT_ATTRIBUTES: usize = 256;
/// Bytes of one string value in an evaluation context.
pub const MAX_CONTEXT_STRING_BYTES: usize = 4_096;
/// Elements of one array value in an evaluation context.
pub const MAX_CONTEXT_ARRAY_LEN: usize = 256;
/// Bytes of a context's JSON text (`Context::from_json`): longer text is not read at all (a
/// context within the other limits is far shorter, and reading is linear but not free).
pub const MAX_CONTEXT_JSON_BYTES: usize = 4 * 1024 * 1024;
/// Bytes of a signed snapshot envelope: a maximal ruleset in base64 (4/3 of its size) plus
/// room for signatures and fields.
pub const MAX_ENVELOPE_BYTES: usize = MAX_RULESET_BYTES / 3 * 4 + 64 * 1024;
/// Signatures in one envelope.
pub const MAX_SIGNATURES: usize = 16;
/// Keys in one keyring.
pub const MAX_KEYS: usize = 64;
