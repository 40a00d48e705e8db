//! `chamado-admin auto-responses|salutations|signatures|templates` and `notifications`, and the queue
//! options that name texts: the same scenario on the store file and through the HTTP API.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Run, admin, admin_http};
use serde_json::json;

const TOKEN: &str = "test-admin-token-0123456789";

/// Starts a seeded help desk on a free port in a background thread; answers its base URL.
fn server() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        rt.block_on(async move {
            let engine = chamado::Engine::builder(chamado::MemoryStore::new()).build().unwrap();
            let token_file = std::env::temp_dir().join(format!("chamado-admin-texts-{}.token", std::process::id()));
            chamado_runtime::bootstrap(&engine, "admin", Some(TOKEN), &token_file).await.unwrap();
            let app = chamado_api::router(engine, chamado_http::HttpConfig::default());
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(format!("http://{}", listener.local_addr().unwrap())).unwrap();
            chamado_http::server::serve(listener, app, std::future::pending::<()>()).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

fn scenario(a: &dyn Fn(&[&str]) -> Run) {
    // Salutations: added, then replaced whole.
    let r = a(&["salutations", "put", "--name", "dear", "--text", "en:Dear {{ customer_user.first_name }},"]);
    assert!(r.out().contains("salutation \"dear\" added"), "{}", r.stdout);
    let r = a(&["--json", "salutations", "put", "--name", "dear", "--text", "en:Hello,", "--text", "pt-BR:Olá,"]);
    let j = r.json();
    assert_eq!(
        j["texts"],
        json!([{"language": "en", "subject": "", "body": "Hello,"}, {"language": "pt-BR", "subject": "", "body": "Olá,"}])
    );
    let shown = a(&["salutations", "show", "dear"]);
    assert!(shown.out().contains("[pt-BR]\nOlá,"), "{}", shown.stdout);

    // Auto-responses need a kind and a subject; the body may hold colons.
    let r = a(&[
        "auto-responses",
        "put",
        "--name",
        "refused",
        "--kind",
        "reject",
        "--text",
        "en:Closed:Ticket {{ ticket.number }}: closed for good.",
    ]);
    r.out();
    let j = a(&["--json", "auto-responses", "show", "refused"]).json();
    assert_eq!((j["kind"].clone(), j["texts"][0]["subject"].clone()), (json!("reject"), json!("Closed")));
    assert_eq!(j["texts"][0]["body"], "Ticket {{ ticket.number }}: closed for good.");
    let list = a(&["auto-responses", "list"]);
    let lines: Vec<&str> = list.out().lines().collect();
    assert_eq!(lines[0].split_whitespace().take(3).collect::<Vec<_>>(), ["NAME", "KIND", "LANGUAGES"]);
    assert!(lines[1].starts_with("refused") && lines[1].contains("reject"), "{lines:?}");
    let e = a(&["auto-responses", "put", "--name", "x", "--text", "en:s:b"]);
    assert!(e.err().contains("--kind"), "{}", e.stderr);

    // Templates from a JSON file; options override the file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fixed.json");
    std::fs::write(
        &file,
        json!({"name": "fixed", "kind": "answer", "queues": ["Raw"], "texts": [{"language": "en", "subject": "Re: {{ ticket.title }}", "body": "Fixed.\nRegards"}]}).to_string(),
    )
    .unwrap();
    let file = file.to_string_lossy().into_owned();
    a(&["templates", "put", "--file", &file]).out();
    let j = a(&["--json", "templates", "put", "--file", &file, "--queue", "Misc", "--invalid"]).json();
    assert_eq!((j["queues"].clone(), j["valid"].clone()), (json!(["Misc"]), json!(false)));
    assert_eq!(j["texts"][0]["body"], "Fixed.\nRegards");

    // A broken template is refused naming its line; nothing is stored.
    let e = a(&["templates", "put", "--name", "bad", "--kind", "note", "--text", "en::ok {% if %}"]);
    assert!(e.err().contains("line 1"), "{}", e.stderr);
    assert!(a(&["templates", "show", "bad"]).err().contains("not found"));

    // Queues name them; a text a queue uses is kept.
    let r = a(&[
        "--json",
        "queues",
        "edit",
        "Raw",
        "--salutation",
        "dear",
        "--auto-reject",
        "refused",
        "--unlock-timeout",
        "30",
    ]);
    let q = r.json();
    assert_eq!((q["salutation"].clone(), q["auto_responses"]["reject"].clone()), (json!("dear"), json!("refused")));
    assert_eq!(q["unlock_timeout_minutes"], 30);
    let shown = a(&["queues", "get", "Raw"]);
    assert!(shown.out().contains("30 minutes") && shown.stdout.contains("refused"), "{}", shown.stdout);
    let e = a(&["salutations", "delete", "dear"]);
    assert!(e.err().contains("Raw"), "{}", e.stderr);
    let e = a(&["queues", "edit", "Raw", "--signature", "nosuch"]);
    assert!(e.err().contains("nosuch"), "{}", e.stderr);
    let q = a(&["--json", "queues", "edit", "Raw", "--salutation", "none"]).json();
    assert_eq!((q["salutation"].clone(), q["auto_responses"]["reject"].clone()), (json!(null), json!("refused")));
    assert!(a(&["salutations", "delete", "dear"]).out().contains("removed"));
    assert!(a(&["salutations", "show", "dear"]).err().contains("not found"));
    let q = a(&[
        "--json",
        "queues",
        "add",
        "Sales",
        "--group",
        "users",
        "--auto-reject",
        "refused",
        "--unlock-timeout",
        "5",
    ])
    .json();
    assert_eq!(
        (q["auto_responses"]["reject"].clone(), q["unlock_timeout_minutes"].clone()),
        (json!("refused"), json!(5))
    );

    // Notifications: set what is given, keep the rest, reset to the shipped settings.
    let list = a(&["notifications", "list"]);
    assert_eq!(list.out().lines().count(), 11, "a header and ten kinds: {}", list.stdout);
    let j = a(&["--json", "notifications", "set", "owner_set", "--telegram", "on", "--agent-may-choose", "off"]).json();
    assert_eq!(
        (j["telegram"].clone(), j["email"].clone(), j["agent_may_choose"].clone(), j["shipped"].clone()),
        (json!(true), json!(true), json!(false), json!(false))
    );
    let j =
        a(&["--json", "notifications", "set", "owner_set", "--text", "en:Yours: {{ ticket.number }}:Take it."]).json();
    assert_eq!((j["telegram"].clone(), j["texts"][0]["subject"].clone()), (json!(true), json!("Yours")));
    let j = a(&["--json", "notifications", "reset", "owner_set"]).json();
    assert_eq!((j["shipped"].clone(), j["telegram"].clone()), (json!(true), json!(false)));
    let e = a(&["notifications", "set", "coffee", "--email", "off"]);
    assert!(e.err().contains("new_ticket"), "the refusal lists the kinds: {}", e.stderr);
}

#[test]
fn texts_on_the_store_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    admin(d, &["init"]).out();
    scenario(&|args| admin(d, args));
}

#[test]
fn texts_through_the_http_api() {
    let url = server();
    scenario(&|args| admin_http(&url, TOKEN, args));
}
