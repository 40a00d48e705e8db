//! Throughput of the email adapter: parsing, and SMTP end to end on the memory store and on redb.
//! One binary, one scenario per run, in release (`cargo bench` builds with the bench profile):
//!
//! ```text
//! cargo bench -p chamado-benches --bench email -- parse                   # parse + normalise, one core
//! cargo bench -p chamado-benches --bench email -- smtp-memory             # SMTP end to end, MemoryStore
//! cargo bench -p chamado-benches --bench email -- smtp-redb               # the same on redb, durable
//! cargo bench -p chamado-benches --bench email -- smtp-redb-pipelined     # redb, MAIL+RCPT+DATA in one write
//! cargo bench -p chamado-benches --bench email -- smtp-memory-pipelined   # memory store, pipelined
//! cargo bench -p chamado-benches --bench email -- smtp-redb-inline-reads  # redb, reads inline
//! cargo bench -p chamado-benches --bench email -- smtp-redb-one-write     # redb, one write per message
//! cargo bench -p chamado-benches --bench email -- smtp-redb-verified      # redb, senders verified (DKIM, SPF, DMARC)
//! cargo bench -p chamado-benches --bench email -- dkim                    # sender verification alone, one core
//! ```
//!
//! `smtp-redb` runs with the sender-authentication policy `off` (every sender counts as authenticated,
//! as before verification existed); `smtp-redb-verified` runs the same load DKIM-signed, verified by the
//! listener with `enforce` (DNS answered from the verifier's cache), so the gap is verification's cost.
//!
//! The SMTP end-to-end figures come from 16 concurrent client connections, 3 rounds of 4,000 messages on
//! the same store (each round with new senders and Message-IDs): messages/s per round and their median,
//! and per-message latency (`MAIL FROM` to the `250` after the data) p50/p99 over all rounds.
//! (It lives here, not in `chamado-email`, so that no adapter depends on another.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "support/smtp_client.rs"]
mod smtp_client;

use chamado::{Engine, EngineConfig, MemoryStore, SenderAuthPolicy, Store};
use chamado_email::{EmailConfig, parse_message};
use smtp_client::Client;
use std::sync::Arc;
use std::time::{Duration, Instant};

const SCENARIOS: &str = "parse | smtp-memory | smtp-memory-pipelined | smtp-redb | smtp-redb-pipelined | smtp-redb-inline-reads | smtp-redb-one-write | smtp-redb-verified | dkim";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let scenario = args.first().map(String::as_str).unwrap_or("help");
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    match scenario {
        "parse" => parse_and_normalise_throughput(),
        "smtp-memory" => rt.block_on(smtp_end_to_end_throughput()),
        "smtp-redb" => rt.block_on(smtp_end_to_end_redb_throughput()),
        "smtp-redb-pipelined" => {
            PIPELINED.store(true, std::sync::atomic::Ordering::Relaxed);
            rt.block_on(smtp_end_to_end_redb_throughput())
        }
        "smtp-memory-pipelined" => {
            PIPELINED.store(true, std::sync::atomic::Ordering::Relaxed);
            rt.block_on(smtp_end_to_end_throughput())
        }
        "smtp-redb-inline-reads" => rt.block_on(smtp_end_to_end_redb_inline_reads_throughput()),
        "smtp-redb-one-write" => rt.block_on(smtp_end_to_end_redb_one_write_per_message()),
        "smtp-redb-verified" => rt.block_on(smtp_end_to_end_redb_verified_throughput()),
        "dkim" => rt.block_on(sender_verification_cost()),
        _ => eprintln!("usage: cargo bench -p chamado-benches --bench email -- <{SCENARIOS}>"),
    }
}

/// A typical ~5 KB customer mail: encoded headers, a threaded reply, quoted-printable text with a
/// HTML alternative.
fn typical(i: usize) -> Vec<u8> {
    typical_from(i, i)
}

