//! The SHA-256 of a file's bytes: the key under which a store keeps each distinct file once.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

/// The SHA-256 of a file's bytes. Files with the same bytes have the same hash, so a store keeps one
/// copy however many articles carry it (a signature logo on 10,000 mails is stored once).
///
/// Written as 64 lower-case hex digits in text (JSON, URLs) and as 32 raw bytes in compact encodings.
///
/// ```
/// let h = chamado::ContentHash::of(b"abc");
/// assert_eq!(h.to_string(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
/// assert_eq!(h.to_string().parse::<chamado::ContentHash>(), Ok(h));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash(pub [u8; 32]);

impl ContentHash {
    /// The hash of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        ContentHash(Sha256::digest(bytes).into())
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContentHash({self})")
    }
}

/// Why a text is not a [`ContentHash`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a SHA-256 in hex (64 hex digits)")]
pub struct BadContentHash;

impl FromStr for ContentHash {
    type Err = BadContentHash;
    fn from_str(s: &str) -> Result<Self, BadContentHash> {
        let digits = s.as_bytes();
        if digits.len() != 64 {
            return Err(BadContentHash);
        }
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
            let pair = std::str::from_utf8(pair).map_err(|_| BadContentHash)?;
            // `from_str_radix` takes a leading `+`; a hash never has one.
            if !pair.bytes().all(|c| c.is_ascii_hexdigit()) {
                return Err(BadContentHash);
            }
            *byte = u8::from_str_radix(pair, 16).map_err(|_| BadContentHash)?;
        }
        Ok(ContentHash(out))
    }
}

impl TryFrom<&[u8]> for ContentHash {
    type Error = BadContentHash;
    fn try_from(bytes: &[u8]) -> Result<Self, BadContentHash> {
        <[u8; 32]>::try_from(bytes).map(ContentHash).map_err(|_| BadContentHash)
    }
}

impl Serialize for ContentHash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() { serializer.collect_str(self) } else { self.0.serialize(serializer) }
    }
}

impl<'de> Deserialize<'de> for ContentHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            let s = String::deserialize(deserializer)?;
            s.parse().map_err(serde::de::Error::custom)
        } else {
            <[u8; 32]>::deserialize(deserializer).map(ContentHash)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips_and_rejects_everything_else() {
        let h = ContentHash::of(b"paper jam");
        let text = h.to_string();
        assert_eq!(text.len(), 64);
        assert_eq!(text.parse::<ContentHash>(), Ok(h));
        assert_eq!(text.to_uppercase().parse::<ContentHash>(), Ok(h));
        for bad in ["", "ab", &text[1..], &format!("{text}0"), &format!("+{}", &text[1..]), &"g".repeat(64)] {
            assert_eq!(bad.parse::<ContentHash>(), Err(BadContentHash), "{bad:?}");
        }
        assert_eq!(format!("ü{}", &text[2..]).parse::<ContentHash>(), Err(BadContentHash));
    }

    #[test]
    fn json_is_hex_and_distinct_bytes_differ() {
        let h = ContentHash::of(b"a");
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(json, format!("\"{h}\""));
        assert_eq!(serde_json::from_str::<ContentHash>(&json).unwrap(), h);
        assert_ne!(ContentHash::of(b"a"), ContentHash::of(b"b"));
    }
}
