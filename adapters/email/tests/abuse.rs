//! The listener under abuse: slow clients, one client holding many sessions, mail for third parties,
//! messages built to fill the store. Each test fails without the defence it names.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use chamado_email::SmtpConfig;
use common::client::Client;
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

/// Sends `byte` every `every` until the server answers (it answers only when it gives up); returns
/// that reply and how long it took. Panics when still open after `limit`.
async fn drip(c: &mut Client, byte: &[u8], every: Duration, limit: Duration) -> ((u16, String), Duration) {
    let start = Instant::now();
    loop {
        assert!(start.elapsed() < limit, "still open after {limit:?}: the drip holds the session");
        if !c.try_send_bytes(byte).await {
            return (c.reply().await, start.elapsed());
        }
        if let Ok(r) = tokio::time::timeout(every, c.reply()).await {
            return (r, start.elapsed());
        }
    }
}

#[tokio::test]
async fn a_slow_drip_is_closed_at_the_session_deadline() {
    let engine = common::engine().await;
    let config = SmtpConfig { session_timeout: Duration::from_millis(1500), ..SmtpConfig::default() };
    let server = common::listen(engine, config).await;
    let (mut c, _) = Client::connect(server.addr).await;
    assert_eq!(c.cmd("EHLO x").await.0, 250);
    // A command line that never ends, one byte at a time: each byte used to restart the idle timeout.
    let (reply, took) = drip(&mut c, b"N", Duration::from_millis(200), Duration::from_secs(10)).await;
    assert_eq!(reply.0, 421, "{reply:?}");
    assert!(reply.1.contains("Session time limit"), "{reply:?}");
    assert!(took < Duration::from_secs(4), "closed at the deadline, not later: {took:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn a_command_line_must_arrive_whole_within_the_command_timeout() {
    let engine = common::engine().await;
    let config = SmtpConfig { command_timeout: Duration::from_millis(600), ..SmtpConfig::default() };
    let server = common::listen(engine, config).await;
    let (mut c, _) = Client::connect(server.addr).await;
    let (reply, took) = drip(&mut c, b"E", Duration::from_millis(100), Duration::from_secs(10)).await;
    assert_eq!(reply.0, 421, "{reply:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn message_data_slower_than_the_minimum_rate_is_closed() {
    let engine = common::engine().await;
    let config =
        SmtpConfig { min_data_rate: 1000, min_rate_grace: Duration::from_millis(300), ..SmtpConfig::default() };
    let server = common::listen(engine.clone(), config).await;
    let (mut c, _) = Client::connect(server.addr).await;
    assert_eq!(c.cmd("EHLO x").await.0, 250);
    assert_eq!(c.cmd("MAIL FROM:<slow@customer.example>").await.0, 250);
    assert_eq!(c.cmd("RCPT TO:<support@localhost>").await.0, 250);
    assert_eq!(c.cmd("DATA").await.0, 354);
    // Ten bytes a second, well inside the 10-minute idle timeout, far below 1,000 bytes a second.
    let (reply, took) = drip(&mut c, b"x", Duration::from_millis(100), Duration::from_secs(10)).await;
    assert_eq!(reply.0, 421, "{reply:?}");
    assert!(reply.1.contains("too slow"), "{reply:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert!(common::all_tickets(&engine).await.is_empty());
    server.shutdown().await;
}

#[tokio::test]
async fn one_client_cannot_take_every_session() {
    let engine = common::engine().await;
    let server = common::listen(engine.clone(), SmtpConfig::default()).await;
    let config = SmtpConfig::default();
    let mut held = Vec::new();
    let (mut served, mut refused) = (0, 0);
    for _ in 0..80 {
        let (c, greeting) = Client::connect_from(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1)), server.addr).await;
        match greeting.0 {
            220 => served += 1,
            421 => {
                assert!(greeting.1.contains("from your address"), "{greeting:?}");
                refused += 1;
            }
            other => panic!("unexpected greeting {other}: {greeting:?}"),
        }
        held.push(c);
    }
    assert_eq!(served, config.max_sessions_per_client, "127.0.0.1 gets its share");
    assert_eq!(refused, 80 - config.max_sessions_per_client);
    // Another client is still served, all the way to a ticket.
    let (mut c, greeting) = Client::connect_from(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)), server.addr).await;
    assert_eq!(greeting.0, 220, "{greeting:?}");
    assert_eq!(c.cmd("EHLO other").await.0, 250);
    assert_eq!(c.cmd("MAIL FROM:<other@customer.example>").await.0, 250);
    assert_eq!(c.cmd("RCPT TO:<support@localhost>").await.0, 250);
    assert_eq!(c.cmd("DATA").await.0, 354);
    c.send("From: other@customer.example\r\nSubject: still served\r\n\r\nhello\r\n.\r\n").await;
    assert_eq!(c.reply().await.0, 250);
    assert_eq!(common::all_tickets(&engine).await.len(), 1);
    drop(held);
    server.shutdown().await;
}

