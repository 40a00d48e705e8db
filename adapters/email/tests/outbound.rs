//! Outbound mail through a real SMTP server (aiosmtpd), read back and answered: the customer's reply
//! threads into the right ticket by In-Reply-To alone. Loop protection: auto-reply ping-pong stops, the
//! daily limit holds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use chamado::{Actor, Channel, EngineConfig, IntakeOutcome, NewArticle};
use chamado_email::{Disposition, Envelope, MailAuth, MailIntake, OutboundConfig, QueueMap, SmtpChannel};
use common::sink::Sink;
use mail_parser::{HeaderValue, MessageParser};
use std::sync::Arc;

fn config() -> EngineConfig {
    EngineConfig {
        system_addresses: vec!["support@example.com".into()],
        message_id_domain: "example.com".into(),
        ..EngineConfig::default()
    }
}

/// The MTA in front of the intake in these tests; its `Authentication-Results` are trusted.
const MTA: &str = "mx.test.example";

/// Mail as the MTA hands it over: its sender verified (DMARC pass), so auto-responses and follow-ups
/// work as for any authenticated customer.
fn mail(from: &str, subject: &str, id: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "Authentication-Results: {MTA}; dmarc=pass\r\nFrom: {from}\r\nTo: support@example.com\r\nSubject: {subject}\r\nMessage-ID: {id}\r\n{extra}\r\n{body}\r\n"
    )
    .into_bytes()
}

fn trusted(intake: MailIntake) -> MailIntake {
    intake.with_auth(MailAuth { verifier: None, trusted_authserv_id: Some(MTA.into()) })
}

async fn take(intake: &MailIntake, raw: &[u8]) -> IntakeOutcome {
    match intake.deliver(raw, &Envelope::default()).await {
        Disposition::Accepted(o) => *o,
        other => panic!("not accepted: {other:?}"),
    }
}

fn number_of(o: &IntakeOutcome) -> String {
    match o {
        IntakeOutcome::NewTicket { ticket, .. } | IntakeOutcome::FollowUp { ticket, .. } => ticket.number.clone(),
        other => panic!("no ticket: {other:?}"),
    }
}

fn header(raw: &[u8], name: &str) -> Option<String> {
    let m = MessageParser::default().parse(raw)?;
    m.header_raw(name).map(|v| v.trim().to_string())
}

fn ids(raw: &[u8], name: &str) -> Vec<String> {
    let m = MessageParser::default().parse(raw).unwrap();
    let v = if name == "In-Reply-To" { m.in_reply_to().clone() } else { m.references().clone() };
    match v {
        HeaderValue::Text(t) => vec![format!("<{t}>")],
        HeaderValue::TextList(l) => l.iter().map(|t| format!("<{t}>")).collect(),
        _ => Vec::new(),
    }
}

async fn channel(sink: &Sink) -> Vec<Arc<dyn Channel>> {
    vec![Arc::new(SmtpChannel::new(&OutboundConfig::new(sink.url())).unwrap())]
}

