//! The mailbox puller (`MailboxPuller`) against a real Dovecot: each account on its own task, so a
//! wrong password affects only its account (whose status shows the error) while the good one imports;
//! an account added to the store while running is picked up, a removed one stopped; an XOAUTH2
//! account refreshes its token at a loopback provider, keeps the rotated one and logs in with it.
//! Skipped when Dovecot is not installed, unless `CI` is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;
#[path = "dovecot/mod.rs"]
mod dovecot;

use chamado::{Actor, Engine, MailAccount, MailAccountStatus, MailCredential, MailProtocol, MailTls};
use chamado_email::mailbox::{MailboxMetrics, MailboxPuller, MailboxSettings};
use chamado_email::{MailIntake, QueueMap};
use dovecot::{Dovecot, DovecotOptions};
use std::time::Duration;
use tokio::sync::oneshot;

/// Guards against a hung test only; never a timing assertion.
const PATIENCE: Duration = Duration::from_secs(60);

fn mail(user: &str, n: usize) -> Vec<u8> {
    format!(
        "From: Sender {n} <sender{n}@example.test>\r\nTo: {user}\r\nSubject: {user} message {n}\r\n\
         Message-ID: <{n}.{user}@example.test>\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\nBody {n}.\r\n"
    )
    .into_bytes()
}

fn account(name: &str, protocol: MailProtocol, d: &Dovecot, login: &str, password: &str) -> MailAccount {
    MailAccount {
        name: name.into(),
        protocol,
        host: "127.0.0.1".into(),
        port: match protocol {
            MailProtocol::Imap => d.imap_port(),
            MailProtocol::Pop3 => d.pop3_port(),
        },
        tls: MailTls::None,
        login: login.into(),
        credential: MailCredential::Password { password: password.into() },
        queue: "Raw".into(),
        poll_seconds: 5,
        ..MailAccount::default()
    }
}

async fn put(engine: &Engine, account: MailAccount) {
    engine.admin(&Actor::System).await.unwrap().put_mail_account(account).await.unwrap();
}

