//! End to end, mail pulled from a mailbox (issue #21): the built `helpdesk` reads a real Dovecot over
//! IMAP and over POP3 (`CHAMADO_IMAP_URL`), is killed with SIGKILL ten times in the middle of an
//! import of 2,000 mails and restarted each time, and every mail ends up exactly one ticket.
//!
//! The proof reads the helpdesk's own store afterwards: each mail's Message-ID names an article, and
//! the queue holds exactly as many tickets as mails were delivered (the subjects name no ticket, so a
//! mail taken twice would be a second ticket). A third test runs two nodes on one PostgreSQL database
//! against one mailbox, kills each once, and counts one ticket per mail. Without `CHAMADO_E2E=1` a
//! missing piece (no Dovecot, no database, the binaries cannot be built) skips; with it, it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../../adapters/email/tests/dovecot/mod.rs"]
mod dovecot;
#[allow(dead_code)] // the shared support has more than this test uses
mod support;

use chamado::{Store, TicketIndex};
use dovecot::{Dovecot, DovecotOptions};
use reqwest::StatusCode;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::api::Api;
use support::poll::PATIENCE;
use support::server::{LogOnFailure, free_port};
use support::{binaries, skip, step};
use tokio::process::{Child, Command};

const USER: &str = "support";
const PASSWORD: &str = "pw-e2e";
/// The queue the mailbox's new tickets go to (seeded).
const QUEUE: &str = "Raw";
const KILLS: usize = 10;
const FIRST: usize = 200;
const UNDER_FIRE: usize = 2_000;

fn mail(n: usize) -> Vec<u8> {
    format!(
        "From: Customer {c} <customer{c}@example.org>\r\nTo: support@example.com\r\nSubject: Mail number {n}\r\n\
         Message-ID: <mail-{n}@e2e.example>\r\nDate: Sat, 05 Dec 2026 12:00:00 +0000\r\n\r\nBody of mail {n}.\r\n",
        c = n % 37
    )
    .into_bytes()
}

struct Helpdesk {
    child: Child,
}

/// The helpdesk with only what this test needs: HTTP for readiness and counts, the mailbox URL.
async fn start(binary: &Path, work: &Path, http: std::net::SocketAddr, url: &str, api: &Api) -> Helpdesk {
    start_with(binary, work, http, url, api, &[]).await
}

