//! Agent replies to the chat, and agents' notifications to the chats they linked: the engine's outbox
//! hands each one to [`TelegramChannel`].

use crate::split::{MAX_MESSAGE_LEN, split_text};
use async_trait::async_trait;
use chamado::{Channel, ChannelKind, Delivery, DeliveryError, Engine, TicketHook};
use teloxide::payloads::setters::*;
use teloxide::requests::Requester;
use teloxide::types::{ChatId, InputFile};
use teloxide::{ApiError, Bot, RequestError};

/// A document caption's limit, with room to spare for UTF-16 counting.
const MAX_CAPTION_CHARS: usize = 500;

/// Delivers outbox entries of [`ChannelKind::Chat`] with `sendMessage` (and `sendDocument` for
/// attachments). Every part carries the ticket number; texts longer than Telegram's limit are split.
/// Progress through the parts of one delivery is kept by the engine, so a retry after a failure in
/// the middle sends only the parts not yet sent.
pub struct TelegramChannel {
    bot: Bot,
    engine: Engine,
    hook: TicketHook,
}

/// The adapter name delivery progress is kept under.
const ADAPTER: &str = "telegram";

impl TelegramChannel {
    /// A channel sending through `bot`, keeping its progress through `engine` and tagging with the
    /// engine's ticket hook.
    pub fn new(bot: Bot, engine: Engine) -> Self {
        let hook = engine.config().hook.clone();
        TelegramChannel { bot, engine, hook }
    }

    /// The texts one delivery becomes, each starting with the ticket tag. An agent notification
    /// ([`Delivery::notification`]) is its subject line (which names the ticket) and its text; when it
    /// takes several messages, each after the first starts with the tag, and all are counted.
    pub fn texts(&self, delivery: &Delivery) -> Vec<String> {
        if delivery.notification.is_some() {
            return self.notification_texts(delivery);
        }
        let tag = self.hook.build_subject(&delivery.ticket_number, "");
        let text = if delivery.from_name.trim().is_empty() {
            delivery.body.clone()
        } else {
            format!("{}:\n{}", delivery.from_name.trim(), delivery.body)
        };
        // Room for the tag and a "(99/99)" counter.
        let reserve = tag.chars().map(char::len_utf16).sum::<usize>() + 12;
        let chunks = split_text(&text, MAX_MESSAGE_LEN.saturating_sub(reserve));
        let n = chunks.len();
        chunks
            .into_iter()
            .enumerate()
            .map(|(i, c)| if n == 1 { format!("{tag} {c}") } else { format!("{tag} ({}/{n}) {c}", i + 1) })
            .collect()
    }

    fn notification_texts(&self, delivery: &Delivery) -> Vec<String> {
        let tag = self.hook.build_subject(&delivery.ticket_number, "");
        let subject = delivery.subject.trim();
        // The subject names the ticket as the engine made it; a subject that does not gets the tag.
        let head = if subject.contains(delivery.ticket_number.as_str()) && !delivery.ticket_number.is_empty() {
            subject.to_string()
        } else {
            format!("{tag} {subject}").trim_end().to_string()
        };
        let body = delivery.body.trim();
        let text = if body.is_empty() { head } else { format!("{head}\n\n{body}") };
        let reserve = tag.chars().map(char::len_utf16).sum::<usize>() + 12;
        let chunks = split_text(&text, MAX_MESSAGE_LEN.saturating_sub(reserve));
        let n = chunks.len();
        chunks
            .into_iter()
            .enumerate()
            .map(|(i, c)| match (n, i) {
                (1, _) => c,
                (_, 0) => format!("(1/{n}) {c}"),
                _ => format!("{tag} ({}/{n}) {c}", i + 1),
            })
            .collect()
    }

