//! Inbound messages: threading, idempotency, the sender check, policies, auto-responses, delivery.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::field_reassign_with_default)]

mod common;
use async_trait::async_trait;
use chamado::*;
use common::*;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn new_ticket(o: IntakeOutcome) -> (Ticket, Article) {
    match o {
        IntakeOutcome::NewTicket { ticket, article } => (ticket, article),
        other => panic!("expected a new ticket, got {other:?}"),
    }
}

fn follow_up(o: IntakeOutcome) -> Ticket {
    match o {
        IntakeOutcome::FollowUp { ticket, .. } => ticket,
        other => panic!("expected a follow-up, got {other:?}"),
    }
}

#[test]
fn unknown_sender_becomes_customer_user_and_gets_auto_response() {
    let d = desk();
    let (t, a) = new_ticket(
        block(d.engine.intake(email("New.Person@Example.org", "Re: Fwd: Laptop", "It is slow", "<1@ex>"))).unwrap(),
    );
    assert_eq!(t.title, "Laptop", "prefixes cleaned for the title");
    assert_eq!(t.customer_user.as_deref(), Some("new.person@example.org"));
    assert_eq!(a.reply_to.as_deref(), Some("New.Person@Example.org"));
    let u = block(d.engine.customer_user("new.person@example.org")).unwrap().unwrap();
    assert_eq!(u.email, "New.Person@Example.org");
    let arts = block(d.store.articles(t.id)).unwrap();
    assert_eq!(arts.len(), 2, "the message and the auto-response");
    assert_eq!(arts[1].sender, SenderType::System);
    assert!(arts[1].body.contains(&t.number));
    assert_eq!(arts[1].references, vec!["<1@ex>".to_string()]);
    assert_eq!(block(d.store.outbox_for_ticket(t.id)).unwrap().len(), 1);

    let mut cfg = EngineConfig::default();
    cfg.unknown_sender = UnknownSenderPolicy::Reject;
    let strict = desk_with(cfg);
    let o = block(strict.engine.intake(email("stranger@example.org", "hi", "x", "<2@ex>"))).unwrap();
    assert!(matches!(o, IntakeOutcome::Rejected { ticket_number: None, .. }), "{o:?}");
    assert!(strict.events().iter().any(|e| matches!(e, Event::IntakeRejected { .. })));
}

#[test]
fn threads_by_number_then_references() {
    let d = desk();
    let (t, _) =
        new_ticket(block(d.engine.intake(email("alice@acme.example", "Printer", "jams", "<a1@acme>"))).unwrap());
    let n = t.number.clone();
    let by_number = follow_up(
        block(d.engine.intake(email("alice@acme.example", &format!("Re: [Ticket#{n}] Printer"), "more", "<a2@acme>")))
            .unwrap(),
    );
    assert_eq!(by_number.number, n);
    // A reply to our auto-response, subject changed, threads by In-Reply-To alone.
    let ours = block(d.store.articles(t.id)).unwrap().into_iter().find(|a| a.sender == SenderType::System).unwrap();
    let mut reply = email("alice@acme.example", "totally different subject", "x", "<a3@acme>");
    reply.references = vec![ours.external_id.clone().unwrap()];
    assert_eq!(follow_up(block(d.engine.intake(reply)).unwrap()).number, n);
    // A stray number with a wrong check digit does not thread.
    let mut wrong = n.clone();
    let last = wrong.pop().unwrap();
    wrong.push(if last == '9' { '0' } else { char::from(last as u8 + 1) });
    let (other, _) = new_ticket(
        block(d.engine.intake(email("alice@acme.example", &format!("[Ticket#{wrong}] x"), "y", "<a4@acme>"))).unwrap(),
    );
    assert_ne!(other.number, n);
    // Numbers of a foreign SystemID do not thread.
    let foreign = format!("{}99{}", &n[..8], &n[10..]);
    assert!(matches!(
        block(d.engine.intake(email("alice@acme.example", &format!("[Ticket#{foreign}] x"), "y", "<a5@acme>")))
            .unwrap(),
        IntakeOutcome::NewTicket { .. }
    ));
}

