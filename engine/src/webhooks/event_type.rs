//! The dotted names of the events subscribers choose from.

use serde::{Deserialize, Serialize};

/// What happened, as webhook payloads (`type`) and the event feed name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EventType {
    /// A ticket was opened (by any channel).
    #[serde(rename = "ticket.created")]
    TicketCreated,
    /// An article was added to a ticket (customer message, reply, note, follow-up).
    #[serde(rename = "article.added")]
    ArticleAdded,
    /// The state changed.
    #[serde(rename = "ticket.state_changed")]
    StateChanged,
    /// The ticket moved to another queue.
    #[serde(rename = "ticket.queue_changed")]
    QueueChanged,
    /// The owner changed.
    #[serde(rename = "ticket.owner_changed")]
    OwnerChanged,
    /// The responsible agent changed.
    #[serde(rename = "ticket.responsible_changed")]
    ResponsibleChanged,
    /// The priority changed.
    #[serde(rename = "ticket.priority_changed")]
    PriorityChanged,
    /// Locked or unlocked.
    #[serde(rename = "ticket.lock_changed")]
    LockChanged,
    /// The title changed.
    #[serde(rename = "ticket.title_changed")]
    TitleChanged,
    /// The ticket's customer or customer user changed.
    #[serde(rename = "ticket.customer_changed")]
    TicketCustomerChanged,
    /// The ticket's service changed.
    #[serde(rename = "ticket.service_changed")]
    ServiceChanged,
    /// The ticket's SLA changed.
    #[serde(rename = "ticket.sla_changed")]
    SlaChanged,
    /// A ticket was merged into another (sent for both).
    #[serde(rename = "ticket.merged")]
    Merged,
    /// An escalation clock reached its warning point.
    #[serde(rename = "ticket.escalation_warning")]
    EscalationWarning,
    /// An escalation clock reached its due time.
    #[serde(rename = "ticket.escalation_breach")]
    EscalationBreach,
    /// A customer (company) was added or changed.
    #[serde(rename = "customer.changed")]
    CustomerChanged,
    /// A customer user was added or changed.
    #[serde(rename = "customer_user.changed")]
    CustomerUserChanged,
}

impl EventType {
    /// Every type, in a stable order.
    pub const ALL: [EventType; 17] = [
        EventType::TicketCreated,
        EventType::ArticleAdded,
        EventType::StateChanged,
        EventType::QueueChanged,
        EventType::OwnerChanged,
        EventType::ResponsibleChanged,
        EventType::PriorityChanged,
        EventType::LockChanged,
        EventType::TitleChanged,
        EventType::TicketCustomerChanged,
        EventType::ServiceChanged,
        EventType::SlaChanged,
        EventType::Merged,
        EventType::EscalationWarning,
        EventType::EscalationBreach,
        EventType::CustomerChanged,
        EventType::CustomerUserChanged,
    ];

    /// The dotted name (`ticket.created`).
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::TicketCreated => "ticket.created",
            EventType::ArticleAdded => "article.added",
            EventType::StateChanged => "ticket.state_changed",
            EventType::QueueChanged => "ticket.queue_changed",
            EventType::OwnerChanged => "ticket.owner_changed",
            EventType::ResponsibleChanged => "ticket.responsible_changed",
            EventType::PriorityChanged => "ticket.priority_changed",
            EventType::LockChanged => "ticket.lock_changed",
            EventType::TitleChanged => "ticket.title_changed",
            EventType::TicketCustomerChanged => "ticket.customer_changed",
            EventType::ServiceChanged => "ticket.service_changed",
            EventType::SlaChanged => "ticket.sla_changed",
            EventType::Merged => "ticket.merged",
            EventType::EscalationWarning => "ticket.escalation_warning",
            EventType::EscalationBreach => "ticket.escalation_breach",
            EventType::CustomerChanged => "customer.changed",
            EventType::CustomerUserChanged => "customer_user.changed",
        }
    }

    /// The type named `s` (`None`: no such type).
    pub fn parse(s: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Whether the event is about a ticket (and so carries its queue); the others are about the
    /// directory, which only admins see.
    pub fn is_ticket_event(self) -> bool {
        !matches!(self, EventType::CustomerChanged | EventType::CustomerUserChanged)
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_serde_and_parse() {
        for t in EventType::ALL {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
            assert_eq!(EventType::parse(t.as_str()), Some(t));
        }
        assert_eq!(EventType::parse("ticket.nothing"), None);
    }
}
