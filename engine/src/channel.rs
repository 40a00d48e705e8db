//! The outbound boundary: adapters implement [`Channel`] to deliver articles to customers.

use crate::attachment::Attachment;
use crate::channel_kind::ChannelKind;
use crate::ids::OutboxId;
use async_trait::async_trait;
use std::time::Duration;
use thiserror::Error;

/// One article to deliver, with everything a channel needs to send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The outbox entry being delivered.
    pub outbox_id: OutboxId,
    /// The channel.
    pub channel: ChannelKind,
    /// Email address or chat id.
    pub recipient: String,
    /// The recipient's name when the recipient is the ticket's customer user (the display name of a
    /// mail's `To`), else empty.
    pub recipient_name: String,
    /// The ticket number.
    pub ticket_number: String,
    /// Subject, already tagged: `Re: [Ticket#N] Title`.
    pub subject: String,
    /// The text.
    pub body: String,
    /// Attachments.
    pub attachments: Vec<Attachment>,
    /// The system address to send from.
    pub from: String,
    /// The display name of the author (agent or system).
    pub from_name: String,
    /// Our Message-ID for this article (recorded on it, so replies thread back).
    pub message_id: Option<String>,
    /// The message this answers (the customer's last message id).
    pub in_reply_to: Option<String>,
    /// The thread's message ids, oldest first.
    pub references: Vec<String>,
    /// True for auto-responses: mail carries `Auto-Submitted: auto-replied`, `Precedence: bulk`, `X-Loop`.
    pub auto_response: bool,
    /// How many attempts were made before this one.
    pub attempt: u32,
    /// Set for an agent notification (not an article): mail carries `Auto-Submitted: auto-generated`
    /// and no thread headers of the customer's conversation.
    pub notification: Option<crate::directory::NotificationKind>,
}

/// Why a delivery failed.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum DeliveryError {
    /// Worth retrying (network down, relay busy, rate limit).
    #[error("temporary delivery failure: {message}")]
    Temporary {
        /// What happened.
        message: String,
        /// How long the remote side asked us to wait, if it said.
        retry_after: Option<Duration>,
    },
    /// Retrying will not help (recipient refused, chat blocked the bot).
    #[error("permanent delivery failure: {0}")]
    Permanent(String),
}

/// Delivers articles on one channel kind.
#[async_trait]
pub trait Channel: Send + Sync {
    /// Which channel kind this delivers for.
    fn kind(&self) -> ChannelKind;
    /// Delivers one article. `Ok` carries an optional receipt (queue id, chat message id) for the record.
    async fn deliver(&self, delivery: &Delivery) -> Result<Option<String>, DeliveryError>;
}
