//! Znuny's history types as ours.

use chamado::HistoryKind;

/// The kind of a Znuny history type (`ticket_history_type.name`), `None` for those chamado keeps no
/// kind of (dynamic fields, time accounting, ticket types, archiving, bulk actions, `Misc`).
pub(crate) fn kind(name: &str) -> Option<HistoryKind> {
    use HistoryKind as K;
    Some(match name {
        "NewTicket" | "SystemRequest" => K::Created,
        "FollowUp" => K::FollowUp,
        "SendAutoReject" | "SendAutoReply" | "SendAutoFollowUp" | "LoopProtection" => K::AutoResponse,
        "Forward" | "Bounce" | "SendAnswer" | "EmailAgent" | "EmailCustomer" | "PhoneCallAgent"
        | "PhoneCallCustomer" | "AddNote" | "WebRequestCustomer" | "EmailResend" => K::ArticleAdded,
        "SendAgentNotification" | "SendCustomerNotification" => K::Notification,
        "Move" => K::QueueChanged,
        "Lock" | "Unlock" => K::LockChanged,
        "StateUpdate" | "SetPendingTime" | "Remove" => K::StateChanged,
        "CustomerUpdate" => K::CustomerChanged,
        "PriorityUpdate" => K::PriorityChanged,
        "OwnerUpdate" => K::OwnerChanged,
        "ResponsibleUpdate" => K::ResponsibleChanged,
        "TicketLinkAdd" | "TicketLinkDelete" => K::Linked,
        "Merged" => K::Merged,
        "Subscribe" | "Unsubscribe" => K::Watch,
        "ServiceUpdate" => K::ServiceChanged,
        "SLAUpdate" => K::SlaChanged,
        "TitleUpdate" => K::TitleChanged,
        n if n.starts_with("Escalation") => K::Escalation,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_types_map_and_the_rest_are_left() {
        assert_eq!(kind("NewTicket"), Some(HistoryKind::Created));
        assert_eq!(kind("EscalationSolutionTimeStop"), Some(HistoryKind::Escalation));
        assert_eq!(kind("AddNote"), Some(HistoryKind::ArticleAdded));
        assert_eq!(kind("TicketDynamicFieldUpdate"), None);
        assert_eq!(kind("TimeAccounting"), None);
    }
}
