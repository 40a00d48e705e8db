//! `chamado-admin mail-accounts`: the same scenario on the store file and through the HTTP API;
//! secrets come from files or standard input and are never printed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Run, admin, admin_http, admin_with_stdin};
use serde_json::json;
use std::path::Path;

const TOKEN: &str = "test-admin-token-0123456789";
const PASSWORD: &str = "imap-Secret-Pass-1";
const REFRESH: &str = "refresh-Secret-2";
const CLIENT_SECRET: &str = "client-Secret-3";

/// Starts a seeded help desk on a free port in a background thread; answers its base URL.
fn server() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        rt.block_on(async move {
            let engine = chamado::Engine::builder(chamado::MemoryStore::new()).build().unwrap();
            let token_file = std::env::temp_dir().join(format!("chamado-admin-mail-{}.token", std::process::id()));
            chamado_runtime::bootstrap(&engine, "admin", Some(TOKEN), &token_file).await.unwrap();
            let app = chamado_api::router(engine, chamado_http::HttpConfig::default());
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(format!("http://{}", listener.local_addr().unwrap())).unwrap();
            chamado_http::server::serve(listener, app, std::future::pending::<()>()).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

fn no_secret(r: &Run) {
    for s in [PASSWORD, REFRESH, CLIENT_SECRET] {
        assert!(!r.stdout.contains(s) && !r.stderr.contains(s), "a secret was printed: {} {}", r.stdout, r.stderr);
    }
}

fn secret_file(dir: &Path, name: &str, value: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, format!("{value}\n")).unwrap();
    path.to_string_lossy().into_owned()
}

/// Adds, shows, lists, edits and removes accounts with `a` (either backend).
fn scenario(a: &dyn Fn(&[&str]) -> Run) {
    let secrets = tempfile::tempdir().unwrap();
    let pw = secret_file(secrets.path(), "pw", PASSWORD);
    let rt = secret_file(secrets.path(), "rt", REFRESH);
    let cs = secret_file(secrets.path(), "cs", CLIENT_SECRET);

    let added = a(&[
        "mail-accounts",
        "add",
        "support",
        "--host",
        "imap.example.com",
        "--login",
        "support@example.com",
        "--password-file",
        &pw,
        "--folder",
        "INBOX",
        "--folder",
        "Support",
        "--queue",
        "Raw",
        "--after-import",
        "move",
        "--move-to",
        "Done",
        "--since",
        "2026-01-31",
        "--poll-seconds",
        "120",
        "--no-idle",
        "--authserv-id",
        "mx.example.com",
        "--comment",
        "first line",
    ]);
    no_secret(&added);
    assert!(added.out().contains("mail account \"support\" added"), "{}", added.stdout);
    assert!(added.stdout.contains("password (set)"), "{}", added.stdout);

    let shown = a(&["--json", "mail-accounts", "show", "support"]);
    no_secret(&shown);
    let j = shown.json();
    assert_eq!(j["port"], 993);
    assert_eq!(j["folders"], json!(["INBOX", "Support"]));
    assert_eq!(j["after_import"], json!({"move": "Done"}));
    assert_eq!(j["first_sync"], json!({"since": "2026-01-31"}));
    assert_eq!((j["poll_seconds"].clone(), j["idle"].clone()), (json!(120), json!(false)));
    assert_eq!((j["authserv_id"].clone(), j["password_set"].clone()), (json!("mx.example.com"), json!(true)));
    assert_eq!(j["status"]["imported"], 0);

    let oauth = a(&[
        "mail-accounts",
        "add",
        "office",
        "--host",
        "outlook.office365.com",
        "--login",
        "help@example.com",
        "--queue",
        "Misc",
        "--oauth2-client-id",
        "cid-1",
        "--oauth2-token-url",
        "https://login.example.com/token",
        "--oauth2-refresh-token-file",
        &rt,
        "--oauth2-client-secret-file",
        &cs,
    ]);
    no_secret(&oauth);
    oauth.out();

    let list = a(&["mail-accounts", "list"]);
    no_secret(&list);
    let lines: Vec<&str> = list.out().lines().collect();
    assert_eq!(lines[0].split_whitespace().take(4).collect::<Vec<_>>(), ["NAME", "PROTOCOL", "SERVER", "QUEUE"]);
    assert!(lines[1].starts_with("office"), "{lines:?}");
    assert!(lines[2].starts_with("support") && lines[2].contains("imap.example.com:993"), "{lines:?}");
    let json_list = a(&["--json", "mail-accounts", "list"]);
    no_secret(&json_list);
    assert_eq!(json_list.json()[0]["oauth2"]["client_secret_set"], true);

    // Edits keep the secrets; the standard port follows the protocol.
    let edited = a(&[
        "--json",
        "mail-accounts",
        "edit",
        "support",
        "--protocol",
        "pop3",
        "--host",
        "pop.example.com",
        "--folder",
        "INBOX",
        "--after-import",
        "delete",
        "--all-mail",
        "--idle",
        "--invalid",
    ]);
    no_secret(&edited);
    let j = edited.json();
    assert_eq!((j["protocol"].clone(), j["port"].clone()), (json!("pop3"), json!(995)));
    assert_eq!((j["after_import"].clone(), j["first_sync"].clone()), (json!("delete"), json!("all")));
    assert_eq!(
        (j["idle"].clone(), j["valid"].clone(), j["password_set"].clone()),
        (json!(true), json!(false), json!(true))
    );

    // Refusals name the field; nothing is changed.
    let e = a(&["mail-accounts", "edit", "support", "--after-import", "move", "--move-to", "Done"]);
    assert!(e.err().contains("POP3"), "{}", e.stderr);
    let e = a(&["mail-accounts", "edit", "support", "--poll-seconds", "1"]);
    assert!(e.err().contains("86400"), "{}", e.stderr);
    let e = a(&["mail-accounts", "edit", "support"]);
    assert!(e.err().contains("nothing to change"), "{}", e.stderr);
    let e = a(&[
        "mail-accounts",
        "add",
        "support",
        "--host",
        "h",
        "--login",
        "l",
        "--queue",
        "Raw",
        "--password-file",
        &pw,
    ]);
    assert!(e.err().contains("already exists"), "{}", e.stderr);
    no_secret(&e);
    let e = a(&["mail-accounts", "add", "nopw", "--host", "h", "--login", "l", "--queue", "Raw"]);
    assert!(e.err().contains("password"), "{}", e.stderr);
    let e =
        a(&["mail-accounts", "add", "badq", "--host", "h", "--login", "l", "--queue", "Nope", "--password-file", &pw]);
    assert!(e.err().contains("Nope"), "{}", e.stderr);
    let e = a(&["mail-accounts", "show", "nosuch"]);
    assert!(e.err().contains("not found"), "{}", e.stderr);

    let removed = a(&["mail-accounts", "remove", "office"]);
    assert!(removed.out().contains("removed"), "{}", removed.stdout);
    assert!(a(&["mail-accounts", "remove", "office"]).err().contains("not found"));
    assert_eq!(a(&["--json", "mail-accounts", "list"]).json().as_array().map(Vec::len), Some(1));
}

#[test]
fn mail_accounts_on_the_store_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    admin(d, &["init"]).out();
    scenario(&|args| admin(d, args));

    // The password from standard input, and what was stored is the secret itself.
    let r = admin_with_stdin(
        d,
        &[
            "mail-accounts",
            "add",
            "piped",
            "--host",
            "127.0.0.1",
            "--tls",
            "none",
            "--login",
            "l",
            "--queue",
            "Raw",
            "--password-stdin",
        ],
        "piped-Secret\n",
    );
    assert!(!r.out().contains("piped-Secret"), "{}", r.stdout);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let stored = rt.block_on(async {
        let store = chamado_redb::RedbStore::open(d.join("chamado.redb")).unwrap();
        let engine = chamado::Engine::builder(store.clone()).build().unwrap();
        let a = engine.mail_account("piped").await.unwrap().unwrap();
        store.close().unwrap();
        a
    });
    assert_eq!(stored.credential, chamado::MailCredential::Password { password: "piped-Secret".into() });
    assert_eq!(stored.port, 143);
}

#[test]
fn mail_accounts_through_the_http_api() {
    let url = server();
    scenario(&|args| admin_http(&url, TOKEN, args));
}