#[test]
fn same_message_twice_is_a_duplicate() {
    let d = desk();
    let m = email("alice@acme.example", "Once", "body", "<dup@acme>");
    let (t, a) = new_ticket(block(d.engine.intake(m.clone())).unwrap());
    let again = block(d.engine.intake(m.clone())).unwrap();
    assert_eq!(again, IntakeOutcome::Duplicate { ticket_number: Some(t.number.clone()), article_id: Some(a.id) });
    let page = block(d.engine.list_tickets(&admin(), &TicketFilter::default(), None, 50)).unwrap();
    assert_eq!(page.items.len(), 1, "no second ticket");
    let mut f = email("alice@acme.example", &format!("[Ticket#{}]", t.number), "fu", "<dup2@acme>");
    f.references.clear();
    follow_up(block(d.engine.intake(f.clone())).unwrap());
    assert!(matches!(block(d.engine.intake(f)).unwrap(), IntakeOutcome::Duplicate { .. }));
    assert_eq!(block(d.store.articles(t.id)).unwrap().iter().filter(|a| a.sender == SenderType::Customer).count(), 2);
    // The same Message-ID from another sender is another message.
    let spoof = email("carol@globex.example", "Once", "body", "<dup@acme>");
    assert!(matches!(block(d.engine.intake(spoof)).unwrap(), IntakeOutcome::NewTicket { .. }));
}

#[test]
fn long_subjects_are_cut_to_255_characters_and_kept_whole_in_the_text() {
    let d = desk();
    let subject = format!("{} tail-of-the-subject", "Drucker ä ".repeat(100));
    let m = email("alice@acme.example", &subject, "the text", "<long-subject@acme>");
    let (t, a) = new_ticket(block(d.engine.intake(m)).unwrap());
    assert!(t.title.starts_with("Drucker ä") && t.title.chars().count() <= 255, "{:?}", t.title);
    assert!(a.subject.chars().count() <= 255, "the article's subject is cut too: {}", a.subject.chars().count());
    assert!(subject.starts_with(&a.subject));
    assert_eq!(a.body, format!("{subject}\n\nthe text"), "the rest stays in the text");
}

#[test]
fn sender_check_never_touches_another_customers_ticket() {
    let d = desk();
    let (t, _) = new_ticket(block(d.engine.intake(email("alice@acme.example", "Secret", "x", "<s1@acme>"))).unwrap());
    let m = email("carol@globex.example", &format!("Re: [Ticket#{}] Secret", t.number), "let me in", "<c1@globex>");
    let (carols, _) = new_ticket(block(d.engine.intake(m)).unwrap());
    assert_ne!(carols.number, t.number);
    assert_eq!(carols.customer_user.as_deref(), Some("carol"));
    let arts = block(d.store.articles(t.id)).unwrap();
    assert!(arts.iter().all(|a| !a.body.contains("let me in")), "alice's ticket untouched");
    // Bob (same company, rw through the default group) may follow up.
    let m = email("bob@acme.example", &format!("Re: [Ticket#{}] Secret", t.number), "me too", "<b1@acme>");
    assert_eq!(follow_up(block(d.engine.intake(m)).unwrap()).number, t.number);
}

