//! Domain events that hosts subscribe to (metrics, logs, notifications).

use crate::ids::ArticleId;
use crate::inbound::Sender;
use serde::{Deserialize, Serialize};

/// Something that happened, after its commit was durable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A ticket was opened.
    TicketCreated {
        /// Its number.
        number: String,
        /// Its queue.
        queue: String,
        /// The channel it came by.
        channel: crate::ChannelKind,
    },
    /// An article was added.
    ArticleAdded {
        /// The ticket.
        number: String,
        /// The article.
        article_id: ArticleId,
        /// Who wrote it.
        sender: crate::SenderType,
        /// Whether customers see it.
        visible_to_customer: bool,
    },
    /// The state changed.
    StateChanged {
        /// The ticket.
        number: String,
        /// From.
        from: String,
        /// To.
        to: String,
    },
    /// A pending reminder is due.
    ReminderDue {
        /// The ticket.
        number: String,
        /// The owner to remind, if any.
        owner: Option<String>,
    },
    /// A follow-up was refused.
    FollowUpRejected {
        /// The ticket.
        number: String,
        /// Why.
        reason: String,
    },
    /// An inbound message was refused before reaching a ticket (unknown sender policy, invalid user).
    IntakeRejected {
        /// Who sent it.
        sender: Sender,
        /// Why.
        reason: String,
    },
    /// A ticket was merged into another.
    Merged {
        /// The merged ticket.
        source: String,
        /// The ticket it went into.
        target: String,
    },
    /// An outbound message was delivered.
    OutboundSent {
        /// The ticket.
        number: String,
        /// The channel.
        channel: crate::ChannelKind,
    },
    /// An outbound message failed for good.
    OutboundFailed {
        /// The ticket.
        number: String,
        /// The channel.
        channel: crate::ChannelKind,
        /// The last error.
        error: String,
    },
    /// Some other change (priority, queue, owner, lock...).
    TicketUpdated {
        /// The ticket.
        number: String,
        /// What changed, for people.
        what: String,
    },
}
