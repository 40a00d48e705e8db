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
