//! The SMTP and LMTP listener against real clients (Python's smtplib, swaks) and a bare protocol client.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use chamado_email::{Protocol, QueueMap, SmtpConfig};
use common::client::Client;
use std::sync::atomic::Ordering;
use std::time::Duration;

const SEND_SMTP: &str = r#"
import smtplib, sys
from email.message import EmailMessage
from email.policy import SMTP
host, port, rcpt = sys.argv[1], int(sys.argv[2]), sys.argv[3]
m = EmailMessage()
m["From"] = "Zoë Tester <zoe@customer.example>"
m["To"] = rcpt
m["Subject"] = "Drucker kaputt – bitte helfen"
m["Message-ID"] = "<smtplib-1@customer.example>"
m.set_content("Hallo,\nder Drucker druckt nicht.\n.\nEine Zeile mit Punkt oben.\n")
m.add_attachment(b"%PDF-1.4 fake", maintype="application", subtype="pdf", filename="Rechnung März.pdf")
s = smtplib.SMTP(host, port, timeout=20)
s.ehlo("client.example")
s.mail("zoe@customer.example")
code, msg = s.rcpt(rcpt)
assert code == 250, (code, msg)
# RFC 5321 wants CRLF: smtplib sends bytes as given (it fixes line ends only for str).
code, msg = s.data(m.as_bytes(policy=SMTP))
print(code, msg.decode())
s.quit()
"#;

#[tokio::test]
async fn python_smtplib_opens_a_ticket_in_the_mapped_queue() {
    if !common::need_python("smtplib", "python_smtplib_opens_a_ticket_in_the_mapped_queue") {
        return;
    }
    let engine = common::engine().await;
    let config = SmtpConfig { queues: QueueMap::new().with("sales@example.com", "Misc"), ..SmtpConfig::default() };
    // The sender authenticates (SPF for customer.example, from the cache), so the reply names the ticket.
    let server = common::listen_with_auth(engine.clone(), config, common::customer_example_auth()).await;
    let (host, port) = (server.addr.ip().to_string(), server.addr.port().to_string());
    let out = tokio::task::spawn_blocking(move || common::python(SEND_SMTP, &[&host, &port, "sales@example.com"]))
        .await
        .unwrap();
    assert!(out.starts_with("250 2.0.0 OK: ticket "), "{out}");
    let tickets = common::all_tickets(&engine).await;
    assert_eq!(tickets.len(), 1);
    let t = &tickets[0];
    assert!(out.contains(&t.ticket.number));
    assert_eq!(t.ticket.queue, "Misc", "recipient mapping");
    let a = &t.articles[0];
    assert_eq!(a.subject, "Drucker kaputt – bitte helfen");
    assert_eq!(a.from, "Zoë Tester <zoe@customer.example>");
    assert!(a.body.contains("\n.\nEine Zeile mit Punkt oben."), "dot-unstuffing: {:?}", a.body);
    assert_eq!(a.attachments.len(), 1);
    assert_eq!(a.attachments[0].name, "Rechnung März.pdf");
    assert_eq!(a.attachments[0].sha256, chamado::ContentHash::of(b"%PDF-1.4 fake"), "the bytes as sent");
    assert_eq!(a.external_id.as_deref(), Some("<smtplib-1@customer.example>"));
    server.shutdown().await;
}

const SEND_LMTP: &str = r#"
import smtplib, sys
host, port = sys.argv[1], int(sys.argv[2])
s = smtplib.LMTP(host, port, timeout=20)
refused = s.sendmail("ann@customer.example", ["support@localhost"], b"From: ann@customer.example\r\nTo: support@localhost\r\nSubject: via lmtp\r\nMessage-ID: <lmtp-1@customer.example>\r\n\r\nhello over LMTP\r\n")
print("refused", refused)
s.quit()
"#;

