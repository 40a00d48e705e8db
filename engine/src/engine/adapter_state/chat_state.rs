//! What a chat adapter remembers per chat and user between messages: the ticket plain messages go to,
//! and a ticket being opened in two steps.

use super::json::{Object, Value};
use super::keys;
use crate::engine::Engine;
use crate::error::Result;

/// The conversation state of one user in one chat.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChatState {
    /// The number of the ticket plain messages go to.
    pub active: Option<String>,
    /// Set when the user asked for a new ticket without its text: the next message opens a ticket
    /// with this subject (may be empty).
    pub pending_new: Option<String>,
}

impl ChatState {
    fn to_bytes(&self) -> Vec<u8> {
        let opt = |v: &Option<String>| v.clone().map_or(Value::Null, Value::Str);
        Object::new().with("active", opt(&self.active)).with("pending_new", opt(&self.pending_new)).to_bytes()
    }

    fn parse(bytes: &[u8]) -> Option<ChatState> {
        let o = Object::parse(bytes)?;
        Some(ChatState { active: o.opt_str("active").ok()?, pending_new: o.opt_str("pending_new").ok()? })
    }
}

/// Where a chat state is kept: the network (`telegram`), the chat and the user in it.
fn key(network: &str, chat: &str, user: &str) -> Result<String> {
    Ok(keys::chat_state(
        keys::part("a chat network", network, false)?,
        keys::part("a chat id", chat, false)?,
        keys::part("a chat user id", user, true)?,
    ))
}

impl Engine {
    /// The state of `user` in `chat` on `network`; none yet, or an unreadable one, is the empty state.
    pub async fn chat_state(&self, network: &str, chat: &str, user: &str) -> Result<ChatState> {
        let Some(bytes) = self.store().meta(&key(network, chat, user)?).await? else { return Ok(ChatState::default()) };
        Ok(ChatState::parse(&bytes).unwrap_or_default())
    }

    /// Saves the state of `user` in `chat` on `network` durably (the empty state removes it).
    pub async fn save_chat_state(&self, network: &str, chat: &str, user: &str, state: &ChatState) -> Result<()> {
        let value = (*state != ChatState::default()).then(|| state.to_bytes());
        Ok(self.store().put_meta(&key(network, chat, user)?, value).await?)
    }
}
