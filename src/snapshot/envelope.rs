//! The DSSE envelope: strict parsing and the pre-authentication encoding (PAE) that is signed.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, ErrorKind};
use crate::limits::{MAX_ENVELOPE_BYTES, MAX_KEY_BYTES, MAX_SIGNATURES};
use crate::ruleset::json::{array, fields, need, optional, JsonError, Reader};
use crate::text::{concat, decimal};

/// The only payload type darklaunch signs and accepts.
pub const PAYLOAD_TYPE: &str = "application/vnd.darklaunch.snapshot.v1+json";

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Not a symbol of the alphabet: every value with one of the top two bits set.
const INVALID: u8 = 0xff;

/// Symbol → sextet, for one alphabet.
#[allow(clippy::indexing_slicing)] // const evaluation: an index out of bounds fails the build
const fn alphabet(url_safe: bool) -> [u8; 256] {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[STANDARD[i] as usize] = i as u8;
        i += 1;
    }
    if url_safe {
        table[b'+' as usize] = INVALID;
        table[b'/' as usize] = INVALID;
        table[b'-' as usize] = 62;
        table[b'_' as usize] = 63;
    }
    table
}

static STANDARD_ALPHABET: [u8; 256] = alphabet(false);
static URL_SAFE_ALPHABET: [u8; 256] = alphabet(true);

/// Base64 in either alphabet (DSSE allows both, one per string), padded or not; padding
/// beyond the last group and non-canonical trailing bits are refused. Hand-written (a table
/// and a loop over groups of four) rather than the `base64` crate's generic engine, to keep
/// the wasm module small.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let unpadded = bytes.iter().rposition(|&b| b != b'=').map_or(0, |last| last + 1);
    let data = bytes.get(..unpadded).unwrap_or_default();
    let tail = data.len() % 4;
    if tail == 1 || text.len() - data.len() > (4 - tail) % 4 {
        return None;
    }
    let table = if data.iter().any(|b| matches!(b, b'-' | b'_')) {
        &URL_SAFE_ALPHABET
    } else {
        &STANDARD_ALPHABET
    };
    let sextet = |byte: u8| u32::from(table.get(usize::from(byte)).copied().unwrap_or(INVALID));
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 2);
    let mut groups = data.chunks_exact(4);
    for group in &mut groups {
        if let [a, b, c, d] = *group {
            let (a, b, c, d) = (sextet(a), sextet(b), sextet(c), sextet(d));
            if (a | b | c | d) > 63 {
                return None;
            }
            let n = a << 18 | b << 12 | c << 6 | d;
            out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
        }
    }
    // The last 2 or 3 symbols: 1 or 2 bytes, and the unused low bits must be zero.
    let (mut bits, mut count) = (0u32, 0u32);
    for &byte in groups.remainder() {
        let value = sextet(byte);
        if value > 63 {
            return None;
        }
        bits = bits << 6 | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    (bits == 0).then_some(out)
}

/// Standard base64 with padding, as darklaunch writes it.
pub fn encode_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk
            .iter()
            .zip([16, 8, 0])
            .fold(0u32, |group, (&byte, shift)| group | u32::from(byte) << shift);
        for i in 0..4 {
            let symbol = STANDARD.get((group >> (18 - 6 * i) & 63) as usize);
            out.push(match symbol {
                Some(&symbol) if i <= chunk.len() => char::from(symbol),
                _ => '=',
            });
        }
    }
    out
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
                concat(&[&decimal(bytes.len() as u64), " bytes"]),
            ));
        }
        let wire = read_envelope(bytes).map_err(|e| malformed(e.describe()))?;
        if wire.signatures.is_empty() || wire.signatures.len() > MAX_SIGNATURES {
            return Err(Error::new(
                ErrorKind::SignatureCount,
                String::from("/signatures"),
                concat(&[
                    &decimal(wire.signatures.len() as u64),
                    " signatures (1 to ",
                    &decimal(MAX_SIGNATURES as u64),
                    " allowed)",
                ]),
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
    let header = concat(&[
        "DSSEv1 ",
        &decimal(payload_type.len() as u64),
        " ",
        payload_type,
        " ",
        &decimal(payload.len() as u64),
        " ",
    ]);
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

    #[test]
    fn encoding_is_standard_and_padded() {
        for (bytes, text) in [
            (&b""[..], ""),
            (b"h", "aA=="),
            (b"hi", "aGk="),
            (b"hi!", "aGkh"),
            (&[0xfb, 0xff], "+/8="),
        ] {
            assert_eq!(encode_base64(bytes), text);
            assert_eq!(decode_base64(text).as_deref(), Some(bytes));
        }
    }

    /// The hand-written decoder accepts exactly what the `base64` crate accepts with the
    /// configuration darklaunch used before (either alphabet, padding indifferent, canonical
    /// trailing bits), and decodes it to the same bytes.
    #[cfg(not(target_arch = "wasm32"))]
    mod reference {
        use super::super::decode_base64;
        use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
        use base64::engine::DecodePaddingMode;
        use base64::{alphabet, Engine};
        use proptest::prelude::*;

        const LENIENT: GeneralPurposeConfig =
            GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
        const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
        const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

        fn reference(text: &str) -> Option<alloc::vec::Vec<u8>> {
            STANDARD.decode(text).or_else(|_| URL_SAFE.decode(text)).ok()
        }

        #[test]
        fn every_short_string_over_a_tricky_alphabet() {
            let symbols = ['A', 'Q', 'g', 'w', '+', '/', '-', '_', '=', '!'];
            let mut level = alloc::vec![alloc::string::String::new()];
            let mut texts = level.clone();
            for _ in 0..5 {
                level = level
                    .iter()
                    .flat_map(|t| symbols.iter().map(move |c| alloc::format!("{t}{c}")))
                    .collect();
                texts.extend(level.iter().cloned());
            }
            for text in &texts {
                assert_eq!(decode_base64(text), reference(text), "{text:?}");
            }
        }

        proptest! {
            #[test]
            fn random_strings(text in "[A-Za-z0-9+/_=-]{0,40}") {
                prop_assert_eq!(decode_base64(&text), reference(&text));
            }

            #[test]
            fn encodings_of_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..64), url in any::<bool>(), pad in any::<bool>()) {
                let engine = if url { base64::engine::general_purpose::URL_SAFE } else { base64::engine::general_purpose::STANDARD };
                let mut text = engine.encode(&bytes);
                if !pad {
                    text = alloc::string::String::from(text.trim_end_matches('='));
                }
                prop_assert_eq!(decode_base64(&text), Some(bytes));
            }
        }
    }
}
