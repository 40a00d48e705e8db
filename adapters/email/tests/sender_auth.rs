//! Sender authentication end to end: a DKIM-signed customer follows up over SMTP; a forger with the
//! customer's `From`, a foreign `Reply-To` and the real ticket number does not (no follow-up, no reply
//! to the forger, an SMTP reply that names no ticket); `Authentication-Results` count only from the
//! trusted `authserv-id` behind an MTA, and never over SMTP. No network: DNS answers come from the
//! verifier's cache.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use chamado::{Actor, NewArticle};
use chamado_email::{MailAuth, SmtpConfig};
use common::client::Client;
use mail_auth::common::crypto::Ed25519Key;
use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::DkimSigner;
use mail_parser::decoders::base64::base64_decode;
use std::net::SocketAddr;

/// A test key pair (mail-auth's example key; never used outside tests).
const SEED: &str = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
const PUBLIC: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

/// acme.example signs with DKIM, publishes DMARC `p=reject`, and sends from nowhere SPF allows;
/// evil.example's SPF passes from loopback (the forger owns it).
fn auth() -> MailAuth {
    let dkim_key = format!("v=DKIM1; k=ed25519; p={PUBLIC}");
    MailAuth {
        verifier: Some(common::offline_verifier(&[
            ("sel._domainkey.acme.example", &dkim_key),
            ("_dmarc.acme.example", "v=DMARC1; p=reject; psd=n"),
            ("acme.example", "v=spf1 -all"),
            ("evil.example", "v=spf1 ip4:127.0.0.0/8 -all"),
        ])),
        trusted_authserv_id: Some("mx.acme.example".into()),
    }
}

fn sign(raw: &str) -> String {
    let key = Ed25519Key::from_seed_and_public_key(
        &base64_decode(SEED.as_bytes()).unwrap(),
        &base64_decode(PUBLIC.as_bytes()).unwrap(),
    )
    .unwrap();
    let sig = DkimSigner::from_key(key)
        .domain("acme.example")
        .selector("sel")
        .headers(["From", "To", "Subject", "Message-ID", "Reply-To"])
        .sign(raw.as_bytes())
        .unwrap();
    format!("{}{raw}", sig.to_header())
}

fn mail(from: &str, subject: &str, id: &str, extra: &str, body: &str) -> String {
    format!("From: {from}\r\nTo: support@localhost\r\nSubject: {subject}\r\nMessage-ID: {id}\r\n{extra}\r\n{body}\r\n")
}

/// Sends `raw` with `MAIL FROM:<mail_from>`; the reply to the final dot.
async fn send(addr: SocketAddr, lmtp: bool, mail_from: &str, raw: &str) -> String {
    let (mut c, _) = Client::connect(addr).await;
    let hello = if lmtp { "LHLO mx.acme.example" } else { "EHLO client.example" };
    assert_eq!(c.cmd(hello).await.0, 250);
    assert_eq!(c.cmd(&format!("MAIL FROM:<{mail_from}>")).await.0, 250);
    assert_eq!(c.cmd("RCPT TO:<support@localhost>").await.0, 250);
    assert_eq!(c.cmd("DATA").await.0, 354);
    let (code, text) = c.cmd(&format!("{raw}.")).await;
    format!("{code} {text}")
}

