//! Password hashes imported from OTRS 6 and Znuny 6/7 (`users.pw`, `customer_user.pw`), checked the way
//! their `Kernel/System/Auth/DB.pm` and `CustomerAuth/DB.pm` check them, so that people keep their
//! passwords across an import. A login that matches one of them is then stored again as Argon2id
//! ([`crate::password::needs_rehash`]); nothing here writes these formats.
//!
//! Recognised, in the order Znuny tries them: md5-crypt (`$1$salt$…`) and Apache's `$apr1$salt$…`;
//! SHA-256 hex (64 digits, Znuny's default); SHA-512 hex (128); Znuny's own bcrypt
//! (`BCRYPT:<cost>:<16-character salt>:<31 characters>`); SHA-1 hex (40). The password is hashed as its
//! UTF-8 octets, as Znuny's `EncodeOutput` hands it over. An empty password never matches (Znuny
//! refuses it too).
//!
//! Not recognised, so never matching: traditional DES `crypt` (13 characters), Znuny's fallback of
//! `crypt(password, login)` for anything else, and `plain` (CryptType `plain` stores the password
//! itself, which cannot be told apart from a hash). Such users need a new password after an import.

mod md5_crypt;
mod znuny_bcrypt;

use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use subtle::ConstantTimeEq;

/// The legacy hash formats this module checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyFormat {
    /// `$1$salt$hash`: FreeBSD md5-crypt (Perl's `unix_md5_crypt`).
    Md5Crypt,
    /// `$apr1$salt$hash`: Apache's md5-crypt variant (`apache_md5_crypt`).
    AprMd5Crypt,
    /// 64 hex digits: SHA-256 of the password, Znuny's default `sha2` CryptType.
    Sha256,
    /// 128 hex digits: SHA-512 of the password.
    Sha512,
    /// `BCRYPT:cost:salt:hash`: Znuny's bcrypt (`Crypt::Eksblowfish::Bcrypt`, `key_nul`).
    ZnunyBcrypt,
    /// 40 hex digits: SHA-1 of the password.
    Sha1,
}

/// The format of a stored hash, judged by its shape as Znuny judges it; `None` for anything this
/// module cannot check (Argon2 PHC strings included). A recognised shape may still be malformed in its
/// details (a bad salt or cost): such a hash never matches.
pub fn format(stored: &str) -> Option<LegacyFormat> {
    // Znuny sends any 13-character value to DES crypt before looking at its shape.
    if stored.chars().count() == 13 {
        return None;
    }
    if stored.starts_with(md5_crypt::MAGIC) {
        Some(LegacyFormat::Md5Crypt)
    } else if stored.starts_with(md5_crypt::APR1_MAGIC) {
        Some(LegacyFormat::AprMd5Crypt)
    } else if stored.starts_with(znuny_bcrypt::PREFIX) {
        Some(LegacyFormat::ZnunyBcrypt)
    } else if !stored.bytes().all(|b| b.is_ascii_hexdigit()) {
        None
    } else {
        match stored.len() {
            64 => Some(LegacyFormat::Sha256),
            128 => Some(LegacyFormat::Sha512),
            40 => Some(LegacyFormat::Sha1),
            _ => None,
        }
    }
}

/// True when `password` matches `stored`, a hash in one of the [`LegacyFormat`]s. Anything else, a
/// malformed hash and an empty password never match. Comparisons take the same time wherever the
/// first difference is.
pub fn verify(password: &str, stored: &str) -> bool {
    if password.is_empty() {
        return false;
    }
    let pw = password.as_bytes();
    match format(stored) {
        Some(LegacyFormat::Md5Crypt) => md5_crypt::verify(pw, stored, md5_crypt::MAGIC),
        Some(LegacyFormat::AprMd5Crypt) => md5_crypt::verify(pw, stored, md5_crypt::APR1_MAGIC),
        Some(LegacyFormat::Sha256) => same_digest(&Sha256::digest(pw), stored),
        Some(LegacyFormat::Sha512) => same_digest(&Sha512::digest(pw), stored),
        Some(LegacyFormat::ZnunyBcrypt) => znuny_bcrypt::verify(pw, stored),
        Some(LegacyFormat::Sha1) => same_digest(&Sha1::digest(pw), stored),
        None => false,
    }
}

/// True when the hex digits `hex` (either case) spell `digest`.
fn same_digest(digest: &[u8], hex: &str) -> bool {
    match decode_hex(hex) {
        Some(bytes) => bytes.ct_eq(digest).into(),
        None => false,
    }
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    let digit = |b: u8| char::from(b).to_digit(16).and_then(|d| u8::try_from(d).ok());
    let bytes = hex.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes.chunks_exact(2).map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?)).collect()
}

/// Compares two byte strings in time that depends on their lengths only.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests;