#[tokio::test]
async fn replies_go_out_threaded_and_the_answer_threads_back() {
    if !common::need_python("aiosmtpd", "replies_go_out_threaded_and_the_answer_threads_back") {
        return;
    }
    let sink = Sink::start().await;
    let channels = channel(&sink).await;
    let engine = common::engine_with(config()).await;
    let intake = trusted(MailIntake::new(engine.clone(), QueueMap::new()));

    let first = take(
        &intake,
        &mail("Alice Example <alice@customer.example>", "Printer broken", "<c1@customer.example>", "", "It jams."),
    )
    .await;
    let number = number_of(&first);
    let agent = Actor::agent("admin");
    engine.add_article(&agent, &number, NewArticle::reply("We replaced the paper tray.")).await.unwrap();
    let report = engine.deliver_due(&channels).await.unwrap();
    assert_eq!((report.sent, report.failed, report.retried), (2, 0, 0), "auto-response and agent reply: {report:?}");

    let received = sink.received();
    assert_eq!(received.len(), 2);
    let view = engine.ticket(&agent, &number).await.unwrap();
    let reply_article = view.articles.iter().find(|a| a.body.contains("paper tray")).unwrap();
    let auto_article = view.articles.iter().find(|a| a.sender == chamado::SenderType::System).unwrap();
    let find = |id: &str| {
        received
            .iter()
            .find(|(_, raw)| header(raw, "Message-ID").as_deref() == Some(id))
            .unwrap_or_else(|| panic!("{id} not sent"))
    };

    // The agent's reply: our Message-ID verbatim, threading ids, tagged subject, addresses.
    let our_id = reply_article.external_id.clone().expect("our Message-ID is recorded");
    let (env, raw) = find(&our_id);
    assert_eq!(*env, vec!["support@example.com".to_string(), "alice@customer.example".to_string()]);
    let subject = header(raw, "Subject").unwrap();
    assert!(subject.contains(&format!("[Ticket#{number}]")) && subject.contains("Printer broken"), "{subject}");
    assert_eq!(ids(raw, "In-Reply-To"), vec!["<c1@customer.example>".to_string()]);
    assert!(ids(raw, "References").contains(&"<c1@customer.example>".to_string()));
    assert!(header(raw, "From").unwrap().contains("support@example.com"));
    assert!(header(raw, "To").unwrap().contains("alice@customer.example"));
    assert!(header(raw, "Auto-Submitted").is_none(), "a person's reply is not auto-submitted");
    let parsed = MessageParser::default().parse(raw).unwrap();
    assert!(parsed.body_text(0).unwrap().contains("We replaced the paper tray."));

    // The auto-response: RFC 3834 headers.
    let (_, auto_raw) = find(auto_article.external_id.as_deref().unwrap());
    assert_eq!(header(auto_raw, "Auto-Submitted").as_deref(), Some("auto-replied"));
    assert_eq!(header(auto_raw, "Precedence").as_deref(), Some("bulk"));
    assert_eq!(header(auto_raw, "X-Loop").as_deref(), Some("support@example.com"));

    // Alice answers our reply: new subject without the ticket number, only In-Reply-To.
    let answer = mail(
        "alice@customer.example",
        "thanks!",
        "<c2@customer.example>",
        &format!("In-Reply-To: {our_id}\r\n"),
        "Works now.",
    );
    match take(&intake, &answer).await {
        IntakeOutcome::FollowUp { ticket, .. } => assert_eq!(ticket.number, number),
        other => panic!("did not thread back: {other:?}"),
    }
    // Someone else quoting the same id may not write into Alice's ticket: a new ticket.
    let stranger =
        mail("mallory@else.example", "thanks!", "<m1@else.example>", &format!("In-Reply-To: {our_id}\r\n"), "me too");
    match take(&intake, &stranger).await {
        IntakeOutcome::NewTicket { ticket, .. } => assert_ne!(ticket.number, number),
        other => panic!("the sender check did not hold: {other:?}"),
    }
    // The same answer delivered again (an MTA retry) is one article.
    assert!(matches!(take(&intake, &answer).await, IntakeOutcome::Duplicate { .. }));
    assert_eq!(
        engine.ticket(&agent, &number).await.unwrap().articles.iter().filter(|a| a.body.contains("Works now.")).count(),
        1
    );
}

#[tokio::test]
async fn relay_failures_are_temporary_or_permanent() {
    if !common::need_python("aiosmtpd", "relay_failures_are_temporary_or_permanent") {
        return;
    }
    let sink = Sink::start().await;
    let channels = channel(&sink).await;
    let engine = common::engine_with(EngineConfig { outbox_backoff_secs: 1, ..config() }).await;
    let intake = trusted(MailIntake::new(engine.clone(), QueueMap::new()));
    take(&intake, &mail("bob@customer.example", "help", "<b1@customer.example>", "", "x")).await;

    sink.force_reply(Some("451 4.3.0 busy, try later"));
    let r = engine.deliver_due(&channels).await.unwrap();
    assert_eq!((r.sent, r.retried, r.failed), (0, 1, 0), "451 is retried: {r:?}");

    let carol =
        number_of(&take(&intake, &mail("carol@customer.example", "help", "<c1@customer.example>", "", "x")).await);
    sink.force_reply(Some("550 5.1.1 no such user"));
    let r = engine.deliver_due(&channels).await.unwrap();
    assert_eq!((r.sent, r.retried, r.failed), (0, 0, 1), "550 fails for good: {r:?}");
    let history = engine.history(&Actor::agent("admin"), &carol).await.unwrap();
    let failed = history
        .iter()
        .find(|h| h.kind == chamado::HistoryKind::OutboundFailed)
        .expect("the failure is in the ticket history");
    assert!(failed.message.contains("no such user"), "{}", failed.message);

    // A relay nobody listens on: temporary.
    let dead = SmtpChannel::new(&OutboundConfig::new("smtp://127.0.0.1:1")).unwrap();
    let d = chamado::Delivery {
        outbox_id: chamado::OutboxId(1),
        channel: chamado::ChannelKind::Email,
        recipient: "x@example.org".into(),
        recipient_name: String::new(),
        ticket_number: "1".into(),
        subject: "s".into(),
        body: "b".into(),
        attachments: Vec::new(),
        from: "support@example.com".into(),
        from_name: "Support".into(),
        message_id: Some("<m@example.com>".into()),
        in_reply_to: None,
        references: Vec::new(),
        auto_response: false,
        notification: None,
        attempt: 0,
    };
    assert!(matches!(dead.deliver(&d).await, Err(chamado::DeliveryError::Temporary { .. })));
    sink.force_reply(None);
}

