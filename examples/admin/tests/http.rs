//! `chamado-admin --url`: the same commands through the HTTP API, against `chamado_api::router`
//! served on 127.0.0.1:0 in this test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::admin_http;

const TOKEN: &str = "test-admin-token-0123456789";

/// Starts a seeded help desk on a free port in a background thread; answers its base URL.
fn server() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        rt.block_on(async move {
            let engine = chamado::Engine::builder(chamado::MemoryStore::new()).build().unwrap();
            let token_file = std::env::temp_dir().join(format!("chamado-admin-http-{}.token", std::process::id()));
            chamado_runtime::bootstrap(&engine, "admin", Some(TOKEN), &token_file).await.unwrap();
            let app = chamado_api::router(engine, chamado_http::HttpConfig::default());
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(format!("http://{}", listener.local_addr().unwrap())).unwrap();
            chamado_http::server::serve(listener, app, std::future::pending::<()>()).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

#[test]
fn the_admin_tasks_work_through_the_http_api() {
    let url = server();
    let a = |args: &[&str]| admin_http(&url, TOKEN, args);

    a(&["customers", "add", "acme", "--name", "Acme Inc", "--city", "Lisbon"]).out();
    let made = a(&[
        "--json",
        "customer-users",
        "add",
        "alice",
        "--email",
        "alice@acme.example",
        "--customer",
        "acme",
        "--generate-password",
    ])
    .json();
    assert_eq!(made["password"].as_str().map(str::len), Some(20));
    assert_eq!(made["customer_user"]["has_password"], true);
    a(&["groups", "add", "support"]).out();
    a(&["grants", "customer-user", "alice", "support", "ro"]).out();
    a(&["services", "add", "IT"]).out();
    a(&["services", "add", "IT::Email"]).out();
    a(&["grants", "service", "alice", "IT::Email"]).out();
    a(&["grants", "default-service", "IT"]).out();
    a(&["queues", "add", "Support", "--group", "support", "--follow-up", "reject"]).out();

    let show = a(&["--json", "show", "alice"]).json();
    assert_eq!(show["groups"]["support"], serde_json::json!(["ro"]));
    assert_eq!(show["groups"]["users"], serde_json::json!(["ro", "rw"]));
    assert_eq!(show["services"], serde_json::json!(["IT", "IT::Email"]));
    assert_eq!(show["own_services"], serde_json::json!(["IT::Email"]));
    assert_eq!(show["customer_ids"], serde_json::json!(["acme"]));
    let text = a(&["show", "alice"]);
    assert!(
        text.out().lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["support", "ro"]),
        "{}",
        text.stdout
    );

    let list = a(&["customers", "list"]);
    assert!(list.out().lines().nth(1).unwrap().starts_with("acme  Acme Inc  Lisbon"), "{}", list.stdout);
    let found = a(&["--json", "customer-users", "search", "acme.example"]).json();
    assert_eq!(found[0]["login"], "alice");
    let queues = a(&["--json", "queues", "list"]).json();
    assert!(queues.as_array().unwrap().iter().any(|q| q["name"] == "Support" && q["follow_up"] == "reject"));

    a(&["customers", "add", "initech"]).out();
    a(&["customer-users", "add-customer", "alice", "initech"]).out();
    a(&["customer-users", "edit", "alice", "--last-name", "Doe", "--password", "new pass 123"]).out();
    let u = a(&["--json", "customer-users", "get", "alice"]).json();
    assert_eq!(
        (u["extra_customer_ids"].clone(), u["last_name"].clone()),
        (serde_json::json!(["initech"]), serde_json::json!("Doe"))
    );
    a(&["customer-users", "invalid", "alice"]).out();
    assert_eq!(a(&["--json", "show", "alice"]).json()["groups"], serde_json::json!({}));
    a(&["customers", "invalid", "initech"]).out();

    // Agents: the token printed once works as an API token.
    let t = a(&["--json", "agents", "add", "carol", "--group", "support=ro,note", "--group", "admin=rw"]).json();
    let carol = t["token"].as_str().unwrap().to_string();
    assert!(admin_http(&url, &carol, &["groups", "list"]).out().contains("support"));
    a(&["roles", "add", "l2"]).out();
    a(&["roles", "add-agent", "l2", "carol"]).out();
    a(&["grants", "role", "l2", "users", "rw"]).out();
    a(&["grants", "agent", "carol", "support", "rw"]).out();
    let grants = a(&["--json", "grants", "list", "agent", "carol"]).json();
    assert!(
        grants
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["name"] == "support" && g["permissions"] == serde_json::json!(["rw"]))
    );
    assert!(a(&["agents", "list"]).out().contains("carol"));
    a(&["agents", "invalid", "carol"]).out();
    assert!(admin_http(&url, &carol, &["groups", "list"]).err().contains("401"));
    a(&["agents", "valid", "carol"]).out();
    admin_http(&url, &carol, &["groups", "list"]).out();
    a(&["agents", "revoke-tokens", "carol"]).out();
    let refused = admin_http(&url, &carol, &["groups", "list"]);
    assert!(refused.err().contains("401"), "{}", refused.stderr);

    // Problems from the server are named.
    let e = a(&["customers", "add", "acme"]);
    assert!(e.err().contains("already exists"), "{}", e.stderr);
    let e = a(&["grants", "customer-user", "alice", "nosuch", "rw"]);
    assert!(e.err().contains("group \"nosuch\" not found"), "{}", e.stderr);
    let e = a(&["grants", "list", "role", "l2"]);
    assert!(e.err().contains("not available through the HTTP API"), "{}", e.stderr);
    let e = admin_http(&url, "wrong-token-0123456789", &["customers", "list"]);
    assert!(e.err().contains("401"), "{}", e.stderr);
    let e = a(&["import", "x.jsonl"]);
    assert!(e.err().contains("works only on the data directory"), "{}", e.stderr);

    // Names with spaces, slashes and `::` survive the URL.
    a(&["groups", "add", "first line/support"]).out();
    a(&["grants", "customer", "acme", "first line/support", "rw"]).out();
    let c = a(&["--json", "customers", "get", "acme"]).json();
    assert_eq!(c["grants"][0]["name"], "first line/support");
}

#[test]
fn groups_queues_services_roles_states_and_priorities_are_edited_through_the_api() {
    let url = server();
    let a = |args: &[&str]| admin_http(&url, TOKEN, args);
    a(&["customers", "add", "acme"]).out();
    a(&["customer-users", "add", "alice", "--email", "alice@acme.example", "--customer", "acme"]).out();
    common::edits::directory_edits(&a);
}
