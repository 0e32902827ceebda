//! Reading what the commands work on: keyrings, signed snapshots or plain rulesets (told apart
//! by their shape), populations of contexts, and the flag JSON that lint, simulate and diff
//! inspect beyond what the library exposes.

use std::path::{Path, PathBuf};

use darklaunch::snapshot::{verify, Accepted, Keyring, Policy, Snapshot, SnapshotInfo, Update};
use darklaunch::{Context, Ruleset};
use serde_json::Value;

use crate::args::{PopulationArgs, TrustArgs};
use crate::output::{read, Failure};
use crate::time::time_or_now;

/// Reads and builds a keyring file.
pub fn read_keyring(path: &Path) -> Result<Keyring, Failure> {
    let bytes = read(path)?;
    Keyring::from_json(&bytes).map_err(|e| Failure::library(path, &e))
}

/// Whether a document looks like a DSSE envelope rather than a ruleset.
pub fn is_envelope(bytes: &[u8]) -> bool {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => map.contains_key("payloadType") || map.contains_key("signatures"),
        _ => false,
    }
}

/// How to trust a signed snapshot.
pub struct Trust<'a> {
    pub keyring: Option<&'a Path>,
    pub environment: Option<&'a str>,
    pub now_ms: i64,
    pub allow_stale: bool,
    pub last: Option<Accepted>,
}

impl<'a> Trust<'a> {
    pub fn from_args(args: &'a TrustArgs) -> Result<Self, Failure> {
        Ok(Trust {
            keyring: args.keyring.as_deref(),
            environment: args.environment.as_deref(),
            now_ms: time_or_now("--now", args.now.as_deref())?,
            allow_stale: args.allow_stale,
            last: None,
        })
    }
}

/// A compiled ruleset, from a verified snapshot or a plain file, with its JSON.
pub struct Input {
    pub file: PathBuf,
    pub source: Source,
    /// The ruleset (or verified payload) as JSON, keys in document order.
    pub document: Value,
}

pub enum Source {
    Snapshot(Box<Snapshot>),
    Plain(Ruleset),
}

impl Input {
    pub fn ruleset(&self) -> &Ruleset {
        match &self.source {
            Source::Snapshot(snapshot) => snapshot.ruleset(),
            Source::Plain(ruleset) => ruleset,
        }
    }

    pub fn info(&self) -> Option<&SnapshotInfo> {
        match &self.source {
            Source::Snapshot(snapshot) => Some(snapshot.info()),
            Source::Plain(_) => None,
        }
    }

    /// The JSON of a flag, if the document has it.
    pub fn flag_json(&self, key: &str) -> Option<&Value> {
        self.document.get("flags")?.get(key)
    }
}

/// Loads a signed snapshot (verified against `trust`) or, when `allow_plain`, a plain ruleset.
pub fn load(file: &Path, trust: &Trust<'_>, allow_plain: bool) -> Result<Input, Failure> {
    let bytes = read(file)?;
    if !is_envelope(&bytes) {
        if !allow_plain {
            return Err(Failure::usage(
                "--unsigned",
                format!(
                    "{} is a plain ruleset, not a signed snapshot; pass --unsigned to evaluate it without verification",
                    file.display()
                ),
            ));
        }
        let ruleset = Ruleset::from_json(&bytes).map_err(|e| Failure::library(file, &e))?;
        let document = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        return Ok(Input {
            file: file.to_path_buf(),
            source: Source::Plain(ruleset),
            document,
        });
    }
    let (Some(keyring_path), Some(environment)) = (trust.keyring, trust.environment) else {
        let missing = if trust.keyring.is_none() {
            "--keyring"
        } else {
            "--environment"
        };
        return Err(Failure::usage(
            missing,
            format!(
                "{} is a signed snapshot: verifying it needs --keyring and --environment",
                file.display()
            ),
        ));
    };
    let keyring = read_keyring(keyring_path)?;
    let mut policy = Policy::new(environment, trust.now_ms);
    policy.allow_stale = trust.allow_stale;
    policy.last = trust.last;
    match verify(&bytes, &keyring, &policy) {
        Ok(Update::Accepted(snapshot)) => {
            let payload = darklaunch::snapshot::Envelope::parse(&bytes)
                .ok()
                .and_then(|envelope| serde_json::from_slice(envelope.payload()).ok())
                .unwrap_or(Value::Null);
            Ok(Input {
                file: file.to_path_buf(),
                source: Source::Snapshot(Box::new(snapshot)),
                document: payload,
            })
        }
        Ok(Update::Unchanged) => Err(Failure::rejected(
            Some(file),
            "UNCHANGED",
            "/version",
            "the snapshot is the one already accepted",
        )),
        Err(e) => Err(Failure::library(file, &e)),
    }
}

