//! Standard Webhooks signatures (<https://www.standardwebhooks.com>): `v1,` and the base64 of
//! HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the secret's bytes (the base64
//! after `whsec_`), one per active secret, separated by spaces.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The prefix of Standard Webhooks secrets.
pub const SECRET_PREFIX: &str = "whsec_";

/// Why a request cannot be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigningError {
    /// A secret is not `whsec_` followed by standard base64 of at least one byte.
    #[error("a signing secret is not `whsec_` followed by base64")]
    BadSecret,
    /// The subscription has no active secret.
    #[error("the subscription has no active signing secret")]
    NoSecret,
}

/// The key bytes of `secret` (`whsec_` + base64; the prefix may be left out, as the specification's
/// libraries allow).
pub fn decode_secret(secret: &str) -> Result<Vec<u8>, SigningError> {
    let b64 = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    let key = STANDARD.decode(b64.trim()).map_err(|_| SigningError::BadSecret)?;
    if key.is_empty() {
        return Err(SigningError::BadSecret);
    }
    Ok(key)
}

/// One signature: `v1,` + base64(HMAC-SHA256(key, `{id}.{timestamp}.{body}`)).
pub fn sign(key: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    // HMAC takes keys of any length: this cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else { return String::new() };
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// The `webhook-signature` header's value: one signature per secret, in the order given, separated by
/// spaces, so a receiver that knows any one of the secrets (old or new, during a rotation) can verify.
pub fn signature_header(secrets: &[String], id: &str, timestamp: i64, body: &str) -> Result<String, SigningError> {
    if secrets.is_empty() {
        return Err(SigningError::NoSecret);
    }
    let mut signatures = Vec::with_capacity(secrets.len());
    for secret in secrets {
        signatures.push(sign(&decode_secret(secret)?, id, timestamp, body));
    }
    Ok(signatures.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The specification's published test vector (also in its reference libraries' tests).
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TIMESTAMP: i64 = 1_614_265_330;
    const BODY: &str = r#"{"test": 2432232314}"#;
    const EXPECTED: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn the_specification_test_vector_is_reproduced() {
        let key = decode_secret(SECRET).unwrap();
        assert_eq!(sign(&key, ID, TIMESTAMP, BODY), EXPECTED);
        assert_eq!(signature_header(&[SECRET.to_string()], ID, TIMESTAMP, BODY).unwrap(), EXPECTED);
    }

    #[test]
    fn any_change_to_id_timestamp_or_body_changes_the_signature() {
        let key = decode_secret(SECRET).unwrap();
        assert_ne!(sign(&key, "msg_other", TIMESTAMP, BODY), EXPECTED);
        assert_ne!(sign(&key, ID, TIMESTAMP + 1, BODY), EXPECTED);
        assert_ne!(sign(&key, ID, TIMESTAMP, r#"{"test": 2432232315}"#), EXPECTED);
    }

    #[test]
    fn every_secret_signs_in_order_and_bad_secrets_are_refused() {
        let other = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        let header = signature_header(&[other.to_string(), SECRET.to_string()], ID, TIMESTAMP, BODY).unwrap();
        let parts: Vec<&str> = header.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1], EXPECTED);
        assert!(parts[0].starts_with("v1,") && parts[0] != EXPECTED);
        assert_eq!(signature_header(&[], ID, TIMESTAMP, BODY), Err(SigningError::NoSecret));
        assert_eq!(signature_header(&["whsec_!!".into()], ID, TIMESTAMP, BODY), Err(SigningError::BadSecret));
        assert_eq!(decode_secret("whsec_"), Err(SigningError::BadSecret));
        assert_eq!(decode_secret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap(), decode_secret(SECRET).unwrap());
    }
}