/// Alice's mailbox has a vacation responder that marks its answers (RFC 3834): it answers our
/// auto-response, we take its answer as a follow-up and send nothing back. The loop stops at once.
#[tokio::test]
async fn auto_reply_ping_pong_stops() {
    if !common::need_python("aiosmtpd", "auto_reply_ping_pong_stops") {
        return;
    }
    let sink = Sink::start().await;
    let channels = channel(&sink).await;
    let engine = common::engine_with(config()).await;
    let intake = trusted(MailIntake::new(engine.clone(), QueueMap::new()));
    let number =
        number_of(&take(&intake, &mail("alice@customer.example", "hello", "<a1@customer.example>", "", "x")).await);
    engine.deliver_due(&channels).await.unwrap();
    assert_eq!(sink.received().len(), 1, "one auto-response");
    for round in 0..5 {
        let (_, last) = sink.received().pop().unwrap();
        let their_subject = format!("Out of office: {}", header(&last, "Subject").unwrap());
        let in_reply_to = header(&last, "Message-ID").unwrap();
        let vacation = mail(
            "alice@customer.example",
            &their_subject,
            &format!("<vac{round}@customer.example>"),
            &format!("In-Reply-To: {in_reply_to}\r\nAuto-Submitted: auto-replied\r\n"),
            "I am away.",
        );
        match take(&intake, &vacation).await {
            IntakeOutcome::FollowUp { ticket, .. } => assert_eq!(ticket.number, number),
            other => panic!("round {round}: {other:?}"),
        }
        engine.deliver_due(&channels).await.unwrap();
    }
    assert_eq!(sink.received().len(), 1, "nothing answered the auto-replies");
}

/// A responder that marks nothing and opens a new thread every time: each of its mails is a new
/// ticket, but auto-responses to it stop at the daily limit.
#[tokio::test]
async fn the_daily_auto_response_limit_holds() {
    if !common::need_python("aiosmtpd", "the_daily_auto_response_limit_holds") {
        return;
    }
    let sink = Sink::start().await;
    let channels = channel(&sink).await;
    let mut cfg = config();
    cfg.auto_response.max_per_sender_per_day = 3;
    let engine = common::engine_with(cfg).await;
    let intake = trusted(MailIntake::new(engine.clone(), QueueMap::new()));
    for i in 0..6 {
        let o = take(
            &intake,
            &mail("robot@else.example", &format!("Your message {i}"), &format!("<r{i}@else.example>"), "", "received"),
        )
        .await;
        assert!(matches!(o, IntakeOutcome::NewTicket { .. }));
        engine.deliver_due(&channels).await.unwrap();
    }
    assert_eq!(sink.received().len(), 3, "the per-address daily limit");
    // Bounces and machine senders get nothing.
    take(&intake, &mail("MAILER-DAEMON@mx.else.example", "Undelivered Mail", "<bounce1@mx>", "", "failed")).await;
    take(
        &intake,
        &mail(
            "news@list.example",
            "Newsletter",
            "<n1@list.example>",
            "Precedence: bulk\r\nList-Id: <news.list.example>\r\n",
            "news",
        ),
    )
    .await;
    // Nor do our own addresses (a forwarding rule sending our mail back to us).
    take(&intake, &mail("Support <support@example.com>", "Re: [Ticket#1] x", "<own1@example.com>", "", "loop?")).await;
    engine.deliver_due(&channels).await.unwrap();
    assert_eq!(sink.received().len(), 3);
}