/// The units to evaluate: a label for each, and its context.
pub fn population(args: &PopulationArgs) -> Result<Vec<(String, Context)>, Failure> {
    const MAX_USERS: usize = 10_000_000;
    let Some(path) = &args.ids else {
        if args.users == 0 || args.users > MAX_USERS {
            return Err(Failure::usage("--users", format!("between 1 and {MAX_USERS}")));
        }
        return Ok((0..args.users)
            .map(|i| {
                let key = format!("user-{i}");
                let context = Context::with_targeting_key(&key);
                (key, context)
            })
            .collect());
    };
    let bytes = read(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Failure::rejected(Some(path), "INVALID_IDS", "--ids", "not UTF-8 text"))?;
    let mut units = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let where_ = format!("line {}", number + 1);
        if line.starts_with('{') {
            let value: Value = serde_json::from_str(line).map_err(|e| {
                Failure::rejected(
                    Some(path),
                    "INVALID_IDS",
                    &where_,
                    format!("not a JSON object: {e}"),
                )
            })?;
            let context = Context::from_json_value(&value);
            if let Some(problem) = context.problem() {
                return Err(Failure::rejected(
                    Some(path),
                    "INVALID_IDS",
                    &where_,
                    problem.as_str(),
                ));
            }
            let label = value.get("targetingKey").map_or_else(
                || where_.clone(),
                |key| key.as_str().map_or_else(|| key.to_string(), String::from),
            );
            units.push((label, context));
        } else {
            units.push((line.to_string(), Context::with_targeting_key(line)));
        }
    }
    if units.is_empty() {
        return Err(Failure::rejected(
            Some(path),
            "INVALID_IDS",
            "--ids",
            "no units in the file",
        ));
    }
    Ok(units)
}

/// A flag's variant names in document order.
pub fn variant_names(flag: &Value) -> Vec<String> {
    flag.get("variants")
        .and_then(Value::as_object)
        .map(|variants| variants.keys().cloned().collect())
        .unwrap_or_default()
}

/// A flag's `off` variant.
pub fn off_variant(flag: &Value) -> Option<&str> {
    flag.get("off").and_then(Value::as_str)
}

/// The serves of a flag (each rule's, then the default), with their JSON Pointers.
pub fn serves<'v>(key: &str, flag: &'v Value) -> Vec<(String, &'v Value)> {
    let base = format!("/flags/{}", pointer_escape(key));
    let mut out = Vec::new();
    if let Some(rules) = flag.get("rules").and_then(Value::as_array) {
        for (i, rule) in rules.iter().enumerate() {
            if let Some(serve) = rule.get("serve") {
                out.push((format!("{base}/rules/{i}/serve"), serve));
            }
        }
    }
    if let Some(serve) = flag.get("default") {
        out.push((format!("{base}/default"), serve));
    }
    out
}

/// The start times of every stage of the flag's staged rollouts, sorted, without repeats.
pub fn stage_times(key: &str, flag: &Value) -> Vec<i64> {
    let mut times: Vec<i64> = serves(key, flag)
        .into_iter()
        .filter_map(|(_, serve)| serve.get("rollout")?.get("stages")?.as_array())
        .flatten()
        .filter_map(|stage| darklaunch::parse_rfc3339_ms(stage.get("at")?.as_str()?))
        .collect();
    times.sort_unstable();
    times.dedup();
    times
}

/// RFC 6901 escaping of one reference token.
pub fn pointer_escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
