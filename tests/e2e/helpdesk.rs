//! End to end through the built `helpdesk` (issue #7): a real server on a temporary data directory and
//! free ports, its admin CLI, a ticket opened by each channel (HTTP, SMTP, Telegram), an agent's reply
//! to each arriving on its channel, then a graceful restart with everything still there.
//!
//! Needs only Rust: the SMTP relay is a sink in this test, the Telegram Bot API the adapter's loopback
//! stand-in (feature `standin`). Without `CHAMADO_E2E=1` a missing piece (the binaries cannot be
//! built, no `kill` to send SIGTERM) skips; with it, it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[allow(dead_code)] // the shared support has more than this test uses
mod support;

use chamado_telegram::standin::{self, StandIn, ticket_number};
use mail_parser::MessageParser;
use serde_json::Value;
use std::net::SocketAddr;
use support::admin_cli::AdminCli;
use support::api::{Api, bodies};
use support::poll::{PATIENCE, eventually};
use support::server::{Helpdesk, LogOnFailure, Settings, free_port};
use support::smtp_sink::{Received, SmtpSink};
use support::{binaries, server, skip, smtp_client, step};

const TEST: &str = "helpdesk e2e";
/// The Telegram user who writes to the bot; the helpdesk makes it customer user `tg:<id>`.
const TG_USER: u64 = 4242;
/// The Message-ID of the customer's mail, which the agent's mailed reply must answer.
const MAIL_ID: &str = "vpn-down.e2e@acme.example";

/// Reads the parts of a mail the assertions look at.
struct Mail {
    subject: String,
    in_reply_to: Vec<String>,
    body: String,
    to: Vec<String>,
    /// The envelope's recipients.
    rcpt_to: Vec<String>,
}

fn parse(received: &Received) -> Option<Mail> {
    let m = MessageParser::default().parse(&received.data)?;
    let irt = m.in_reply_to();
    let in_reply_to = irt
        .as_text_list()
        .map(|l| l.iter().map(|s| s.to_string()).collect())
        .or_else(|| irt.as_text().map(|s| vec![s.to_string()]))
        .unwrap_or_default();
    Some(Mail {
        subject: m.subject().unwrap_or_default().to_string(),
        in_reply_to,
        body: m.body_text(0).map(|b| b.into_owned()).unwrap_or_default(),
        to: m.to().map(|a| a.iter().filter_map(|a| a.address()).map(str::to_string).collect()).unwrap_or_default(),
        rcpt_to: received.rcpt_to.clone(),
    })
}

/// The mail the relay got for ticket `number` whose body contains `text`.
async fn mailed_reply(relay: &SmtpSink, number: &str, text: &str) -> Mail {
    let tag = format!("[Ticket#{number}]");
    eventually(&format!("a mail with {tag} and {text:?} at the relay"), || async {
        relay.received().iter().filter_map(parse).find(|m| m.subject.contains(&tag) && m.body.contains(text))
    })
    .await
}

