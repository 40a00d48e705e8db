//! Answering the user in the chat (best effort: the update is already taken by the engine).

use crate::bot::TelegramBot;
use crate::redact::redact;
use std::time::Duration;
use teloxide::RequestError;
use teloxide::requests::Requester;
use teloxide::types::ChatId;

/// The longest `retry_after` honoured inline for a chat answer.
const MAX_INLINE_WAIT: Duration = Duration::from_secs(30);

impl TelegramBot {
    /// Sends `text` to `chat`, split at Telegram's limit; failures are logged, a rate limit is waited
    /// out once.
    pub(crate) async fn say(&self, chat: i64, text: &str) {
        for part in crate::split::split_text(text, crate::split::MAX_MESSAGE_LEN) {
            let mut waited = false;
            loop {
                match self.inner.bot.send_message(ChatId(chat), part.clone()).await {
                    Ok(_) => break,
                    Err(RequestError::RetryAfter(s)) if !waited && s.duration() <= MAX_INLINE_WAIT => {
                        waited = true;
                        tokio::time::sleep(s.duration()).await;
                    }
                    Err(e) => {
                        let e = redact(&e.to_string(), &self.inner.config.token);
                        tracing::warn!(chat, error = %e, "could not answer in the chat");
                        return;
                    }
                }
            }
        }
    }
}
