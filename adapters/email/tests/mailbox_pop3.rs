//! The POP3 session (`chamado_email::mailbox::run_pop3`) against a real Dovecot: imports, polling,
//! crash loops (the session future dropped mid-import), deletion after import with its catch-up,
//! XOAUTH2, POP3S and STLS; and against fake servers that abuse the client.
//! The Dovecot tests are skipped when Dovecot is not installed, unless `CI` is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;
#[path = "dovecot/mod.rs"]
mod dovecot;

use chamado::{AfterImport, Engine, MailAccount, MailCredential, MailProtocol, MailTls};
use chamado_email::mailbox::{MailboxError, Progress, Secret, SessionContext, SessionLimits, run_pop3};
use chamado_email::{MailIntake, QueueMap};
use dovecot::{Dovecot, DovecotOptions};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
use tokio::sync::watch;
use tokio::task::AbortHandle;

const USER: &str = "alice@example.test";
const PASS: &str = "s3cret pass";
/// Guards against a hung test only; never a timing assertion.
const PATIENCE: Duration = Duration::from_secs(120);

fn options() -> DovecotOptions {
    DovecotOptions { users: vec![(USER.to_string(), PASS.to_string())], ..DovecotOptions::default() }
}

fn mail(n: usize) -> Vec<u8> {
    format!(
        "From: Sender {n} <sender{n}@example.test>\r\nTo: {USER}\r\nSubject: message {n}\r\n\
         Message-ID: <m{n}@example.test>\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\nBody of message {n}.\r\n"
    )
    .into_bytes()
}

/// Counts what the session reports; can abort the session's own task at its `abort_at`-th import
/// (the task stops at its next await: mid-pass, before `QUIT`).
#[derive(Default)]
struct Counter {
    imported: AtomicU64,
    failed: AtomicU64,
    /// `pending` of every completed pass.
    passes: Mutex<Vec<u64>>,
    changed: Mutex<Option<watch::Sender<u64>>>,
    abort_at: Mutex<Option<(u64, AbortHandle)>>,
    /// Takes the store down at this import.
    down_at: Mutex<Option<(u64, Arc<std::sync::atomic::AtomicBool>)>>,
}

impl Counter {
    fn new() -> (Arc<Counter>, watch::Receiver<u64>) {
        let (tx, rx) = watch::channel(0);
        let c = Counter { changed: Mutex::new(Some(tx)), ..Counter::default() };
        (Arc::new(c), rx)
    }

    fn bump(&self) {
        if let Some(tx) = &*self.changed.lock().unwrap() {
            tx.send_modify(|v| *v += 1);
        }
    }

    fn imported(&self) -> u64 {
        self.imported.load(Ordering::SeqCst)
    }

    fn passes(&self) -> Vec<u64> {
        self.passes.lock().unwrap().clone()
    }
}

impl Progress for Counter {
    fn imported(&self, _folder: &str) {
        let n = self.imported.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some((at, handle)) = &*self.abort_at.lock().unwrap()
            && n >= *at
        {
            handle.abort();
        }
        if let Some((at, down)) = &*self.down_at.lock().unwrap()
            && n >= *at
        {
            down.store(true, Ordering::SeqCst);
        }
        self.bump();
    }
    fn failed(&self, _folder: &str, _reason: &str) {
        self.failed.fetch_add(1, Ordering::SeqCst);
        self.bump();
    }
    fn pass_done(&self, folder: &str, pending: u64) {
        assert_eq!(folder, "INBOX");
        self.passes.lock().unwrap().push(pending);
        self.bump();
    }
}

/// Waits until `done(counter)` holds.
async fn until(counter: &Counter, rx: &mut watch::Receiver<u64>, done: impl Fn(&Counter) -> bool) {
    tokio::time::timeout(PATIENCE, async {
        while !done(counter) {
            rx.changed().await.unwrap();
        }
    })
    .await
    .expect("the session did not get there");
}

