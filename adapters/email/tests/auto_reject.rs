//! A follow-up refused by the queue's policy: bounced at the SMTP level when nothing answers it, taken
//! (250) when the queue's auto-reject answers the sender, so the sender is not told twice (issue 22).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use chamado::{
    Actor, AutoResponse, AutoResponseKind, Customer, CustomerUser, EngineConfig, FollowUpPolicy, IntakeOutcome,
    LocalizedText, MemoryStore, SenderAuthPolicy, Store, TicketUpdate,
};
use chamado_email::{Disposition, Envelope, MailIntake, QueueMap};
use std::sync::Arc;

fn mail(subject: &str, id: &str) -> Vec<u8> {
    format!(
        "From: Alice <alice@acme.example>\r\nTo: support@example.com\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         Date: Sun, 06 Dec 2026 09:00:00 +0000\r\n\r\nIt jams again.\r\n"
    )
    .into_bytes()
}

#[tokio::test]
async fn a_refused_follow_up_is_taken_only_when_the_auto_reject_answers_it() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    // Every sender counts as authenticated: auto-responses go to authenticated senders only.
    let config = EngineConfig { sender_auth: SenderAuthPolicy::Off, ..EngineConfig::default() };
    let engine = chamado::Engine::builder_arc(store.clone()).config(config).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    let admin = engine.admin(&Actor::System).await.unwrap();
    admin.put_customer(Customer::new("acme", "Acme")).await.unwrap();
    admin.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await.unwrap();
    let intake = MailIntake::new(engine.clone(), QueueMap::new());
    let env = Envelope::new(Some("alice@acme.example".into()), vec!["support@example.com".into()]);

    let number = match intake.deliver(&mail("Printer", "first@acme.example"), &env).await {
        Disposition::Accepted(o) => match *o {
            IntakeOutcome::NewTicket { ticket, .. } => ticket.number,
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    };
    engine.update_ticket(&Actor::System, &number, TicketUpdate::state("closed successful")).await.unwrap();
    let mut raw = engine.queue("Raw").await.unwrap();
    raw.follow_up = FollowUpPolicy::Reject;
    admin.put_queue(raw.clone()).await.unwrap();
    let subject = format!("Re: [Ticket#{number}] Printer");
    let ticket_id = store.ticket_by_number(&number).await.unwrap().unwrap().id;
    let queued = || async { store.outbox_for_ticket(ticket_id).await.unwrap().len() };
    let before = queued().await;

    // Nothing answers the refusal: the MTA must bounce it.
    let d = intake.deliver(&mail(&subject, "second@acme.example"), &env).await;
    assert!(matches!(d, Disposition::Refused(_)), "{d:?}");
    assert_eq!(queued().await, before, "nothing sent");

    // The queue's auto-reject answers it: taken, and the answer is queued for Alice.
    admin
        .put_auto_response(AutoResponse {
            name: "closed".into(),
            kind: AutoResponseKind::Reject,
            texts: vec![LocalizedText::new("en", "Closed: {{ ticket.title }}", "This ticket is closed; write anew.")],
            ..AutoResponse::default()
        })
        .await
        .unwrap();
    raw.auto_responses.reject = Some("closed".into());
    admin.put_queue(raw).await.unwrap();
    match intake.deliver(&mail(&subject, "third@acme.example"), &env).await {
        Disposition::Accepted(o) => assert!(matches!(*o, IntakeOutcome::Rejected { answered: true, .. }), "{o:?}"),
        other => panic!("not taken: {other:?}"),
    }
    let outbox = store.outbox_for_ticket(ticket_id).await.unwrap();
    assert_eq!(outbox.len(), before + 1);
    assert_eq!(outbox.last().unwrap().recipient, "alice@acme.example");
    let t = store.ticket_by_number(&number).await.unwrap().unwrap();
    assert_eq!(t.state, "closed successful", "the ticket stays closed");
}
