//! Linking a Telegram account to an existing customer user, or an agent's private chat to that agent,
//! with a one-time code.
//!
//! The portal or the API calls [`issue_link_code`] for a signed-in customer user and shows the code
//! (or the deep link `https://t.me/<bot>?start=<code>`); the user sends `/start <code>` or
//! `/link <code>` to the bot, which adds the Telegram identity to that customer user.
//!
//! An agent gets a code from the console or the API ([`chamado::Engine::issue_agent_link_code`], or
//! [`issue_agent_link_code`] here) and sends `/link <code>` in a private chat with the bot: that chat
//! becomes the agent's [`chamado::Agent::telegram_chat`], where the agent's Telegram notifications go.
//! The bot tries a code as an agent's first ([`redeem_agent_link_code`]), then as a customer user's.

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
    let code = fresh_code()?;
    let expires_at = engine.issue_link_code(NETWORK, login, &code, ttl).await?;
    Ok(LinkCode { code, expires_at })
}

/// A random code of [`CODE_LEN`] characters of [`ALPHABET`].
fn fresh_code() -> Result<String, TelegramError> {
    let mut raw = [0u8; CODE_LEN];
    getrandom::fill(&mut raw).map_err(|e| TelegramError::Config(format!("no randomness for link codes: {e}")))?;
    Ok(raw.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect())
}

/// Issues a one-time code with which valid agent `login` links a private chat with the bot, valid for
/// `ttl`. The agent sends `/link <code>` there.
pub async fn issue_agent_link_code(engine: &Engine, login: &str, ttl: Duration) -> Result<LinkCode, TelegramError> {
    let code = fresh_code()?;
    let expires_at = engine.issue_agent_link_code(NETWORK, login, &code, ttl).await?;
    Ok(LinkCode { code, expires_at })
}

/// Redeems an agent's `code` from chat `chat_id`: the chat becomes the agent's notification chat.
/// Returns the agent's login; [`LinkRefusal::InvalidCode`] for any code that is not a live agent's
/// code (a customer user's code is left unused for [`redeem_link_code`]).
///
/// The code is tried as typed and, when that differs, in capitals (the shape codes are shown in):
/// codes of other makers may hold small letters, people retype the capitals as they like.
pub async fn redeem_agent_link_code(
    engine: &Engine,
    code: &str,
    chat_id: i64,
) -> Result<Result<String, LinkRefusal>, TelegramError> {
    let typed = code.trim();
    let chat = chat_id.to_string();
    let first = engine.redeem_agent_link_code(NETWORK, typed, &chat).await?;
    let capitals = typed.to_uppercase();
    if first != Err(LinkRefusal::InvalidCode) || capitals == typed {
        return Ok(first);
    }
    Ok(engine.redeem_agent_link_code(NETWORK, &capitals, &chat).await?)
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