/// What must survive a restart: each ticket's number, title, state and articles.
fn essentials(ticket: &Value) -> Value {
    let articles: Vec<Value> = ticket["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| serde_json::json!([a["id"], a["sender"], a["channel"], a["subject"], a["body"]]))
        .collect();
    serde_json::json!({
        "number": ticket["number"], "title": ticket["title"], "state": ticket["state"], "queue": ticket["queue"],
        "channel": ticket["channel"], "customer_user": ticket["customer_user"], "articles": articles,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_by_http_smtp_and_telegram_survive_a_restart() {
    let t0 = std::time::Instant::now();
    if let Err(why) = server::can_signal().await {
        return skip(TEST, &why);
    }
    let bins = match binaries::build().await {
        Ok(b) => b,
        Err(why) => return skip(TEST, &why),
    };
    step(t0, "built helpdesk and chamado-admin");
    let work = tempfile::tempdir().unwrap();
    let relay = SmtpSink::start().await;
    let telegram = StandIn::start().await.unwrap().with_patience(PATIENCE);
    let localhost = |port: u16| SocketAddr::from(([127, 0, 0, 1], port));
    let settings = Settings {
        binary: bins.helpdesk.clone(),
        work: work.path().to_path_buf(),
        http: localhost(free_port()),
        smtp: localhost(free_port()),
        relay: relay.addr,
        mail_from: "support@example.com".into(),
        telegram: (telegram.url.clone(), standin::TOKEN.into()),
        env: Vec::new(),
    };
    let _log = LogOnFailure(settings.log());
    let api = Api::new(settings.http);
    let server = Helpdesk::start(&settings, &api).await;
    step(t0, "helpdesk up");

    // The first start printed the admin token once and kept it in the data directory.
    let token = std::fs::read_to_string(settings.data_dir().join("admin.token")).unwrap().trim().to_string();
    let admin = AdminCli { binary: bins.admin.clone(), url: api.url().to_string(), token: token.clone() };
    admin.run(&["customers", "add", "acme", "--name", "Acme Inc."]).await;
    admin
        .run(&[
            "customer-users",
            "add",
            "alice",
            "--email",
            "alice@acme.example",
            "--customer",
            "acme",
            "--password",
            "correct horse",
        ])
        .await;
    let shown = admin.run(&["show", "alice"]).await;
    assert!(
        shown.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["users", "rw"]),
        "alice should hold the default group users (rw):\n{shown}"
    );

    step(t0, "customer and customer user added with chamado-admin");
    // HTTP: a customer session opens a ticket; a retry with the same Idempotency-Key is the same ticket.
    let session = api.login("alice", "correct horse").await;
    let web = api.open_ticket(&session, "Printer broken", "It jams on tray 2.", "e2e-1").await;
    let again = api.open_ticket(&session, "Printer broken", "It jams on tray 2.", "e2e-1").await;
    assert_eq!(web, again, "a retried POST opened a second ticket");

    // SMTP: a mail from alice's address opens a ticket of hers.
    let mail = format!(
        "From: Alice <alice@acme.example>\nTo: support@example.com\nSubject: VPN down\n\
         Message-ID: <{MAIL_ID}>\nDate: Fri, 28 Nov 2025 09:00:00 +0000\n\nSince 9 am.\n"
    );
    smtp_client::send(settings.smtp, "alice@acme.example", "support@example.com", &mail).await;
    let mailed = eventually("the mailed ticket in alice's list", || async {
        let list = api.tickets(&session).await;
        list.iter().find(|t| t["title"] == "VPN down").and_then(|t| t["number"].as_str()).map(str::to_string)
    })
    .await;
    let titles: Vec<Value> = api.tickets(&session).await.iter().map(|t| t["title"].clone()).collect();
    assert_eq!(titles.len(), 2, "alice has the web and the mailed ticket, once each: {titles:?}");

    step(t0, "tickets opened by HTTP and SMTP");
    // Telegram: a message to the bot opens a ticket and is acknowledged with its number.
    telegram.send_text(TG_USER, "Keyboard broken\nThe space bar sticks.");
    let ack = telegram.wait_for(TG_USER, |t| t.contains("opened")).await.unwrap();
    let chat = ticket_number(&ack).unwrap();
    assert!(ack.contains(&format!("Ticket#{chat}")), "{ack}");

    step(t0, "ticket opened by Telegram");
    // The agent answers each through the API.
    api.reply(&token, &web, "Replaced the roller.").await;
    api.reply(&token, &mailed, "Restarted the VPN gateway.").await;
    api.reply(&token, &chat, "Cleaned the keyboard.").await;

    // Each reply arrives on its channel: the API for the web ticket ...
    let seen = api.ticket(&session, &web).await;
    assert_eq!(bodies(&seen), ["It jams on tray 2.", "Replaced the roller."], "alice sees the reply: {seen}");
    // ... and the customer's address gets it by mail, as it did before issue #7 ...
    let web_mail = mailed_reply(&relay, &web, "Replaced the roller.").await;
    assert_eq!(web_mail.to, ["alice@acme.example"]);
    // ... the relay for the mailed ticket, answering the customer's mail ...
    let reply = mailed_reply(&relay, &mailed, "Restarted the VPN gateway.").await;
    assert_eq!(reply.to, ["alice@acme.example"]);
    assert_eq!(reply.rcpt_to, ["alice@acme.example"], "the envelope goes to the customer too");
    assert_eq!(reply.in_reply_to, [MAIL_ID], "the reply threads to the customer's mail ({})", reply.subject);
    // ... and the chat for the Telegram ticket, tagged with its number.
    let chat_reply = telegram.wait_for(TG_USER, |t| t.contains("Cleaned the keyboard.")).await.unwrap();
    assert!(chat_reply.starts_with(&format!("[Ticket#{chat}]")), "{chat_reply}");

    step(t0, "each reply arrived on its channel");
    let before = [&web, &mailed, &chat];
    let mut snapshot = Vec::new();
    for number in before {
        snapshot.push(essentials(&api.ticket(&token, number).await));
    }
    assert_eq!(snapshot[2]["customer_user"], format!("tg:{TG_USER}"));

    // A graceful stop, and a start on the same data directory and ports.
    let status = server.stop().await;
    assert!(status.success(), "the helpdesk should exit cleanly on SIGTERM, got {status}");
    step(t0, "stopped with SIGTERM");
    let server = Helpdesk::start(&settings, &api).await;
    step(t0, "helpdesk up again");

    for (number, was) in before.iter().zip(&snapshot) {
        assert_eq!(&essentials(&api.ticket(&token, number).await), was, "ticket {number} changed across the restart");
    }
    // Alice's password and tickets are still there.
    let session = api.login("alice", "correct horse").await;
    let mut mine: Vec<String> =
        api.tickets(&session).await.iter().filter_map(|t| t["number"].as_str().map(str::to_string)).collect();
    mine.sort();
    let mut expected = vec![web.clone(), mailed.clone()];
    expected.sort();
    assert_eq!(mine, expected);
    // Full-text search (the redb word index) finds the web ticket by its article and the agent's reply.
    for q in ["tray", "roller jams"] {
        let (status, found) = api.get(&session, &format!("/tickets?q={}", q.replace(' ', "+"))).await;
        assert_eq!(status, 200, "search {q}: {found}");
        let numbers: Vec<&str> =
            found["tickets"].as_array().unwrap().iter().filter_map(|t| t["number"].as_str()).collect();
        assert_eq!(numbers, [web.as_str()], "search {q}");
    }
    // The admin CLI still lists the customer users, the one it added and the one Telegram made.
    let listed: Value = serde_json::from_str(&admin.run(&["--json", "customer-users", "list"]).await).unwrap();
    let logins: Vec<&str> = listed.as_array().unwrap().iter().filter_map(|u| u["login"].as_str()).collect();
    assert!(logins.contains(&"alice") && logins.contains(&"tg:4242"), "{listed}");
    let alice = listed.as_array().unwrap().iter().find(|u| u["login"] == "alice").unwrap();
    assert_eq!(alice["email"], "alice@acme.example");

    step(t0, "everything still there");
    // The restarted bot polls again and still knows the chat's ticket: a follow-up lands there.
    telegram.send_text(TG_USER, "Works again, thanks.");
    let added = telegram.wait_for(TG_USER, |t| t.starts_with("Added to")).await.unwrap();
    assert!(added.contains(&chat), "{added}");
    let after = api.ticket(&token, &chat).await;
    assert_eq!(bodies(&after).last().map(String::as_str), Some("Works again, thanks."));
    assert_eq!(bodies(&after).len(), snapshot[2]["articles"].as_array().unwrap().len() + 1);

    // Nothing was sent twice by the restarted outbox.
    let chat_replies = telegram.sent_to(TG_USER).iter().filter(|t| t.contains("Cleaned the keyboard.")).count();
    assert_eq!(chat_replies, 1);
    let mail_replies =
        relay.received().iter().filter_map(parse).filter(|m| m.body.contains("Restarted the VPN gateway.")).count();
    assert_eq!(mail_replies, 1);

    let status = server.stop().await;
    assert!(status.success(), "the helpdesk should exit cleanly on SIGTERM, got {status}");
    step(t0, "follow-up by Telegram after the restart; stopped again");
}

/// The ticket number settings (issue #17): a bad SystemID stops the start with a message naming the
/// variable; SystemID 42 with `auto_increment` numbers the tickets `4200001`, `4200002`, ...
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ticket_numbers_follow_the_settings() {
    const TEST: &str = "ticket number settings e2e";
    if let Err(why) = server::can_signal().await {
        return skip(TEST, &why);
    }
    let bins = match binaries::build().await {
        Ok(b) => b,
        Err(why) => return skip(TEST, &why),
    };
    let work = tempfile::tempdir().unwrap();
    let relay = SmtpSink::start().await;
    let telegram = StandIn::start().await.unwrap().with_patience(PATIENCE);
    let localhost = |port: u16| SocketAddr::from(([127, 0, 0, 1], port));
    let token = "e2e-admin-token-0123456789";
    let mut settings = Settings {
        binary: bins.helpdesk.clone(),
        work: work.path().to_path_buf(),
        http: localhost(free_port()),
        smtp: localhost(free_port()),
        relay: relay.addr,
        mail_from: "support@example.com".into(),
        telegram: (telegram.url.clone(), standin::TOKEN.into()),
        env: vec![("CHAMADO_ADMIN_TOKEN".into(), token.into()), ("CHAMADO_SYSTEM_ID".into(), "4x".into())],
    };
    let (status, stderr) = server::refused_start(&settings).await;
    assert!(!status.success(), "a bad SystemID must stop the start");
    assert!(stderr.contains("CHAMADO_SYSTEM_ID = \"4x\": "), "the message names the variable: {stderr}");

    settings.env.pop();
    settings.env.push(("CHAMADO_SYSTEM_ID".into(), "42".into()));
    settings.env.push(("CHAMADO_TICKET_NUMBER_GENERATOR".into(), "auto_increment".into()));
    let _log = LogOnFailure(settings.log());
    let api = Api::new(settings.http);
    let server = Helpdesk::start(&settings, &api).await;
    for n in 1..=2 {
        let mail = format!("From: dora@customer.example\nTo: support@example.com\nSubject: number {n}\n\nHello.\n");
        smtp_client::send(settings.smtp, "dora@customer.example", "support@example.com", &mail).await;
    }
    let mut numbers = eventually("both mailed tickets", || async {
        let list = api.tickets(token).await;
        let numbers: Vec<String> = list.iter().filter_map(|t| t["number"].as_str().map(str::to_string)).collect();
        (numbers.len() == 2).then_some(numbers)
    })
    .await;
    numbers.sort();
    assert_eq!(numbers, ["4200001", "4200002"]);
    let status = server.stop().await;
    assert!(status.success(), "the helpdesk should exit cleanly on SIGTERM, got {status}");
}
