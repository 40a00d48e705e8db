//! Mail pulled from a real Dovecot into redb through the IMAP session (issue #21), in release:
//!
//! ```text
//! cargo bench -p chamado-benches --bench mailbox -- import   # 3 rounds of 10,000 mails: mails/s, median
//! cargo bench -p chamado-benches --bench mailbox -- idle     # 30 mails one by one while idling: latency
//! ```
//!
//! `import`: each round delivers 10,000 mails (50 senders, one Message-ID each) into a fresh folder of a
//! fresh mailbox user, starts an IMAP session on a fresh redb store (durable commits, search on as the
//! helpdesk runs) and times from the session's start to the end of its first pass, every mail a ticket.
//! `idle`: the session idles on INBOX; each mail is appended with `doveadm save` and timed from just
//! before that call to the session reporting it taken (so the figure includes `doveadm`'s own start).
//! Skips with a message when Dovecot is not installed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../../adapters/email/tests/dovecot/mod.rs"]
mod dovecot;

use chamado::{Engine, MailAccount, MailCredential, MailTls};
use chamado_email::mailbox::{Progress, Secret, SessionContext, SessionLimits, run_imap};
use chamado_email::{MailIntake, QueueMap};
use dovecot::{Dovecot, DovecotOptions};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

const ROUNDS: usize = 3;
const MAILS: usize = 10_000;
const IDLE_SAMPLES: usize = 30;

/// Counts what the session took and wakes the bench.
#[derive(Default)]
struct Count {
    imported: AtomicU64,
    failed: AtomicU64,
    passes: AtomicU64,
    changed: Notify,
}

impl Progress for Count {
    fn imported(&self, _folder: &str) {
        self.imported.fetch_add(1, Ordering::SeqCst);
        self.changed.notify_waiters();
    }
    fn failed(&self, _folder: &str, reason: &str) {
        eprintln!("refused: {reason}");
        self.failed.fetch_add(1, Ordering::SeqCst);
        self.changed.notify_waiters();
    }
    fn pass_done(&self, _folder: &str, _pending: u64) {
        self.passes.fetch_add(1, Ordering::SeqCst);
        self.changed.notify_waiters();
    }
}

impl Count {
    async fn until(&self, done: impl Fn(&Count) -> bool) {
        loop {
            let wake = self.changed.notified();
            if done(self) {
                return;
            }
            let _ = tokio::time::timeout(Duration::from_millis(50), wake).await;
        }
    }
}

fn mail(user: &str, n: usize) -> Vec<u8> {
    format!(
        "From: Customer {c} <customer{c}@example.org>\r\nTo: {user}@example.com\r\nSubject: Bench mail {n}\r\n\
         Message-ID: <bench-{user}-{n}@bench.example>\r\nDate: Sat, 05 Dec 2026 12:00:00 +0000\r\n\r\n\
         The printer on the third floor prints every page twice since this morning (mail {n}).\r\n",
        c = n % 50
    )
    .into_bytes()
}

async fn engine(dir: &std::path::Path) -> Engine {
    let store = chamado_redb::RedbOptions::new().full_text_search(true).open(dir.join("bench.redb")).unwrap();
    let engine = Engine::builder(store).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    engine
}

fn context(engine: &Engine, server: &Dovecot, user: &str, count: Arc<Count>) -> SessionContext {
    let account = MailAccount {
        name: user.into(),
        host: "127.0.0.1".into(),
        port: server.imap_port(),
        tls: MailTls::None,
        login: user.into(),
        credential: MailCredential::Password { password: "pw".into() },
        queue: "Raw".into(),
        ..Default::default()
    };
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    SessionContext {
        account,
        intake: MailIntake::new(engine.clone(), QueueMap::default()),
        tls: Arc::new(tls),
        secret: Secret::Password("pw".into()),
        limits: SessionLimits::default(),
        progress: count,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn import(server: &Dovecot) {
    let mut rates = Vec::new();
    for round in 0..ROUNDS {
        let user = format!("bench{round}");
        let mails: Vec<Vec<u8>> = (0..MAILS).map(|n| mail(&user, n)).collect();
        server.deliver_many(&user, "INBOX", &mails).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let engine = engine(dir.path()).await;
        let count = Arc::new(Count::default());
        let ctx = context(&engine, server, &user, count.clone());
        let start = Instant::now();
        let session = tokio::spawn(run_imap(ctx));
        count.until(|c| c.passes.load(Ordering::SeqCst) >= 1).await;
        let secs = start.elapsed().as_secs_f64();
        session.abort();
        let taken = count.imported.load(Ordering::SeqCst);
        assert_eq!(taken, MAILS as u64, "round {round}: {taken} of {MAILS} taken");
        let rate = MAILS as f64 / secs;
        println!("import round {}: {MAILS} mails in {secs:.2}s = {rate:.0} mails/s", round + 1);
        rates.push(rate);
    }
    println!("import: median {:.0} mails/s over {ROUNDS} rounds of {MAILS}", median(rates));
}

async fn idle(server: &Dovecot) {
    let user = "idler";
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path()).await;
    let count = Arc::new(Count::default());
    let session = tokio::spawn(run_imap(context(&engine, server, user, count.clone())));
    count.until(|c| c.passes.load(Ordering::SeqCst) >= 1).await;
    // Let the session reach IDLE.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut latencies = Vec::new();
    for n in 0..IDLE_SAMPLES {
        let before = count.imported.load(Ordering::SeqCst);
        let start = Instant::now();
        server.deliver(user, "INBOX", &mail(user, n)).unwrap();
        count.until(|c| c.imported.load(Ordering::SeqCst) > before).await;
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        latencies.push(ms);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    session.abort();
    let mut sorted = latencies.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "idle: delivery to ticket over {IDLE_SAMPLES} mails: median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        median(latencies),
        sorted[(sorted.len() * 9) / 10],
        sorted[sorted.len() - 1]
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let scenario = args.first().map(String::as_str).unwrap_or("help");
    if !matches!(scenario, "import" | "idle") {
        println!("usage: cargo bench -p chamado-benches --bench mailbox -- import | idle");
        return;
    }
    let users: Vec<(String, String)> = (0..ROUNDS)
        .map(|r| (format!("bench{r}"), "pw".to_string()))
        .chain([("idler".to_string(), "pw".to_string())])
        .collect();
    let server = match Dovecot::start(DovecotOptions { users, ..Default::default() }) {
        Ok(s) => s,
        Err(e) => {
            println!("mailbox bench skipped: Dovecot cannot start here ({e})");
            return;
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    match scenario {
        "import" => rt.block_on(import(&server)),
        _ => rt.block_on(idle(&server)),
    }
}
