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
    /// An escalation clock reached its warning point or its due time (once per due time).
    Escalation {
        /// The ticket.
        number: String,
        /// Which clock.
        clock: crate::sla::ClockKind,
        /// Warning or breach.
        kind: crate::sla::EscalationEventKind,
        /// The clock's due time.
        due: crate::Timestamp,
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
    /// [`crate::Engine::intake`] took an inbound message (after any commit); one per message, whatever
    /// became of it, so hosts can count intake by channel. A new ticket also gets [`Event::TicketCreated`].
    Intake {
        /// The channel the message came by.
        channel: crate::ChannelKind,
        /// What became of it.
        outcome: IntakeKind,
        /// The ticket it went to, when there is one.
        number: Option<String>,
    },
}

/// The kind of an [`crate::IntakeOutcome`], for [`Event::Intake`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntakeKind {
    /// A new ticket was opened.
    Created,
    /// The message was appended to an existing ticket.
    FollowUp,
    /// The same message was taken before.
    Duplicate,
    /// The message was refused.
    Rejected,
    /// A bounce of one of our messages: that delivery was marked failed, no ticket was opened.
    Bounce,
}

impl IntakeKind {
    /// Every kind, in a stable order.
    pub const ALL: [IntakeKind; 5] =
        [IntakeKind::Created, IntakeKind::FollowUp, IntakeKind::Duplicate, IntakeKind::Rejected, IntakeKind::Bounce];

    /// The name as events and metrics spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            IntakeKind::Created => "created",
            IntakeKind::FollowUp => "follow_up",
            IntakeKind::Duplicate => "duplicate",
            IntakeKind::Rejected => "rejected",
            IntakeKind::Bounce => "bounce",
        }
    }
}
