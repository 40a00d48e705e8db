//! `chamado-admin` on a data directory (direct mode), run as the built binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{admin, admin_with_stdin};
use std::path::Path;

/// A seeded store with customer `acme`, customer user `alice` (password `s3cret pass`) and group `support`.
fn desk() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    admin(d, &["init"]).out();
    admin(d, &["customers", "add", "acme", "--name", "Acme Inc", "--city", "Lisbon"]).out();
    admin(
        d,
        &[
            "customer-users",
            "add",
            "alice",
            "--email",
            "alice@acme.example",
            "--customer",
            "acme",
            "--first-name",
            "Alice",
            "--password",
            "s3cret pass",
        ],
    )
    .out();
    admin(d, &["groups", "add", "support"]).out();
    dir
}

/// Opens the store the binary wrote (after it exited) to check what it stored.
fn with_engine<T>(dir: &Path, f: impl AsyncFnOnce(&chamado::Engine) -> T) -> T {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = chamado_redb::RedbStore::open(dir.join("chamado.redb")).unwrap();
        let engine = chamado::Engine::builder(store.clone()).build().unwrap();
        let out = f(&engine).await;
        store.close().unwrap();
        out
    })
}

#[test]
fn a_ro_grant_shows_in_the_effective_groups() {
    let dir = desk();
    let d = dir.path();
    let granted = admin(d, &["grants", "customer-user", "alice", "support", "ro"]);
    assert!(granted.out().contains("holds ro on group \"support\""), "{}", granted.stdout);

    let show = admin(d, &["show", "alice"]);
    let text = show.out();
    assert!(text.contains("customers:    acme"), "{text}");
    assert!(text.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["support", "ro"]), "{text}");
    // Seeded default group `users` (rw for every customer user).
    assert!(text.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["users", "rw"]), "{text}");

    let json = admin(d, &["--json", "show", "alice"]).json();
    assert_eq!(json["groups"]["support"], serde_json::json!(["ro"]));
    assert_eq!(json["valid"], true);

    // Revoking with `none` takes it away again.
    admin(d, &["grants", "customer-user", "alice", "support", "none"]).out();
    let json = admin(d, &["--json", "show", "alice"]).json();
    assert!(json["groups"].get("support").is_none(), "{json}");
}

#[test]
fn customer_grants_default_groups_and_services_make_up_the_effective_access() {
    let dir = desk();
    let d = dir.path();
    admin(d, &["groups", "add", "billing"]).out();
    admin(d, &["grants", "customer", "acme", "billing", "rw"]).out();
    admin(d, &["grants", "default-group", "users", "none"]).out();
    admin(d, &["services", "add", "IT"]).out();
    admin(d, &["services", "add", "IT::Email"]).out();
    admin(d, &["services", "add", "Facilities"]).out();
    admin(d, &["grants", "service", "alice", "IT::Email"]).out();
    admin(d, &["grants", "default-service", "Facilities"]).out();

    let json = admin(d, &["--json", "show", "alice"]).json();
    assert_eq!(json["groups"], serde_json::json!({ "billing": ["ro", "rw"] }));
    assert_eq!(json["services"], serde_json::json!(["Facilities", "IT::Email"]));
    assert_eq!(json["own_services"], serde_json::json!(["IT::Email"]));

    let listed = admin(d, &["--json", "grants", "list", "defaults"]).json();
    assert_eq!(listed, serde_json::json!([{ "target": "service", "name": "Facilities", "permissions": [] }]));

    // A service whose parent is missing is refused with the reason.
    let e = admin(d, &["services", "add", "HR::Payroll"]);
    assert!(e.err().contains("parent service \"HR\""), "{}", e.stderr);

    // An invalid customer user has no effective access.
    admin(d, &["customer-users", "invalid", "alice"]).out();
    let json = admin(d, &["--json", "show", "alice"]).json();
    assert_eq!((json["valid"].clone(), json["groups"].clone()), (serde_json::json!(false), serde_json::json!({})));
    admin(d, &["customer-users", "valid", "alice"]).out();
}