/// [`start`] with more variables (a PostgreSQL store, a fixed admin token).
async fn start_with(
    binary: &Path,
    work: &Path,
    http: std::net::SocketAddr,
    url: &str,
    api: &Api,
    env: &[(&str, String)],
) -> Helpdesk {
    let log = std::fs::OpenOptions::new().create(true).append(true).open(work.join("helpdesk.log")).unwrap();
    let child = Command::new(binary)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("RUST_BACKTRACE", "1")
        .env("CHAMADO_DATA_DIR", work.join("data"))
        .env("CHAMADO_HTTP_ADDR", http.to_string())
        .env("CHAMADO_SMTP_ADDR", "")
        .env("CHAMADO_IMAP_URL", url)
        .envs(env.iter().map(|(k, v)| (*k, v)))
        .current_dir(work)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut h = Helpdesk { child };
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !api.healthy().await {
        if let Some(status) = h.child.try_wait().unwrap() {
            panic!("the helpdesk exited during start-up ({status})");
        }
        assert!(tokio::time::Instant::now() < deadline, "no /healthz within {PATIENCE:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    h
}

impl Helpdesk {
    async fn kill(mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }

    async fn stop(mut self) {
        let pid = self.child.id().unwrap().to_string();
        assert!(Command::new("kill").args(["-TERM", &pid]).status().await.unwrap().success());
        tokio::time::timeout(PATIENCE, self.child.wait()).await.unwrap().unwrap();
    }
}

/// Tickets in the queue, as the API's queue overview counts them (exact counts the store keeps).
async fn tickets(api: &Api, token: &str) -> Option<u64> {
    let (status, v) = api.get(token, "/queue-overview").await;
    if status != StatusCode::OK {
        return None;
    }
    let queues = v["queues"].as_array()?;
    let q = queues.iter().find(|q| q["queue"] == QUEUE)?;
    Some(q["by_state_type"].as_object()?.values().filter_map(serde_json::Value::as_u64).sum())
}

async fn wait_for(api: &Api, token: &str, want: u64, within: Duration) -> u64 {
    let deadline = Instant::now() + within;
    loop {
        let n = tickets(api, token).await.unwrap_or(0);
        if n >= want || Instant::now() > deadline {
            return n;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn token(work: &Path) -> String {
    std::fs::read_to_string(work.join("data").join("admin.token")).unwrap().trim().to_string()
}

/// Opens the stopped helpdesk's store and checks every mail `0..count` is exactly one ticket.
async fn exactly_once(data: PathBuf, count: usize) {
    let store = chamado_redb::RedbOptions::new().open(data.join("chamado.redb")).unwrap();
    let mut missing = Vec::new();
    for n in 0..count {
        if store.article_by_external_id(&format!("<mail-{n}@e2e.example>")).await.unwrap().is_none() {
            missing.push(n);
        }
    }
    assert!(
        missing.is_empty(),
        "{} mails never became a ticket, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(10)]
    );
    let in_queue = store.count_tickets(&TicketIndex::Queue { queue: QUEUE.into(), state_type: None }).await.unwrap();
    assert_eq!(in_queue, count as u64, "every mail exactly one ticket: none twice");
}

async fn import_under_fire(test: &str, scheme: &str) {
    if !dovecot::available_or_skip(test) {
        return;
    }
    let t0 = Instant::now();
    let bins = match binaries::build().await {
        Ok(b) => b,
        Err(why) => return skip(test, &why),
    };
    step(t0, "binaries built");
    let server =
        Dovecot::start(DovecotOptions { users: vec![(USER.into(), PASSWORD.into())], ..Default::default() }).unwrap();
    let port = if scheme == "pop3" { server.pop3_port() } else { server.imap_port() };
    let url = format!("{scheme}://{USER}:{PASSWORD}@127.0.0.1:{port}/INBOX?tls=none&queue={QUEUE}");
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(work.path().join("data")).unwrap();
    let _log = LogOnFailure(work.path().join("helpdesk.log"));
    let http = std::net::SocketAddr::from(([127, 0, 0, 1], free_port()));
    let api = Api::new(http);

    let first: Vec<Vec<u8>> = (0..FIRST).map(mail).collect();
    server.deliver_many(USER, "INBOX", &first).unwrap();
    let started = Instant::now();
    let mut helpdesk = start(&bins.helpdesk, work.path(), http, &url, &api).await;
    let token = token(work.path());
    let got = wait_for(&api, &token, FIRST as u64, PATIENCE).await;
    assert_eq!(got, FIRST as u64, "the first {FIRST} mails were not all taken: {}", server.log());
    step(t0, &format!("{FIRST} mails taken in {:.2}s", started.elapsed().as_secs_f64()));

    let more: Vec<Vec<u8>> = (FIRST..FIRST + UNDER_FIRE).map(mail).collect();
    server.deliver_many(USER, "INBOX", &more).unwrap();
    let total = (FIRST + UNDER_FIRE) as u64;
    let mut seen = Vec::new();
    for kill in 0..KILLS {
        // Kill at a moment in the import: after a share of it was taken, not at a fixed time.
        let target = FIRST as u64 + (UNDER_FIRE as u64 * (kill as u64 + 1)) / (KILLS as u64 + 2);
        let before = wait_for(&api, &token, target, PATIENCE).await;
        helpdesk.kill().await;
        seen.push(before);
        helpdesk = start(&bins.helpdesk, work.path(), http, &url, &api).await;
    }
    step(t0, &format!("killed {KILLS} times, at {seen:?} tickets"));
    assert!(seen.iter().any(|n| *n < total), "no kill happened during the import: {seen:?}");
    let got = wait_for(&api, &token, total, PATIENCE).await;
    assert_eq!(got, total, "not every mail was taken after the kills");
    // Quiet for a moment: nothing more may arrive (a duplicate would show as a ticket too many).
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(tickets(&api, &token).await, Some(total));
    helpdesk.stop().await;
    exactly_once(work.path().join("data"), FIRST + UNDER_FIRE).await;
    step(t0, "every mail exactly one ticket");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imap_mail_is_taken_exactly_once_across_ten_kills() {
    import_under_fire("imap under fire", "imap").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pop3_mail_is_taken_exactly_once_across_ten_kills() {
    import_under_fire("pop3 under fire", "pop3").await;
}

/// `psql` on `url`, for creating and dropping the test's database.
async fn psql(url: &str, sql: &str) -> bool {
    Command::new("psql")
        .args([url, "-qc", sql])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await
        .is_ok_and(|s| s.success())
}

/// Two helpdesk nodes on one PostgreSQL database read one mailbox: one node at a time holds the
/// account's lease (an advisory lock); each node is killed once during the import and restarted, so the
/// holder dies at some point and the other takes over. Every mail is exactly one ticket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_postgres_nodes_pull_one_mailbox_one_at_a_time() {
    const TEST: &str = "two nodes, one mailbox";
    const MAILS: usize = 1_000;
    let Some(database) = std::env::var("CHAMADO_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
        return skip(TEST, "CHAMADO_TEST_DATABASE_URL is not set");
    };
    if !dovecot::available_or_skip(TEST) {
        return;
    }
    let t0 = Instant::now();
    let bins = match binaries::build().await {
        Ok(b) => b,
        Err(why) => return skip(TEST, &why),
    };
    let db = format!("chamado_mailbox_e2e_{}", std::process::id());
    let (base, _) = database.rsplit_once('/').unwrap();
    psql(&database, &format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")).await;
    if !psql(&database, &format!("CREATE DATABASE {db}")).await {
        return skip(TEST, "psql cannot create a database");
    }
    let server =
        Dovecot::start(DovecotOptions { users: vec![(USER.into(), PASSWORD.into())], ..Default::default() }).unwrap();
    let url = format!("imap://{USER}:{PASSWORD}@127.0.0.1:{}/INBOX?tls=none&queue={QUEUE}", server.imap_port());
    let token = format!("mailbox-e2e-admin-token-{}-0123456789", std::process::id());
    let env = [("CHAMADO_DATABASE_URL", format!("{base}/{db}")), ("CHAMADO_ADMIN_TOKEN", token.clone())];
    let mut nodes = Vec::new();
    let mut logs = Vec::new();
    for name in ["a", "b"] {
        let work = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(work.path().join("data")).unwrap();
        logs.push(LogOnFailure(work.path().join("helpdesk.log")));
        let http = std::net::SocketAddr::from(([127, 0, 0, 1], free_port()));
        let api = Api::new(http);
        let node = start_with(&bins.helpdesk, work.path(), http, &url, &api, &env).await;
        nodes.push((name, work, http, api, Some(node)));
    }
    step(t0, "two nodes up on PostgreSQL");
    let mails: Vec<Vec<u8>> = (0..MAILS).map(mail).collect();
    server.deliver_many(USER, "INBOX", &mails).unwrap();
    for (i, target) in [(0, MAILS as u64 / 4), (1, MAILS as u64 / 2)] {
        let other = 1 - i;
        let seen = wait_for(&nodes[other].3, &token, target, PATIENCE).await;
        if let Some(node) = nodes[i].4.take() {
            node.kill().await;
        }
        step(t0, &format!("node {} killed at {seen} tickets", nodes[i].0));
        let (_, work, http, api, slot) = &mut nodes[i];
        *slot = Some(start_with(&bins.helpdesk, work.path(), *http, &url, api, &env).await);
    }
    let got = wait_for(&nodes[0].3, &token, MAILS as u64, PATIENCE).await;
    assert_eq!(got, MAILS as u64, "not every mail was taken");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(tickets(&nodes[1].3, &token).await, Some(MAILS as u64), "every mail exactly one ticket");
    let waited = nodes.iter().any(|(_, work, ..)| {
        std::fs::read_to_string(work.path().join("helpdesk.log"))
            .is_ok_and(|l| l.contains("another node pulls this account"))
    });
    assert!(waited, "one node waited for the other's lease");
    for (_, _, _, _, node) in &mut nodes {
        if let Some(n) = node.take() {
            n.stop().await;
        }
    }
    drop(logs);
    psql(&database, &format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")).await;
    step(t0, "every mail exactly one ticket across two nodes");
}
