//! The ticket history: every change, who made it and when.

mod text;

pub use text::{HistoryArg, HistoryText};

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
    /// An agent started or stopped watching the ticket.
    Watch,
    /// Agents were notified (queued, sent, or a text that failed and was replaced).
    Notification,
    /// An escalation clock warned or breached.
    Escalation,
    /// The ticket's SLA changed.
    SlaChanged,
}

impl HistoryKind {
    /// Every kind, in declaration order: the names an import may give (as serde spells them).
    pub const ALL: [HistoryKind; 26] = [
        HistoryKind::Created,
        HistoryKind::ArticleAdded,
        HistoryKind::FollowUp,
        HistoryKind::FollowUpRejected,
        HistoryKind::StateChanged,
        HistoryKind::PriorityChanged,
        HistoryKind::QueueChanged,
        HistoryKind::OwnerChanged,
        HistoryKind::ResponsibleChanged,
        HistoryKind::LockChanged,
        HistoryKind::TitleChanged,
        HistoryKind::CustomerChanged,
        HistoryKind::ServiceChanged,
        HistoryKind::Merged,
        HistoryKind::Linked,
        HistoryKind::OutboundQueued,
        HistoryKind::OutboundSent,
        HistoryKind::OutboundFailed,
        HistoryKind::ReminderDue,
        HistoryKind::AutoResponse,
        HistoryKind::SenderFlagged,
        HistoryKind::SenderAuthentication,
        HistoryKind::Watch,
        HistoryKind::Notification,
        HistoryKind::Escalation,
        HistoryKind::SlaChanged,
    ];
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
    /// What changed, in English: what the REST API, logs and search show.
    pub message: String,
    /// What changed, as a message key and its arguments, for each reader's language (`None` in entries
    /// written before histories were translated: those show `message`). Always written, absent ones
    /// read as `None`: the redb store's postcard layout has no optional fields.
    #[serde(default)]
    pub text: Option<HistoryText>,
}

impl HistoryEntry {
    /// The entry written by `actor` at `at`, saying `message` (its English text kept beside it).
    pub fn new(
        ticket_id: TicketId,
        at: Timestamp,
        actor: &str,
        kind: HistoryKind,
        message: &chamado_i18n::Message,
    ) -> HistoryEntry {
        HistoryEntry {
            ticket_id,
            at,
            actor: actor.to_string(),
            kind,
            message: message.english(),
            text: Some(HistoryText::from(message)),
        }
    }

    /// What changed, in `tr`'s language; the English `message` for entries stored without a text.
    pub fn text_in(&self, tr: &chamado_i18n::Tr) -> String {
        match &self.text {
            Some(text) => text.render(tr),
            None => self.message.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chamado_i18n::{Language, Message, Tr};

    #[test]
    fn all_lists_every_kind_once() {
        // No wildcard: a new kind fails to compile here until it has a place in `ALL`.
        let position = |k: HistoryKind| match k {
            HistoryKind::Created => 0,
            HistoryKind::ArticleAdded => 1,
            HistoryKind::FollowUp => 2,
            HistoryKind::FollowUpRejected => 3,
            HistoryKind::StateChanged => 4,
            HistoryKind::PriorityChanged => 5,
            HistoryKind::QueueChanged => 6,
            HistoryKind::OwnerChanged => 7,
            HistoryKind::ResponsibleChanged => 8,
            HistoryKind::LockChanged => 9,
            HistoryKind::TitleChanged => 10,
            HistoryKind::CustomerChanged => 11,
            HistoryKind::ServiceChanged => 12,
            HistoryKind::Merged => 13,
            HistoryKind::Linked => 14,
            HistoryKind::OutboundQueued => 15,
            HistoryKind::OutboundSent => 16,
            HistoryKind::OutboundFailed => 17,
            HistoryKind::ReminderDue => 18,
            HistoryKind::AutoResponse => 19,
            HistoryKind::SenderFlagged => 20,
            HistoryKind::SenderAuthentication => 21,
            HistoryKind::Watch => 22,
            HistoryKind::Notification => 23,
            HistoryKind::Escalation => 24,
            HistoryKind::SlaChanged => 25,
        };
        for (i, k) in HistoryKind::ALL.into_iter().enumerate() {
            assert_eq!(position(k), i, "{k:?}");
        }
    }

    #[test]
    fn an_entry_stored_before_translation_reads_back_and_shows_its_message() {
        let old = r#"{"ticket_id":7,"at":1,"actor":"system","kind":"state_changed","message":"state new -> open"}"#;
        let entry: HistoryEntry = serde_json::from_str(old).unwrap();
        assert_eq!(entry.text, None);
        assert_eq!(entry.message, "state new -> open");
        let pt = Tr::new(Language::parse("pt-BR").unwrap());
        assert_eq!(entry.text_in(&pt), "state new -> open");
        let again: HistoryEntry = serde_json::from_str(&serde_json::to_string(&entry).unwrap()).unwrap();
        assert_eq!(again, entry);
    }

    #[test]
    fn a_new_entry_round_trips_with_its_text() {
        let m = Message::new("history-reminder-due");
        let entry = HistoryEntry::new(TicketId(7), Timestamp(1), "system", HistoryKind::ReminderDue, &m);
        let back: HistoryEntry = serde_json::from_str(&serde_json::to_string(&entry).unwrap()).unwrap();
        assert_eq!(back, entry);
        assert_eq!(back.message, "pending reminder reached");
        let pt = Tr::new(Language::parse("pt-BR").unwrap());
        assert_ne!(back.text_in(&pt), back.message);
    }
}