/// [`typical`] with message `i` sent by customer `sender`.
fn typical_from(i: usize, sender: usize) -> Vec<u8> {
    let para = "Guten Tag, unser Drucker im zweiten Stock zeigt seit heute Morgen die Meldung =E2=80=9EPapierstau=E2=80=9C, obwohl kein Papier feststeckt. Wir haben ihn neu gestartet. Gr=C3=BC=C3=9Fe\r\n";
    let text: String = para.repeat(12);
    let html: String =
        format!("<html><body><p>{}</p></body></html>", "Guten Tag, unser Drucker zeigt einen Papierstau. ".repeat(30));
    format!(
        "Return-Path: <kunde{sender}@customer.example>\r\nReceived: from mx.customer.example (mx.customer.example [192.0.2.1]) by mail.example.com with ESMTPS id abc{i}; Fri, 27 Nov 2026 10:00:00 +0100\r\n\
From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <kunde{sender}@customer.example>\r\nTo: Support <support@example.com>\r\nSubject: =?UTF-8?Q?Re:_Drucker_im_2._Stock_zeigt_=E2=80=9EPapierstau=E2=80=9C?=\r\n\
Date: Fri, 27 Nov 2026 10:00:00 +0100\r\nMessage-ID: <msg{i}@customer.example>\r\nIn-Reply-To: <prev{i}@example.com>\r\nReferences: <first{i}@customer.example> <prev{i}@example.com>\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b{i}\"\r\n\r\n--b{i}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{text}\r\n\
--b{i}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n--b{i}--\r\n"
    )
    .into_bytes()
}

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

const CLIENTS: usize = 16;
const PER_CLIENT: usize = 250;
const ROUNDS: usize = 3;

/// How the senders of the messages are chosen.
#[derive(Clone, Copy)]
enum Senders {
    /// Every message from a new sender: intake registers a customer user for each.
    AllNew,
    /// Messages from this many senders in turn, registered in the first round.
    Repeating(usize),
}

/// Whether the clients send `MAIL`, `RCPT` and `DATA` in one write (RFC 2920), as MTAs do with a server
/// that offers PIPELINING (`smtp-redb-pipelined`, `smtp-memory-pipelined`).
static PIPELINED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// One round: `CLIENTS` connections each sending `PER_CLIENT` messages; the wall time and every
/// message's latency.
async fn smtp_round(addr: std::net::SocketAddr, round: usize, senders: Senders, signed: bool) -> (f64, Vec<Duration>) {
    // Signing is the sender's work: done before the clock starts.
    let mut messages: Vec<Vec<Vec<u8>>> = Vec::with_capacity(CLIENTS);
    for c in 0..CLIENTS {
        let mut mine = Vec::with_capacity(PER_CLIENT);
        for k in 0..PER_CLIENT {
            let i = (round * CLIENTS + c) * PER_CLIENT + k;
            let sender = match senders {
                Senders::AllNew => i,
                Senders::Repeating(n) => i % n,
            };
            let raw = typical_from(i, sender);
            let raw = if signed { dkim::sign(&raw) } else { raw };
            mine.push(chamado_email::pipe::dot_stuff(&raw));
        }
        messages.push(mine);
    }
    let mut messages = messages.into_iter();
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for c in 0..CLIENTS {
        let mine = messages.next().unwrap_or_default();
        tasks.spawn(async move {
            let (mut cl, _) = Client::connect(addr).await;
            assert_eq!(cl.cmd("EHLO bench").await.0, 250);
            let mut latencies = Vec::with_capacity(PER_CLIENT);
            for (k, data) in mine.iter().enumerate() {
                let i = (round * CLIENTS + c) * PER_CLIENT + k;
                let sender = match senders {
                    Senders::AllNew => i,
                    Senders::Repeating(n) => i % n,
                };
                let t = Instant::now();
                if PIPELINED.load(std::sync::atomic::Ordering::Relaxed) {
                    // As Postfix does with a server that offers PIPELINING: one write, three replies.
                    let group = format!(
                        "MAIL FROM:<kunde{sender}@customer.example>\r\nRCPT TO:<support@localhost>\r\nDATA\r\n"
                    );
                    cl.send_bytes(group.as_bytes()).await;
                    assert_eq!(cl.reply().await.0, 250);
                    assert_eq!(cl.reply().await.0, 250);
                    assert_eq!(cl.reply().await.0, 354);
                } else {
                    assert_eq!(cl.cmd(&format!("MAIL FROM:<kunde{sender}@customer.example>")).await.0, 250);
                    assert_eq!(cl.cmd("RCPT TO:<support@localhost>").await.0, 250);
                    assert_eq!(cl.cmd("DATA").await.0, 354);
                }
                cl.send_bytes(data).await;
                let (code, text) = cl.reply().await;
                assert_eq!(code, 250, "{text}");
                latencies.push(t.elapsed());
            }
            cl.cmd("QUIT").await;
            latencies
        });
    }
    let mut all = Vec::with_capacity(CLIENTS * PER_CLIENT);
    while let Some(r) = tasks.join_next().await {
        all.extend(r.unwrap());
    }
    (start.elapsed().as_secs_f64(), all)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[idx]
}

