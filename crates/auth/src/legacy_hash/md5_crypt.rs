//! md5-crypt (Poul-Henning Kamp's FreeBSD scheme, `$1$`) and its Apache variant (`$apr1$`), which
//! differs in the magic string only: what Perl's `Crypt::PasswdMD5` computes for OTRS and Znuny.

use super::same_bytes;
use md5::{Digest, Md5};

/// The magic string of md5-crypt.
pub(super) const MAGIC: &str = "$1$";
/// The magic string of Apache's variant.
pub(super) const APR1_MAGIC: &str = "$apr1$";

/// The longest salt the scheme uses: a longer one is cut, so a stored hash with one never matches.
const MAX_SALT: usize = 8;

/// The crypt alphabet, in the order of its 6-bit values.
const ITOA64: &[u8; 64] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// True when `stored` (`<magic><salt>$<22 characters>`) is the md5-crypt of `password`. The whole
/// string is computed again and compared, as Znuny does, so anything but the canonical form fails.
pub(super) fn verify(password: &[u8], stored: &str, magic: &str) -> bool {
    let Some(rest) = stored.strip_prefix(magic) else { return false };
    let Some((salt, _)) = rest.split_once('$') else { return false };
    if salt.is_empty() || salt.len() > MAX_SALT {
        return false;
    }
    same_bytes(&crypt(password, salt.as_bytes(), magic.as_bytes()), stored.as_bytes())
}

/// The md5-crypt string of `password` with `salt` (at most 8 octets, no `$`) and `magic`.
fn crypt(password: &[u8], salt: &[u8], magic: &[u8]) -> Vec<u8> {
    let alternate = Md5::new().chain_update(password).chain_update(salt).chain_update(password).finalize();
    let mut ctx = Md5::new().chain_update(password).chain_update(magic).chain_update(salt);
    for chunk in password.chunks(alternate.len()) {
        ctx.update(&alternate[..chunk.len()]);
    }
    // The scheme's odd step: a NUL for each set bit of the length, the first password octet otherwise.
    let mut bits = password.len();
    while bits > 0 {
        if bits & 1 == 1 {
            ctx.update([0u8]);
        } else {
            ctx.update(&password[..1]);
        }
        bits >>= 1;
    }
    let mut sum = ctx.finalize();
    // A thousand rounds, to make guessing slower (by 1990s measures).
    for round in 0..1000 {
        let mut ctx = Md5::new();
        if round % 2 == 1 {
            ctx.update(password);
        } else {
            ctx.update(sum);
        }
        if round % 3 != 0 {
            ctx.update(salt);
        }
        if round % 7 != 0 {
            ctx.update(password);
        }
        if round % 2 == 1 {
            ctx.update(sum);
        } else {
            ctx.update(password);
        }
        sum = ctx.finalize();
    }
    let mut out = Vec::with_capacity(magic.len() + salt.len() + 23);
    out.extend_from_slice(magic);
    out.extend_from_slice(salt);
    out.push(b'$');
    for (a, b, c) in [(0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5)] {
        let value = u32::from(sum[a]) << 16 | u32::from(sum[b]) << 8 | u32::from(sum[c]);
        push_base64(&mut out, value, 4);
    }
    push_base64(&mut out, u32::from(sum[11]), 2);
    out
}

/// Appends the `count` low 6-bit groups of `value`, lowest first, in the crypt alphabet.
fn push_base64(out: &mut Vec<u8>, mut value: u32, count: usize) {
    for _ in 0..count {
        out.push(ITOA64[(value & 0x3f) as usize]);
        value >>= 6;
    }
}
