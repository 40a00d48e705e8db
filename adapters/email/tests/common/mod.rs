//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod client;
pub mod sink;

use chamado::{Engine, EngineConfig, MemoryStore};
use std::path::{Path, PathBuf};

/// A seeded engine on a memory store.
pub async fn engine() -> Engine {
    engine_with(EngineConfig::default()).await
}

/// A seeded engine on a memory store with `config`.
pub async fn engine_with(config: EngineConfig) -> Engine {
    let engine = Engine::builder(MemoryStore::new()).config(config).build().expect("engine");
    engine.seed_defaults("admin").await.expect("seed");
    engine
}

/// The email corpus: `$CHAMADO_CORPUS` (relative paths from the crate or the workspace), else
/// `../shared/corpus/email` next to the repository. `None` (with a notice) when it is absent and the
/// variable is unset; a panic when the variable is set and the folder is missing.
pub fn corpus_dir() -> Option<PathBuf> {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = crate_dir.join("../..");
    match std::env::var("CHAMADO_CORPUS") {
        Ok(v) if !v.trim().is_empty() => {
            let p = PathBuf::from(v.trim());
            let candidates =
                if p.is_absolute() { vec![p.clone()] } else { vec![workspace.join(&p), crate_dir.join(&p), p.clone()] };
            match candidates.into_iter().find(|c| c.join("README.md").is_file() || c.join("EmailParser").is_dir()) {
                Some(c) => Some(c),
                None => panic!(
                    "CHAMADO_CORPUS={v} is set but no email corpus is there (tried relative to the workspace and the crate)"
                ),
            }
        }
        _ => {
            let default = workspace.join("../shared/corpus/email");
            if default.join("EmailParser").is_dir() {
                Some(default)
            } else {
                eprintln!(
                    "SKIP: email corpus not found at {} (set CHAMADO_CORPUS to run the corpus tests)",
                    default.display()
                );
                None
            }
        }
    }
}

/// Every mail file of the corpus (not the README and expectation files), sorted.
pub fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read corpus dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if !matches!(p.extension().and_then(|x| x.to_str()), Some("md" | "yml" | "yaml")) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// True when `python3` runs and can import `module`.
pub fn python_has(module: &str) -> bool {
    std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Whether the end-to-end tests must run (`CHAMADO_E2E=1`): then a missing tool is a failure.
pub fn e2e_required() -> bool {
    std::env::var("CHAMADO_E2E").is_ok_and(|v| v == "1")
}

/// Skips (returns false with a notice) or fails when `python3` with `module` is missing.
pub fn need_python(module: &str, test: &str) -> bool {
    if python_has(module) {
        return true;
    }
    if e2e_required() {
        panic!("{test}: python3 with {module} is required (CHAMADO_E2E=1) but missing");
    }
    eprintln!(
        "SKIP {test}: python3 with module {module} not available (pip install aiosmtpd / apt-get install python3)"
    );
    false
}

/// A seeded engine on a [`chamado::testkit::FlakyStore`], with its off switch.
pub async fn flaky_engine() -> (Engine, std::sync::Arc<std::sync::atomic::AtomicBool>) {
    let (store, down) = chamado::testkit::FlakyStore::new();
    let engine = Engine::builder(store).build().expect("engine");
    engine.seed_defaults("admin").await.expect("seed");
    (engine, down)
}

/// Runs a Python snippet; returns stdout, panicking with stderr on failure.
pub fn python(script: &str, args: &[&str]) -> String {
    let out = std::process::Command::new("python3").arg("-c").arg(script).args(args).output().expect("python3 runs");
    assert!(
        out.status.success(),
        "python failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A running listener: its address, its shutdown switch and its task.
pub struct Running {
    pub addr: std::net::SocketAddr,
    pub stop: Option<tokio::sync::oneshot::Sender<()>>,
    pub task: tokio::task::JoinHandle<Result<(), chamado_email::ServeError>>,
}

impl Running {
    /// Shuts the listener down and waits for it.
    pub async fn shutdown(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        self.task.await.expect("join").expect("serve");
    }
}

/// Starts a listener on 127.0.0.1:0.
pub async fn listen(engine: Engine, config: chamado_email::SmtpConfig) -> Running {
    listen_with_auth(engine, config, chamado_email::MailAuth::default()).await
}

/// [`listen`], finding out who sent each mail as `auth` says.
pub async fn listen_with_auth(
    engine: Engine,
    config: chamado_email::SmtpConfig,
    auth: chamado_email::MailAuth,
) -> Running {
    let server = chamado_email::SmtpServer::bind("127.0.0.1:0", engine, config).await.expect("bind").with_auth(auth);
    let addr = server.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(server.serve(async move {
        let _ = rx.await;
    }));
    Running { addr, stop: Some(tx), task }
}

/// A sender verifier that never touches the network (its resolver asks a closed local port) with
/// `records` (name, TXT record) in its cache.
pub fn offline_verifier(records: &[(&str, &str)]) -> std::sync::Arc<chamado_email::SenderVerifier> {
    let dead = ["127.0.0.1:9".parse().expect("addr")];
    let v = chamado_email::SenderVerifier::new(&dead, std::time::Duration::from_millis(200), 1000, "localhost")
        .expect("verifier");
    for (name, record) in records {
        v.publish(name, record, std::time::Duration::from_secs(3600)).expect("record");
    }
    std::sync::Arc::new(v)
}

/// Verification where `customer.example` mail sent from loopback passes SPF, aligned, under a DMARC
/// policy: the mail of the tests' customers authenticates.
pub fn customer_example_auth() -> chamado_email::MailAuth {
    chamado_email::MailAuth {
        verifier: Some(offline_verifier(&[
            ("customer.example", "v=spf1 ip4:127.0.0.0/8 -all"),
            ("_dmarc.customer.example", "v=DMARC1; p=reject; psd=n"),
        ])),
        trusted_authserv_id: None,
    }
}

/// Every ticket of the engine, as the admin agent sees them.
pub async fn all_tickets(engine: &Engine) -> Vec<chamado::TicketView> {
    let admin = chamado::Actor::agent("admin");
    let page = engine.list_tickets(&admin, &chamado::TicketFilter::default(), None, 500).await.expect("list");
    let mut out = Vec::new();
    for t in page.items {
        out.push(engine.ticket(&admin, &t.number).await.expect("ticket"));
    }
    out
}
