//! Ed25519 private keys as PKCS#8 PEM, written and read by hand (no `pkcs8`/`pem` features).
//!
//! An Ed25519 private key in PKCS#8 v1 (RFC 8410 §7) is always the same 48 bytes of DER: a
//! fixed 16-byte prefix and the 32-byte seed.
//!
//! ```text
//! 30 2e                      SEQUENCE, 46 bytes
//!    02 01 00                INTEGER 0 (version v1)
//!    30 05 06 03 2b 65 70    SEQUENCE { OID 1.3.101.112 (id-Ed25519) }
//!    04 22 04 20 <32 bytes>  OCTET STRING { OCTET STRING seed }
//! ```
//!
//! That is what `openssl genpkey -algorithm ed25519` and Node's `generateKeyPairSync('ed25519')`
//! write, under the PEM label `PRIVATE KEY`. Anything else (encrypted keys, PKCS#8 v2 with an
//! embedded public key, other algorithms, public keys) is refused with a message saying what
//! was found.

use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ed25519_dalek::SigningKey;

use crate::output::Failure;

/// The DER before the seed.
pub const PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];
const LABEL: &str = "PRIVATE KEY";

/// The PEM text of a seed.
pub fn encode_pem(seed: &[u8; 32]) -> String {
    let mut der = Vec::with_capacity(48);
    der.extend_from_slice(&PKCS8_PREFIX);
    der.extend_from_slice(seed);
    let body = STANDARD.encode(der); // 64 characters: one line
    format!("-----BEGIN {LABEL}-----\n{body}\n-----END {LABEL}-----\n")
}

/// The seed in a PEM file's text, or what is wrong with it.
pub fn decode_pem(text: &str) -> Result<[u8; 32], String> {
    let mut lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
    let begin = lines.next().unwrap_or_default();
    let Some(label) = begin
        .strip_prefix("-----BEGIN ")
        .and_then(|rest| rest.strip_suffix("-----"))
    else {
        return Err("not a PEM file (no -----BEGIN line)".into());
    };
    match label {
        LABEL => {}
        "ENCRYPTED PRIVATE KEY" => {
            return Err("encrypted private keys are not supported; decrypt with \
                        `openssl pkey -in KEY -out PLAIN.pem` inside the CI job"
                .into())
        }
        "PUBLIC KEY" => return Err("this is a public key; sign needs the private key".into()),
        other => return Err(format!("PEM label {other:?}; expected \"{LABEL}\" (PKCS#8)")),
    }
    let mut body = String::new();
    let mut ended = false;
    for line in lines.by_ref() {
        if line == format!("-----END {LABEL}-----") {
            ended = true;
            break;
        }
        if line.contains(':') {
            return Err("PEM headers (encrypted legacy format) are not supported".into());
        }
        body.push_str(line);
    }
    if !ended {
        return Err(format!("no -----END {LABEL}----- line"));
    }
    if lines.next().is_some() {
        return Err("unexpected text after the -----END line".into());
    }
    let der = STANDARD
        .decode(body.as_bytes())
        .map_err(|e| format!("the PEM body is not base64: {e}"))?;
    let seed = der
        .strip_prefix(&PKCS8_PREFIX)
        .filter(|seed| seed.len() == 32)
        .ok_or_else(|| describe_der(&der))?;
    let mut out = [0u8; 32];
    out.copy_from_slice(seed);
    Ok(out)
}

/// Why DER is not the one shape we accept.
fn describe_der(der: &[u8]) -> String {
    const ED25519_OID: [u8; 5] = [0x06, 0x03, 0x2b, 0x65, 0x70];
    let is_ed25519 = der.windows(ED25519_OID.len()).any(|w| w == ED25519_OID);
    if !is_ed25519 {
        return "not an Ed25519 key (only Ed25519 PKCS#8 keys are supported)".into();
    }
    if der.get(4) == Some(&0x01) || der.get(5) == Some(&0x01) {
        return "an Ed25519 PKCS#8 v2 key (with an embedded public key); export it as PKCS#8 v1 instead (e.g. \
                `openssl pkey -in KEY -out KEY.pem` with OpenSSL 3)"
            .into();
    }
    format!(
        "unexpected DER layout ({} bytes); an Ed25519 PKCS#8 v1 key is 48 bytes starting {}",
        der.len(),
        crate::output::hex(&PKCS8_PREFIX)
    )
}

/// Reads a private key file given to `--key`.
pub fn read_signing_key(path: &Path) -> Result<SigningKey, Failure> {
    let bytes = crate::output::read(path)?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| Failure::rejected(Some(path), "KEY_FORMAT", "--key", "not a text (PEM) file"))?;
    let seed =
        decode_pem(text).map_err(|message| Failure::rejected(Some(path), "KEY_FORMAT", "--key", message))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// A fresh seed from the operating system's random number generator.
pub fn random_seed() -> Result<[u8; 32], Failure> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| Failure {
        exit: crate::output::REJECTED,
        code: "RANDOM".into(),
        file: None,
        path: String::new(),
        message: format!("the operating system's random number generator failed: {e}"),
    })?;
    Ok(seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_round_trip() {
        let seed = [7u8; 32];
        let pem = encode_pem(&seed);
        assert_eq!(decode_pem(&pem), Ok(seed));
        assert_eq!(decode_pem(&pem.replace('\n', "\r\n")), Ok(seed));
    }

    #[test]
    fn the_rfc_8410_example_decodes() {
        // RFC 8410 §10.3.
        let pem = "-----BEGIN PRIVATE KEY-----\n\
                   MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n\
                   -----END PRIVATE KEY-----\n";
        let seed = decode_pem(pem).unwrap_or_default();
        assert_eq!(
            crate::output::hex(&seed),
            "d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842"
        );
    }

    #[test]
    fn other_shapes_are_refused() {
        let v2 = "-----BEGIN PRIVATE KEY-----\n\
                  MHICAQEwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n\
                  oB8wHQYKKoZIhvcNAQkJFDEPDA1DdXJkbGUgQ2hhaXJzgSEAGb9ECWmEzf6FQbrB\n\
                  Z9w7lshQhqowtrbLDFw4rXAxZuE=\n\
                  -----END PRIVATE KEY-----\n";
        assert!(decode_pem(v2).is_err_and(|e| e.contains("v2")));
        let public = "-----BEGIN PUBLIC KEY-----\n\
                      MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n\
                      -----END PUBLIC KEY-----\n";
        assert!(decode_pem(public).is_err_and(|e| e.contains("public key")));
        assert!(decode_pem(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"
        )
        .is_err_and(|e| e.contains("encrypted")));
        assert!(decode_pem("hello").is_err());
        assert!(decode_pem("-----BEGIN PRIVATE KEY-----\nMC4CAQAw\n").is_err());
        let truncated = encode_pem(&[1; 32]).replace("-----END PRIVATE KEY-----\n", "");
        assert!(decode_pem(&truncated).is_err());
        let trailing = format!("{}junk\n", encode_pem(&[1; 32]));
        assert!(decode_pem(&trailing).is_err());
    }
}
