//! `darklaunch sign`: ruleset → signed snapshot (a DSSE envelope), or `--cosign` to add
//! signatures to an existing snapshot.
//!
//! The payload is the ruleset's JSON object, re-serialised compactly by serde_json with its
//! key order kept (feature `preserve_order`), with `version`, `issued_at`, `expires` and
//! `environment` inserted after `schema`. The bytes produced here are the bytes signed; hosts
//! verify and parse exactly those bytes. Before writing anything, the envelope is verified
//! with the library against the signing keys, so `sign` never emits a snapshot that its own
//! verifier would refuse.

use std::path::Path;

use darklaunch::snapshot::{encode_base64, pae, verify, Envelope, Keyring, Policy, PAYLOAD_TYPE};
use darklaunch::Ruleset;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Map, Value};

use crate::args::SignArgs;
use crate::keys::read_signing_key;
use crate::output::{read, write_output, Failure, OK};
use crate::time::{format_rfc3339, now_ms, parse_expires, parse_time};

const METADATA: [&str; 4] = ["version", "issued_at", "expires", "environment"];

pub fn run(args: &SignArgs) -> Result<u8, Failure> {
    let signers = signers(args)?;
    let (envelope, summary) = match &args.cosign {
        Some(snapshot) => cosign(snapshot, &signers)?,
        None => sign_ruleset(args, &signers)?,
    };
    write_output(args.out.as_deref(), &format!("{envelope}\n"))?;
    let target = args
        .out
        .as_ref()
        .map_or_else(|| String::from("stdout"), |p| p.display().to_string());
    eprintln!("darklaunch sign: wrote {target}: {summary}");
    Ok(OK)
}

/// The `--key` / `--key-id` pairs, each key checked by the keyring's rules (valid id, no
/// duplicate ids or keys).
fn signers(args: &SignArgs) -> Result<Vec<(String, SigningKey)>, Failure> {
    if args.key.len() != args.key_id.len() {
        return Err(Failure::usage(
            "--key-id",
            format!(
                "{} --key and {} --key-id given: each --key needs the --key-id at the same position",
                args.key.len(),
                args.key_id.len()
            ),
        ));
    }
    let mut check = Keyring::new();
    let mut signers = Vec::new();
    for (path, id) in args.key.iter().zip(&args.key_id) {
        let key = read_signing_key(path)?;
        check.add(id, key.verifying_key().as_bytes()).map_err(|e| {
            Failure::usage("--key-id", format!("{id:?} ({}): {}", path.display(), e.detail()))
        })?;
        signers.push((id.clone(), key));
    }
    Ok(signers)
}

fn sign_ruleset(args: &SignArgs, signers: &[(String, SigningKey)]) -> Result<(Value, String), Failure> {
    let (Some(path), Some(environment)) = (args.ruleset.as_deref(), args.environment.as_deref()) else {
        return Err(Failure::usage(
            "RULESET.json",
            "sign needs RULESET.json and --environment",
        ));
    };
    check_environment(environment)?;
    let issued_ms = match &args.issued_at {
        Some(text) => parse_time("--issued-at", text)?,
        // Whole seconds: the default version is this instant in seconds.
        None => now_ms().div_euclid(1000) * 1000,
    };
    let expires_ms = parse_expires(&args.expires, issued_ms)?;
    if expires_ms <= issued_ms {
        return Err(Failure::usage("--expires", "must be after the issue time"));
    }
    let version = match args.version {
        Some(version) => version,
        None => u64::try_from(issued_ms.div_euclid(1000))
            .map_err(|_| Failure::usage("--issued-at", "before 1970: give --version"))?,
    };

    // Refuse to sign anything the library would not load.
    let bytes = read(path)?;
    Ruleset::from_json(&bytes).map_err(|e| Failure::library(path, &e))?;
    let Ok(Value::Object(document)) = serde_json::from_slice::<Value>(&bytes) else {
        return Err(Failure::rejected(
            Some(path),
            "INVALID_FORMAT",
            "",
            "not a JSON object",
        ));
    };
    for field in METADATA {
        if document.contains_key(field) {
            eprintln!(
                "darklaunch sign: note: {}: replacing the ruleset's /{field} with the signed value",
                path.display()
            );
        }
    }
    let mut payload = Map::new();
    if let Some(schema) = document.get("schema") {
        payload.insert("schema".into(), schema.clone());
    }
    payload.insert("version".into(), json!(version));
    payload.insert("issued_at".into(), json!(format_rfc3339(issued_ms)));
    payload.insert("expires".into(), json!(format_rfc3339(expires_ms)));
    payload.insert("environment".into(), json!(environment));
    for (key, value) in document {
        if key != "schema" && !METADATA.contains(&key.as_str()) {
            payload.insert(key, value);
        }
    }
    let payload = serde_json::to_vec(&Value::Object(payload))
        .map_err(|e| Failure::rejected(Some(path), "INVALID_FORMAT", "", e.to_string()))?;
    let signatures = signers
        .iter()
        .map(|(id, key)| signature(id, key, &payload))
        .collect();
    let envelope = envelope(&payload, signatures);

    self_check(path, &envelope, signers, environment, issued_ms)?;
    let ids: Vec<&str> = signers.iter().map(|(id, _)| id.as_str()).collect();
    let summary = format!(
        "version {version}, environment {environment}, issued {}, expires {}, signed by {}",
        format_rfc3339(issued_ms),
        format_rfc3339(expires_ms),
        ids.join(", ")
    );
    Ok((envelope, summary))
}

