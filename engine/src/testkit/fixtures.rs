use crate::article::{Article, SenderType};
use crate::attachment::Attachment;
use crate::channel_kind::ChannelKind;
use crate::directory::StateType;
use crate::ids::{ArticleId, OutboxId, TicketId};
use crate::outbox::{OutboxEntry, OutboxStatus};
use crate::priority::Priority;
use crate::ticket::{Lock, Ticket};
use crate::time::Timestamp;

/// A ticket in state `open` of queue `Raw` for customer user `alice` of customer `acme`, version 1.
pub fn ticket(id: u64, changed_at: i64) -> Ticket {
    Ticket {
        id: TicketId(id),
        number: format!("1000{id:06}"),
        title: format!("Ticket {id}"),
        queue: "Raw".into(),
        state: "open".into(),
        state_type: StateType::Open,
        priority: Priority::NORMAL,
        lock: Lock::Unlock,
        owner: None,
        responsible: None,
        customer_user: Some("alice".into()),
        customer_id: Some("acme".into()),
        service: None,
        channel: ChannelKind::Email,
        created_at: Timestamp(changed_at),
        changed_at: Timestamp(changed_at),
        pending_until: None,
        reminded_for: None,
        merged_into: None,
        linked: Vec::new(),
        version: 1,
        watchers: Vec::new(),
        unlock_at: None,
        sla: None,
        escalation: Default::default(),
    }
}

/// A customer article of `ticket` with a 1 KB body and a small attachment.
pub fn article(id: u64, ticket: u64, external_id: Option<&str>) -> Article {
    Article {
        id: ArticleId(id),
        ticket_id: TicketId(ticket),
        sender: SenderType::Customer,
        channel: ChannelKind::Email,
        visible_to_customer: true,
        from: "Alice <alice@acme.example>".into(),
        reply_to: Some("alice@acme.example".into()),
        to: "support@example.com".into(),
        subject: "Printer jams".into(),
        body: "x".repeat(1024),
        attachments: vec![file("log.txt", b"paper jam at tray 2").meta()],
        external_id: external_id.map(str::to_string),
        references: vec!["<earlier@acme.example>".into()],
        created_by: "customer:alice".into(),
        created_at: Timestamp(1),
        sender_auth: None,
    }
}

/// A plain-text file named `name` holding `data`.
pub fn file(name: &str, data: &[u8]) -> Attachment {
    Attachment { name: name.into(), content_type: "text/plain".into(), inline: false, data: data.to_vec() }
}

/// A pending outbox entry for an article, due at `due`.
pub fn outbox_entry(id: u64, ticket: u64, article: u64, due: i64) -> OutboxEntry {
    OutboxEntry {
        id: OutboxId(id),
        ticket_id: TicketId(ticket),
        article_id: ArticleId(article),
        channel: ChannelKind::Email,
        recipient: "alice@acme.example".into(),
        status: OutboxStatus::Pending,
        attempts: 0,
        next_attempt_at: Timestamp(due),
        last_error: None,
        created_at: Timestamp(0),
        receipt: None,
        notification: None,
    }
}
