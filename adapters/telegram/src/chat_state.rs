//! What the bot remembers per chat and user ([`ChatState`]), kept by the engine.

use crate::error::TelegramError;
use chamado::{ChatState, Engine};

/// The network name chat states are kept under.
const NETWORK: &str = "telegram";

/// Loads the state of `user_id` in `chat_id`; missing or unreadable state is the empty state.
pub(crate) async fn load(engine: &Engine, chat_id: i64, user_id: u64) -> Result<ChatState, TelegramError> {
    Ok(engine.chat_state(NETWORK, &chat_id.to_string(), &user_id.to_string()).await?)
}

/// Saves the state durably (deleting it when empty).
pub(crate) async fn save(engine: &Engine, state: &ChatState, chat_id: i64, user_id: u64) -> Result<(), TelegramError> {
    Ok(engine.save_chat_state(NETWORK, &chat_id.to_string(), &user_id.to_string(), state).await?)
}
