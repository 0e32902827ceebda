//! The DSSE envelope: strict parsing and the pre-authentication encoding (PAE) that is signed.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use crate::error::{Error, ErrorKind};
use crate::limits::{MAX_ENVELOPE_BYTES, MAX_KEY_BYTES, MAX_SIGNATURES};
use crate::ruleset::json::{array, fields, need, optional, JsonError, Reader};

/// The only payload type darklaunch signs and accepts.
pub const PAYLOAD_TYPE: &str = "application/vnd.darklaunch.snapshot.v1+json";

const LENIENT_PADDING: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT_PADDING);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT_PADDING);

/// Base64 in either alphabet (DSSE allows both), padded or not; non-canonical trailing bits
/// are refused.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).or_else(|_| URL_SAFE.decode(text)).ok()
}

/// Standard base64 with padding, as darklaunch writes it.
pub fn encode_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The envelope's fields as written: base64 text not yet decoded.
struct WireEnvelope<'a> {
    payload: Cow<'a, str>,
    payload_type: Cow<'a, str>,
    signatures: Vec<WireSignature<'a>>,
}

struct WireSignature<'a> {
    keyid: Option<Cow<'a, str>>,
    sig: Cow<'a, str>,
}

fn read_envelope(bytes: &[u8]) -> Result<WireEnvelope<'_>, JsonError> {
    const FIELDS: &[&str] = &["payload", "payloadType", "signatures"];
    let mut reader = Reader::new(bytes);
    let (mut payload, mut payload_type, mut signatures) = (None, None, None);
    fields(&mut reader, FIELDS, |r, i| {
        match i {
            0 => payload = Some(r.string()?),
            1 => payload_type = Some(r.string()?),
            _ => signatures = Some(array(r, read_signature)?),
        }
        Ok(())
    })?;
    let envelope = WireEnvelope {
        payload: need(&reader, payload, "payload")?,
        payload_type: need(&reader, payload_type, "payloadType")?,
        signatures: need(&reader, signatures, "signatures")?,
    };
    reader.end()?;
    Ok(envelope)
}

fn read_signature<'a>(reader: &mut Reader<'a>) -> Result<WireSignature<'a>, JsonError> {
    let (mut keyid, mut sig) = (None, None);
    fields(reader, &["keyid", "sig"], |r, i| {
        match i {
            0 => keyid = optional(r, Reader::string)?,
            _ => sig = Some(r.string()?),
        }
        Ok(())
    })?;
    Ok(WireSignature {
        keyid,
        sig: need(reader, sig, "sig")?,
    })
}

/// A parsed envelope: the payload bytes exactly as signed, and the signatures. Nothing here
/// is trusted yet.
#[derive(Debug)]
pub struct Envelope {
    pub(crate) payload: Vec<u8>,
    pub(crate) payload_type: String,
    pub(crate) signatures: Vec<Signature>,
}

/// One signature: a key id hint and the signature bytes (any length: a wrong length simply
/// never verifies).
#[derive(Debug)]
pub(crate) struct Signature {
    pub keyid: Option<String>,
    pub sig: Vec<u8>,
}

fn malformed(detail: impl Into<String>) -> Error {
    Error::new(ErrorKind::MalformedEnvelope, String::new(), detail.into())
}

impl Envelope {
    /// Parses an envelope strictly: size cap, no unknown or duplicate fields, no trailing
    /// data, 1 to `MAX_SIGNATURES` signatures, base64 that decodes.
    pub fn parse(bytes: &[u8]) -> Result<Envelope, Error> {
        if bytes.len() > MAX_ENVELOPE_BYTES {
            return Err(Error::new(
                ErrorKind::EnvelopeTooLarge,
                String::new(),
                alloc::format!("{} bytes", bytes.len()),
            ));
        }
        let wire = read_envelope(bytes).map_err(|e| malformed(alloc::format!("{e}")))?;
        if wire.signatures.is_empty() || wire.signatures.len() > MAX_SIGNATURES {
            return Err(Error::new(
                ErrorKind::SignatureCount,
                String::from("/signatures"),
                alloc::format!(
                    "{} signatures (1 to {MAX_SIGNATURES} allowed)",
                    wire.signatures.len()
                ),
            ));
        }
        let payload = decode_base64(&wire.payload).ok_or_else(|| malformed("payload is not base64"))?;
        let mut signatures = Vec::with_capacity(wire.signatures.len());
        for signature in wire.signatures {
            if signature
                .keyid
                .as_ref()
                .is_some_and(|id| id.len() > MAX_KEY_BYTES)
            {
                return Err(malformed("keyid too long"));
            }
            let sig = decode_base64(&signature.sig).ok_or_else(|| malformed("sig is not base64"))?;
            signatures.push(Signature {
                keyid: signature.keyid.map(Cow::into_owned),
                sig,
            });
        }
        Ok(Envelope {
            payload,
            payload_type: wire.payload_type.into_owned(),
            signatures,
        })
    }

    /// The payload bytes, exactly as signed (not yet verified).
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The declared payload type.
    pub fn payload_type(&self) -> &str {
        &self.payload_type
    }
}

/// DSSE's pre-authentication encoding, the bytes an Ed25519 signature covers:
/// `"DSSEv1" SP len(type) SP type SP len(body) SP body`, lengths in ASCII decimal.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let header = alloc::format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    );
    let mut message = Vec::with_capacity(header.len() + payload.len());
    message.extend_from_slice(header.as_bytes());
    message.extend_from_slice(payload);
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn pae_matches_the_dsse_spec_example() {
        // From the DSSE protocol description.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
    }

    #[test]
    fn both_base64_alphabets_decode() {
        assert_eq!(decode_base64("+/+/"), Some(vec![0xfb, 0xff, 0xbf]));
        assert_eq!(decode_base64("-_-_"), Some(vec![0xfb, 0xff, 0xbf]));
        assert_eq!(decode_base64("aGk="), Some(b"hi".to_vec()));
        assert_eq!(decode_base64("aGk"), Some(b"hi".to_vec()));
        assert_eq!(decode_base64("aGl="), None, "non-canonical trailing bits");
        assert_eq!(decode_base64("a!b="), None);
    }
}