#[tokio::test]
async fn python_lmtp_client_delivers() {
    if !common::need_python("smtplib", "python_lmtp_client_delivers") {
        return;
    }
    let engine = common::engine().await;
    let server = common::listen(engine.clone(), SmtpConfig::lmtp()).await;
    let (host, port) = (server.addr.ip().to_string(), server.addr.port().to_string());
    let out = tokio::task::spawn_blocking(move || common::python(SEND_LMTP, &[&host, &port])).await.unwrap();
    assert_eq!(out.trim(), "refused {}");
    let tickets = common::all_tickets(&engine).await;
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].articles[0].subject, "via lmtp");
    assert_eq!(tickets[0].ticket.queue, "Raw", "unmapped recipients go to the default queue");
    server.shutdown().await;
}

#[tokio::test]
async fn swaks_delivers_when_installed() {
    let have = std::process::Command::new("swaks").arg("--version").output().is_ok_and(|o| o.status.success());
    if !have {
        assert!(!common::e2e_required(), "swaks is required with CHAMADO_E2E=1 (apt-get install swaks)");
        eprintln!("SKIP swaks_delivers_when_installed: swaks not installed");
        return;
    }
    let engine = common::engine().await;
    let server = common::listen(engine.clone(), SmtpConfig::default()).await;
    let addr = server.addr.to_string();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("swaks")
            .args(["--server", &addr, "--from", "bob@customer.example", "--to", "support@localhost"])
            .args(["--header", "Subject: swaks test", "--body", "sent by swaks", "--silent", "2"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tickets = common::all_tickets(&engine).await;
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].articles[0].subject, "swaks test");
    assert!(tickets[0].articles[0].body.contains("sent by swaks"));
    server.shutdown().await;
}

const MSG: &str = "From: carl@customer.example\r\nTo: a@example.com, b@example.com\r\nSubject: two recipients\r\nMessage-ID: <two@customer.example>\r\n\r\nbody\r\n.\r\n";

#[tokio::test]
async fn lmtp_replies_once_per_recipient() {
    let engine = common::engine().await;
    // Both recipients are ours through a domain mapping (RCPT takes only our addresses).
    let config = SmtpConfig { queues: QueueMap::new().with("@example.com", "Raw"), ..SmtpConfig::lmtp() };
    let server = common::listen(engine.clone(), config).await;
    let (mut c, greeting) = Client::connect(server.addr).await;
    assert_eq!(greeting.0, 220);
    assert_eq!(c.cmd("EHLO x").await.0, 500, "LMTP wants LHLO");
    assert_eq!(c.cmd("LHLO x").await.0, 250);
    assert_eq!(c.cmd("MAIL FROM:<carl@customer.example>").await.0, 250);
    assert_eq!(c.cmd("RCPT TO:<a@example.com>").await.0, 250);
    assert_eq!(c.cmd("RCPT TO:<b@example.com>").await.0, 250);
    assert_eq!(c.cmd("DATA").await.0, 354);
    c.send(MSG).await;
    let (r1, r2) = (c.reply().await, c.reply().await);
    assert_eq!((r1.0, r2.0), (250, 250), "{r1:?} {r2:?}");
    assert_eq!(c.cmd("QUIT").await.0, 221);
    assert_eq!(common::all_tickets(&engine).await.len(), 1, "one message, one ticket, whatever the recipients");
    server.shutdown().await;
}