#[test]
fn lists_are_aligned_tables_and_search_finds_by_any_field() {
    let dir = desk();
    let d = dir.path();
    admin(d, &["customers", "add", "globex", "--name", "Globex Corporation", "--country", "US"]).out();
    let list = admin(d, &["customers", "list"]);
    let lines: Vec<&str> = list.out().lines().collect();
    assert_eq!(lines[0].split_whitespace().collect::<Vec<_>>(), ["ID", "NAME", "CITY", "COUNTRY", "VALID"]);
    assert!(lines[1].starts_with("acme    Acme Inc"), "{lines:?}");
    assert!(lines[2].starts_with("globex  Globex Corporation"), "{lines:?}");
    let col = lines[0].find("NAME").unwrap();
    assert_eq!(lines[2].find("Globex"), Some(col), "columns are aligned");

    let found = admin(d, &["customers", "search", "globex corp"]);
    assert!(found.out().contains("globex") && !found.stdout.contains("acme"), "{}", found.stdout);
    let found = admin(d, &["--json", "customer-users", "search", "ACME.EXAMPLE"]).json();
    assert_eq!(found.as_array().map(Vec::len), Some(1));
    assert_eq!(found[0]["login"], "alice");
    assert_eq!(found[0]["has_password"], true);
    assert!(found[0].get("password_hash").is_none());

    let page = admin(d, &["customers", "list", "--limit", "1"]);
    assert!(page.out().contains("next page: --after \"acme\""), "{}", page.stdout);
    let next = admin(d, &["--json", "customers", "list", "--after", "acme"]).json();
    assert_eq!(next[0]["id"], "globex");

    let queues = admin(d, &["queues", "list"]);
    assert!(
        queues.out().lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["Raw", "users", "possible", "yes"])
    );
    admin(d, &["queues", "add", "Billing", "--group", "support", "--follow-up", "new_ticket"]).out();
    let queues = admin(d, &["--json", "queues", "list"]).json();
    let billing = queues.as_array().unwrap().iter().find(|q| q["name"] == "Billing").unwrap();
    assert_eq!(billing["follow_up"], "new_ticket");
    assert_eq!(billing["group"], "support");

    let groups = admin(d, &["--json", "groups", "list"]).json();
    let names: Vec<&str> = groups.as_array().unwrap().iter().map(|g| g["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["admin", "support", "users"]);
}

#[test]
fn passwords_are_hashed_as_the_http_adapter_verifies_them() {
    let dir = desk();
    let d = dir.path();
    let made =
        admin(d, &["--json", "customer-users", "add", "bob", "--customer", "acme", "--generate-password"]).json();
    let generated = made["password"].as_str().unwrap().to_string();
    assert_eq!(generated.len(), 20);
    let piped = admin_with_stdin(d, &["customer-users", "edit", "alice", "--password-stdin"], "from stdin\n");
    piped.out();
    // Shown once: listing never shows passwords.
    assert!(!admin(d, &["customer-users", "list"]).out().contains(&generated));

    let (alice, bob) = with_engine(d, async |e| {
        (e.customer_user("alice").await.unwrap().unwrap(), e.customer_user("bob").await.unwrap().unwrap())
    });
    let verify = chamado_auth::password::verify;
    assert!(verify("from stdin", alice.password_hash.as_deref().unwrap()));
    assert!(!verify("s3cret pass", alice.password_hash.as_deref().unwrap()));
    assert!(verify(&generated, bob.password_hash.as_deref().unwrap()));
}

#[test]
fn agents_get_a_token_once_and_roles_grant_groups() {
    let dir = desk();
    let d = dir.path();
    let added = admin(d, &["--json", "agents", "add", "carol", "--group", "support=ro,note", "--first-name", "Carol"]);
    let token = added.json()["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("cha_"));
    let text = admin(d, &["agents", "add", "dave"]);
    assert!(text.out().contains("API token (shown only now"), "{}", text.stdout);

    admin(d, &["roles", "add", "second-level"]).out();
    admin(d, &["roles", "add-agent", "second-level", "dave"]).out();
    admin(d, &["grants", "role", "second-level", "support", "move_into,priority"]).out();
    admin(d, &["grants", "agent", "carol", "support", "ro,note,owner"]).out();
    let carol = admin(d, &["--json", "grants", "list", "agent", "carol"]).json();
    assert_eq!(carol[0]["permissions"], serde_json::json!(["ro", "note", "owner"]));
    let list = admin(d, &["agents", "list"]);
    assert!(list.out().contains("support=ro,note,owner"), "{}", list.stdout);

    let (who, dave_support) = with_engine(d, async |e| {
        let who = chamado_auth::agent_token::agent_for(e, &Default::default(), &token).await.unwrap();
        let access = e.agent_access("dave").await.unwrap();
        (who, access.on_group("support"))
    });
    assert_eq!(who.as_deref(), Some("carol"));
    assert!(dave_support.allows(chamado::Permission::MoveInto) && !dave_support.allows(chamado::Permission::Note));

    admin(d, &["agents", "invalid", "dave"]).out();
    let dave = with_engine(d, async |e| e.agent_access("dave").await);
    assert!(matches!(dave, Err(chamado::Error::PermissionDenied(_))), "{dave:?}");
    let e = admin(d, &["agents", "invalid", "nobody"]);
    assert!(e.err().contains("agent \"nobody\" not found"), "{}", e.stderr);

    admin(d, &["agents", "revoke-tokens", "carol"]).out();
    let who =
        with_engine(d, async |e| chamado_auth::agent_token::agent_for(e, &Default::default(), &token).await.unwrap());
    assert_eq!(who, None);
}

#[test]
fn extra_customers_can_be_added_and_removed() {
    let dir = desk();
    let d = dir.path();
    let e = admin(d, &["customer-users", "add-customer", "alice", "initech"]);
    assert!(e.err().contains("customer \"initech\" not found"), "{}", e.stderr);
    admin(d, &["customers", "add", "initech"]).out();
    admin(d, &["customer-users", "add-customer", "alice", "initech"]).out();
    let u = admin(d, &["--json", "customer-users", "get", "alice"]).json();
    assert_eq!(u["extra_customer_ids"], serde_json::json!(["initech"]));
    let e = admin(d, &["customer-users", "remove-customer", "alice", "acme"]);
    assert!(e.err().contains("primary customer"), "{}", e.stderr);
    admin(d, &["customer-users", "remove-customer", "alice", "initech"]).out();
    let u = admin(d, &["--json", "customer-users", "get", "alice"]).json();
    assert_eq!(u["extra_customer_ids"], serde_json::json!([]));

    admin(d, &["customers", "edit", "acme", "--city", "Porto", "--comment", "key account"]).out();
    admin(d, &["customers", "invalid", "acme"]).out();
    let c = admin(d, &["--json", "customers", "get", "acme"]).json();
    assert_eq!((c["customer"]["city"].as_str(), c["customer"]["valid"].as_bool()), (Some("Porto"), Some(false)));
    assert_eq!(c["customer"]["name"], "Acme Inc");
}

#[test]
fn errors_name_the_problem_and_exit_non_zero() {
    let empty = tempfile::tempdir().unwrap();
    let e = admin(empty.path(), &["customers", "list"]);
    assert!(e.err().contains("there is no help desk store at"), "{}", e.stderr);

    let dir = desk();
    let d = dir.path();
    let cases: &[(&[&str], &str)] = &[
        (&["customers", "add", "acme"], "customer \"acme\" already exists"),
        (&["grants", "customer-user", "alice", "nosuch", "ro"], "group \"nosuch\" not found"),
        (&["grants", "customer-user", "nobody", "support", "rw"], "customer user \"nobody\" not found"),
        (&["grants", "agent", "admin", "support", "ro,write"], "permission \"write\" is unknown"),
        (&["customer-users", "add", "eve", "--email", "not-an-address"], "is not an address"),
        (
            &["customer-users", "add", "mallory", "--email", "ALICE@acme.example"],
            "of customer user \"alice\" already exists",
        ),
        (&["customer-users", "edit", "alice"], "nothing to change"),
        (&["customers", "add", " padded"], "must not start or end with white space"),
        (&["queues", "add", "Q", "--group", "nosuch"], "group \"nosuch\" not found"),
        (&["agents", "add", "x", "--group", "support"], "is not GROUP=PERMS"),
        (&["show", "nobody"], "customer user \"nobody\" not found"),
        (&["grants", "list", "role", "nosuch"], "role \"nosuch\" not found"),
    ];
    for (args, message) in cases {
        let r = admin(d, args);
        assert!(r.err().contains(message), "{args:?}: expected {message:?} in {:?}", r.stderr);
    }

    // --json errors are JSON on stderr.
    let r = admin(d, &["--json", "customers", "get", "nope"]);
    let err: serde_json::Value = serde_json::from_str(r.err().trim()).unwrap();
    assert_eq!(err["error"]["kind"], "not_found");

    // Arguments the parser refuses exit 2 with usage.
    let r = admin(d, &["queues", "add", "Q", "--group", "users", "--follow-up", "maybe"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("possible"), "{}", r.stderr);
    let r = admin(d, &["grants", "customer-user", "alice", "support", "note"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);

    // HTTP-mode limits are named.
    let r = admin(d, &["--url", "http://127.0.0.1:9", "--token", "abcdefghijklmnopqrstuvwxyz", "export", "x.jsonl"]);
    assert!(r.err().contains("works only on the data directory"), "{}", r.stderr);
    let r = admin(d, &["--url", "https://example.invalid", "--token", "abcdefghijklmnopqrstuvwxyz", "groups", "list"]);
    assert!(r.err().contains("plain http"), "{}", r.stderr);
}

#[test]
fn a_store_in_use_by_another_process_is_refused_clearly() {
    let dir = desk();
    let d = dir.path();
    let store = chamado_redb::RedbStore::open(d.join("chamado.redb")).unwrap();
    let r = admin(d, &["customers", "list"]);
    assert!(r.err().contains("is in use by another process (is the helpdesk running?)"), "{}", r.stderr);
    assert!(r.stderr.contains("--url"), "{}", r.stderr);
    store.close().unwrap();
}

#[test]
fn export_then_import_into_a_fresh_directory_round_trips() {
    let dir = desk();
    let d = dir.path();
    admin(d, &["grants", "customer-user", "alice", "support", "rw"]).out();
    admin(d, &["services", "add", "IT"]).out();
    admin(d, &["grants", "service", "alice", "IT"]).out();
    let token = admin(d, &["--json", "agents", "add", "carol", "--group", "support=rw"]).json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let backup = d.join("backup.jsonl");
    let exported = admin(d, &["--json", "export", backup.to_str().unwrap()]).json();
    assert!(exported["records"].as_u64().unwrap() > 10, "{exported}");
    let first = std::fs::read_to_string(&backup).unwrap();
    assert!(first.lines().next().unwrap().contains("chamado-redb-backup"));

    // `-` writes the same backup to standard output (the summary goes to standard error).
    let piped = admin(d, &["export", "-"]);
    assert_eq!(piped.out(), first);
    assert!(piped.stderr.contains("exported"), "{}", piped.stderr);

    let fresh = tempfile::tempdir().unwrap();
    let f = fresh.path().join("nested");
    admin(&f, &["import", backup.to_str().unwrap()]).out();
    for args in [
        &["--json", "customers", "list"][..],
        &["--json", "customer-users", "list"],
        &["--json", "show", "alice"],
        &["--json", "agents", "list"],
        &["--json", "queues", "list"],
        &["--json", "grants", "list", "defaults"],
    ] {
        assert_eq!(admin(d, args).json(), admin(&f, args).json(), "{args:?}");
    }
    // Tokens keep working after a restore.
    let who =
        with_engine(&f, async |e| chamado_auth::agent_token::agent_for(e, &Default::default(), &token).await.unwrap());
    assert_eq!(who.as_deref(), Some("carol"));

    // A second import into the now non-empty store is refused; a broken file leaves no store behind.
    let again = admin(&f, &["import", backup.to_str().unwrap()]);
    assert!(again.err().contains("restore needs an empty store"), "{}", again.stderr);
    let broken = d.join("broken.jsonl");
    std::fs::write(&broken, "not json\n").unwrap();
    let other = fresh.path().join("other");
    let r = admin(&other, &["import", broken.to_str().unwrap()]);
    assert!(r.err().contains("backup line 1"), "{}", r.stderr);
    assert!(!other.join("chamado.redb").exists());
}

#[test]
fn groups_queues_services_roles_states_and_priorities_are_edited_and_invalidated() {
    let dir = desk();
    let d = dir.path();
    common::edits::directory_edits(&|args| admin(d, args));
}

#[test]
fn languages_and_time_zones_are_set_shown_and_checked() {
    let dir = desk();
    let d = dir.path();
    let edited = admin(d, &["customer-users", "edit", "alice", "--language", "pt-BR"]);
    assert!(edited.out().contains("pt-BR"), "{}", edited.stdout);
    let got = admin(d, &["customer-users", "get", "alice"]).out().to_string();
    assert!(got.lines().any(|l| l.starts_with("language") && l.contains("pt-BR")), "{got}");
    admin(d, &["customer-users", "edit", "alice", "--language", "none"]).out();
    let got = admin(d, &["customer-users", "get", "alice"]).out().to_string();
    assert!(got.contains("the browser's, else the system's"), "{got}");
    let refused = admin(d, &["customer-users", "edit", "alice", "--language", "klingon"]);
    assert!(refused.err().contains("klingon"), "an unknown language is refused: {}", refused.stderr);

    admin(d, &["agents", "add", "ana", "--language", "pt-BR", "--time-zone", "America/Sao_Paulo"]).out();
    let list = admin(d, &["agents", "list"]).out().to_string();
    let ana = list.lines().find(|l| l.starts_with("ana")).unwrap_or_else(|| panic!("{list}"));
    assert!(ana.contains("pt-BR") && ana.contains("America/Sao_Paulo"), "{list}");
    admin(d, &["agents", "edit", "ana", "--time-zone", "Europe/Lisbon"]).out();
    let refused = admin(d, &["agents", "edit", "ana", "--time-zone", "Mars/Base"]);
    assert!(refused.err().contains("Mars/Base"), "{}", refused.stderr);
    let (language, zone) = with_engine(d, async |e| {
        let a = e.agent("ana").await.unwrap().unwrap();
        (a.language, a.time_zone)
    });
    assert_eq!((language.as_deref(), zone.as_deref()), (Some("pt-BR"), Some("Europe/Lisbon")));
}
