//! Pipe intake (the library; the `chamado-mail-pipe` binary is tested in chamado-examples) and Maildir
//! intake.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use chamado_email::maildir::MaildirIntake;
use chamado_email::pipe::{self, PipeOutcome};
use chamado_email::{Envelope, MailIntake, QueueMap, SmtpConfig};
use std::sync::atomic::Ordering;

const MSG: &[u8] = b"From: Dora <dora@customer.example>\nSubject: piped\nMessage-ID: <pipe-1@customer.example>\n\nhello through a pipe\n.\nwith a dot line\n";

#[tokio::test]
async fn pipe_library_exit_codes() {
    let (engine, down) = common::flaky_engine().await;
    let intake = MailIntake::new(engine.clone(), QueueMap::new());
    let env = Envelope::default();
    down.store(true, Ordering::SeqCst);
    assert_eq!(pipe::deliver(&intake, MSG, &env).await.exit_code(), 75, "store down: try later");
    down.store(false, Ordering::SeqCst);
    assert_eq!(pipe::deliver(&intake, MSG, &env).await.exit_code(), 0);
    assert_eq!(pipe::deliver(&intake, MSG, &env).await.exit_code(), 0, "a duplicate is fine");
    assert_eq!(pipe::deliver(&intake, b"", &env).await.exit_code(), 65, "empty: refused");
    // Issue 18: no sender anywhere is no reason to lose the mail: taken, flagged, under a placeholder.
    assert_eq!(pipe::deliver(&intake, b"Subject: no sender\n\nx", &env).await.exit_code(), 0, "no sender: taken");
    // Without a Message-ID, a redelivery of the same bytes is recognised too.
    let no_id = b"From: eve@customer.example\nSubject: no id\n\nsame bytes twice\n";
    assert_eq!(pipe::deliver(&intake, no_id, &env).await.exit_code(), 0);
    assert!(
        matches!(intake.deliver(no_id, &env).await, chamado_email::Disposition::Accepted(ref o) if matches!(**o, chamado::IntakeOutcome::Duplicate { .. }))
    );
    assert_eq!(common::all_tickets(&engine).await.len(), 3);
}

#[tokio::test]
async fn pipe_relay_over_lmtp_and_unreachable_server() {
    let engine = common::engine().await;
    // The MTA verified the sender, so the LMTP reply may name the ticket.
    let auth = chamado_email::MailAuth { verifier: None, trusted_authserv_id: Some("mx.test.example".into()) };
    let server = common::listen_with_auth(engine.clone(), SmtpConfig::lmtp(), auth).await;
    let env = Envelope::new(Some("dora@customer.example".into()), vec!["support@localhost".into()]);
    let verified = [b"Authentication-Results: mx.test.example; dmarc=pass\n".as_slice(), MSG].concat();
    let out = pipe::relay(
        &server.addr.to_string(),
        chamado_email::Protocol::Lmtp,
        &verified,
        &env,
        std::time::Duration::from_secs(10),
    )
    .await;
    assert!(matches!(out, PipeOutcome::Delivered(ref m) if m.contains("ticket")), "{out:?}");
    let tickets = common::all_tickets(&engine).await;
    assert_eq!(tickets.len(), 1);
    assert_eq!(
        tickets[0].articles[0].body, "hello through a pipe\n.\nwith a dot line",
        "bare LF input is sent as CRLF with dots stuffed"
    );
    server.shutdown().await;
    let gone =
        pipe::relay("127.0.0.1:1", chamado_email::Protocol::Lmtp, MSG, &env, std::time::Duration::from_secs(5)).await;
    assert_eq!(gone.exit_code(), 75, "{gone:?}");
}

fn maildir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
    }
    dir
}

fn files(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[tokio::test]
async fn maildir_moves_committed_refused_and_keeps_deferred() {
    let (engine, down) = common::flaky_engine().await;
    let md = maildir();
    let root = md.path();
    std::fs::write(root.join("new/1.good.host"), MSG).unwrap();
    std::fs::write(root.join("new/2.empty.host"), b"").unwrap();
    let intake = MaildirIntake::new(root, MailIntake::new(engine.clone(), QueueMap::new()));

    down.store(true, Ordering::SeqCst);
    let r = intake.process_new().await.unwrap();
    assert_eq!((r.accepted, r.refused, r.deferred), (0, 1, 1), "{r:?}");
    assert_eq!(files(&root.join("new")), vec!["1.good.host"], "the uncommitted message stays in new/");
    assert_eq!(files(&root.join(".failed/cur")), vec!["2.empty.host:2,"]);
    let reason = std::fs::read_to_string(root.join(".failed/2.empty.host.reason.txt")).unwrap();
    assert!(reason.contains("empty"), "{reason}");

    down.store(false, Ordering::SeqCst);
    let r = intake.process_new().await.unwrap();
    assert_eq!((r.accepted, r.refused, r.deferred), (1, 0, 0), "{r:?}");
    assert!(files(&root.join("new")).is_empty());
    assert_eq!(files(&root.join("cur")), vec!["1.good.host:2,"]);
    assert_eq!(common::all_tickets(&engine).await.len(), 1);
}

#[tokio::test]
async fn maildir_poll_loop_picks_up_new_mail_and_stops() {
    let engine = common::engine().await;
    let md = maildir();
    let root = md.path().to_path_buf();
    let intake = MaildirIntake::new(&root, MailIntake::new(engine.clone(), QueueMap::new()));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        intake
            .run(std::time::Duration::from_millis(50), async {
                let _ = rx.await;
            })
            .await
    });
    std::fs::write(root.join("new/3.later.host"), MSG).unwrap();
    for _ in 0..100 {
        if files(&root.join("cur")).len() == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(files(&root.join("cur")), vec!["3.later.host:2,"]);
    tx.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), task).await.unwrap().unwrap();
    assert_eq!(common::all_tickets(&engine).await.len(), 1);
}
