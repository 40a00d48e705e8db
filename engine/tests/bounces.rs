//! Bounces and senders read from elsewhere (issue 18): what the engine does with them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use async_trait::async_trait;
use chamado::*;
use common::*;
use std::sync::Arc;

/// A channel that takes everything.
struct Accepting;

#[async_trait]
impl Channel for Accepting {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }
    async fn deliver(&self, _: &Delivery) -> std::result::Result<Option<String>, DeliveryError> {
        Ok(None)
    }
}

fn bounce_mail(report: BounceReport, id: &str) -> InboundMessage {
    let mut m = email("MAILER-DAEMON@mx.acme.example", "Undelivered Mail Returned to Sender", "gone", id);
    m.auto_generated = true;
    m.bounce = Some(report);
    m
}

fn tickets(d: &Desk) -> usize {
    block(d.engine.list_tickets(&admin(), &TicketFilter::default(), None, 500)).unwrap().items.len()
}

/// A ticket with one agent reply sent to alice; its number, the reply's Message-ID and ticket id.
fn replied(d: &Desk) -> (String, String, TicketId) {
    let n = d.open(&alice(), "Help", "Raw").ticket.number;
    let out = block(d.engine.add_article(&admin(), &n, NewArticle::reply("answer"))).unwrap();
    block(d.engine.deliver_due(&[Arc::new(Accepting) as Arc<dyn Channel>])).unwrap();
    (n, out.article.external_id.clone().unwrap(), out.ticket.id)
}

#[test]
fn a_bounce_of_our_reply_marks_it_failed_and_opens_nothing() {
    let d = desk();
    let (n, ours, ticket_id) = replied(&d);
    let before = tickets(&d);
    let report = BounceReport {
        original_ids: vec![ours.clone()],
        status: Some("5.1.1".into()),
        action: Some("failed".into()),
        recipient: Some("alice@acme.example".into()),
        diagnostic: Some("smtp; 550 5.1.1 user unknown".into()),
    };
    let o = block(d.engine.intake(bounce_mail(report, "<dsn1@mx.acme.example>"))).unwrap();
    match &o {
        IntakeOutcome::Bounce { ticket_number, status, .. } => {
            assert_eq!(ticket_number, &n);
            assert_eq!(status.as_deref(), Some("5.1.1"));
        }
        other => panic!("expected a bounce, got {other:?}"),
    }
    assert_eq!(tickets(&d), before, "no ticket opened");
    let entries = block(d.store.outbox_for_ticket(ticket_id)).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].status, OutboxStatus::Failed);
    assert!(entries[0].last_error.as_deref().is_some_and(|e| e.contains("5.1.1")), "{:?}", entries[0].last_error);
    let h = block(d.engine.history(&admin(), &n)).unwrap();
    assert!(h.iter().any(|e| e.kind == HistoryKind::OutboundFailed && e.message.contains("5.1.1")), "{h:?}");
    assert!(d.events().iter().any(|e| matches!(e, Event::OutboundFailed { number, .. } if number == &n)));
    assert!(d.events().iter().any(|e| matches!(e, Event::Intake { outcome: IntakeKind::Bounce, .. })));
    assert!(
        block(d.engine.customer_user("mailer-daemon@mx.acme.example")).unwrap().is_none(),
        "a bounce never makes a customer user"
    );
    assert_eq!(block(d.store.articles(ticket_id)).unwrap().len(), 2, "nothing added to the ticket");
    // The same report again adds nothing.
    let report = BounceReport { original_ids: vec![ours], ..Default::default() };
    let again = block(d.engine.intake(bounce_mail(report, "<dsn1@mx.acme.example>"))).unwrap();
    assert!(matches!(again, IntakeOutcome::Duplicate { .. }), "{again:?}");
}

#[test]
fn a_bounce_matched_by_in_reply_to_and_a_delay_that_is_no_failure() {
    let d = desk();
    let (n, ours, ticket_id) = replied(&d);
    let report = BounceReport { action: Some("delayed".into()), status: Some("4.4.7".into()), ..Default::default() };
    let mut m = bounce_mail(report, "<dsn2@mx>");
    m.references = vec![ours];
    assert!(matches!(block(d.engine.intake(m)).unwrap(), IntakeOutcome::Bounce { .. }));
    let entries = block(d.store.outbox_for_ticket(ticket_id)).unwrap();
    assert_eq!(entries[0].status, OutboxStatus::Sent, "a delay is not a failure");
    let h = block(d.engine.history(&admin(), &n)).unwrap();
    assert!(h.iter().any(|e| e.message.contains("4.4.7")));
}

#[test]
fn an_unmatched_bounce_goes_quietly_to_the_postmaster_queue() {
    let d = desk();
    let (n, _, _) = replied(&d);
    // A customer's own message id and a stranger's are no outbound message of ours.
    let report = BounceReport { original_ids: vec!["<nobody@else>".into()], ..Default::default() };
    let mut m = bounce_mail(report, "<dsn3@mx>");
    m.subject = format!("Undelivered: Re: [Ticket#{n}] Help");
    m.queue = Some("Misc".into());
    let (ticket, article) = match block(d.engine.intake(m)).unwrap() {
        IntakeOutcome::NewTicket { ticket, article } => (ticket, article),
        other => panic!("expected a ticket in Postmaster, got {other:?}"),
    };
    assert_ne!(ticket.number, n, "a bounce never joins a ticket by its number");
    assert_eq!(ticket.queue, "Postmaster");
    assert_eq!(ticket.customer_user, None);
    assert!(!article.visible_to_customer);
    assert_eq!(block(d.store.articles(ticket.id)).unwrap().len(), 1, "no auto-response");
    assert!(block(d.store.outbox_for_ticket(ticket.id)).unwrap().is_empty());
    assert!(block(d.engine.customer_user("mailer-daemon@mx.acme.example")).unwrap().is_none());
}

#[test]
fn a_sender_from_elsewhere_opens_a_flagged_ticket_without_an_answer() {
    let d = desk();
    let n = d.open(&alice(), "Help", "Raw").ticket.number;
    // The envelope says alice, the header said nothing usable: no follow-up on her ticket.
    let mut m = email("alice@acme.example", &format!("Re: [Ticket#{n}] Help"), "x", "<m1@acme>");
    m.sender_fallback = Some(SenderFallback { header: "Alice".into(), source: SenderSource::Envelope });
    m.queue = Some("Misc".into());
    let (ticket, _) = match block(d.engine.intake(m)).unwrap() {
        IntakeOutcome::NewTicket { ticket, article } => (ticket, article),
        other => panic!("expected a new ticket, got {other:?}"),
    };
    assert_ne!(ticket.number, n);
    assert_eq!(ticket.queue, "Misc", "in the queue it was sent to");
    let h = block(d.engine.history(&admin(), &ticket.number)).unwrap();
    assert!(h.iter().any(|e| e.kind == HistoryKind::SenderFlagged && e.message.contains("\"Alice\"")), "{h:?}");
    assert_eq!(block(d.store.articles(ticket.id)).unwrap().len(), 1, "no auto-response");
}