#[tokio::test]
async fn a_signed_customer_follows_up_and_a_forger_does_not() {
    let engine = common::engine().await;
    let server = common::listen_with_auth(engine.clone(), SmtpConfig::default(), auth()).await;

    let first = sign(&mail("Alice <alice@acme.example>", "Printer", "<a1@acme.example>", "", "It jams."));
    let reply = send(server.addr, false, "alice@acme.example", &first).await;
    let tickets = common::all_tickets(&engine).await;
    assert_eq!(tickets.len(), 1);
    let number = tickets[0].ticket.number.clone();
    assert!(reply.contains(&format!("ticket {number}")), "an authenticated sender hears the ticket: {reply}");

    // The forger: alice's From, a foreign Reply-To, alice's real ticket number, SPF pass for its own
    // envelope domain, and an Authentication-Results header claiming the trusted MTA's pass.
    let forged = mail(
        "Alice <alice@acme.example>",
        &format!("Re: [Ticket#{number}] Printer"),
        "<f1@evil.example>",
        "Reply-To: attacker@evil.example\r\nAuthentication-Results: mx.acme.example; dmarc=pass\r\n",
        "Send the invoice to my new address.",
    );
    let reply = send(server.addr, false, "attacker@evil.example", &forged).await;
    assert!(reply.starts_with("250"), "the mail is taken: {reply}");
    assert!(!reply.contains(&number) && !reply.contains("ticket"), "the reply names no ticket: {reply}");
    let tickets = common::all_tickets(&engine).await;
    assert_eq!(tickets.len(), 2, "the forgery opened a ticket of its own");
    let original = tickets.iter().find(|t| t.ticket.number == number).unwrap();
    assert!(
        original.articles.iter().all(|a| !a.body.contains("invoice")),
        "no follow-up on alice's ticket from the forger"
    );
    let flagged = tickets.iter().find(|t| t.ticket.number != number).unwrap();
    let history = engine.history(&Actor::agent("admin"), &flagged.ticket.number).await.unwrap();
    assert!(history.iter().any(|h| h.message.contains("unauthenticated sender")), "{history:?}");
    assert!(history.iter().any(|h| h.message.contains("Reply-To attacker@evil.example ignored")), "{history:?}");

    // A tampered signed mail (body changed after signing) fails DKIM: not joined either.
    let signed = sign(&mail(
        "Alice <alice@acme.example>",
        &format!("Re: [Ticket#{number}] Printer"),
        "<a3@acme.example>",
        "",
        "original text",
    ));
    let tampered = signed.replace("original text", "tampered text");
    let reply = send(server.addr, false, "alice@acme.example", &tampered).await;
    assert!(!reply.contains(&number), "{reply}");

    // The real alice follows up, signed: it joins, and the reply names her ticket.
    let follow = sign(&mail(
        "Alice <alice@acme.example>",
        &format!("Re: [Ticket#{number}] Printer"),
        "<a2@acme.example>",
        "",
        "Still jamming.",
    ));
    let reply = send(server.addr, false, "alice@acme.example", &follow).await;
    assert!(reply.contains(&format!("ticket {number}")), "{reply}");
    let tickets = common::all_tickets(&engine).await;
    assert_eq!(tickets.len(), 3, "the signed follow-up opened nothing new");
    let original = tickets.iter().find(|t| t.ticket.number == number).unwrap();
    assert!(original.articles.iter().any(|a| a.body.contains("Still jamming.")));

    // The agent's reply goes to alice, never to the forger; no auto-response went to the forger.
    engine.add_article(&Actor::agent("admin"), &number, NewArticle::reply("Fixed.")).await.unwrap();
    for t in common::all_tickets(&engine).await {
        for a in &t.articles {
            assert!(!a.to.contains("evil.example"), "nothing is addressed to the forger: {a:?}");
        }
    }
    server.shutdown().await;
}

#[tokio::test]
async fn authentication_results_count_only_from_the_trusted_mta() {
    let engine = common::engine().await;
    let server = common::listen_with_auth(engine.clone(), SmtpConfig::lmtp(), auth()).await;
    let first = mail(
        "bob@acme.example",
        "VPN",
        "<b1@acme.example>",
        "Authentication-Results: mx.acme.example; dmarc=pass header.from=acme.example\r\n",
        "down",
    );
    let reply = send(server.addr, true, "bob@acme.example", &first).await;
    let number = common::all_tickets(&engine).await[0].ticket.number.clone();
    assert!(reply.contains(&number), "{reply}");

    // Someone else's Authentication-Results (any sender can write one) are ignored.
    let untrusted = mail(
        "bob@acme.example",
        &format!("[Ticket#{number}]"),
        "<b2@acme.example>",
        "Authentication-Results: mx.evil.example; dmarc=pass header.from=acme.example\r\n",
        "untrusted",
    );
    let reply = send(server.addr, true, "bob@acme.example", &untrusted).await;
    assert!(!reply.contains(&number), "{reply}");
    assert_eq!(common::all_tickets(&engine).await.len(), 2, "not joined");

    // The trusted MTA's failure is a failure, whatever a lower header says.
    let failed = mail(
        "bob@acme.example",
        &format!("[Ticket#{number}]"),
        "<b3@acme.example>",
        "Authentication-Results: mx.acme.example; dmarc=fail\r\nAuthentication-Results: mx.acme.example; dmarc=pass\r\n",
        "failed",
    );
    send(server.addr, true, "bob@acme.example", &failed).await;
    assert_eq!(common::all_tickets(&engine).await.len(), 3, "not joined");

    let trusted = mail(
        "bob@acme.example",
        &format!("[Ticket#{number}]"),
        "<b4@acme.example>",
        "Authentication-Results: mx.acme.example (our MTA); spf=pass smtp.mailfrom=bob@acme.example; dmarc=pass\r\n",
        "trusted",
    );
    let reply = send(server.addr, true, "bob@acme.example", &trusted).await;
    assert!(reply.contains(&number), "{reply}");
    assert_eq!(common::all_tickets(&engine).await.len(), 3, "joined");
    server.shutdown().await;
}
