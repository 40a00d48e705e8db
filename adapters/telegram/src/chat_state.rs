//! What the bot remembers per chat and user, kept in the engine's store as adapter metadata.

use crate::error::TelegramError;
use chamado::Engine;
use serde::{Deserialize, Serialize};

/// The conversation state of one user in one chat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChatState {
    /// The ticket plain messages go to.
    pub active: Option<String>,
    /// Set by `/new` without a body: the next message opens a ticket with this subject (may be empty).
    pub pending_new: Option<String>,
}

/// The store key of a chat's state.
fn key(chat_id: i64, user_id: u64) -> String {
    format!("telegram:chat:{chat_id}:{user_id}")
}

impl ChatState {
    /// Loads the state; missing or unreadable state is the empty state (logged).
    pub async fn load(engine: &Engine, chat_id: i64, user_id: u64) -> Result<ChatState, TelegramError> {
        let Some(bytes) = engine.store().meta(&key(chat_id, user_id)).await? else {
            return Ok(ChatState::default());
        };
        match serde_json::from_slice(&bytes) {
            Ok(s) => Ok(s),
            Err(e) => {
                tracing::warn!(chat_id, user_id, error = %e, "unreadable telegram chat state, starting afresh");
                Ok(ChatState::default())
            }
        }
    }

    /// Saves the state durably (deleting it when empty).
    pub async fn save(&self, engine: &Engine, chat_id: i64, user_id: u64) -> Result<(), TelegramError> {
        let value = if *self == ChatState::default() {
            None
        } else {
            Some(serde_json::to_vec(self).map_err(|e| TelegramError::Config(e.to_string()))?)
        };
        engine.store().put_meta(&key(chat_id, user_id), value).await?;
        Ok(())
    }
}
