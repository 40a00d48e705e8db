//! Znuny's own bcrypt strings, `BCRYPT:<cost>:<salt>:<hash>`: the 16 characters of the salt are the 16
//! raw salt octets, and the hash is the 23 octets of `Crypt::Eksblowfish::Bcrypt::bcrypt_hash` with
//! `key_nul` (the password gets a NUL appended, then is cut to 72 octets) in bcrypt's base64 alphabet,
//! unpadded. Not the `$2a$`/`$2b$` modular format.

use super::same_bytes;
use base64::Engine as _;
use base64::alphabet::BCRYPT;
use base64::engine::GeneralPurpose;
use base64::engine::general_purpose::NO_PAD;

/// How such strings start.
pub(super) const PREFIX: &str = "BCRYPT:";

/// The costs Crypt::Eksblowfish takes (2^cost rounds); a greater one fails there, so it never matches.
const MAX_COST: u32 = 31;

/// The longest key bcrypt uses, in octets.
const MAX_KEY: usize = 72;

/// The octets of the hash Znuny keeps: bcrypt's 24 less the last.
const HASH_OCTETS: usize = 23;

/// bcrypt's base64: `./A-Za-z0-9`, no padding.
const EN_BASE64: GeneralPurpose = GeneralPurpose::new(&BCRYPT, NO_PAD);

/// True when `stored` is Znuny's bcrypt of `password`. Cost and salt come from `stored` itself, so only
/// the hash part is compared.
pub(super) fn verify(password: &[u8], stored: &str) -> bool {
    let Some((cost, salt, hash)) = parse(stored) else { return false };
    let mut key = password.to_vec();
    key.push(0);
    key.truncate(MAX_KEY);
    let octets = bcrypt::bcrypt(cost, salt, &key);
    let computed = EN_BASE64.encode(&octets[..HASH_OCTETS]);
    same_bytes(computed.as_bytes(), hash.as_bytes())
}

/// Cost, salt and hash text of `BCRYPT:<decimal cost>:<16 ASCII characters>:<hash>`.
fn parse(stored: &str) -> Option<(u32, [u8; 16], &str)> {
    let rest = stored.strip_prefix(PREFIX)?;
    let (cost, rest) = rest.split_once(':')?;
    if cost.is_empty() || !cost.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Leading zeros are fine (Perl reads "09" as 9); a number too long for u32 is out of range anyway.
    let cost: u32 = cost.parse().ok().filter(|c| *c <= MAX_COST)?;
    let salt: [u8; 16] = rest.as_bytes().get(..16)?.try_into().ok()?;
    if !salt.is_ascii() || rest.as_bytes().get(16) != Some(&b':') {
        return None;
    }
    Some((cost, salt, rest.get(17..)?))
}