#[tokio::test]
async fn oversized_messages_get_552_and_the_session_goes_on() {
    let engine = common::engine().await;
    let server = common::listen(engine.clone(), SmtpConfig { max_message_bytes: 2000, ..SmtpConfig::default() }).await;
    let (mut c, _) = Client::connect(server.addr).await;
    let ehlo = c.cmd("EHLO x").await;
    assert!(ehlo.1.contains("SIZE 2000"), "{ehlo:?}");
    assert_eq!(c.cmd("MAIL FROM:<d@customer.example> SIZE=5000").await.0, 552, "declared size over the limit");
    assert_eq!(c.cmd("MAIL FROM:<d@customer.example>").await.0, 250);
    assert_eq!(c.cmd("RCPT TO:<support@localhost>").await.0, 250);
    assert_eq!(c.cmd("DATA").await.0, 354);
    let big = format!(
        "From: d@customer.example\r\nSubject: big\r\n\r\n{}\r\n.\r\n",
        "x".repeat(70)
            .repeat(100)
            .chars()
            .collect::<Vec<_>>()
            .chunks(70)
            .map(|l| l.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("\r\n")
    );
    c.send(&big).await;
    assert_eq!(c.reply().await.0, 552);
    assert_eq!(c.cmd("NOOP").await.0, 250, "the session survives");
    assert!(common::all_tickets(&engine).await.is_empty());
    server.shutdown().await;
}

#[tokio::test]
async fn store_down_gives_451_and_the_retry_commits_once() {
    let (engine, down) = common::flaky_engine().await;
    let server = common::listen(engine.clone(), SmtpConfig::default()).await;
    let msg =
        "From: erin@customer.example\r\nSubject: retry me\r\nMessage-ID: <retry@customer.example>\r\n\r\nbody\r\n.\r\n";
    let attempt = async |expect: u16| {
        let (mut c, _) = Client::connect(server.addr).await;
        assert_eq!(c.cmd("HELO x").await.0, 250);
        assert_eq!(c.cmd("MAIL FROM:<erin@customer.example>").await.0, 250);
        assert_eq!(c.cmd("RCPT TO:<support@localhost>").await.0, 250);
        assert_eq!(c.cmd("DATA").await.0, 354);
        c.send(msg).await;
        let r = c.reply().await;
        assert_eq!(r.0, expect, "{r:?}");
        r
    };
    down.store(true, Ordering::SeqCst);
    let r = attempt(451).await;
    assert!(r.1.starts_with("451 4.3.0"), "{r:?}");
    down.store(false, Ordering::SeqCst);
    attempt(250).await;
    attempt(250).await; // the MTA retrying once more after a lost reply: a duplicate, still 250
    let tickets = common::all_tickets(&engine).await;
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].articles.iter().filter(|a| a.subject == "retry me").count(), 1);
    server.shutdown().await;
}

#[tokio::test]
async fn protocol_errors_and_order_are_answered() {
    let engine = common::engine().await;
    let server = common::listen(engine, SmtpConfig { max_errors: 5, ..SmtpConfig::default() }).await;
    let (mut c, _) = Client::connect(server.addr).await;
    assert_eq!(c.cmd("MAIL FROM:<x@y>").await.0, 503, "hello first");
    assert_eq!(c.cmd("EHLO x").await.0, 250);
    assert_eq!(c.cmd("RCPT TO:<a@b>").await.0, 503, "MAIL first");
    assert_eq!(c.cmd("DATA").await.0, 503);
    assert_eq!(c.cmd("FOO bar").await.0, 500);
    let long = format!("NOOP {}", "x".repeat(10_000));
    assert_eq!(c.cmd(&long).await.0, 500, "line too long");
    // The fifth error closes the session with 421.
    let r = c.cmd("BAR").await;
    assert!(r.1.contains("421"), "{r:?}");
    server.shutdown().await;
}

