//! Issue 18 through the whole intake (parse, route, engine): a customer's mail is never refused for its
//! headers, bounces mark our replies failed or go quietly to Postmaster, undeclared 8-bit headers are
//! decoded by a detector.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use chamado::{Actor, Engine, HistoryKind, IntakeOutcome, MemoryStore, NewArticle, OutboxStatus, Sender, Store};
use chamado_email::{Disposition, Envelope, MailIntake, QueueMap, parse_message};
use std::sync::Arc;

/// A seeded engine and its store, to read the outbox.
async fn engine_and_store() -> (Engine, Arc<dyn Store>) {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let engine = Engine::builder_arc(store.clone()).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    (engine, store)
}

fn routed(engine: &chamado::Engine) -> MailIntake {
    MailIntake::new(engine.clone(), QueueMap::new().with("misc@localhost", "Misc"))
}

fn envelope(from: Option<&str>) -> Envelope {
    Envelope::new(from.map(str::to_string), vec!["misc@localhost".into()])
}

async fn accepted(intake: &MailIntake, raw: &[u8], env: &Envelope) -> IntakeOutcome {
    match intake.deliver(raw, env).await {
        Disposition::Accepted(o) => *o,
        other => panic!("not accepted: {other:?}\n{}", String::from_utf8_lossy(raw)),
    }
}

/// The malformed senders of the probe: each taken (no 550), in the queue it was sent to, flagged.
#[tokio::test]
async fn malformed_senders_are_taken_flagged_in_their_queue() {
    let engine = common::engine().await;
    let intake = routed(&engine);
    let admin = Actor::agent("admin");
    for (i, from) in ["MAILER-DAEMON", "Name name@example.com", "@example.com", "", "\"Bob\" <bob at example>"]
        .into_iter()
        .enumerate()
    {
        for mail_from in [Some("<customer@shop.example>"), None] {
            let raw = format!(
                "From: {from}\r\nTo: misc@localhost\r\nSubject: order {i}\r\nMessage-ID: <m{i}.{}@x>\r\n\r\nhello",
                mail_from.is_some()
            );
            let o = accepted(&intake, raw.as_bytes(), &envelope(mail_from)).await;
            let IntakeOutcome::NewTicket { ticket, article } = o else { panic!("{from:?}: {o:?}") };
            if from == "MAILER-DAEMON" {
                // A mailer-daemon is a bounce (here one matching nothing of ours): filed, not refused.
                assert_eq!(ticket.queue, "Postmaster");
                assert_eq!(ticket.customer_user, None);
                continue;
            }
            assert_eq!(ticket.queue, "Misc", "{from:?}");
            if mail_from.is_some() {
                assert!(article.from.contains("customer@shop.example"), "{from:?}: {}", article.from);
            }
            let h = engine.history(&admin, &ticket.number).await.unwrap();
            assert!(h.iter().any(|e| e.kind == HistoryKind::SenderFlagged), "{from:?}: not flagged: {h:?}");
        }
    }
}

fn dsn(original_id: &str, status: &str) -> Vec<u8> {
    format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.shop.example>\r\nTo: support@localhost\r\n\
         Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn.{status}@mx.shop.example>\r\n\
         Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n\
         --B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\
         --B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.shop.example\r\n\r\n\
         Final-Recipient: rfc822; alice@shop.example\r\nAction: failed\r\nStatus: {status}\r\n\
         Diagnostic-Code: smtp; 550 {status} mailbox unavailable\r\n\r\n\
         --B\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: support@localhost\r\nTo: alice@shop.example\r\n\
         Message-ID: {original_id}\r\nSubject: Re: something\r\n\r\n--B--\r\n"
    )
    .into_bytes()
}

/// A DSN for one of our replies marks that reply failed and opens no ticket; an unmatched one is
/// filed in Postmaster; neither makes a customer user.
#[tokio::test]
async fn a_dsn_for_our_reply_marks_it_failed() {
    let (engine, store) = engine_and_store().await;
    let intake = routed(&engine);
    let admin = Actor::agent("admin");
    let first = accepted(
        &intake,
        b"From: alice@shop.example\r\nSubject: help\r\nMessage-ID: <a1@shop.example>\r\n\r\nplease",
        &envelope(Some("alice@shop.example")),
    )
    .await;
    let IntakeOutcome::NewTicket { ticket, .. } = first else { panic!("{first:?}") };
    let reply = engine.add_article(&admin, &ticket.number, NewArticle::reply("done")).await.unwrap();
    let ours = reply.article.external_id.clone().unwrap();
    let tickets_before = common::all_tickets(&engine).await.len();

    let d = intake.deliver(&dsn(&ours, "5.1.1"), &envelope(Some("<>"))).await;
    assert_eq!(d.ticket_number(), None, "the bounce's sender is not told the ticket");
    let Disposition::Accepted(o) = d else { panic!("{d:?}") };
    assert!(matches!(*o, IntakeOutcome::Bounce { ref ticket_number, .. } if *ticket_number == ticket.number), "{o:?}");
    assert_eq!(common::all_tickets(&engine).await.len(), tickets_before, "no ticket");
    let outbox = store.outbox_for_ticket(ticket.id).await.unwrap();
    let entry = outbox.iter().find(|e| e.article_id == reply.article.id);
    assert!(
        entry.is_some_and(
            |e| e.status == OutboxStatus::Failed && e.last_error.as_deref().is_some_and(|m| m.contains("5.1.1"))
        ),
        "{outbox:?}"
    );
    let history = engine.history(&admin, &ticket.number).await.unwrap();
    assert!(history.iter().any(|h| h.kind == HistoryKind::OutboundFailed && h.message.contains("5.1.1")));
    assert!(engine.customer_user("mailer-daemon@mx.shop.example").await.unwrap().is_none());

    // Unmatched: quietly to Postmaster, no answer, no customer user.
    let o = accepted(&intake, &dsn("<someone-else@elsewhere.example>", "5.2.2"), &envelope(Some("<>"))).await;
    let IntakeOutcome::NewTicket { ticket: filed, .. } = o else { panic!("{o:?}") };
    assert_eq!(filed.queue, "Postmaster");
    assert_eq!(filed.customer_user, None);
    assert!(store.outbox_for_ticket(filed.id).await.unwrap().is_empty(), "no auto-response to a bounce");
    assert!(engine.customer_user("mailer-daemon@mx.shop.example").await.unwrap().is_none());
}

/// Raw GB2312 and Shift_JIS headers with no declared charset (issue 18): decoded, not Latin-1.
#[test]
fn undeclared_gb2312_and_shift_jis_headers() {
    for (enc, name, subject) in [
        (encoding_rs::GBK, "王小明", "发票问题：请帮我查看上个月的账单"),
        (encoding_rs::SHIFT_JIS, "鈴木一郎", "請求書についてのお問い合わせです"),
    ] {
        let mut raw = b"From: ".to_vec();
        raw.extend_from_slice(&enc.encode(name).0);
        raw.extend_from_slice(b" <someone@example.com>\r\nSubject: ");
        raw.extend_from_slice(&enc.encode(subject).0);
        raw.extend_from_slice(b"\r\nMessage-ID: <cjk@example.com>\r\n\r\nbody\r\n");
        let m = parse_message(&raw, None).unwrap();
        assert_eq!(m.subject, subject, "{}", enc.name());
        assert!(
            matches!(&m.sender, Sender::Email { name: Some(n), .. } if n == name),
            "{}: {:?}",
            enc.name(),
            m.sender
        );
    }
}
