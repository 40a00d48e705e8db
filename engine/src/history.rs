//! The ticket history: every change, who made it and when.

use crate::ids::TicketId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// What kind of change a history entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryKind {
    /// The ticket was opened.
    Created,
    /// An article was added.
    ArticleAdded,
    /// A customer follow-up arrived.
    FollowUp,
    /// A follow-up was refused (queue policy or sender check).
    FollowUpRejected,
    /// The state changed.
    StateChanged,
    /// The priority changed.
    PriorityChanged,
    /// Moved to another queue.
    QueueChanged,
    /// The owner changed.
    OwnerChanged,
    /// The responsible agent changed.
    ResponsibleChanged,
    /// Locked or unlocked.
    LockChanged,
    /// The title changed.
    TitleChanged,
    /// The customer or customer user changed.
    CustomerChanged,
    /// The service changed.
    ServiceChanged,
    /// Merged into or from another ticket.
    Merged,
    /// Linked to another ticket.
    Linked,
    /// An outbound message was queued.
    OutboundQueued,
    /// An outbound message was delivered.
    OutboundSent,
    /// An outbound message failed for good after its retries.
    OutboundFailed,
    /// The pending reminder fired.
    ReminderDue,
    /// An auto-response was sent or suppressed.
    AutoResponse,
    /// The message's sender could not be read as written (a missing or malformed `From`): agents
    /// should check who wrote it.
    SenderFlagged,
    /// What was verified about a mail's sender, and what the sender-authentication policy did.
    SenderAuthentication,
}

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The ticket.
    pub ticket_id: TicketId,
    /// When.
    pub at: Timestamp,
    /// Who: `customer:<login>`, `agent:<login>`, `system`.
    pub actor: String,
    /// What kind of change.
    pub kind: HistoryKind,
    /// What changed, for people.
    pub message: String,
}
