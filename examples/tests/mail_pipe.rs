//! The `chamado-mail-pipe` host binary: exit codes against a live LMTP listener, a gone server and
//! bad usage.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chamado::{Engine, MemoryStore};
use chamado_email::{SmtpConfig, SmtpServer};
use std::io::Write;
use std::process::{Command, Stdio};

const MSG: &[u8] = b"From: Dora <dora@customer.example>\nSubject: piped\nMessage-ID: <pipe-1@customer.example>\n\nhello through a pipe\n.\nwith a dot line\n";

/// A seeded engine on a memory store.
async fn engine() -> Engine {
    let engine = Engine::builder(MemoryStore::new()).build().expect("engine");
    engine.seed_defaults("admin").await.expect("seed");
    engine
}

/// How many tickets the admin agent sees.
async fn ticket_count(engine: &Engine) -> usize {
    let admin = chamado::Actor::agent("admin");
    engine.list_tickets(&admin, &chamado::TicketFilter::default(), None, 500).await.expect("list").items.len()
}

fn run_binary(args: &[&str], input: &[u8]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chamado-mail-pipe"))
        .args(args)
        .env_remove("CHAMADO_LMTP_ADDR")
        .env_remove("CHAMADO_SMTP_ADDR")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A binary that refuses its arguments exits without reading: ignore the broken pipe.
    let _ = child.stdin.take().unwrap().write_all(input);
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn pipe_binary_exit_codes() {
    let engine = engine().await;
    let server = SmtpServer::bind("127.0.0.1:0", engine.clone(), SmtpConfig::lmtp()).await.unwrap();
    let addr = server.local_addr().unwrap().to_string();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve(async move {
        let _ = stopped.await;
    }));
    let (a, m) = (addr.clone(), MSG.to_vec());
    let (code, err) =
        tokio::task::spawn_blocking(move || run_binary(&["--lmtp", &a, "-f", "dora@customer.example"], &m))
            .await
            .unwrap();
    assert_eq!(code, 0, "{err}");
    let a = addr.clone();
    let (code, err) = tokio::task::spawn_blocking(move || run_binary(&["--lmtp", &a], b"")).await.unwrap();
    assert_eq!(code, 65, "empty message refused: {err}");
    assert_eq!(ticket_count(&engine).await, 1);
    let _ = stop.send(());
    serving.await.unwrap().unwrap();
    let (code, err) = tokio::task::spawn_blocking(move || run_binary(&["--lmtp", &addr], MSG)).await.unwrap();
    assert_eq!(code, 75, "server gone: {err}");
    let (code, _) = tokio::task::spawn_blocking(|| run_binary(&["--bogus"], MSG)).await.unwrap();
    assert_eq!(code, 64);
}