/// Runs the rounds against an engine built like the helpdesk example's (email settings applied to the
/// engine config, the listener on the email settings' SMTP config) and prints the figures.
async fn smtp_end_to_end(label: &str, store: Arc<dyn Store>) -> f64 {
    smtp_end_to_end_with(label, store, EngineConfig::default(), Senders::AllNew).await
}

/// The load with the sender-authentication policy `off`: no verification, every sender answered.
async fn smtp_end_to_end_with(label: &str, store: Arc<dyn Store>, config: EngineConfig, senders: Senders) -> f64 {
    let email = EmailConfig { sender_auth: SenderAuthPolicy::Off, ..EmailConfig::default() };
    smtp_end_to_end_auth(label, store, config, senders, &email, chamado_email::MailAuth::default(), false).await
}

async fn smtp_end_to_end_auth(
    label: &str,
    store: Arc<dyn Store>,
    mut config: EngineConfig,
    senders: Senders,
    email: &EmailConfig,
    auth: chamado_email::MailAuth,
    signed: bool,
) -> f64 {
    email.apply_to(&mut config);
    let engine = Engine::builder_arc(store).config(config).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    let server = listen(engine.clone(), email.smtp().unwrap(), auth).await;
    let mut rates = Vec::new();
    let mut latencies = Vec::new();
    for round in 0..ROUNDS {
        let (secs, lat) = smtp_round(server.addr, round, senders, signed).await;
        let rate = lat.len() as f64 / secs;
        println!("  {label} round {}: {} messages in {secs:.2} s = {rate:.0} msgs/s", round + 1, lat.len());
        rates.push(rate);
        latencies.extend(lat);
    }
    server.shutdown().await;
    rates.sort_by(f64::total_cmp);
    latencies.sort();
    let median = rates[rates.len() / 2];
    let tickets =
        engine.list_tickets(&chamado::Actor::agent("admin"), &chamado::TicketFilter::default(), None, 1).await.unwrap();
    assert!(!tickets.items.is_empty(), "the messages opened tickets");
    println!(
        "SMTP end to end ({label}), {CLIENTS} connections, {ROUNDS} rounds of {}: median {median:.0} msgs/s \
         (min {:.0}, max {:.0}); per message p50 {:.1} ms, p99 {:.1} ms",
        CLIENTS * PER_CLIENT,
        rates[0],
        rates[rates.len() - 1],
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
    );
    median
}

/// Where the redb writer's time went: batching shows in operations per transaction.
fn print_writer(store: &chamado_redb::RedbStore) {
    let w = store.writer_stats();
    println!(
        "  redb writer: {} transactions, {} operations, largest batch {}, apply {:.2} s, commit {:.2} s",
        w.transactions,
        w.operations,
        w.largest_batch,
        w.apply_time.as_secs_f64(),
        w.commit_time.as_secs_f64()
    );
}

async fn smtp_end_to_end_throughput() {
    smtp_end_to_end("MemoryStore", Arc::new(MemoryStore::new())).await;
}

/// Durable commits (fsync per group commit) in a redb file, the helpdesk's default store.
async fn smtp_end_to_end_redb_throughput() {
    let dir = tempfile::tempdir().unwrap();
    let store = chamado_redb::RedbStore::open(dir.path().join("bench.redb")).unwrap();
    smtp_end_to_end("redb, durable", Arc::new(store.clone())).await;
    print_writer(&store);
}

/// As above with reads on the calling thread instead of tokio's blocking pool.
async fn smtp_end_to_end_redb_inline_reads_throughput() {
    let dir = tempfile::tempdir().unwrap();
    let store = chamado_redb::RedbStore::options().inline_reads(true).open(dir.path().join("bench.redb")).unwrap();
    smtp_end_to_end("redb, durable, inline reads", Arc::new(store.clone())).await;
    print_writer(&store);
}

/// Diagnostic, not the target's workload: known senders (64, repeating) and no auto-response, so each
/// message costs one durable write (the ticket's commit) instead of three (registering the sender, the
/// auto-response counter, the commit). The gap to [`smtp_end_to_end_redb_throughput`] is what those two
/// extra fsync round trips per message cost.
async fn smtp_end_to_end_redb_one_write_per_message() {
    let dir = tempfile::tempdir().unwrap();
    let store = chamado_redb::RedbStore::open(dir.path().join("bench.redb")).unwrap();
    let mut config = EngineConfig::default();
    config.auto_response.channels.clear();
    smtp_end_to_end_with(
        "redb, durable, one write per message",
        Arc::new(store.clone()),
        config,
        Senders::Repeating(64),
    )
    .await;
    print_writer(&store);
}

