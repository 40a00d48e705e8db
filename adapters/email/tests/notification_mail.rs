//! Agent notifications through a real SMTP server (aiosmtpd): sent to the agent's address from the
//! system address, marked as made by a program (`Auto-Submitted: auto-generated`, `X-Loop`,
//! `X-Chamado-Notification`), with a Message-ID of their own and none of the customer's thread
//! headers; accented subjects in RFC 2047 encoded words, as replies have them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use chamado::{Channel, ChannelKind, Delivery, NotificationKind, OutboxId};
use chamado_email::{OutboundConfig, SmtpChannel, build_message};
use common::sink::Sink;
use mail_parser::MessageParser;

const SUBJECT: &str = "[Ticket#2026120610000017] Nova resposta: Impressora não imprime — ação urgente";

/// A follow-up notification as the engine hands it over, with the ids of the customer's thread that
/// the engine may carry for the article the notification is about: none of them may go out.
fn notification(kind: NotificationKind) -> Delivery {
    Delivery {
        outbox_id: OutboxId(41),
        channel: ChannelKind::Email,
        recipient: "ana@staff.example".into(),
        recipient_name: "Ana Conceição".into(),
        ticket_number: "2026120610000017".into(),
        subject: SUBJECT.into(),
        body: "O cliente escreveu:\n\nNão sai nada.\n\nhttps://help.example.com/console/tickets/2026120610000017\n"
            .into(),
        attachments: Vec::new(),
        from: "support@example.com".into(),
        from_name: "Suporte".into(),
        message_id: Some("<article-7@example.com>".into()),
        in_reply_to: Some("<c1@customer.example>".into()),
        references: vec!["<c1@customer.example>".into(), "<article-6@example.com>".into()],
        auto_response: false,
        notification: Some(kind),
        attempt: 0,
    }
}

fn header(raw: &[u8], name: &str) -> Option<String> {
    MessageParser::default().parse(raw)?.header_raw(name).map(|v| v.trim().to_string())
}

/// The header block of `raw` (up to the first empty line), one line per element.
fn header_lines(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    text.split("\r\n").take_while(|l| !l.is_empty()).map(str::to_string).collect()
}

#[tokio::test]
async fn notifications_go_to_the_agent_marked_and_outside_the_customers_thread() {
    if !common::need_python("aiosmtpd", "notifications_go_to_the_agent_marked_and_outside_the_customers_thread") {
        return;
    }
    let sink = Sink::start().await;
    let channel = SmtpChannel::new(&OutboundConfig::new(sink.url())).unwrap();
    let d = notification(NotificationKind::FollowUp);
    assert!(channel.deliver(&d).await.is_ok());
    // The same notification once more (a retry after a lost answer from the relay): a new Message-ID.
    assert!(channel.deliver(&Delivery { attempt: 1, ..d.clone() }).await.is_ok());
    let received = sink.received();
    assert_eq!(received.len(), 2);
    let (envelope, raw) = &received[0];
    assert_eq!(*envelope, vec!["support@example.com".to_string(), "ana@staff.example".to_string()]);

    // Marked as made by a program, for the agent's filters and against loops.
    assert_eq!(header(raw, "Auto-Submitted").as_deref(), Some("auto-generated"));
    assert_eq!(header(raw, "X-Loop").as_deref(), Some("support@example.com"));
    assert_eq!(header(raw, "X-Chamado-Notification").as_deref(), Some("follow_up"));
    assert_eq!(header(raw, "X-Chamado-Ticket").as_deref(), Some("2026120610000017"));
    assert!(header(raw, "Precedence").is_none(), "not an auto-response");

    // Outside the customer's thread: no thread headers, and a Message-ID of our own domain that is
    // none of the thread's.
    assert!(header(raw, "In-Reply-To").is_none(), "{}", String::from_utf8_lossy(raw));
    assert!(header(raw, "References").is_none(), "{}", String::from_utf8_lossy(raw));
    let id = header(raw, "Message-ID").unwrap();
    assert!(id.starts_with("<notify.41.0.") && id.ends_with("@example.com>"), "{id}");
    assert_ne!(id, "<article-7@example.com>");
    let again = header(&received[1].1, "Message-ID").unwrap();
    assert_ne!(again, id, "every notification mail has its own Message-ID");

    // From the system address with the display name given, to the agent by name; the subject as
    // given, in encoded words, since header lines are ASCII-only.
    let parsed = MessageParser::default().parse(raw).unwrap();
    let from = parsed.from().and_then(|a| a.first()).unwrap();
    assert_eq!((from.name(), from.address()), (Some("Suporte"), Some("support@example.com")));
    let to = parsed.to().and_then(|a| a.first()).unwrap();
    assert_eq!((to.name(), to.address()), (Some("Ana Conceição"), Some("ana@staff.example")));
    for line in header_lines(raw) {
        assert!(line.is_ascii(), "header lines are ASCII-only: {line:?}");
    }
    assert!(header(raw, "Subject").unwrap().to_ascii_lowercase().contains("=?utf-8?"));
    assert_eq!(parsed.subject(), Some(SUBJECT), "the subject decodes exactly, ticket number and all");
    // Plain text, one part.
    assert_eq!(parsed.parts.len(), 1, "one text part");
    assert!(header(raw, "Content-Type").unwrap().starts_with("text/plain"));
    // The text as written, the link whole (mail puts CRLF line ends on the wire).
    assert_eq!(parsed.body_text(0).unwrap().replace("\r\n", "\n").trim_end(), d.body.trim_end());
}

/// Each kind names itself in `X-Chamado-Notification`; a reply (no notification) has none of the
/// notification's marks and keeps its thread.
#[test]
fn every_kind_is_named_and_replies_are_unchanged() {
    for kind in NotificationKind::ALL {
        let raw = build_message(&notification(kind)).unwrap().formatted();
        assert_eq!(header(&raw, "X-Chamado-Notification").as_deref(), Some(kind.as_str()));
        assert_eq!(header(&raw, "Auto-Submitted").as_deref(), Some("auto-generated"));
    }
    let reply = Delivery { notification: None, ..notification(NotificationKind::NewTicket) };
    let raw = build_message(&reply).unwrap().formatted();
    assert!(header(&raw, "X-Chamado-Notification").is_none());
    assert!(header(&raw, "Auto-Submitted").is_none());
    assert_eq!(header(&raw, "Message-ID").as_deref(), Some("<article-7@example.com>"));
    assert_eq!(header(&raw, "In-Reply-To").as_deref(), Some("<c1@customer.example>"));
    // An address that is none: refused for good, not retried.
    let bad = Delivery { recipient: "not an address".into(), ..notification(NotificationKind::OwnerSet) };
    assert!(matches!(build_message(&bad), Err(chamado::DeliveryError::Permanent(_))));
}