/// RFC 2920: a client sends `MAIL`, `RCPT` and `DATA` in one write and then waits; it gets every reply,
/// in order, without sending anything more, and after the data the next group likewise. Replies held back
/// while pipelined commands wait must never be held while the server waits for input.
#[tokio::test]
async fn pipelined_commands_get_every_reply_in_order() {
    let engine = common::engine().await;
    let server = common::listen(engine.clone(), SmtpConfig::default()).await;
    let (mut c, _) = Client::connect(server.addr).await;
    assert_eq!(c.cmd("EHLO x").await.0, 250);
    for i in 0..3 {
        c.send(&format!("MAIL FROM:<zoe{i}@customer.example>\r\nRCPT TO:<support@localhost>\r\nDATA\r\n")).await;
        let replies = tokio::time::timeout(Duration::from_secs(5), async {
            [c.reply().await.0, c.reply().await.0, c.reply().await.0]
        })
        .await
        .expect("the replies to a pipelined group come without more input");
        assert_eq!(replies, [250, 250, 354], "group {i}");
        c.send(&format!("Subject: pipelined {i}\r\n\r\nbody {i}\r\n.\r\n")).await;
        let r = tokio::time::timeout(Duration::from_secs(5), c.reply()).await.expect("the data is answered");
        assert_eq!(r.0, 250, "{r:?}");
    }
    // A group whose last command fails is answered too (errors are replies like any other).
    c.send("NOOP\r\nRCPT TO:<support@localhost>\r\n").await;
    let replies = tokio::time::timeout(Duration::from_secs(5), async { [c.reply().await.0, c.reply().await.0] })
        .await
        .expect("answered");
    assert_eq!(replies, [250, 503]);
    assert_eq!(common::all_tickets(&engine).await.len(), 3);
    server.shutdown().await;
}

