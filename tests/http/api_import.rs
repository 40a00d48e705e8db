//! Importing from another help desk over the API (`/api/v1/import`): directory records of every kind
//! the Znuny importer sends (password hashes stored, never shown), tickets with their numbers, files
//! (bytes back through the attachments API, in a body over the server's usual limit) and history;
//! re-sending changes nothing; number reservations; admins only; malformed bodies are 4xx with the
//! field named.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use base64::Engine as _;
use chamado::{Actor, GrantSubject, HistoryKind};
use common::{ADMIN_TOKEN, Harness, ticket};
use serde_json::{Value, json};

const HASH: &str = "$2a$12$abcdefghijklmnopqrstuuv0123456789abcdefghijklmnopqrs";

async fn record(h: &Harness, body: Value) -> (StatusCode, Value) {
    let r = h.call("PUT", "/api/v1/import/records", Some(ADMIN_TOKEN), Some(body)).await;
    (r.status, r.json)
}

async fn outcome(h: &Harness, path: &str, body: Value) -> String {
    let r = h.call("PUT", path, Some(ADMIN_TOKEN), Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json["outcome"].as_str().unwrap().to_string()
}

/// The directory the importer sends, in its order.
fn directory() -> Vec<Value> {
    vec![
        json!({"kind": "calendar", "name": "Znuny working hours", "hours": {"mon": [["08:00", "20:00"]]}}),
        json!({"kind": "group", "name": "support", "comment": "First level"}),
        json!({"kind": "role", "name": "Helpdesk"}),
        json!({"kind": "agent", "login": "maria", "first_name": "Maria", "email": "maria@helpdesk.example",
            "password_hash": HASH, "language": "pt-BR"}),
        json!({"kind": "customer", "id": "acme", "name": "Acme Ltd", "city": "São Paulo"}),
        json!({"kind": "customer_user", "login": "alice", "email": "alice@acme.example", "customer_id": "acme",
            "password_hash": "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"}),
        json!({"kind": "service", "name": "IT"}),
        json!({"kind": "service", "name": "IT::Email"}),
        json!({"kind": "sla", "name": "Gold", "calendar": "Znuny working hours", "first_response_minutes": 60,
            "services": ["IT::Email"]}),
        json!({"kind": "state", "name": "pending auto close+", "state_type": "pending_auto",
            "next_state": "closed successful"}),
        json!({"kind": "priority", "level": 4, "name": "4 high", "comment": "", "valid": true}),
        json!({"kind": "queue", "name": "Support", "group": "support", "follow_up": "reject",
            "unlock_timeout_minutes": 30}),
        json!({"kind": "grant", "subject": {"type": "agent", "name": "maria"},
            "target": {"type": "group", "name": "support"}, "permissions": ["ro", "note"]}),
        json!({"kind": "grant", "subject": {"type": "agent", "name": "maria"},
            "target": {"type": "role", "name": "Helpdesk"}}),
        json!({"kind": "grant", "subject": {"type": "default_customer_users"},
            "target": {"type": "service", "name": "IT"}}),
        json!({"kind": "grant", "subject": {"type": "customer_user", "name": "alice"},
            "target": {"type": "group", "name": "support"}, "permissions": ["ro"]}),
    ]
}

#[tokio::test]
async fn directory_records_arrive_once_and_hashes_are_never_shown() {
    let h = Harness::new().await;
    for body in directory() {
        let r = h.call("PUT", "/api/v1/import/records", Some(ADMIN_TOKEN), Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::OK, "{body}: {}", r.text);
        // States and priorities are seeded: the import may find them as they are.
        if !["state", "priority"].contains(&body["kind"].as_str().unwrap()) {
            assert_eq!(r.json["outcome"], "created", "{body}");
        }
    }
    for body in directory() {
        assert_eq!(outcome(&h, "/api/v1/import/records", body.clone()).await, "unchanged", "{body}");
    }
    let changed = json!({"kind": "group", "name": "support", "comment": "Second level"});
    assert_eq!(outcome(&h, "/api/v1/import/records", changed).await, "updated");

    let admin = h.engine.admin(&Actor::System).await.unwrap();
    let Some(chamado::Record::Agent(maria)) = admin.get(chamado::RecordKind::Agent, "maria").await.unwrap() else {
        panic!("maria was imported")
    };
    assert_eq!(maria.password_hash.as_deref(), Some(HASH));
    assert_eq!(maria.language.as_deref(), Some("pt-BR"));
    let grants = admin.grants_of(&GrantSubject::Agent("maria".into())).await.unwrap();
    assert_eq!(grants.len(), 2, "{grants:?}");
    let alice = admin.grants_of(&GrantSubject::CustomerUser("alice".into())).await.unwrap();
    assert_eq!(alice.len(), 1);

    for path in ["/api/v1/agents?search=maria", "/api/v1/customer-users/alice", "/api/v1/customer-users"] {
        let r = h.admin("GET", path, None).await;
        assert!(!r.text.contains("$2a$12$") && !r.text.contains("2bb80d53"), "{path} shows a hash: {}", r.text);
    }
    assert_eq!(h.admin("GET", "/api/v1/customer-users/alice", None).await.json["has_password"], true);
}

#[tokio::test]
async fn records_are_refused_as_the_admin_endpoints_refuse_them() {
    let h = Harness::new().await;
    let cases = [
        (json!({"kind": "queue", "name": "Q", "group": "nowhere"}), StatusCode::NOT_FOUND),
        (
            json!({"kind": "priority", "level": 9, "name": "9 max", "comment": "", "valid": true}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"kind": "calendar", "name": "C", "time_zone": "Mars/Base", "hours": {"mon": [["08:00", "20:00"]]}}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (json!({"kind": "agent", "login": "x", "language": "pt_br"}), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({"kind": "agent", "login": "x", "password_hash": "a\nb"}), StatusCode::UNPROCESSABLE_ENTITY),
        (
            json!({"kind": "grant", "subject": {"type": "agent"}, "target": {"type": "group", "name": "users"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"kind": "grant", "subject": {"type": "agent", "name": "ghost"}, "target": {"type": "group", "name": "users"},
            "permissions": ["rw"]}),
            StatusCode::NOT_FOUND,
        ),
        (
            json!({"kind": "grant", "subject": {"type": "agent", "name": "admin"}, "target": {"type": "group", "name": "users"},
            "permissions": ["fly"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (json!({"kind": "mail_account", "name": "x"}), StatusCode::BAD_REQUEST),
        (json!({"kind": "group", "name": "g", "extra": true}), StatusCode::BAD_REQUEST),
        (json!({"name": "g"}), StatusCode::BAD_REQUEST),
        (json!([1, 2]), StatusCode::BAD_REQUEST),
    ];
    for (body, status) in cases {
        let (got, problem) = record(&h, body.clone()).await;
        assert_eq!(got, status, "{body}: {problem}");
        assert!(problem["detail"].as_str().is_some_and(|d| !d.is_empty()), "{problem}");
    }
    let r = h
        .call_with(
            "PUT",
            "/api/v1/import/records",
            Some(ADMIN_TOKEN),
            Some(json!({"kind": "agent", "login": "x", "password_hash": ""})),
            &[("accept-language", "pt-BR")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json["detail"].as_str().unwrap().contains("caracteres"), "{}", r.text);
}

#[tokio::test]
async fn only_admins_import() {
    let h = Harness::new().await;
    let agent = h.agent("bob", json!({"users": ["rw"]})).await;
    h.customer("acme").await;
    h.customer_user("carol", "acme").await;
    let session = h.login("carol").await;
    let calls = [
        ("PUT", "/api/v1/import/records", json!({"kind": "group", "name": "g"})),
        ("PUT", "/api/v1/import/tickets", imported("znuny:ticket:1", "1", "2026011010000011", &[])),
        ("POST", "/api/v1/import/numbers", json!({"numbers": ["1"]})),
    ];
    for (method, path, body) in calls {
        for token in [agent.as_str(), session.as_str()] {
            let r = h.call(method, path, Some(token), Some(body.clone())).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {path}: {}", r.text);
        }
        assert_eq!(h.call(method, path, None, Some(body)).await.status, StatusCode::UNAUTHORIZED);
    }
    assert!(h.engine.ticket(&Actor::System, "2026011010000011").await.is_err(), "nothing was written");
}

/// A ticket in queue Raw (seeded) with one article per `files` entry's list of files.
fn imported(source: &str, revision: &str, number: &str, files: &[&[u8]]) -> Value {
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let attachments: Vec<Value> = files
        .iter()
        .enumerate()
        .map(|(i, f)| json!({"name": format!("file-{i}.bin"), "content_type": "application/octet-stream", "content": b64(f)}))
        .collect();
    json!({
        "source": source,
        "revision": revision,
        "number": number,
        "title": "Printer on fire",
        "queue": "Raw",
        "state": "open",
        "priority": 4,
        "lock": "unlock",
        "customer_user": "alice",
        "customer_id": "acme",
        "channel": "email",
        "created_at": "2026-01-10T09:00:00Z",
        "changed_at": "2026-01-10T10:00:00.250Z",
        "articles": [{
            "source": format!("{source}:article:1"),
            "sender": "customer",
            "channel": "email",
            "visible_to_customer": true,
            "from": "Alice <alice@acme.example>",
            "to": "support@helpdesk.example",
            "subject": "Printer on fire",
            "body": "It is on fire.",
            "message_id": "<t1@acme.example>",
            "created_by": "customer:alice",
            "created_at": "2026-01-10T09:00:00Z",
            "attachments": attachments,
        }],
        "history": [
            {"source_id": 1, "at": "2026-01-10T09:00:00Z", "actor": "system", "kind": "created", "message": "NewTicket"},
            {"source_id": 2, "at": "2026-01-10T09:05:00+01:00", "actor": "agent:admin", "kind": "state_changed",
                "message": "StateUpdate"},
        ],
    })
}

#[tokio::test]
async fn a_ticket_arrives_with_its_files_and_history_and_a_re_run_changes_nothing() {
    let h = Harness::new().await;
    // Larger than the harness's 64 KiB body limit: the import route reads up to 64 MiB.
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let pdf = b"%PDF-1.4\n\x00\xff\xfe binary\n%%EOF".to_vec();
    let number = "2026011010000011";
    let body = imported("znuny:ticket:42", "r1", number, &[&pdf, &big]);
    assert_eq!(outcome(&h, "/api/v1/import/tickets", body.clone()).await, "created");
    assert_eq!(outcome(&h, "/api/v1/import/tickets", body.clone()).await, "unchanged");

    let t = h.admin("GET", &format!("/api/v1/tickets/{number}"), None).await.json;
    assert_eq!(
        (t["title"].as_str(), t["queue"].as_str(), t["state"].as_str()),
        (Some("Printer on fire"), Some("Raw"), Some("open"))
    );
    let article = &t["articles"][0];
    assert_eq!(article["created_at"], "2026-01-10T09:00:00Z");
    let files = article["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    for (file, bytes) in files.iter().zip([&pdf, &big]) {
        assert_eq!(file["size"].as_u64(), Some(bytes.len() as u64));
        assert_eq!(&download(&h, file["url"].as_str().unwrap()).await, bytes);
    }
    let view = h.engine.ticket(&Actor::System, number).await.unwrap();
    assert_eq!(view.ticket.changed_at, chamado::Timestamp(1_768_039_200_250), "milliseconds kept");
    let history = h.engine.history(&Actor::System, number).await.unwrap();
    assert_eq!(history.iter().map(|e| e.kind).collect::<Vec<_>>(), [HistoryKind::Created, HistoryKind::StateChanged]);
    assert_eq!(history[1].at, chamado::Timestamp::from_unix_seconds(1_768_032_300), "+01:00 read as such");

    // A later run: the revision moved, one more article and history entry.
    let mut later = body.clone();
    later["revision"] = json!("r2");
    let mut second = later["articles"][0].clone();
    second["source"] = json!("znuny:ticket:42:article:2");
    second["sender"] = json!("agent");
    second["created_by"] = json!("agent:admin");
    second["attachments"] = json!([]);
    later["articles"].as_array_mut().unwrap().push(second);
    later["history"].as_array_mut().unwrap().push(
        json!({"source_id": 3, "at": "2026-01-10T11:00:00Z", "actor": "agent:admin", "kind": "article_added", "message": "SendAnswer"}),
    );
    assert_eq!(outcome(&h, "/api/v1/import/tickets", later.clone()).await, "updated");
    assert_eq!(outcome(&h, "/api/v1/import/tickets", later).await, "unchanged");
    let view = h.engine.ticket(&Actor::System, number).await.unwrap();
    assert_eq!(view.articles.len(), 2);
    assert_eq!(h.engine.history(&Actor::System, number).await.unwrap().len(), 3);
}

/// The bytes an attachment URL serves to the admin.
async fn download(h: &Harness, url: &str) -> Vec<u8> {
    use http_body_util::BodyExt;
    let req = axum::http::Request::get(url)
        .header("authorization", format!("Bearer {ADMIN_TOKEN}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(h.app.clone(), req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{url}");
    res.into_body().collect().await.unwrap().to_bytes().to_vec()
}

#[tokio::test]
async fn malformed_tickets_are_refused_naming_the_field() {
    let h = Harness::new().await;
    let base = imported("znuny:ticket:9", "r1", "2026011010000099", &[b"x"]);
    let with = |path: &[&str], v: Value| {
        let mut b = base.clone();
        let mut at = &mut b;
        for (i, p) in path.iter().enumerate() {
            if i + 1 == path.len() {
                at[*p] = v.clone();
            } else {
                at = match p.parse::<usize>() {
                    Ok(n) => &mut at[n],
                    Err(_) => &mut at[*p],
                };
            }
        }
        b
    };
    let cases = [
        (with(&["created_at"], json!("2026-01-10 09:00")), StatusCode::UNPROCESSABLE_ENTITY, "created_at"),
        (with(&["pending_until"], json!("tomorrow")), StatusCode::UNPROCESSABLE_ENTITY, "pending_until"),
        (with(&["lock"], json!("tmp_lock")), StatusCode::UNPROCESSABLE_ENTITY, "lock"),
        (with(&["channel"], json!("fax")), StatusCode::UNPROCESSABLE_ENTITY, "channel"),
        (with(&["priority"], json!(0)), StatusCode::UNPROCESSABLE_ENTITY, "priority"),
        (with(&["number"], json!("12 34")), StatusCode::UNPROCESSABLE_ENTITY, "12 34"),
        (with(&["source"], json!("")), StatusCode::UNPROCESSABLE_ENTITY, "source"),
        (with(&["queue"], json!("Nowhere")), StatusCode::NOT_FOUND, "Nowhere"),
        (with(&["state"], json!("exploded")), StatusCode::NOT_FOUND, "exploded"),
        (with(&["articles", "0", "sender"], json!("robot")), StatusCode::UNPROCESSABLE_ENTITY, "sender"),
        (
            with(&["articles", "0", "attachments", "0", "content"], json!("***")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "file-0.bin",
        ),
        (with(&["history", "0", "kind"], json!("exploded")), StatusCode::UNPROCESSABLE_ENTITY, "kind"),
        (with(&["history", "0", "source_id"], json!(-1)), StatusCode::BAD_REQUEST, "source_id"),
        (with(&["surprise"], json!(1)), StatusCode::BAD_REQUEST, "surprise"),
        (with(&["articles"], json!([[1, 2]])), StatusCode::BAD_REQUEST, ""),
    ];
    for (body, status, named) in cases {
        let r = h.call("PUT", "/api/v1/import/tickets", Some(ADMIN_TOKEN), Some(body)).await;
        assert_eq!(r.status, status, "{named}: {}", r.text);
        assert!(r.json["detail"].as_str().unwrap().contains(named), "{named}: {}", r.text);
    }
    assert!(h.engine.ticket(&Actor::System, "2026011010000099").await.is_err(), "nothing was written");

    // A number a native ticket holds is a conflict.
    let native = h.open(ADMIN_TOKEN, ticket("Native", "Raw")).await;
    let r = h.call("PUT", "/api/v1/import/tickets", Some(ADMIN_TOKEN), Some(with(&["number"], json!(native)))).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
}

#[tokio::test]
async fn reserved_numbers_are_never_given_to_new_tickets() {
    let h = Harness::new().await;
    let now = h.engine.now();
    let taken: Vec<String> = (1..=7).map(|c| h.engine.numbers().format(now, c)).collect();
    let r = h.call("POST", "/api/v1/import/numbers", Some(ADMIN_TOKEN), Some(json!({"numbers": taken}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(
        h.call("POST", "/api/v1/import/numbers", Some(ADMIN_TOKEN), Some(json!({"numbers": taken}))).await.status,
        StatusCode::NO_CONTENT
    );
    let number = h.open(ADMIN_TOKEN, ticket("New", "Raw")).await;
    assert!(!taken.contains(&number), "{number} was reserved");
    let (_, counter) = h.engine.numbers().counter_of(&number).unwrap();
    assert!(counter > 7, "{number}");

    let too_many: Vec<String> = (0..10_001).map(|i| i.to_string()).collect();
    let r = h.call("POST", "/api/v1/import/numbers", Some(ADMIN_TOKEN), Some(json!({"numbers": too_many}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = h.call("POST", "/api/v1/import/numbers", Some(ADMIN_TOKEN), Some(json!({"numbers": ["a b"]}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = h.call("POST", "/api/v1/import/numbers", Some(ADMIN_TOKEN), Some(json!({"numbers": "1"}))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
}

#[tokio::test]
async fn the_import_routes_are_documented() {
    let h = Harness::new().await;
    let doc = h.call("GET", "/api/openapi.json", None, None).await.json;
    for (method, path) in
        [("put", "/api/v1/import/records"), ("put", "/api/v1/import/tickets"), ("post", "/api/v1/import/numbers")]
    {
        assert_eq!(doc["paths"][path][method]["tags"][0], "import", "{method} {path}");
    }
    let record = &doc["components"]["schemas"]["ImportRecordIn"];
    let kinds: Vec<&str> = record["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["properties"]["kind"]["enum"][0].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 12, "{record}");
    assert!(kinds.contains(&"agent") && kinds.contains(&"grant"));
    let agent = record["oneOf"].as_array().unwrap().iter().find(|v| v["title"] == "agent").unwrap();
    assert_eq!(agent["additionalProperties"], false);
    assert!(agent["properties"]["password_hash"].is_object());
    let history = &doc["components"]["schemas"]["ImportHistoryIn"]["properties"]["kind"]["enum"];
    assert_eq!(history.as_array().unwrap().len(), HistoryKind::ALL.len());
}
