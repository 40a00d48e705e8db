//! The durable outbox: every outbound message is recorded before it is attempted.

use crate::channel_kind::ChannelKind;
use crate::directory::NotificationKind;
use crate::ids::{ArticleId, OutboxId, TicketId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Where an outbox entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Waiting for (another) attempt at `next_attempt_at`.
    Pending,
    /// Delivered.
    Sent,
    /// Given up after the retry limit; visible in the ticket history.
    Failed,
}

/// One outbound delivery of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// Id.
    pub id: OutboxId,
    /// The ticket.
    pub ticket_id: TicketId,
    /// The article to deliver.
    pub article_id: ArticleId,
    /// The channel to deliver by.
    pub channel: ChannelKind,
    /// The recipient: an email address, a chat id.
    pub recipient: String,
    /// Status.
    pub status: OutboxStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// When it may be attempted (again); while claimed, the end of the claim's lease.
    pub next_attempt_at: Timestamp,
    /// The last failure, for agents.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: Timestamp,
    /// What the channel reported on success (e.g. the relay's queue id, the chat message id).
    #[serde(default)]
    pub receipt: Option<String>,
    /// Set when this is an agent notification rather than an article: `article_id` is then the article
    /// the notification is about, or `ArticleId(0)` when it is about none.
    #[serde(default)]
    pub notification: Option<NotificationRef>,
}

/// What an agent notification in the outbox is: rendered when it is sent, in the agent's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationRef {
    /// Which notification.
    pub kind: NotificationKind,
    /// The agent told.
    pub agent: String,
    /// The agent who caused it, if one did.
    pub actor: Option<String>,
    /// For an event that tells many agents: everyone to tell, one entry each to be written by the
    /// delivery loop ([`crate::Engine::deliver_due`]), which replaces this entry by them in one commit.
    /// The commit that causes the event then writes one entry, not one per agent; `agent` is empty.
    #[serde(default)]
    pub fan_out: Vec<FanOut>,
}

/// One agent to tell, in a fanned-out notification ([`NotificationRef::fan_out`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FanOut {
    /// The agent.
    pub agent: String,
    /// By which channel.
    pub channel: crate::directory::NotificationChannel,
    /// Where: the agent's mail address or linked chat.
    pub address: String,
}

impl OutboxEntry {
    /// When a store must hand this entry to [`crate::Store::claim_outbox`]: the next attempt, while
    /// pending. Stores index exactly this.
    pub fn due_at(&self) -> Option<Timestamp> {
        (self.status == OutboxStatus::Pending).then_some(self.next_attempt_at)
    }
}