fn account(name: &str, port: u16) -> MailAccount {
    MailAccount {
        name: name.into(),
        protocol: MailProtocol::Pop3,
        host: "127.0.0.1".into(),
        port,
        tls: MailTls::None,
        login: USER.into(),
        credential: MailCredential::Password { password: PASS.into() },
        folders: vec!["INBOX".into()],
        queue: "Raw".into(),
        poll_seconds: 5,
        ..MailAccount::default()
    }
}

fn tls_config(cert: Option<std::path::PathBuf>) -> Arc<rustls::ClientConfig> {
    use rustls::pki_types::{CertificateDer, pem::PemObject};
    let mut roots = rustls::RootCertStore::empty();
    if let Some(cert) = cert {
        roots.add(CertificateDer::from_pem_file(cert).unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

fn context(engine: &Engine, account: MailAccount, progress: Arc<Counter>) -> SessionContext {
    SessionContext {
        account,
        intake: MailIntake::new(engine.clone(), QueueMap::new()),
        tls: tls_config(None),
        secret: Secret::Password(PASS.into()),
        limits: SessionLimits::default(),
        progress,
    }
}

/// Runs the session on its own task, the counter able to abort it.
fn spawn(ctx: SessionContext, counter: &Arc<Counter>, abort_at: Option<u64>) -> tokio::task::JoinHandle<MailboxError> {
    let (go, wait) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        wait.await.unwrap();
        match run_pop3(ctx).await {
            Err(e) => e,
        }
    });
    if let Some(at) = abort_at {
        *counter.abort_at.lock().unwrap() = Some((at, task.abort_handle()));
    }
    go.send(()).unwrap();
    task
}

/// Every ticket's title.
async fn titles(engine: &Engine) -> Vec<String> {
    let admin = chamado::Actor::agent("admin");
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = engine.list_tickets(&admin, &chamado::TicketFilter::default(), after, 500).await.unwrap();
        out.extend(page.items.into_iter().map(|t| t.title));
        match page.next {
            Some(n) => after = Some(n),
            None => return out,
        }
    }
}

/// Asserts `n` tickets titled `message 0` .. `message n-1`, each once.
async fn assert_exactly_once(engine: &Engine, n: usize) {
    let titles = titles(engine).await;
    let distinct: BTreeSet<_> = titles.iter().cloned().collect();
    assert_eq!(titles.len(), n, "one ticket per mail");
    let expected: BTreeSet<_> = (0..n).map(|i| format!("message {i}")).collect();
    assert_eq!(distinct, expected, "none missing, none twice");
}