#[tokio::test]
async fn idle_sessions_time_out() {
    let engine = common::engine().await;
    let server =
        common::listen(engine, SmtpConfig { command_timeout: Duration::from_millis(300), ..SmtpConfig::default() })
            .await;
    let (mut c, _) = Client::connect(server.addr).await;
    let r = tokio::time::timeout(Duration::from_secs(5), c.reply()).await.expect("closed in time");
    assert_eq!(r.0, 421, "{r:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn sessions_over_the_cap_get_421() {
    let engine = common::engine().await;
    let server = common::listen(engine, SmtpConfig { max_sessions: 1, ..SmtpConfig::default() }).await;
    let (mut first, g1) = Client::connect(server.addr).await;
    assert_eq!(g1.0, 220);
    let (_second, g2) = Client::connect(server.addr).await;
    assert_eq!(g2.0, 421, "{g2:?}");
    assert_eq!(first.cmd("QUIT").await.0, 221);
    // The slot is free again.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (_third, g3) = Client::connect(server.addr).await;
    assert_eq!(g3.0, 220);
    server.shutdown().await;
}

#[tokio::test]
async fn shutdown_finishes_messages_in_flight_and_closes_idle_sessions() {
    let engine = common::engine().await;
    let mut server = common::listen(engine.clone(), SmtpConfig::default()).await;
    let (mut busy, _) = Client::connect(server.addr).await;
    let (mut idle, _) = Client::connect(server.addr).await;
    assert_eq!(idle.cmd("EHLO x").await.0, 250);
    assert_eq!(busy.cmd("EHLO x").await.0, 250);
    assert_eq!(busy.cmd("MAIL FROM:<f@customer.example>").await.0, 250);
    assert_eq!(busy.cmd("RCPT TO:<support@localhost>").await.0, 250);
    assert_eq!(busy.cmd("DATA").await.0, 354);
    busy.send("From: f@customer.example\r\nSubject: in flight\r\n\r\nfirst half\r\n").await;
    let _ = server.stop.take().unwrap().send(());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(idle.reply().await.0, 421, "idle sessions are told to come back later");
    busy.send("second half\r\n.\r\n").await;
    assert_eq!(busy.reply().await.0, 250, "the message in flight is taken");
    tokio::time::timeout(Duration::from_secs(5), server.task).await.expect("serve returns").unwrap().unwrap();
    assert!(tokio::net::TcpStream::connect(server.addr).await.is_err(), "no longer listening");
    let tickets = common::all_tickets(&engine).await;
    assert_eq!(tickets.len(), 1);
    assert!(tickets[0].articles[0].body.contains("first half\nsecond half"));
}

#[tokio::test]
async fn refused_messages_get_550() {
    let engine = common::engine_with(chamado::EngineConfig {
        unknown_sender: chamado::UnknownSenderPolicy::Reject,
        ..Default::default()
    })
    .await;
    let server = common::listen(engine, SmtpConfig { protocol: Protocol::Smtp, ..SmtpConfig::default() }).await;
    let (mut c, _) = Client::connect(server.addr).await;
    assert_eq!(c.cmd("HELO x").await.0, 250);
    assert_eq!(c.cmd("MAIL FROM:<stranger@else.example>").await.0, 250);
    assert_eq!(c.cmd("RCPT TO:<support@localhost>").await.0, 250);
    assert_eq!(c.cmd("DATA").await.0, 354);
    c.send("From: stranger@else.example\r\nSubject: hi\r\n\r\nx\r\n.\r\n").await;
    let r = c.reply().await;
    assert_eq!(r.0, 550, "{r:?}");
    assert!(r.1.contains("not a known customer user"), "{r:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn dot_lines_are_unstuffed() {
    let engine = common::engine().await;
    let server = common::listen(engine.clone(), SmtpConfig::default()).await;
    let (mut c, _) = Client::connect(server.addr).await;
    assert_eq!(c.cmd("HELO x").await.0, 250);
    assert_eq!(c.cmd("MAIL FROM:<g@customer.example>").await.0, 250);
    assert_eq!(c.cmd("RCPT TO:<support@localhost>").await.0, 250);
    assert_eq!(c.cmd("DATA").await.0, 354);
    c.send("From: g@customer.example\r\nSubject: dots\r\n\r\na\r\n..\r\n...b\r\n.\r\n").await;
    assert_eq!(c.reply().await.0, 250);
    let tickets = common::all_tickets(&engine).await;
    assert_eq!(tickets[0].articles[0].body, "a\n.\n..b");
    server.shutdown().await;
}

#[tokio::test]
async fn config_binds_both_listeners() {
    let cfg: chamado_email::EmailConfig = serde_json::from_str(
        r#"{"addr": "127.0.0.1:0", "lmtp_addr": "127.0.0.1:0", "mail_from": "help@acme.example",
            "queues": "sales@acme.example=Misc"}"#,
    )
    .unwrap();
    cfg.validate().unwrap();
    let mut engine_config = chamado::EngineConfig::default();
    cfg.apply_to(&mut engine_config);
    let engine = common::engine_with(engine_config).await;
    let servers = cfg.bind_listeners(&engine).await.unwrap();
    assert_eq!(servers.iter().map(|s| s.protocol()).collect::<Vec<_>>(), vec![Protocol::Smtp, Protocol::Lmtp]);
    assert!(cfg.channel().is_none(), "no relay configured: mail stays in the outbox");
    let addr = servers[1].local_addr().unwrap();
    let (tx, rx) = tokio::sync::watch::channel(false);
    let mut tasks = tokio::task::JoinSet::new();
    for s in servers {
        let mut stop = rx.clone();
        tasks.spawn(s.serve(async move {
            let _ = stop.wait_for(|v| *v).await;
        }));
    }
    let (mut c, _) = Client::connect(addr).await;
    assert_eq!(c.cmd("LHLO x").await.0, 250);
    assert_eq!(c.cmd("MAIL FROM:<h@customer.example>").await.0, 250);
    assert_eq!(c.cmd("RCPT TO:<sales@acme.example>").await.0, 250);
    assert_eq!(c.cmd("DATA").await.0, 354);
    c.send("From: h@customer.example\r\nSubject: routed\r\n\r\nx\r\n.\r\n").await;
    assert_eq!(c.reply().await.0, 250);
    assert_eq!(common::all_tickets(&engine).await[0].ticket.queue, "Misc");
    tx.send(true).unwrap();
    while let Some(r) = tasks.join_next().await {
        r.unwrap().unwrap();
    }
}