    async fn parts_done(&self, delivery: &Delivery) -> usize {
        match self.engine.delivery_progress(ADAPTER, delivery.outbox_id).await {
            Ok(done) => done,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read telegram delivery progress; sending from the start");
                0
            }
        }
    }

    async fn record_progress(&self, delivery: &Delivery, done: Option<usize>) -> Result<(), DeliveryError> {
        self.engine.set_delivery_progress(ADAPTER, delivery.outbox_id, done).await.map_err(|e| {
            DeliveryError::Temporary { message: format!("cannot record delivery progress: {e}"), retry_after: None }
        })
    }
}

/// Maps a Bot API failure to the outbox's retry decision.
/// `token` is removed from the texts.
pub fn delivery_error(e: RequestError, token: &str) -> DeliveryError {
    let text = crate::redact::redact(&e.to_string(), token);
    match e {
        RequestError::RetryAfter(s) => DeliveryError::Temporary {
            message: format!("rate limited by Telegram: {text}"),
            retry_after: Some(s.duration()),
        },
        RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. } => {
            DeliveryError::Temporary { message: text, retry_after: None }
        }
        // A wrong token is the operator's to fix; keep the message until then.
        RequestError::Api(ApiError::InvalidToken) | RequestError::Api(ApiError::Unknown(_)) => {
            DeliveryError::Temporary { message: text, retry_after: None }
        }
        RequestError::MigrateToChatId(to) => {
            DeliveryError::Permanent(format!("the group chat moved to a supergroup with id {to}"))
        }
        RequestError::Api(_) => DeliveryError::Permanent(text),
    }
}

#[async_trait]
impl Channel for TelegramChannel {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Chat
    }

    async fn deliver(&self, delivery: &Delivery) -> Result<Option<String>, DeliveryError> {
        let result = self.send_parts(delivery).await;
        if matches!(result, Err(DeliveryError::Permanent(_))) {
            // The outbox gives up on this entry: its progress record is of no further use.
            if let Err(e) = self.engine.set_delivery_progress(ADAPTER, delivery.outbox_id, None).await {
                tracing::warn!(error = %e, "cannot remove telegram delivery progress");
            }
        }
        result
    }
}

impl TelegramChannel {
    async fn send_parts(&self, delivery: &Delivery) -> Result<Option<String>, DeliveryError> {
        let chat: i64 = delivery
            .recipient
            .trim()
            .parse()
            .map_err(|_| DeliveryError::Permanent(format!("{:?} is not a Telegram chat id", delivery.recipient)))?;
        let chat = ChatId(chat);
        let texts = self.texts(delivery);
        let total = texts.len() + delivery.attachments.len();
        let done = self.parts_done(delivery).await;
        let mut receipt = None;
        for (i, text) in texts.into_iter().enumerate().skip(done) {
            let sent = self.bot.send_message(chat, text).await.map_err(|e| delivery_error(e, self.bot.token()))?;
            receipt.get_or_insert_with(|| sent.id.0.to_string());
            if i + 1 < total {
                self.record_progress(delivery, Some(i + 1)).await?;
            }
        }
        let first_attachment = total - delivery.attachments.len();
        for (j, a) in delivery.attachments.iter().enumerate() {
            let i = first_attachment + j;
            if i < done {
                continue;
            }
            let file = InputFile::memory(a.data.clone()).file_name(a.name.clone());
            // Captions hold at most 1024 characters.
            let caption: String =
                self.hook.build_subject(&delivery.ticket_number, &a.name).chars().take(MAX_CAPTION_CHARS).collect();
            let sent = self
                .bot
                .send_document(chat, file)
                .caption(caption)
                .await
                .map_err(|e| delivery_error(e, self.bot.token()))?;
            receipt.get_or_insert_with(|| sent.id.0.to_string());
            if i + 1 < total {
                self.record_progress(delivery, Some(i + 1)).await?;
            }
        }
        if total > 1 || done > 0 {
            self.record_progress(delivery, None).await?;
        }
        Ok(receipt)
    }
}