/// The [`smtp_end_to_end_redb_throughput`] load, every message DKIM-signed by customer.example, verified
/// by the listener under `enforce`: DKIM, SPF and DMARC pass, DNS answered from the cache.
async fn smtp_end_to_end_redb_verified_throughput() {
    let dir = tempfile::tempdir().unwrap();
    let store = chamado_redb::RedbStore::open(dir.path().join("bench.redb")).unwrap();
    let email = EmailConfig { sender_auth: SenderAuthPolicy::Enforce, ..EmailConfig::default() };
    let auth = chamado_email::MailAuth { verifier: Some(Arc::new(dkim::verifier())), trusted_authserv_id: None };
    smtp_end_to_end_auth(
        "redb, durable, senders verified",
        Arc::new(store.clone()),
        EngineConfig::default(),
        Senders::AllNew,
        &email,
        auth,
        true,
    )
    .await;
    print_writer(&store);
}

/// What verifying one typical DKIM-signed message costs (DKIM, SPF, DMARC; DNS from the cache), one
/// core, and the same unsigned (SPF and DMARC only).
async fn sender_verification_cost() {
    const N: usize = 4000;
    let v = dkim::verifier();
    let ip = std::net::IpAddr::from([127, 0, 0, 1]);
    for (label, signed) in [("DKIM-signed", true), ("unsigned", false)] {
        let msgs: Vec<Vec<u8>> = (0..N).map(|i| if signed { dkim::sign(&typical(i)) } else { typical(i) }).collect();
        let start = Instant::now();
        for (i, raw) in msgs.iter().enumerate() {
            let a = v.verify(raw, ip, "bench", &format!("kunde{i}@customer.example")).await;
            assert!(a.authenticated(), "{a:?}");
        }
        let per = start.elapsed().as_secs_f64() / N as f64;
        println!(
            "sender verification, {label} ~5 KB message: {:.0} µs per message ({:.0}/s on one core)",
            per * 1e6,
            1.0 / per
        );
    }
}

/// A DKIM key for customer.example and a verifier that knows its DNS records (no network).
mod dkim {
    use mail_auth::common::crypto::Ed25519Key;
    use mail_auth::common::headers::HeaderWriter;
    use mail_auth::dkim::DkimSigner;
    use mail_parser::decoders::base64::base64_decode;
    use std::time::Duration;

    /// A test key pair (mail-auth's example key).
    const SEED: &str = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
    const PUBLIC: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    pub fn sign(raw: &[u8]) -> Vec<u8> {
        let key = Ed25519Key::from_seed_and_public_key(
            &base64_decode(SEED.as_bytes()).unwrap(),
            &base64_decode(PUBLIC.as_bytes()).unwrap(),
        )
        .unwrap();
        let sig = DkimSigner::from_key(key)
            .domain("customer.example")
            .selector("bench")
            .headers(["From", "To", "Subject", "Message-ID", "Date"])
            .sign(raw)
            .unwrap();
        let mut out = sig.to_header().into_bytes();
        out.extend_from_slice(raw);
        out
    }

    pub fn verifier() -> chamado_email::SenderVerifier {
        let dead = ["127.0.0.1:9".parse().unwrap()];
        let v = chamado_email::SenderVerifier::new(&dead, Duration::from_millis(200), 10_000, "localhost").unwrap();
        let hour = Duration::from_secs(3600);
        v.publish("bench._domainkey.customer.example", &format!("v=DKIM1; k=ed25519; p={PUBLIC}"), hour).unwrap();
        v.publish("customer.example", "v=spf1 ip4:127.0.0.0/8 -all", hour).unwrap();
        v.publish("_dmarc.customer.example", "v=DMARC1; p=reject; psd=n", hour).unwrap();
        v
    }
}

/// A running listener: its address, its shutdown switch and its task.
struct Running {
    addr: std::net::SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), chamado_email::ServeError>>,
}

impl Running {
    /// Shuts the listener down and waits for it.
    async fn shutdown(self) {
        let _ = self.stop.send(());
        self.task.await.expect("join").expect("serve");
    }
}

/// Starts a listener on 127.0.0.1:0.
async fn listen(engine: Engine, config: chamado_email::SmtpConfig, auth: chamado_email::MailAuth) -> Running {
    let server = chamado_email::SmtpServer::bind("127.0.0.1:0", engine, config).await.expect("bind").with_auth(auth);
    let addr = server.local_addr().expect("addr");
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(server.serve(async move {
        let _ = rx.await;
    }));
    Running { addr, stop, task }
}
