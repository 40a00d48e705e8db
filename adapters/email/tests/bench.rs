//! Throughput measurements, ignored by default. Run in release:
//! `cargo test --release -p chamado-email --test bench -- --ignored --nocapture --test-threads=1`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use chamado_email::{SmtpConfig, parse_message};
use common::client::Client;
use std::time::Instant;

/// A typical ~5 KB customer mail: encoded headers, a threaded reply, quoted-printable text with a
/// HTML alternative.
fn typical(i: usize) -> Vec<u8> {
    let para = "Guten Tag, unser Drucker im zweiten Stock zeigt seit heute Morgen die Meldung =E2=80=9EPapierstau=E2=80=9C, obwohl kein Papier feststeckt. Wir haben ihn neu gestartet. Gr=C3=BC=C3=9Fe\r\n";
    let text: String = para.repeat(12);
    let html: String =
        format!("<html><body><p>{}</p></body></html>", "Guten Tag, unser Drucker zeigt einen Papierstau. ".repeat(30));
    format!(
        "Return-Path: <kunde{i}@customer.example>\r\nReceived: from mx.customer.example (mx.customer.example [192.0.2.1]) by mail.example.com with ESMTPS id abc{i}; Fri, 27 Nov 2026 10:00:00 +0100\r\n\
From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <kunde{i}@customer.example>\r\nTo: Support <support@example.com>\r\nSubject: =?UTF-8?Q?Re:_Drucker_im_2._Stock_zeigt_=E2=80=9EPapierstau=E2=80=9C?=\r\n\
Date: Fri, 27 Nov 2026 10:00:00 +0100\r\nMessage-ID: <msg{i}@customer.example>\r\nIn-Reply-To: <prev{i}@example.com>\r\nReferences: <first{i}@customer.example> <prev{i}@example.com>\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b{i}\"\r\n\r\n--b{i}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{text}\r\n\
--b{i}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n--b{i}--\r\n"
    )
    .into_bytes()
}

#[test]
#[ignore]
fn parse_and_normalise_throughput() {
    let msgs: Vec<Vec<u8>> = (0..1000).map(typical).collect();
    let avg = msgs.iter().map(Vec::len).sum::<usize>() / msgs.len();
    let n = 50_000;
    let start = Instant::now();
    let mut bytes = 0usize;
    for i in 0..n {
        let m = parse_message(&msgs[i % msgs.len()], None).unwrap();
        bytes += m.body.len();
    }
    let secs = start.elapsed().as_secs_f64();
    let start2 = Instant::now();
    let parser = mail_parser::MessageParser::default();
    for i in 0..n {
        let m = parser.parse(&msgs[i % msgs.len()][..]).unwrap();
        bytes += m.parts.len();
    }
    let raw_secs = start2.elapsed().as_secs_f64();
    println!("mail-parser alone: {:.0} msgs/s", n as f64 / raw_secs);
    println!(
        "parse+normalise: {n} messages of ~{avg} bytes in {secs:.2} s = {:.0} msgs/s on one core ({bytes} body bytes)",
        n as f64 / secs
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore]
async fn smtp_end_to_end_throughput() {
    let engine = common::engine().await;
    let server = common::listen(engine.clone(), SmtpConfig::default()).await;
    let (clients, per_client) = (16, 250);
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for c in 0..clients {
        let addr = server.addr;
        tasks.spawn(async move {
            let (mut cl, _) = Client::connect(addr).await;
            assert_eq!(cl.cmd("EHLO bench").await.0, 250);
            for k in 0..per_client {
                let i = c * per_client + k;
                assert_eq!(cl.cmd(&format!("MAIL FROM:<kunde{i}@customer.example>")).await.0, 250);
                assert_eq!(cl.cmd("RCPT TO:<support@example.com>").await.0, 250);
                assert_eq!(cl.cmd("DATA").await.0, 354);
                cl.send_bytes(&chamado_email::pipe::dot_stuff(&typical(i))).await;
                assert_eq!(cl.reply().await.0, 250);
            }
            cl.cmd("QUIT").await;
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    let n = clients * per_client;
    println!(
        "SMTP end to end (MemoryStore): {n} messages over {clients} connections in {secs:.2} s = {:.0} msgs/s",
        n as f64 / secs
    );
    server.shutdown().await;
}