/// Adds signatures over the same payload to an existing envelope.
fn cosign(path: &Path, signers: &[(String, SigningKey)]) -> Result<(Value, String), Failure> {
    let bytes = read(path)?;
    let parsed = Envelope::parse(&bytes).map_err(|e| Failure::library(path, &e))?;
    if parsed.payload_type() != PAYLOAD_TYPE {
        return Err(Failure::rejected(
            Some(path),
            "WRONG_PAYLOAD_TYPE",
            "/payloadType",
            format!("{:?} is not {PAYLOAD_TYPE}", parsed.payload_type()),
        ));
    }
    // The payload must still be a ruleset the library loads.
    Ruleset::from_json(parsed.payload()).map_err(|e| {
        let mut failure = Failure::library(path, &e);
        failure.path = format!("payload{}", failure.path);
        failure
    })?;
    let document: Value = serde_json::from_slice(&bytes)
        .map_err(|e| Failure::rejected(Some(path), "MALFORMED_ENVELOPE", "", e.to_string()))?;
    let mut signatures: Vec<Value> = document
        .get("signatures")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (id, _) in signers {
        if signatures
            .iter()
            .any(|s| s.get("keyid").and_then(Value::as_str) == Some(id))
        {
            return Err(Failure::rejected(
                Some(path),
                "DUPLICATE_SIGNATURE",
                "/signatures",
                format!("already has a signature with keyid {id:?}"),
            ));
        }
    }
    let added: Vec<Value> = signers
        .iter()
        .map(|(id, key)| signature(id, key, parsed.payload()))
        .collect();
    let count = signatures.len() + added.len();
    signatures.extend(added);
    if count > darklaunch::limits::MAX_SIGNATURES {
        return Err(Failure::rejected(
            Some(path),
            "SIGNATURE_COUNT",
            "/signatures",
            format!(
                "{count} signatures (at most {})",
                darklaunch::limits::MAX_SIGNATURES
            ),
        ));
    }
    let envelope = envelope(parsed.payload(), signatures);
    // The signed fields, for the self-check (the library reports any that are missing).
    let payload: Value = serde_json::from_slice(parsed.payload()).unwrap_or(Value::Null);
    let environment = payload
        .get("environment")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let issued_ms = payload
        .get("issued_at")
        .and_then(Value::as_str)
        .and_then(darklaunch::parse_rfc3339_ms)
        .unwrap_or_default();
    self_check(path, &envelope, signers, environment, issued_ms)?;
    let ids: Vec<&str> = signers.iter().map(|(id, _)| id.as_str()).collect();
    let summary = format!(
        "added signatures by {} to {} ({count} in all)",
        ids.join(", "),
        path.display()
    );
    Ok((envelope, summary))
}

/// One `{keyid, sig}`: Ed25519 over the DSSE pre-authentication encoding.
fn signature(id: &str, key: &SigningKey, payload: &[u8]) -> Value {
    let sig = key.sign(&pae(PAYLOAD_TYPE, payload));
    json!({ "keyid": id, "sig": encode_base64(&sig.to_bytes()) })
}

fn envelope(payload: &[u8], signatures: Vec<Value>) -> Value {
    json!({
        "payload": encode_base64(payload),
        "payloadType": PAYLOAD_TYPE,
        "signatures": signatures,
    })
}

/// The envelope verifies with the library under exactly the signing keys (all of them), at
/// the issue time, for its environment: `sign` never writes what hosts would refuse.
fn self_check(
    file: &Path,
    envelope: &Value,
    signers: &[(String, SigningKey)],
    environment: &str,
    issued_ms: i64,
) -> Result<(), Failure> {
    let keyring = keyring_of(signers)?;
    let policy = Policy::new(environment, issued_ms);
    verify(envelope.to_string().as_bytes(), &keyring, &policy).map_err(|e| Failure::library(file, &e))?;
    Ok(())
}

fn keyring_of(signers: &[(String, SigningKey)]) -> Result<Keyring, Failure> {
    let mut keyring = Keyring::new();
    for (id, key) in signers {
        keyring
            .add(id, key.verifying_key().as_bytes())
            .map_err(|e| Failure::usage("--key-id", e.detail().to_string()))?;
    }
    keyring
        .set_threshold(signers.len())
        .map_err(|e| Failure::usage("--key", e.detail().to_string()))?;
    Ok(keyring)
}

/// Environments follow the ruleset's key rules: 1-128 bytes of A-Z a-z 0-9 . _ - :.
fn check_environment(environment: &str) -> Result<(), Failure> {
    let valid = !environment.is_empty()
        && environment.len() <= 128
        && environment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b':'));
    if valid {
        Ok(())
    } else {
        Err(Failure::usage(
            "--environment",
            format!("{environment:?}: 1-128 bytes of A-Z a-z 0-9 . _ - :"),
        ))
    }
}
