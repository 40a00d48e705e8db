//! Linking a Telegram account to an existing customer user with a one-time code.
//!
//! The portal or the API calls [`issue_link_code`] for a signed-in customer user and shows the code
//! (or the deep link `https://t.me/<bot>?start=<code>`); the user sends `/start <code>` or
//! `/link <code>` to the bot, which adds the Telegram identity to that customer user.

use crate::error::TelegramError;
use chamado::{Actor, Engine, Timestamp};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Characters of link codes: no look-alikes (0/O, 1/I/L).
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Length of link codes.
const CODE_LEN: usize = 10;

/// A code that links a Telegram account to a customer user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkCode {
    /// The code the user sends to the bot.
    pub code: String,
    /// When it stops working.
    pub expires_at: Timestamp,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredCode {
    login: String,
    expires_at: i64,
}

fn key(code: &str) -> String {
    format!("telegram:link:{code}")
}

/// Issues a one-time code for customer user `login`, valid for `ttl` (use
/// [`crate::TelegramConfig::link_code_ttl`]). The user sends `/start <code>` or `/link <code>`.
pub async fn issue_link_code(engine: &Engine, login: &str, ttl: Duration) -> Result<LinkCode, TelegramError> {
    match engine.customer_user(login).await? {
        Some(u) if u.valid => {}
        _ => return Err(chamado::Error::NotFound(format!("customer user {login:?}")).into()),
    }
    let mut raw = [0u8; CODE_LEN];
    getrandom::fill(&mut raw).map_err(|e| TelegramError::Config(format!("no randomness for link codes: {e}")))?;
    let code: String = raw.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect();
    let expires_at = engine.now().plus(ttl);
    let stored = StoredCode { login: login.to_string(), expires_at: expires_at.0 };
    let bytes = serde_json::to_vec(&stored).map_err(|e| TelegramError::Config(e.to_string()))?;
    engine.store().put_meta(&key(&code), Some(bytes)).await?;
    Ok(LinkCode { code, expires_at })
}

/// Why a link code was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkRefusal {
    /// Unknown, used or expired.
    InvalidCode,
    /// The customer user behind the code is gone or invalid.
    UserUnavailable,
}

/// Redeems `code` for the Telegram `identity`: the identity moves to the code's customer user (from an
/// auto-created `tg:` user, if it had one). Returns the login now bound.
pub async fn redeem_link_code(
    engine: &Engine,
    code: &str,
    identity: &str,
) -> Result<Result<String, LinkRefusal>, TelegramError> {
    let code = code.trim().to_uppercase();
    if code.is_empty() || code.len() > 64 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Ok(Err(LinkRefusal::InvalidCode));
    }
    let Some(bytes) = engine.store().meta(&key(&code)).await? else { return Ok(Err(LinkRefusal::InvalidCode)) };
    let Ok(stored) = serde_json::from_slice::<StoredCode>(&bytes) else {
        engine.store().put_meta(&key(&code), None).await?;
        return Ok(Err(LinkRefusal::InvalidCode));
    };
    if engine.now().0 > stored.expires_at {
        engine.store().put_meta(&key(&code), None).await?;
        return Ok(Err(LinkRefusal::InvalidCode));
    }
    let mut target = match engine.customer_user(&stored.login).await? {
        Some(u) if u.valid => u,
        _ => return Ok(Err(LinkRefusal::UserUnavailable)),
    };
    let admin = engine.admin(&Actor::System).await?;
    if let Some(mut previous) = engine.store().customer_user_by_lookup(identity).await?
        && previous.login != target.login
    {
        previous.identities.retain(|i| i != identity);
        admin.put_customer_user(previous.clone()).await?;
        tracing::info!(from = previous.login, to = target.login, identity, "telegram identity moved");
    }
    if !target.identities.iter().any(|i| i == identity) {
        target.identities.push(identity.to_string());
        admin.put_customer_user(target.clone()).await?;
    }
    engine.store().put_meta(&key(&code), None).await?;
    Ok(Ok(target.login))
}