#[test]
fn closed_ticket_policies_on_intake() {
    let d = desk();
    let mut m = email("alice@acme.example", "Q", "x", "<p1@acme>");
    m.queue = Some("Closed".into());
    let (t, _) = new_ticket(block(d.engine.intake(m)).unwrap());
    block(d.engine.update_ticket(&admin(), &t.number, TicketUpdate::state("closed successful"))).unwrap();
    let fu = email("alice@acme.example", &format!("[Ticket#{}]", t.number), "again", "<p2@acme>");
    match block(d.engine.intake(fu.clone())).unwrap() {
        IntakeOutcome::Rejected { ticket_number, reason, .. } => {
            assert_eq!(ticket_number.as_deref(), Some(t.number.as_str()));
            assert!(reason.contains("closed"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(block(d.engine.intake(fu)).unwrap(), IntakeOutcome::Duplicate { .. }),
        "a redelivered refusal is not recorded twice"
    );
    let rejected = block(d.engine.history(&admin(), &t.number))
        .unwrap()
        .iter()
        .filter(|h| h.kind == HistoryKind::FollowUpRejected)
        .count();
    assert_eq!(rejected, 1);
    let mut m = email("alice@acme.example", "N", "x", "<p3@acme>");
    m.queue = Some("Fresh".into());
    let (t2, _) = new_ticket(block(d.engine.intake(m)).unwrap());
    block(d.engine.update_ticket(&admin(), &t2.number, TicketUpdate::state("closed successful"))).unwrap();
    let (t3, _) = new_ticket(
        block(d.engine.intake(email("alice@acme.example", &format!("[Ticket#{}]", t2.number), "again", "<p4@acme>")))
            .unwrap(),
    );
    assert_eq!(t3.linked, vec![t2.id]);
    // Unknown queue in routing falls back to the default queue.
    let mut m = email("alice@acme.example", "R", "x", "<p5@acme>");
    m.queue = Some("NoSuchQueue".into());
    assert_eq!(new_ticket(block(d.engine.intake(m)).unwrap()).0.queue, "Raw");
}

#[test]
fn auto_responses_respect_loops_and_limits() {
    let mut cfg = EngineConfig::default();
    cfg.auto_response.max_per_sender_per_day = 3;
    cfg.system_addresses = vec!["support@example.com".into()];
    let d = desk_with(cfg);
    let count_auto =
        |t: &Ticket| block(d.store.articles(t.id)).unwrap().iter().filter(|a| a.sender == SenderType::System).count();
    let mut auto = email("robot@example.org", "Out of office", "away", "<r1@ex>");
    auto.auto_generated = true;
    assert_eq!(count_auto(&new_ticket(block(d.engine.intake(auto)).unwrap()).0), 0, "never to auto-generated mail");
    for from in ["MAILER-DAEMON@example.org", "support@example.com"] {
        let (t, _) = new_ticket(block(d.engine.intake(email(from, "x", "y", &format!("<{from}>")))).unwrap());
        assert_eq!(count_auto(&t), 0, "never to {from}");
    }
    let mut sent = 0;
    for i in 0..6 {
        let (t, _) = new_ticket(
            block(d.engine.intake(email("flood@example.org", &format!("n{i}"), "y", &format!("<f{i}@ex>")))).unwrap(),
        );
        sent += count_auto(&t);
    }
    assert_eq!(sent, 3, "the daily limit holds");
    d.clock.advance(Duration::from_secs(86_400));
    let (t, _) = new_ticket(block(d.engine.intake(email("flood@example.org", "next day", "y", "<fn@ex>"))).unwrap());
    assert_eq!(count_auto(&t), 1, "a new day, a new allowance");
}

/// A new sender's mail, with its auto-response, costs one durable write: the sender's registration and
/// the auto-response counters go in the ticket's own commit. A sender naming a ticket is registered first.
#[test]
fn a_new_senders_mail_is_one_write() {
    let (store, _down) = testkit::FlakyStore::new();
    let store = Arc::new(store);
    let clock = Arc::new(FixedClock::new(Timestamp(T0)));
    let engine = Engine::builder_arc(store.clone()).clock(clock).build().unwrap();
    block(engine.seed_defaults("admin")).unwrap();
    // The first message reserves the id blocks; the ones after find them.
    new_ticket(block(engine.intake(email("first@example.org", "warm up", "x", "<w@ex>"))).unwrap());
    store.take_writes();
    for i in 0..5 {
        let from = format!("new{i}@example.org");
        let (t, _) =
            new_ticket(block(engine.intake(email(&from, "Printer", "It jams", &format!("<n{i}@ex>")))).unwrap());
        assert_eq!(store.take_writes(), vec!["commit".to_string()], "one write for {from}");
        let u = block(engine.customer_user(&from)).unwrap().expect("registered with the ticket");
        assert_eq!(u.email, from);
        let arts = block(store.articles(t.id)).unwrap();
        assert_eq!(arts.len(), 2, "the message and the auto-response");
        assert!(arts[1].body.contains("new"), "the text names the new customer user: {}", arts[1].body);
    }
    let day = Timestamp(T0).date().yyyymmdd();
    assert_eq!(block(store.counter(&format!("auto_response:new3@example.org:{day}"))).unwrap(), 1);
    let hour = format!("auto_response:hour:{}", Timestamp(T0).as_unix_seconds().div_euclid(3600));
    assert_eq!(block(store.counter(&hour)).unwrap(), 6, "every answer counted in its commit");

    // Naming a ticket: the sender is stored before the sender check, which then refuses them.
    let (t, _) = new_ticket(block(engine.intake(email("owner@example.org", "Mine", "x", "<o@ex>"))).unwrap());
    store.take_writes();
    let subject = format!("Re: [Ticket#{}] Mine", t.number);
    let (other, _) =
        new_ticket(block(engine.intake(email("stranger@example.org", &subject, "me too", "<s@ex>"))).unwrap());
    assert_ne!(other.number, t.number, "a stranger never follows up someone else's ticket");
    assert_eq!(store.take_writes(), vec!["put_record".to_string(), "commit".to_string()]);
    assert!(block(engine.customer_user("stranger@example.org")).unwrap().is_some());
}

#[test]
fn chat_and_phone_senders() {
    let d = desk();
    let chat = |text: &str, id: &str| {
        let mut m = InboundMessage::new(
            ChannelKind::Chat,
            Sender::Chat {
                network: "tg".into(),
                user_id: "42".into(),
                chat_id: "4242".into(),
                name: Some("Tom".into()),
            },
            "",
            text,
        );
        m.external_id = Some(id.into());
        m
    };
    let (t, a) = new_ticket(block(d.engine.intake(chat("VPN is down\nsince 9am", "u1"))).unwrap());
    assert_eq!(t.title, "VPN is down", "first line as title");
    assert_eq!(t.customer_user.as_deref(), Some("tg:42"));
    assert_eq!(a.reply_to.as_deref(), Some("4242"));
    let mut m = chat("any news?", "u2");
    m.ticket_hint = Some(t.number.clone());
    assert_eq!(follow_up(block(d.engine.intake(m)).unwrap()).number, t.number, "the chat's active ticket");
    let out = block(d.engine.add_article(&admin(), &t.number, NewArticle::reply("restarted it"))).unwrap();
    let ob = block(d.store.outbox_for_ticket(out.ticket.id)).unwrap();
    assert_eq!(
        (ob[0].channel, ob[0].recipient.as_str()),
        (ChannelKind::Chat, "4242"),
        "the reply goes back to the chat"
    );
    let phone = InboundMessage::new(
        ChannelKind::Phone,
        Sender::AgentOnBehalf { agent: "admin".into(), customer_user: "alice".into() },
        "Called in",
        "monitor flickers",
    );
    let (pt, pa) = new_ticket(block(d.engine.intake(phone)).unwrap());
    assert_eq!((pt.customer_user.as_deref(), pa.created_by.as_str()), (Some("alice"), "agent:admin"));
}

/// A channel that records deliveries and fails the first `fail_first` attempts.
struct TestChannel {
    sent: Mutex<Vec<Delivery>>,
    fail_first: Mutex<u32>,
    permanent: bool,
}

#[async_trait]
impl Channel for TestChannel {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }
    async fn deliver(&self, d: &Delivery) -> std::result::Result<Option<String>, DeliveryError> {
        let mut f = self.fail_first.lock().unwrap();
        if *f > 0 {
            *f -= 1;
            return Err(if self.permanent {
                DeliveryError::Permanent("550 no such user".into())
            } else {
                DeliveryError::Temporary { message: "relay down".into(), retry_after: None }
            });
        }
        self.sent.lock().unwrap().push(d.clone());
        Ok(Some("queued as 1".into()))
    }
}

#[test]
fn outbox_delivers_once_with_retries() {
    let d = desk();
    let n = d.open(&alice(), "Help", "Raw").ticket.number;
    block(d.engine.add_article(&admin(), &n, NewArticle::reply("answer"))).unwrap();
    let ch = Arc::new(TestChannel { sent: Mutex::new(vec![]), fail_first: Mutex::new(2), permanent: false });
    let chans: Vec<Arc<dyn Channel>> = vec![ch.clone()];
    let r = block(d.engine.deliver_due(&chans)).unwrap();
    assert_eq!((r.sent, r.retried), (0, 1));
    assert_eq!(block(d.engine.deliver_due(&chans)).unwrap().retried, 0, "not before the backoff");
    d.clock.advance(Duration::from_secs(31));
    assert_eq!(block(d.engine.deliver_due(&chans)).unwrap().retried, 1);
    d.clock.advance(Duration::from_secs(61));
    assert_eq!(block(d.engine.deliver_due(&chans)).unwrap().sent, 1);
    d.clock.advance(Duration::from_secs(3600));
    assert_eq!(block(d.engine.deliver_due(&chans)).unwrap(), DeliveryReport::default(), "never sent twice");
    let sent = ch.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].subject, format!("Re: [Ticket#{n}] Help"));
    assert!(sent[0].message_id.is_some());
    let h = block(d.engine.history(&admin(), &n)).unwrap();
    assert!(h.iter().any(|e| e.kind == HistoryKind::OutboundSent));
}

#[test]
fn outbox_failure_is_recorded_and_waits_for_channels() {
    let d = desk();
    let n = d.open(&alice(), "Help", "Raw").ticket.number;
    block(d.engine.add_article(&admin(), &n, NewArticle::reply("answer"))).unwrap();
    let r = block(d.engine.deliver_due(&[])).unwrap();
    assert_eq!(r.waiting, 1, "no email channel yet: it waits, nothing is dropped");
    d.clock.advance(Duration::from_secs(301));
    let ch = Arc::new(TestChannel { sent: Mutex::new(vec![]), fail_first: Mutex::new(1), permanent: true });
    let r = block(d.engine.deliver_due(&[ch.clone() as Arc<dyn Channel>])).unwrap();
    assert_eq!(r.failed, 1);
    let h = block(d.engine.history(&admin(), &n)).unwrap();
    assert!(h.iter().any(|e| e.kind == HistoryKind::OutboundFailed && e.message.contains("550")));
    assert!(d.events().iter().any(|e| matches!(e, Event::OutboundFailed { .. })));
}
