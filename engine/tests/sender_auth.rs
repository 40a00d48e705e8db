//! The sender-authentication policy: forged senders neither join tickets, nor redirect replies, nor
//! get auto-responses; the global hourly auto-response cap.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::field_reassign_with_default)]

mod common;
use chamado::*;
use common::*;
use std::time::Duration;

fn new_ticket(o: IntakeOutcome) -> (Ticket, Article) {
    match o {
        IntakeOutcome::NewTicket { ticket, article } => (ticket, article),
        other => panic!("expected a new ticket, got {other:?}"),
    }
}

fn with_reply_to(mut m: InboundMessage, reply_to: &str) -> InboundMessage {
    if let Sender::Email { reply_to: r, .. } = &mut m.sender {
        *r = Some(reply_to.into());
    }
    m
}

fn history_text(d: &Desk, t: &Ticket) -> String {
    block(d.store.history(t.id)).unwrap().iter().map(|h| h.message.clone()).collect::<Vec<_>>().join("\n")
}

#[test]
fn forged_follow_up_opens_a_new_flagged_ticket_and_redirects_nothing() {
    let d = desk();
    let (t, _) =
        new_ticket(block(d.engine.intake(email("alice@acme.example", "Printer", "jams", "<a1@acme>"))).unwrap());
    let outbox_before = block(d.store.outbox_for_ticket(t.id)).unwrap().len();
    let forged = with_reply_to(
        unverified_email(
            "alice@acme.example",
            &format!("Re: [Ticket#{}] Printer", t.number),
            "send it to me",
            "<f1@evil>",
        ),
        "attacker@evil.example",
    );
    let (nt, article) = new_ticket(block(d.engine.intake(forged)).unwrap());
    assert_ne!(nt.id, t.id, "a forged follow-up never joins the ticket it names");
    assert_eq!(block(d.store.articles(t.id)).unwrap().len(), outbox_before + 1, "the original ticket is untouched");
    assert_eq!(article.reply_to.as_deref(), Some("alice@acme.example"), "the foreign Reply-To is ignored");
    assert_eq!(article.sender_auth, None, "nothing verified is recorded as such");
    assert!(block(d.store.outbox_for_ticket(nt.id)).unwrap().is_empty(), "no auto-response to a forged sender");
    let h = history_text(&d, &nt);
    assert!(h.contains("unauthenticated sender"), "{h}");
    assert!(h.contains("not joined"), "{h}");
    assert!(h.contains("Reply-To attacker@evil.example ignored"), "{h}");
    assert!(h.contains("no auto-response to alice@acme.example: the sender is not authenticated"), "{h}");

    // The agent's answer to the flagged ticket goes to alice's registered address, and says why.
    block(d.engine.add_article(&Actor::agent("admin"), &nt.number, NewArticle::reply("Which address?"))).unwrap();
    let queued = block(d.store.outbox_for_ticket(nt.id)).unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].recipient, "alice@acme.example");
    assert!(history_text(&d, &nt).contains("reply queued for email to alice@acme.example: the reply address"));

    // The same mail, authenticated, follows up.
    let ok = email("alice@acme.example", &format!("Re: [Ticket#{}] Printer", t.number), "more", "<a2@acme>");
    match block(d.engine.intake(ok)).unwrap() {
        IntakeOutcome::FollowUp { article, .. } => {
            assert_eq!(article.sender_auth.as_ref().map(SenderAuth::summary).as_deref(), Some("DMARC pass"));
        }
        other => panic!("expected a follow-up, got {other:?}"),
    }
}

#[test]
fn flag_and_off_let_unauthenticated_follow_ups_join() {
    for policy in [SenderAuthPolicy::Flag, SenderAuthPolicy::Off] {
        let mut cfg = EngineConfig::default();
        cfg.sender_auth = policy;
        let d = desk_with(cfg);
        let (t, _) =
            new_ticket(block(d.engine.intake(email("alice@acme.example", "Printer", "jams", "<a1@acme>"))).unwrap());
        let m = unverified_email("alice@acme.example", &format!("[Ticket#{}]", t.number), "more", "<a2@acme>");
        assert!(matches!(block(d.engine.intake(m)).unwrap(), IntakeOutcome::FollowUp { .. }), "{policy:?}");
        if policy == SenderAuthPolicy::Flag {
            assert!(history_text(&d, &t).contains("unauthenticated sender"), "flag records the result");
        }
    }
}

#[test]
fn reply_to_is_honoured_only_in_the_senders_domain_or_an_allowing_queue() {
    let d = desk();
    let same = with_reply_to(email("bob@acme.example", "a", "b", "<b1@acme>"), "helpdesk@acme.example");
    let (_, a) = new_ticket(block(d.engine.intake(same)).unwrap());
    assert_eq!(a.reply_to.as_deref(), Some("helpdesk@acme.example"));
    let foreign = with_reply_to(email("carol@acme.example", "a", "b", "<c1@acme>"), "carol@gmail.example");
    let (t, a) = new_ticket(block(d.engine.intake(foreign)).unwrap());
    assert_eq!(a.reply_to.as_deref(), Some("carol@acme.example"), "authenticated, but the queue does not allow it");
    assert!(history_text(&d, &t).contains("Reply-To carol@gmail.example ignored"));

    let mut cfg = EngineConfig::default();
    cfg.reply_to_queues = vec![cfg.default_queue.clone()];
    let d = desk_with(cfg);
    let foreign = with_reply_to(email("carol@acme.example", "a", "b", "<c1@acme>"), "carol@gmail.example");
    let (_, a) = new_ticket(block(d.engine.intake(foreign)).unwrap());
    assert_eq!(a.reply_to.as_deref(), Some("carol@gmail.example"));
    let forged = with_reply_to(unverified_email("dan@acme.example", "a", "b", "<d1@x>"), "dan@gmail.example");
    let (_, a) = new_ticket(block(d.engine.intake(forged)).unwrap());
    assert_eq!(a.reply_to.as_deref(), Some("dan@acme.example"), "never for an unauthenticated sender");
}

#[test]
fn auto_responses_have_a_global_hourly_cap() {
    let mut cfg = EngineConfig::default();
    cfg.auto_response.max_per_hour = 2;
    let d = desk_with(cfg);
    let auto = |t: &Ticket| block(d.store.outbox_for_ticket(t.id)).unwrap().len();
    let mut sent = 0;
    for i in 0..4 {
        let (t, _) = new_ticket(
            block(d.engine.intake(email(&format!("u{i}@example.org"), "x", "y", &format!("<h{i}@ex>")))).unwrap(),
        );
        sent += auto(&t);
    }
    assert_eq!(sent, 2, "the hourly cap holds across senders");
    d.clock.advance(Duration::from_secs(3600));
    let (t, _) = new_ticket(block(d.engine.intake(email("late@example.org", "x", "y", "<late@ex>"))).unwrap());
    assert_eq!(auto(&t), 1, "a new hour, a new allowance");
}
