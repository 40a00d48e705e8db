//! Where adapter state lives in the store's key-value area: one place for the key layout, which is the
//! one the adapters used before the engine took their state over, so upgraded installations keep their
//! tokens, sessions, chat states and link codes.
//!
//! Every key is `<adapter or network>:<area>:<rest>`; the first two parts never hold `:`, so keys of
//! different areas cannot collide.

use super::SessionKind;
use crate::error::{Error, Result};
use crate::ids::OutboxId;

/// Longest name part (adapter, network, cursor name, chat or user id) accepted in a key.
const MAX_PART: usize = 200;

/// Checks a part given by an adapter: not empty, short, visible ASCII, and `:`-free when it is not the
/// last part of its key.
pub(super) fn part<'a>(what: &str, value: &'a str, last: bool) -> Result<&'a str> {
    let ok = !value.is_empty()
        && value.len() <= MAX_PART
        && value.bytes().all(|b| b.is_ascii_graphic())
        && (last || !value.contains(':'));
    if ok {
        Ok(value)
    } else {
        let colon = if last { "" } else { ", without ':'" };
        Err(Error::validation(format!("{what} must be 1-{MAX_PART} visible ASCII characters{colon}, not {value:?}")))
    }
}

pub(super) fn api_token(hash: &str) -> String {
    format!("http:agent-token:{hash}")
}

fn session_namespace(kind: SessionKind) -> &'static str {
    match kind {
        SessionKind::Customer => "session",
        SessionKind::Agent => "console-session",
    }
}

pub(super) fn session(kind: SessionKind, hash: &str) -> String {
    format!("http:{}:{hash}", session_namespace(kind))
}

/// The generation of a user's sessions of one kind; revoking them all moves it on.
pub(super) fn session_epoch(kind: SessionKind, login: &str) -> String {
    format!("http:{}-epoch:{login}", session_namespace(kind))
}

pub(super) fn link_code(network: &str, code: &str) -> String {
    format!("{network}:link:{code}")
}

pub(super) fn chat_state(network: &str, chat: &str, user: &str) -> String {
    format!("{network}:chat:{chat}:{user}")
}

pub(super) fn cursor(adapter: &str, name: &str) -> String {
    format!("{adapter}:cursor:{name}")
}

pub(super) fn delivery_progress(adapter: &str, outbox: OutboxId) -> String {
    format!("{adapter}:outbox:{}", outbox.0)
}

pub(super) fn mail_status(account: &str) -> String {
    format!("mail:account-status:{account}")
}

pub(super) fn mail_token(account: &str) -> String {
    format!("mail:oauth-token:{account}")
}

/// Read by the health probe; never written.
pub(super) const HEALTH_PROBE: &str = "engine:healthz";