fn start(opts: DovecotOptions) -> Dovecot {
    Dovecot::start(opts).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_200_mails_then_only_new_ones_on_the_next_polls() {
    if !dovecot::available_or_skip("imports_200_mails_then_only_new_ones_on_the_next_polls") {
        return;
    }
    let d = start(options());
    let mails: Vec<_> = (0..200).map(mail).collect();
    d.deliver_many(USER, "INBOX", &mails).unwrap();
    let engine = common::engine().await;
    let (counter, mut rx) = Counter::new();
    let started = Instant::now();
    let task = spawn(context(&engine, account("pop", d.pop3_port()), counter.clone()), &counter, None);

    until(&counter, &mut rx, |c| !c.passes().is_empty()).await;
    let secs = started.elapsed().as_secs_f64();
    println!("POP3: 200 mails imported in {secs:.2} s: {:.0} mails/s", 200.0 / secs);
    assert_eq!(counter.passes(), vec![200]);
    assert_eq!(counter.imported(), 200);
    assert_exactly_once(&engine, 200).await;

    // The next poll finds nothing new; mail left on the server (keep).
    until(&counter, &mut rx, |c| c.passes().len() >= 2).await;
    assert_eq!(counter.passes()[1], 0);
    assert_eq!(counter.imported(), 200);

    d.deliver(USER, "INBOX", &mail(200)).unwrap();
    until(&counter, &mut rx, |c| c.imported() >= 201).await;
    until(&counter, &mut rx, |c| c.passes().len() >= 3).await;
    assert_eq!(*counter.passes().last().unwrap(), 1);
    assert_exactly_once(&engine, 201).await;
    assert_eq!(d.count(USER, "INBOX").unwrap(), 201);
    assert!(!task.is_finished());
    task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_dropped_mid_import_again_and_again_takes_every_mail_exactly_once() {
    if !dovecot::available_or_skip("a_session_dropped_mid_import_again_and_again_takes_every_mail_exactly_once") {
        return;
    }
    const N: usize = 300;
    let d = start(options());
    let mails: Vec<_> = (0..N).map(mail).collect();
    d.deliver_many(USER, "INBOX", &mails).unwrap();
    let engine = common::engine().await;
    let mut total = 0;
    for (round, step) in [1u64, 17, 40, 3, 61, 25].into_iter().enumerate() {
        let (counter, mut rx) = Counter::new();
        let task = spawn(context(&engine, account("crash", d.pop3_port()), counter.clone()), &counter, Some(step));
        let stopped = tokio::time::timeout(PATIENCE, task).await.expect("the session did not stop");
        assert!(stopped.unwrap_err().is_cancelled(), "round {round}: aborted mid-pass");
        until(&counter, &mut rx, |c| c.imported() >= step).await;
        assert!(counter.passes().is_empty(), "round {round}: stopped before the pass ended");
        total += counter.imported();
    }
    assert!(total < N as u64, "the rounds stopped before the end");
    let (counter, mut rx) = Counter::new();
    let task = spawn(context(&engine, account("crash", d.pop3_port()), counter.clone()), &counter, None);
    until(&counter, &mut rx, |c| !c.passes().is_empty()).await;
    task.abort();
    let pending = counter.passes()[0];
    assert!(pending <= (N as u64) - total, "messages taken before the crashes are not pending again");
    assert_exactly_once(&engine, N).await;
    // Every message carries its cursor.
    let uidls = uidl_list(&d);
    assert_eq!(uidls.len(), N);
    for u in uidls {
        assert_eq!(engine.cursor("mail", &format!("crash/INBOX#{u}")).await.unwrap().as_deref(), Some("taken"));
    }
}

/// The server's UIDLs, read with a plain blocking POP3 session.
fn uidl_list(d: &Dovecot) -> Vec<String> {
    let tcp = std::net::TcpStream::connect(("127.0.0.1", d.pop3_port())).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut w = tcp.try_clone().unwrap();
    let mut r = BufReader::new(tcp);
    let mut line = String::new();
    let mut next = |r: &mut BufReader<std::net::TcpStream>| {
        line.clear();
        r.read_line(&mut line).unwrap();
        line.trim_end().to_string()
    };
    assert!(next(&mut r).starts_with("+OK"));
    write!(w, "USER {USER}\r\nPASS {PASS}\r\nUIDL\r\n").unwrap();
    assert!(next(&mut r).starts_with("+OK"));
    assert!(next(&mut r).starts_with("+OK"));
    assert!(next(&mut r).starts_with("+OK"));
    let mut out = Vec::new();
    loop {
        let l = next(&mut r);
        if l == "." {
            break;
        }
        out.push(l.split_whitespace().nth(1).unwrap().to_string());
    }
    write!(w, "QUIT\r\n").unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_after_import_removes_taken_mail_keeps_refused_and_catches_up_after_a_crash() {
    if !dovecot::available_or_skip("delete_after_import_removes_taken_mail_keeps_refused_and_catches_up_after_a_crash")
    {
        return;
    }
    const N: usize = 30;
    let d = start(options());
    let mut mails: Vec<_> = (0..N).map(mail).collect();
    // Two refused: one over the size limit (by its LIST size), one empty (unparseable).
    mails[7] = [mail(7), vec![b'x'; 20_000], b"\r\n".to_vec()].concat();
    mails[12] = b"\r\n\r\n".to_vec();
    d.deliver_many(USER, "INBOX", &mails).unwrap();
    let engine = common::engine().await;
    let mut acct = account("del", d.pop3_port());
    acct.after_import = AfterImport::Delete;
    let limits = SessionLimits { max_message_bytes: 10_000, ..SessionLimits::default() };

    // Stopped after the 5th commit, before any QUIT: nothing is deleted yet.
    let (counter, _rx) = Counter::new();
    let ctx = SessionContext { limits: limits.clone(), ..context(&engine, acct.clone(), counter.clone()) };
    let task = spawn(ctx, &counter, Some(5));
    assert!(tokio::time::timeout(PATIENCE, task).await.unwrap().unwrap_err().is_cancelled());
    assert_eq!(counter.imported(), 5);
    assert_eq!(d.count(USER, "INBOX").unwrap(), N, "DELE takes effect only at QUIT");
    assert_eq!(titles(&engine).await.len(), 5);

    // The next session deletes the five committed ones first, then takes and deletes the rest.
    let (counter, mut rx) = Counter::new();
    let ctx = SessionContext { limits, ..context(&engine, acct, counter.clone()) };
    let task = spawn(ctx, &counter, None);
    until(&counter, &mut rx, |c| !c.passes().is_empty()).await;
    task.abort();
    assert_eq!(counter.passes(), vec![N as u64 - 5]);
    assert_eq!(counter.failed.load(Ordering::SeqCst), 2);
    assert_eq!(counter.imported(), N as u64 - 5 - 2);
    assert_eq!(d.count(USER, "INBOX").unwrap(), 2, "only the refused ones stay");
    let titles = titles(&engine).await;
    assert_eq!(titles.len(), N - 2);
    assert!(!titles.contains(&"message 7".to_string()) && !titles.contains(&"message 12".to_string()));
    let refused: Vec<_> = uidl_list(&d);
    for u in refused {
        assert_eq!(engine.cursor("mail", &format!("del/INBOX#{u}")).await.unwrap().as_deref(), Some("refused"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_outage_ends_the_pass_with_quit_so_committed_deletions_apply() {
    if !dovecot::available_or_skip("a_store_outage_ends_the_pass_with_quit_so_committed_deletions_apply") {
        return;
    }
    const N: usize = 10;
    let d = start(options());
    d.deliver_many(USER, "INBOX", &(0..N).map(mail).collect::<Vec<_>>()).unwrap();
    let (engine, down) = common::flaky_engine().await;
    let mut acct = account("outage", d.pop3_port());
    acct.after_import = AfterImport::Delete;
    let (counter, _rx) = Counter::new();
    *counter.down_at.lock().unwrap() = Some((3, down.clone()));
    let e = tokio::time::timeout(PATIENCE, run_pop3(context(&engine, acct.clone(), counter.clone())))
        .await
        .unwrap()
        .unwrap_err();
    assert!(matches!(e, MailboxError::TryLater(_)), "{e}");
    assert_eq!(counter.imported(), 3);
    assert_eq!(d.count(USER, "INBOX").unwrap(), N - 3, "QUIT applied the committed ones' DELE");

    // The store is back: the rest is taken.
    down.store(false, Ordering::SeqCst);
    let (counter, mut rx) = Counter::new();
    let task = spawn(context(&engine, acct, counter.clone()), &counter, None);
    until(&counter, &mut rx, |c| !c.passes().is_empty()).await;
    task.abort();
    assert_eq!(counter.passes(), vec![N as u64 - 3]);
    assert_eq!(d.count(USER, "INBOX").unwrap(), 0);
    assert_exactly_once(&engine, N).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xoauth2_logs_in_with_a_good_token_and_wrong_secrets_are_login_errors() {
    if !dovecot::available_or_skip("xoauth2_logs_in_with_a_good_token_and_wrong_secrets_are_login_errors") {
        return;
    }
    let url = dovecot::introspection_server(USER, "good-token");
    let d = start(DovecotOptions { oauth2_introspection_url: Some(url), ..options() });
    d.deliver_many(USER, "INBOX", &[mail(0), mail(1)]).unwrap();
    let engine = common::engine().await;

    let (counter, mut rx) = Counter::new();
    let ctx = SessionContext {
        secret: Secret::AccessToken("good-token".into()),
        ..context(&engine, account("oauth", d.pop3_port()), counter.clone())
    };
    let task = spawn(ctx, &counter, None);
    until(&counter, &mut rx, |c| !c.passes().is_empty()).await;
    task.abort();
    assert_eq!(counter.imported(), 2);
    assert_exactly_once(&engine, 2).await;

    for secret in [Secret::AccessToken("bad-token".into()), Secret::Password("wrong".into())] {
        let (counter, _rx) = Counter::new();
        let ctx =
            SessionContext { secret: secret.clone(), ..context(&engine, account("oauth", d.pop3_port()), counter) };
        let e = tokio::time::timeout(PATIENCE, run_pop3(ctx)).await.unwrap().unwrap_err();
        assert!(matches!(e, MailboxError::Login(_)), "{secret:?}: {e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pop3s_and_stls_import_trusting_the_harness_certificate_only() {
    if !dovecot::available_or_skip("pop3s_and_stls_import_trusting_the_harness_certificate_only") {
        return;
    }
    let d = start(DovecotOptions { tls: true, ..options() });
    d.deliver_many(USER, "INBOX", &[mail(0), mail(1), mail(2)]).unwrap();
    let engine = common::engine().await;
    for (name, tls, port) in
        [("implicit", MailTls::Implicit, d.pop3s_port().unwrap()), ("stls", MailTls::Starttls, d.pop3_port())]
    {
        let mut acct = account(name, port);
        acct.tls = tls;
        acct.host = "localhost".into();

        // Not trusted: no login attempted.
        let (counter, _rx) = Counter::new();
        let e = tokio::time::timeout(PATIENCE, run_pop3(context(&engine, acct.clone(), counter.clone())))
            .await
            .unwrap()
            .unwrap_err();
        assert!(matches!(e, MailboxError::Connect { .. }), "{name}: {e}");

        let (counter, mut rx) = Counter::new();
        let ctx = SessionContext { tls: tls_config(d.cert_pem()), ..context(&engine, acct, counter.clone()) };
        let task = spawn(ctx, &counter, None);
        until(&counter, &mut rx, |c| !c.passes().is_empty()).await;
        task.abort();
        // Each account has its own cursors: the second one finds the mails taken before (duplicates).
        assert_eq!(counter.imported(), 3, "{name}");
        assert_eq!(counter.passes(), vec![3], "{name}");
    }
    assert_exactly_once(&engine, 3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_sync_since_a_date_skips_older_mail_once() {
    if !dovecot::available_or_skip("first_sync_since_a_date_skips_older_mail_once") {
        return;
    }
    let d = start(options());
    let old = |n: usize| String::from_utf8(mail(n)).unwrap().replace("1 Dec 2026", "1 Jan 2020").into_bytes();
    d.deliver_many(USER, "INBOX", &[old(0), mail(1), old(2)]).unwrap();
    let engine = common::engine().await;
    let mut acct = account("since", d.pop3_port());
    acct.first_sync = chamado::FirstSync::Since { date: "2026-11-01".into() };
    let (counter, mut rx) = Counter::new();
    let task = spawn(context(&engine, acct, counter.clone()), &counter, None);
    until(&counter, &mut rx, |c| !c.passes().is_empty()).await;
    assert_eq!(titles(&engine).await, vec!["message 1".to_string()]);
    // After the first pass, any new mail is taken, whatever its date.
    d.deliver(USER, "INBOX", &old(3)).unwrap();
    until(&counter, &mut rx, |c| c.imported() >= 2).await;
    task.abort();
    let mut t = titles(&engine).await;
    t.sort();
    assert_eq!(t, vec!["message 1".to_string(), "message 3".to_string()]);
}

// ---- abuse: fake servers ----

/// A fake POP3 server: each connection is handed to `serve`.
async fn fake_server<F, Fut>(serve: F) -> u16
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream));
        }
    });
    port
}

/// Answers greeting, USER, PASS, UIDL (one message, `uidl`), LIST (size 100), then `retr` for RETR.
async fn scripted(stream: tokio::net::TcpStream, uidl: &'static str, retr: fn() -> Vec<u8>, endless: bool) {
    scripted_with(stream, uidl, retr, endless, true).await
}

/// [`scripted`], with `CAPA` answered (`capa`) or refused as by a plain RFC 1939 server.
async fn scripted_with(
    stream: tokio::net::TcpStream,
    uidl: &'static str,
    retr: fn() -> Vec<u8>,
    endless: bool,
    capa: bool,
) {
    let (r, mut w) = stream.into_split();
    let mut r = tokio::io::BufReader::new(r);
    if w.write_all(b"+OK fake\r\n").await.is_err() {
        return;
    }
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let cmd = line.trim_end().to_ascii_uppercase();
        let reply: Vec<u8> = if cmd.starts_with("CAPA") && !capa {
            b"-ERR what is CAPA\r\n".to_vec()
        } else if cmd.starts_with("CAPA") {
            b"+OK\r\nUSER\r\nUIDL\r\n.\r\n".to_vec()
        } else if cmd.starts_with("UIDL") {
            format!("+OK\r\n1 {uidl}\r\n.\r\n").into_bytes()
        } else if cmd.starts_with("LIST") {
            b"+OK\r\n1 100\r\n.\r\n".to_vec()
        } else if cmd.starts_with("RETR") {
            if endless {
                let _ = w.write_all(b"+OK\r\n").await;
                let chunk = b"an endless message line\r\n".repeat(1000);
                while w.write_all(&chunk).await.is_ok() {}
                return;
            }
            retr()
        } else {
            b"+OK\r\n".to_vec()
        };
        if w.write_all(&reply).await.is_err() {
            return;
        }
    }
}

fn limits() -> SessionLimits {
    SessionLimits {
        connect_timeout: Duration::from_secs(2),
        command_timeout: Duration::from_secs(2),
        max_message_bytes: 1 << 20,
        max_line_bytes: 4096,
    }
}

async fn run_against(port: u16) -> (MailboxError, Arc<Counter>, Engine) {
    let engine = common::engine().await;
    let (counter, _rx) = Counter::new();
    let ctx = SessionContext { limits: limits(), ..context(&engine, account("fake", port), counter.clone()) };
    let e = tokio::time::timeout(PATIENCE, run_pop3(ctx)).await.expect("bounded by the limits").unwrap_err();
    (e, counter, engine)
}

#[tokio::test]
async fn a_server_that_says_nothing_is_a_connect_error() {
    let port = fake_server(|s| async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        drop(s);
    })
    .await;
    let (e, _, _) = run_against(port).await;
    assert!(matches!(e, MailboxError::Connect { .. }), "{e}");
}

#[tokio::test]
async fn an_endless_line_is_refused_at_the_line_limit() {
    let port = fake_server(|mut s| async move {
        let chunk = vec![b'a'; 64 * 1024];
        let _ = s.write_all(b"+OK ").await;
        while s.write_all(&chunk).await.is_ok() {}
    })
    .await;
    let (e, _, _) = run_against(port).await;
    assert!(matches!(&e, MailboxError::Protocol(m) if m.contains("longer than 4096")), "{e}");
}

#[tokio::test]
async fn an_endless_message_is_refused_at_the_size_limit_and_never_read_again() {
    let port = fake_server(|s| scripted(s, "endless-1", Vec::new, true)).await;
    let (e, counter, engine) = run_against(port).await;
    assert!(matches!(e, MailboxError::Protocol(_)), "{e}");
    assert_eq!(counter.failed.load(Ordering::SeqCst), 1);
    assert_eq!(engine.cursor("mail", "fake/INBOX#endless-1").await.unwrap().as_deref(), Some("refused"));
}

#[tokio::test]
async fn a_message_that_never_ends_times_out_and_is_read_again_later() {
    let port =
        fake_server(|s| scripted(s, "stalled-1", || b"+OK\r\nSubject: x\r\n\r\nhalf of it".to_vec(), false)).await;
    let (e, counter, engine) = run_against(port).await;
    assert!(matches!(&e, MailboxError::Protocol(m) if m.contains("no complete answer")), "{e}");
    assert_eq!(counter.failed.load(Ordering::SeqCst), 0);
    assert_eq!(engine.cursor("mail", "fake/INBOX#stalled-1").await.unwrap(), None);
}

#[tokio::test]
async fn a_uidl_with_forbidden_characters_is_a_protocol_error() {
    let port = fake_server(|s| scripted(s, "bad\x7fid", Vec::new, false)).await;
    let (e, _, _) = run_against(port).await;
    assert!(matches!(&e, MailboxError::Protocol(m) if m.contains("UIDL")), "{e}");
}

#[tokio::test]
async fn data_sent_with_the_stls_answer_is_not_taken_as_encrypted() {
    let port = fake_server(|mut s| async move {
        let _ = s.write_all(b"+OK fake\r\n").await;
        let mut buf = [0u8; 64];
        let _ = tokio::io::AsyncReadExt::read(&mut s, &mut buf).await;
        assert!(buf.starts_with(b"CAPA"));
        let _ = s.write_all(b"+OK\r\nSTLS\r\n.\r\n").await;
        let _ = tokio::io::AsyncReadExt::read(&mut s, &mut buf).await;
        assert!(buf.starts_with(b"STLS"));
        // The injected line would reach the client as if it came after the handshake.
        let _ = s.write_all(b"+OK begin TLS\r\n+OK injected\r\n").await;
        tokio::time::sleep(Duration::from_secs(5)).await;
    })
    .await;
    let engine = common::engine().await;
    let (counter, _rx) = Counter::new();
    let mut acct = account("fake", port);
    acct.tls = MailTls::Starttls;
    let ctx = SessionContext { limits: limits(), ..context(&engine, acct, counter) };
    let e = tokio::time::timeout(PATIENCE, run_pop3(ctx)).await.unwrap().unwrap_err();
    assert!(matches!(&e, MailboxError::Protocol(m) if m.contains("before the TLS handshake")), "{e}");
}

#[tokio::test]
async fn a_server_without_capa_is_read_as_plain_rfc1939() {
    let retr = || {
        b"+OK\r\nFrom: a@example.test\r\nSubject: message 0\r\nMessage-ID: <p1@example.test>\r\n\r\n..dot\r\n.\r\n"
            .to_vec()
    };
    let port = fake_server(move |s| scripted_with(s, "plain-1", retr, false, false)).await;
    let engine = common::engine().await;
    let (counter, mut rx) = Counter::new();
    let ctx = SessionContext { limits: limits(), ..context(&engine, account("fake", port), counter.clone()) };
    let task = spawn(ctx, &counter, None);
    until(&counter, &mut rx, |c| !c.passes().is_empty()).await;
    task.abort();
    assert_eq!(counter.imported(), 1);
    assert_eq!(titles(&engine).await, vec!["message 0".to_string()]);
    assert_eq!(engine.cursor("mail", "fake/INBOX#plain-1").await.unwrap().as_deref(), Some("taken"));
}

#[tokio::test]
async fn stls_not_offered_is_a_connect_error_before_any_login() {
    let port = fake_server(|s| scripted(s, "x", Vec::new, false)).await;
    let engine = common::engine().await;
    let (counter, _rx) = Counter::new();
    let mut acct = account("fake", port);
    acct.tls = MailTls::Starttls;
    let ctx = SessionContext { limits: limits(), ..context(&engine, acct, counter) };
    let e = tokio::time::timeout(PATIENCE, run_pop3(ctx)).await.unwrap().unwrap_err();
    assert!(matches!(&e, MailboxError::Connect { reason, .. } if reason.contains("does not offer STLS")), "{e}");
}
