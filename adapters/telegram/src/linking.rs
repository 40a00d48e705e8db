//! Linking a Telegram account to an existing customer user with a one-time code.
//!
//! The portal or the API calls [`issue_link_code`] for a signed-in customer user and shows the code
//! (or the deep link `https://t.me/<bot>?start=<code>`); the user sends `/start <code>` or
//! `/link <code>` to the bot, which adds the Telegram identity to that customer user.

use crate::error::TelegramError;
use crate::identity::bound_user;
use chamado::{Engine, LinkRefusal, Timestamp};
use std::time::Duration;

/// Characters of link codes: no look-alikes (0/O, 1/I/L).
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Length of link codes.
const CODE_LEN: usize = 10;
/// The network link codes are kept under.
const NETWORK: &str = "telegram";

/// A code that links a Telegram account to a customer user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkCode {
    /// The code the user sends to the bot.
    pub code: String,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// Issues a one-time code for customer user `login`, valid for `ttl` (use
/// [`crate::TelegramConfig::link_code_ttl`]). The user sends `/start <code>` or `/link <code>`.
pub async fn issue_link_code(engine: &Engine, login: &str, ttl: Duration) -> Result<LinkCode, TelegramError> {
    let mut raw = [0u8; CODE_LEN];
    getrandom::fill(&mut raw).map_err(|e| TelegramError::Config(format!("no randomness for link codes: {e}")))?;
    let code: String = raw.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect();
    let expires_at = engine.issue_link_code(NETWORK, login, &code, ttl).await?;
    Ok(LinkCode { code, expires_at })
}

/// Redeems `code` for the Telegram `identity`: the identity moves to the code's customer user (from an
/// auto-created `tg:` user, if it had one). Returns the login now bound.
pub async fn redeem_link_code(
    engine: &Engine,
    code: &str,
    identity: &str,
) -> Result<Result<String, LinkRefusal>, TelegramError> {
    // Codes are shown in capitals; people type them as they like.
    let code = code.trim().to_uppercase();
    let previous = bound_user(engine, identity).await?;
    let bound = engine.redeem_link_code(NETWORK, &code, identity).await?;
    if let (Ok(to), Some(from)) = (&bound, previous)
        && from.login != *to
    {
        tracing::info!(from = from.login, to = to.as_str(), identity, "telegram identity moved");
    }
    Ok(bound)
}