/// Waits until the account's recorded status satisfies `done`.
async fn status_until(engine: &Engine, name: &str, done: impl Fn(&MailAccountStatus) -> bool) -> MailAccountStatus {
    tokio::time::timeout(PATIENCE, async {
        loop {
            if let Some(s) = engine.mail_account_status(name).await.unwrap()
                && done(&s)
            {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("account {name} did not get there"))
}

async fn titles(engine: &Engine) -> Vec<String> {
    let admin = Actor::agent("admin");
    let page = engine.list_tickets(&admin, &chamado::TicketFilter::default(), None, 500).await.unwrap();
    page.items.into_iter().map(|t| t.title).collect()
}

async fn one_failing_account_does_not_stop_the_others(protocol: MailProtocol) {
    let users = [("alice", "alicepw"), ("bob", "bobpw"), ("carol", "carolpw")];
    let d = Dovecot::start(DovecotOptions {
        users: users.iter().map(|(u, p)| (u.to_string(), p.to_string())).collect(),
        ..DovecotOptions::default()
    })
    .unwrap();
    for n in 0..3 {
        d.deliver("alice", "INBOX", &mail("alice", n)).unwrap();
    }
    d.deliver("bob", "INBOX", &mail("bob", 0)).unwrap();
    let engine = common::engine().await;
    put(&engine, account("good", protocol, &d, "alice", "alicepw")).await;
    put(&engine, account("bad", protocol, &d, "bob", "wrong password")).await;

    let metrics = MailboxMetrics::default();
    let settings = MailboxSettings { reload_seconds: 1, ..MailboxSettings::default() };
    let puller =
        MailboxPuller::new(MailIntake::new(engine.clone(), QueueMap::new()), settings).with_metrics(metrics.clone());
    let (stop, stopped) = oneshot::channel::<()>();
    let running = tokio::spawn(puller.run(async move {
        let _ = stopped.await;
    }));

    let good = status_until(&engine, "good", |s| s.imported == 3 && s.last_success.is_some()).await;
    assert_eq!((good.failed, good.last_error.as_deref()), (0, None));
    assert!(good.pending.is_some(), "a pass counts what is on the server");
    let bad = status_until(&engine, "bad", |s| s.last_error.is_some()).await;
    let error = bad.last_error.unwrap();
    assert!(error.contains("login"), "the failing account shows why: {error}");
    assert!(bad.last_error_at.is_some() && bad.last_success.is_none() && bad.imported == 0);
    assert_eq!(metrics.imported.get_or_create(&MailboxMetrics::labels("good")).get(), 3);
    let mut t = titles(&engine).await;
    t.sort();
    assert_eq!(t, vec!["alice message 0", "alice message 1", "alice message 2"]);

    // New mail for the good account still comes in while the bad one keeps failing.
    d.deliver("alice", "INBOX", &mail("alice", 3)).unwrap();
    status_until(&engine, "good", |s| s.imported == 4).await;

    // A changed account restarts its task; its counts go on from where they were.
    put(&engine, MailAccount { poll_seconds: 6, ..account("good", protocol, &d, "alice", "alicepw") }).await;
    d.deliver("alice", "INBOX", &mail("alice", 4)).unwrap();
    status_until(&engine, "good", |s| s.imported == 5).await;

    // An account added while running is picked up.
    d.deliver("carol", "INBOX", &mail("carol", 0)).unwrap();
    put(&engine, account("late", protocol, &d, "carol", "carolpw")).await;
    status_until(&engine, "late", |s| s.imported == 1).await;

    // Removed: stopped. Its next mail is not taken (several polls and reloads later).
    engine.admin(&Actor::System).await.unwrap().delete_mail_account("late").await.unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    d.deliver("carol", "INBOX", &mail("carol", 1)).unwrap();
    tokio::time::sleep(Duration::from_secs(8)).await;
    assert!(!titles(&engine).await.iter().any(|t| t == "carol message 1"), "a removed account is not read");
    assert!(!metrics.imported.remove(&MailboxMetrics::labels("late")), "its metrics are forgotten");

    // The failing account, fixed by an admin, imports on its next start.
    put(&engine, account("bad", protocol, &d, "bob", "bobpw")).await;
    let fixed = status_until(&engine, "bad", |s| s.imported == 1).await;
    assert_eq!(fixed.last_error, None, "a complete pass clears the error");

    stop.send(()).unwrap();
    tokio::time::timeout(PATIENCE, running).await.unwrap().unwrap().unwrap();
}

/// A loopback OAuth2 provider: `/token` answers a refresh grant for `rt-1` with access token `at-1`
/// and a rotated refresh token `rt-2`; `/introspect` (Dovecot's check) says `at-1` is `alice`'s.
fn oauth_provider() -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut r = BufReader::new(stream);
            let mut request_line = String::new();
            if r.read_line(&mut request_line).unwrap_or(0) == 0 {
                continue;
            }
            let mut length = 0;
            loop {
                let mut l = String::new();
                if r.read_line(&mut l).unwrap_or(0) == 0 || l == "\r\n" {
                    break;
                }
                if let Some(v) = l.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length.min(4096)];
            if r.read_exact(&mut body).is_err() {
                continue;
            }
            let body = String::from_utf8_lossy(&body).into_owned();
            let has = |kv: &str| body.split('&').any(|p| p == kv);
            let (status, json) = if request_line.contains("/token") {
                if has("grant_type=refresh_token") && has("refresh_token=rt-1") {
                    (200, r#"{"access_token":"at-1","expires_in":3600,"refresh_token":"rt-2"}"#.to_string())
                } else {
                    (400, r#"{"error":"invalid_grant"}"#.to_string())
                }
            } else if has("token=at-1") {
                (200, r#"{"active":true,"username":"alice"}"#.to_string())
            } else {
                (200, r#"{"active":false}"#.to_string())
            };
            let reply = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
                json.len()
            );
            let _ = r.get_mut().write_all(reply.as_bytes());
        }
    });
    base
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_xoauth2_account_refreshes_its_token_keeps_the_new_one_and_imports() {
    if !dovecot::available_or_skip("an_xoauth2_account_refreshes_its_token_keeps_the_new_one_and_imports") {
        return;
    }
    let provider = oauth_provider();
    let d = Dovecot::start(DovecotOptions {
        users: vec![("alice".into(), "alicepw".into())],
        oauth2_introspection_url: Some(format!("{provider}/introspect")),
        ..DovecotOptions::default()
    })
    .unwrap();
    d.deliver("alice", "INBOX", &mail("alice", 0)).unwrap();
    let engine = common::engine().await;
    let oauth = MailAccount {
        credential: MailCredential::Xoauth2 {
            refresh_token: "rt-1".into(),
            client_id: "helpdesk".into(),
            client_secret: String::new(),
            token_url: format!("{provider}/token"),
            scope: String::new(),
        },
        ..account("oauth", MailProtocol::Imap, &d, "alice", "unused")
    };
    put(&engine, oauth).await;
    let settings = MailboxSettings { reload_seconds: 1, ..MailboxSettings::default() };
    let puller = MailboxPuller::new(MailIntake::new(engine.clone(), QueueMap::new()), settings);
    let (stop, stopped) = oneshot::channel::<()>();
    let running = tokio::spawn(puller.run(async move {
        let _ = stopped.await;
    }));
    status_until(&engine, "oauth", |s| s.imported == 1).await;
    let kept = engine.mail_account_token("oauth").await.unwrap().unwrap();
    assert_eq!((kept.refresh_token.as_str(), kept.configured.as_str()), ("rt-2", "rt-1"));
    assert_eq!(titles(&engine).await, vec!["alice message 0"]);
    stop.send(()).unwrap();
    tokio::time::timeout(PATIENCE, running).await.unwrap().unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pop3_one_failing_account_does_not_stop_the_others() {
    if !dovecot::available_or_skip("pop3_one_failing_account_does_not_stop_the_others") {
        return;
    }
    one_failing_account_does_not_stop_the_others(MailProtocol::Pop3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imap_one_failing_account_does_not_stop_the_others() {
    if !dovecot::available_or_skip("imap_one_failing_account_does_not_stop_the_others") {
        return;
    }
    one_failing_account_does_not_stop_the_others(MailProtocol::Imap).await;
}

/// Leases as several nodes on one store share them (PostgreSQL advisory locks in the helpdesk): one
/// holder per account; the test can break a holder's lease, after which that node is "dead" and gets
/// none again, as a node whose database connection dropped.
#[derive(Default)]
struct LeaseTable {
    holder: std::sync::Mutex<Option<(usize, Option<oneshot::Sender<()>>)>>,
    dead: std::sync::Mutex<Vec<usize>>,
    grants: std::sync::Mutex<Vec<usize>>,
}

struct NodeLeases {
    node: usize,
    table: std::sync::Arc<LeaseTable>,
}

struct NodeLease {
    node: usize,
    table: std::sync::Arc<LeaseTable>,
    lost: oneshot::Receiver<()>,
}

impl chamado_email::mailbox::AccountLease for NodeLease {
    fn lost(&mut self) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        Box::pin(async {
            let _ = (&mut self.lost).await;
        })
    }
}

impl Drop for NodeLease {
    fn drop(&mut self) {
        let mut holder = self.table.holder.lock().unwrap();
        if holder.as_ref().is_some_and(|(n, _)| *n == self.node) {
            *holder = None;
        }
    }
}

#[async_trait::async_trait]
impl chamado_email::mailbox::AccountLeases for NodeLeases {
    async fn acquire(&self, _account: &str) -> Result<Option<Box<dyn chamado_email::mailbox::AccountLease>>, String> {
        if self.table.dead.lock().unwrap().contains(&self.node) {
            return Ok(None);
        }
        let mut holder = self.table.holder.lock().unwrap();
        if holder.is_some() {
            return Ok(None);
        }
        let (tx, rx) = oneshot::channel();
        *holder = Some((self.node, Some(tx)));
        self.table.grants.lock().unwrap().push(self.node);
        Ok(Some(Box::new(NodeLease { node: self.node, table: self.table.clone(), lost: rx })))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_pull_an_account_one_at_a_time_and_the_other_takes_over() {
    if !dovecot::available_or_skip("two_nodes_pull_an_account_one_at_a_time_and_the_other_takes_over") {
        return;
    }
    const N: usize = 300;
    let d = Dovecot::start(DovecotOptions {
        users: vec![("alice".to_string(), "alicepw".to_string())],
        ..DovecotOptions::default()
    })
    .unwrap();
    let engine = common::engine().await;
    put(&engine, account("shared", MailProtocol::Imap, &d, "alice", "alicepw")).await;
    let table = std::sync::Arc::new(LeaseTable::default());
    let mut stops = Vec::new();
    let mut runs = Vec::new();
    let mut metrics = Vec::new();
    for node in 0..2 {
        let m = MailboxMetrics::default();
        let settings = MailboxSettings { reload_seconds: 1, ..MailboxSettings::default() };
        let puller = MailboxPuller::new(MailIntake::new(engine.clone(), QueueMap::new()), settings)
            .with_metrics(m.clone())
            .with_leases(std::sync::Arc::new(NodeLeases { node, table: table.clone() }));
        let (stop, stopped) = oneshot::channel::<()>();
        runs.push(tokio::spawn(puller.run(async move {
            let _ = stopped.await;
        })));
        stops.push(stop);
        metrics.push(m);
    }
    let imported = |node: usize| metrics[node].imported.get_or_create(&MailboxMetrics::labels("shared")).get();

    d.deliver_many("alice", "INBOX", &(0..N / 2).map(|n| mail("alice", n)).collect::<Vec<_>>()).unwrap();
    status_until(&engine, "shared", |s| s.imported == (N / 2) as u64).await;
    let first = table.holder.lock().unwrap().as_ref().map(|(n, _)| *n).expect("a node holds the lease");
    let other = 1 - first;
    assert_eq!((imported(first), imported(other)), ((N / 2) as u64, 0), "only the holder pulls");

    // The holder's hold breaks (its database connection died): it stops, the other node takes over.
    table.dead.lock().unwrap().push(first);
    let sender = table.holder.lock().unwrap().as_mut().and_then(|(_, s)| s.take());
    sender.expect("the holder's lease").send(()).unwrap();
    d.deliver_many("alice", "INBOX", &(N / 2..N).map(|n| mail("alice", n)).collect::<Vec<_>>()).unwrap();
    status_until(&engine, "shared", |s| s.imported == N as u64).await;
    assert_eq!(imported(first), (N / 2) as u64, "the node that lost its lease took nothing more");
    assert_eq!(imported(other), (N / 2) as u64, "the other node took the rest");
    assert_eq!(*table.grants.lock().unwrap(), vec![first, other], "one holder at a time, in turn");

    let mut t = titles(&engine).await;
    t.sort();
    t.dedup();
    assert_eq!(t.len(), N, "every mail exactly one ticket");
    for stop in stops {
        stop.send(()).unwrap();
    }
    for run in runs {
        tokio::time::timeout(PATIENCE, run).await.unwrap().unwrap().unwrap();
    }
}