#[tokio::test]
async fn rcpt_takes_only_our_addresses_and_domains() {
    let engine = common::engine().await;
    let config = SmtpConfig {
        queues: chamado_email::QueueMap::new().with("sales@acme.example", "Misc").with("@help.example", "Raw"),
        ..SmtpConfig::default()
    };
    let server = common::listen(engine, config).await;
    let (mut c, _) = Client::connect(server.addr).await;
    assert_eq!(c.cmd("EHLO x").await.0, 250);
    assert_eq!(c.cmd("MAIL FROM:<forger@evil.example>").await.0, 250);
    let foreign = c.cmd("RCPT TO:<anyone@gmail.com>").await;
    assert_eq!(foreign.0, 550, "{foreign:?}");
    assert!(foreign.1.starts_with("550 5.1.1"), "{foreign:?}");
    assert_eq!(c.cmd("RCPT TO:<other@acme.example>").await.0, 550, "a mapped address's domain is not ours");
    assert_eq!(c.cmd("DATA").await.0, 503, "no recipient was taken");
    for ours in ["support@localhost", "SALES@acme.example", "anyone@help.example", "postmaster@acme.example"] {
        let r = c.cmd(&format!("RCPT TO:<{ours}>")).await;
        assert_eq!(r.0, 250, "{ours}: {r:?}");
    }
    server.shutdown().await;
}

/// A multipart message with `n` small attachments.
fn many_attachments(n: usize) -> String {
    let mut m = String::from(
        "From: parts@customer.example\r\nSubject: parts\r\nMessage-ID: <parts@customer.example>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nsee the attachments\r\n",
    );
    for i in 0..n {
        m.push_str(&format!(
            "--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"{i}.txt\"\r\n\r\n{i}\r\n"
        ));
    }
    m.push_str("--b--\r\n");
    m
}

#[tokio::test]
async fn at_most_n_attachments_are_kept_and_the_mail_is_taken() {
    let engine = common::engine().await;
    let server = common::listen(engine.clone(), SmtpConfig::default()).await;
    let (mut c, _) = Client::connect(server.addr).await;
    assert_eq!(c.cmd("EHLO x").await.0, 250);
    assert_eq!(c.cmd("MAIL FROM:<parts@customer.example>").await.0, 250);
    assert_eq!(c.cmd("RCPT TO:<support@localhost>").await.0, 250);
    assert_eq!(c.cmd("DATA").await.0, 354);
    c.send(&many_attachments(20_000)).await;
    c.send(".\r\n").await;
    let r = c.reply().await;
    assert_eq!(r.0, 250, "taken, not refused: {r:?}");
    let tickets = common::all_tickets(&engine).await;
    assert_eq!(tickets.len(), 1);
    let a = &tickets[0].articles[0];
    let max = SmtpConfig::default().max_attachments;
    assert_eq!(a.attachments.len(), max, "the first {max} are kept");
    assert_eq!(a.attachments[0].name, "0.txt");
    assert!(a.body.contains(&format!("{} more attachments", 20_000 - max)), "{}", a.body);
    server.shutdown().await;
}

#[tokio::test]
async fn a_long_subject_is_cut_for_the_title_and_kept_in_the_text() {
    let engine = common::engine().await;
    let server = common::listen(engine.clone(), SmtpConfig::default()).await;
    let subject = format!("{}end", "word ".repeat(150));
    let (mut c, _) = Client::connect(server.addr).await;
    assert_eq!(c.cmd("EHLO x").await.0, 250);
    assert_eq!(c.cmd("MAIL FROM:<long@customer.example>").await.0, 250);
    assert_eq!(c.cmd("RCPT TO:<support@localhost>").await.0, 250);
    assert_eq!(c.cmd("DATA").await.0, 354);
    c.send(&format!("From: long@customer.example\r\nSubject: {subject}\r\n\r\nthe text\r\n.\r\n")).await;
    assert_eq!(c.reply().await.0, 250);
    let tickets = common::all_tickets(&engine).await;
    let t = &tickets[0];
    assert!(t.ticket.title.chars().count() <= 255, "{}", t.ticket.title.chars().count());
    let a = &t.articles[0];
    assert!(a.subject.chars().count() <= 255, "{}", a.subject.chars().count());
    assert!(a.body.starts_with(&subject) && a.body.ends_with("the text"), "{:?}", a.body);
    server.shutdown().await;
}

#[tokio::test]
async fn message_data_beyond_the_memory_budget_waits_on_disk() {
    let engine = common::engine().await;
    let spool = tempfile::tempdir().unwrap();
    let config =
        SmtpConfig { memory_bytes: 4096, spool_dir: Some(spool.path().to_path_buf()), ..SmtpConfig::default() };
    let server = common::listen(engine.clone(), config).await;
    let files = || std::fs::read_dir(spool.path()).unwrap().count();
    let (mut c, _) = Client::connect(server.addr).await;
    assert_eq!(c.cmd("EHLO x").await.0, 250);
    assert_eq!(c.cmd("MAIL FROM:<big@customer.example>").await.0, 250);
    assert_eq!(c.cmd("RCPT TO:<support@localhost>").await.0, 250);
    assert_eq!(c.cmd("DATA").await.0, 354);
    let line = format!("{}\r\n", "y".repeat(70));
    c.send(&format!("From: big@customer.example\r\nSubject: big\r\n\r\n{}", line.repeat(500))).await;
    let mut waited = Duration::ZERO;
    while files() == 0 && waited < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += Duration::from_millis(50);
    }
    assert_eq!(files(), 1, "over the budget, the data waits in a file");
    c.send(&format!("{}the end\r\n.\r\n", line.repeat(500))).await;
    let r = c.reply().await;
    assert_eq!(r.0, 250, "{r:?}");
    assert_eq!(files(), 0, "the file is gone once the message is taken");
    let tickets = common::all_tickets(&engine).await;
    let body = &tickets[0].articles[0].body;
    assert_eq!(body.matches(&"y".repeat(70)).count(), 1000);
    assert!(body.ends_with("the end"));
    server.shutdown().await;
}
