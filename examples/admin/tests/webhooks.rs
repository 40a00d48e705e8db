//! `chamado-admin webhooks`: the same scenario on the redb file, on PostgreSQL (`--store-url`; needs
//! `CHAMADO_TEST_DATABASE_URL`, skips with a notice without it) and through the HTTP API (`--url`, the
//! API served on 127.0.0.1:0 in this test). Deliveries are made between runs by an engine on the same
//! store, sending with chosen outcomes as the helpdesk's worker would. Then, through the API, the real
//! delivery worker sends to a receiver on loopback while the command line adds, rotates, replays and
//! deletes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::webhooks::check_secret;
use chamado::{Actor, Engine, FixedClock, NewTicket, Store, Timestamp, WebhookOutcome, WebhookResult};
use common::{Run, admin, admin_http, command};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

/// Opens two tickets with an engine on `store` (at the real time) and sends their deliveries: the
/// first ticket's fail (503) until the day of retries is over, the second's arrive. Answers the two
/// ticket numbers.
async fn deliver(store: Arc<dyn Store>) -> (String, String) {
    let now = Timestamp(
        i64::try_from(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()).unwrap(),
    );
    let clock = Arc::new(FixedClock::new(now));
    let engine = Engine::builder_arc(store).clock(clock.clone()).build().unwrap();
    let admin = Actor::Agent("admin".into());
    let first = engine.create_ticket(&admin, NewTicket::new("printer", "jammed", "Raw")).await.unwrap().ticket.number;
    let second = engine.create_ticket(&admin, NewTicket::new("vpn", "down", "Raw")).await.unwrap().ticket.number;
    for round in 0..2 {
        for chain in engine.claim_webhook_chains(100).await.unwrap() {
            for job in &chain.jobs {
                let failing = job.body.contains(&format!("\"number\":\"{first}\""));
                let outcome = if failing {
                    WebhookOutcome::Failed {
                        status: Some(503),
                        error: "503 Service Unavailable".into(),
                        latency_ms: 120,
                        retry_after: None,
                    }
                } else {
                    WebhookOutcome::Delivered { status: 200, latency_ms: 35 }
                };
                let result = engine.finish_webhook(job, outcome).await.unwrap();
                if failing && round == 1 {
                    assert_eq!(result, WebhookResult::DeadLetter);
                }
            }
        }
        clock.advance(Duration::from_secs(25 * 3600));
    }
    (first, second)
}

/// The scenario on any store: `a` runs the command line, `d` makes deliveries.
fn scenario(a: &dyn Fn(&[&str]) -> Run, d: &dyn Fn() -> (String, String)) {
    // A private target is refused unless allowed; an event that is none names the choices.
    let e = a(&["webhooks", "add", "http://127.0.0.1:9000/hook", "--event", "ticket.created"]);
    assert!(e.err().contains("private, loopback or link-local"), "{}", e.stderr);
    let e = a(&["webhooks", "add", "https://hooks.example.com/in", "--event", "ticket.nothing"]);
    assert!(e.err().contains("ticket.nothing") && e.stderr.contains("article.added"), "{}", e.stderr);
    let e = a(&["webhooks", "add", "https://hooks.example.com/in", "--event", "ticket.created", "--secret", "x"]);
    assert!(e.err().contains("whsec_"), "{}", e.stderr);
    let e = a(&["webhooks", "add", "https://hooks.example.com/in", "--event", "ticket.created", "--queue", "Nope"]);
    assert!(e.err().contains("Nope"), "{}", e.stderr);
    assert_eq!(a(&["webhooks", "list"]).out().trim(), "(none)");

    // Added: the secret is generated and printed once.
    let r = a(&[
        "webhooks",
        "add",
        "https://hooks.example.com/in",
        "--event",
        "ticket.created",
        "--queue",
        "Raw",
        "--description",
        "CRM sync",
        "--max-concurrency",
        "2",
        "--timeout-ms",
        "5000",
    ]);
    let text = r.out();
    assert!(text.contains("added") && text.contains("secret (shown once"), "{text}");
    let secret = text.split("give it to the receiver): ").nth(1).unwrap().lines().next().unwrap().to_string();
    check_secret(&secret).unwrap();
    let j = a(&["--json", "webhooks", "list"]).json();
    assert_eq!(j.as_array().unwrap().len(), 1);
    let id = j[0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        (j[0]["url"].clone(), j[0]["events"].clone()),
        (json!("https://hooks.example.com/in"), json!(["ticket.created"]))
    );
    assert_eq!(
        (j[0]["queues"].clone(), j[0]["max_concurrency"].clone(), j[0]["timeout_ms"].clone()),
        (json!(["Raw"]), json!(2), json!(5000))
    );
    assert!(j[0].get("new_secret").is_none(), "{j}");
    let masked = j[0]["secrets"][0]["secret"].as_str().unwrap();
    assert_eq!(masked, format!("whsec_…{}", &secret[secret.len() - 4..]), "masked as the API masks");
    assert_eq!(j[0]["secrets"][0]["active"], json!(true));
    let show = a(&["webhooks", "show", &id]);
    assert!(
        show.out().contains("CRM sync") && show.stdout.contains("enabled") && !show.stdout.contains(&secret),
        "{}",
        show.stdout
    );
    let list = a(&["webhooks", "list"]);
    let lines: Vec<&str> = list.out().lines().collect();
    assert!(
        lines[0].starts_with("ID") && lines[1].starts_with(&id) && lines[1].contains("ticket.created"),
        "{lines:?}"
    );

    // `set` changes what it names and keeps the rest; a rotation adds a secret and ends the old one.
    let j = a(&[
        "--json",
        "webhooks",
        "set",
        &id,
        "--disable",
        "--event",
        "ticket.created",
        "--event",
        "ticket.state_changed",
        "--any-queue",
    ])
    .json();
    assert_eq!((j["enabled"].clone(), j["queues"].clone()), (json!(false), json!([])));
    assert_eq!(
        (j["events"].clone(), j["description"].clone()),
        (json!(["ticket.created", "ticket.state_changed"]), json!("CRM sync"))
    );
    let j =
        a(&["--json", "webhooks", "set", &id, "--enable", "--add-secret", "--expire-secrets-after-hours", "2"]).json();
    let second = j["new_secret"].as_str().unwrap();
    check_secret(second).unwrap();
    assert_ne!(second, secret);
    assert_eq!(j["enabled"], json!(true));
    assert_eq!(j["secrets"].as_array().unwrap().len(), 2);
    assert!(j["secrets"][0]["expires_at"].is_string() && j["secrets"][1]["expires_at"].is_null(), "{j}");
    let show = a(&["webhooks", "show", &id]);
    assert!(show.out().contains(" (until ") && !show.stdout.contains(second), "{}", show.stdout);
    let e = a(&["webhooks", "set", &id, "--expire-secrets-after-hours", "1"]);
    assert!(e.err().contains("--add-secret"), "{}", e.stderr);
    let e = a(&["webhooks", "set", &id, "--disable", "--secret", "whsec_short"]);
    assert!(e.err().contains("whsec_"), "{}", e.stderr);
    assert_eq!(a(&["--json", "webhooks", "show", &id]).json()["enabled"], json!(true), "a bad secret changes nothing");
    let e = a(&["webhooks", "set", &id, "--endpoint", "http://10.0.0.1/in"]);
    assert!(e.err().contains("private"), "{}", e.stderr);
    assert!(a(&["webhooks", "show", "wh_nope"]).err().contains("not found"));

    // Deliveries with their attempts.
    let (first, second_ticket) = d();
    let r = a(&["webhooks", "deliveries", &id]);
    let text = r.out();
    assert!(
        text.contains("dead letter") && text.contains("HTTP 503") && text.contains("503 Service Unavailable"),
        "{text}"
    );
    assert!(text.contains(&first) && text.contains(&second_ticket) && text.contains("HTTP 200  35 ms  ok"), "{text}");
    let j = a(&["--json", "webhooks", "deliveries", &id, "--limit", "10"]).json();
    let all = j.as_array().unwrap();
    assert_eq!(all.len(), 2, "{j}");
    let dead = all.iter().find(|d| d["status"] == "dead_letter").unwrap_or_else(|| panic!("{j}"));
    assert_eq!(dead["ticket_number"], json!(first), "{j}");
    assert_eq!((dead["attempts"].clone(), dead["recent_attempts"][0]["status"].clone()), (json!(2), json!(503)));
    let dead_id = dead["id"].as_u64().unwrap().to_string();

    // Replays: one delivery, then a range.
    let r = a(&["webhooks", "replay", &id, "--delivery", &dead_id]);
    assert!(r.out().contains("will be sent again"), "{}", r.stdout);
    let j = a(&["--json", "webhooks", "deliveries", &id]).json();
    let again = j
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"].as_u64().map(|n| n.to_string()) == Some(dead_id.clone()))
        .unwrap();
    assert_eq!(
        (again["status"].clone(), again["replays"].clone(), again["attempts"].clone()),
        (json!("pending"), json!(1), json!(0))
    );
    let j =
        a(&["--json", "webhooks", "replay", &id, "--from", "2000-01-01", "--to", "2100-01-01", "--only-failed"]).json();
    assert_eq!(j["replayed"], json!(0), "the dead letter waits already");
    let j = a(&["--json", "webhooks", "replay", &id, "--from", "2000-01-01T00:00:00Z", "--to", "2100-01-01"]).json();
    assert_eq!(j["replayed"], json!(1), "the one sent");
    let e = a(&["webhooks", "replay", &id, "--from", "2100-01-01", "--to", "2000-01-01"]);
    assert!(e.err().contains("after --from"), "{}", e.stderr);
    let e = a(&["webhooks", "replay", &id, "--delivery", "999999"]);
    assert!(e.err().contains("999999"), "{}", e.stderr);

    // Delete.
    assert!(a(&["webhooks", "delete", &id]).out().contains("deleted"));
    assert_eq!(a(&["webhooks", "list"]).out().trim(), "(none)");
    assert!(a(&["webhooks", "delete", &id]).err().contains("not found"));
}

#[test]
fn webhooks_on_the_store_file() {
    let dir = tempfile::tempdir().unwrap();
    admin(dir.path(), &["init"]).out();
    let path = dir.path().join("chamado.redb");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    scenario(&|args| admin(dir.path(), args), &|| {
        rt.block_on(async {
            let store = chamado_redb::RedbStore::open(&path).unwrap();
            let out = deliver(Arc::new(store.clone())).await;
            store.close().unwrap();
            out
        })
    });
    // Allowed private targets (the helpdesk's setting) let loopback receivers in.
    let r = admin(
        dir.path(),
        &["--allow-private-targets", "webhooks", "add", "http://127.0.0.1:9000/hook", "--event", "ticket.created"],
    );
    assert!(r.out().contains("added"), "{}", r.stdout);
}

#[test]
fn webhooks_on_postgresql() {
    let Some(url) = std::env::var("CHAMADO_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!("skipped: set CHAMADO_TEST_DATABASE_URL to run the PostgreSQL scenario");
        return;
    };
    let schema = format!("chamado_admin_webhooks_{}", std::process::id());
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    // The schema, seeded as the helpdesk seeds on first start; the command line reaches it through the
    // URL's search path.
    let store: Arc<dyn Store> =
        Arc::new(rt.block_on(chamado_postgres::PgStore::connect_with(&url, Some(&schema), 2)).unwrap());
    rt.block_on(async { Engine::builder_arc(store.clone()).build().unwrap().seed_defaults("admin").await.unwrap() });
    let sep = if url.contains('?') { '&' } else { '?' };
    let schema_url = format!("{url}{sep}options=-c%20search_path%3D{schema}");
    let run = |args: &[&str]| {
        let out = command().args(["--store-url", &schema_url]).args(args).output().expect("run chamado-admin");
        Run {
            ok: out.status.success(),
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    };
    scenario(&run, &|| rt.block_on(deliver(store.clone())));
    let e = run(&["export", "-"]);
    assert!(e.err().contains("only on the redb file"), "{}", e.stderr);
    rt.block_on(async {
        if let Ok((client, conn)) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await {
            tokio::spawn(conn);
            let _ = client.batch_execute(&format!("DROP SCHEMA {schema} CASCADE")).await;
        }
    });
}

const TOKEN: &str = "test-admin-token-0123456789";

/// A seeded help desk's API on a free loopback port, served from a runtime of its own.
struct Desk {
    url: String,
    store: Arc<dyn Store>,
    engine: Engine,
    runtime: tokio::runtime::Handle,
}

/// Starts the API on a fresh memory store in a background thread; with `worker`, private targets are
/// allowed and the delivery worker runs beside it, as in the helpdesk.
fn desk(worker: bool) -> Desk {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let handle = rt.handle().clone();
        rt.block_on(async move {
            let store: Arc<dyn Store> = Arc::new(chamado::MemoryStore::new());
            let mut config = chamado::EngineConfig::default();
            config.webhooks.allow_private_targets = worker;
            config.webhooks.backoff_secs = 1;
            let engine = Engine::builder_arc(store.clone()).config(config).build().unwrap();
            let token_file = std::env::temp_dir().join(format!("chamado-admin-webhooks-{}.token", std::process::id()));
            chamado_runtime::bootstrap(&engine, "admin", Some(TOKEN), &token_file).await.unwrap();
            let (_stop, stopped) = tokio::sync::watch::channel(false);
            if worker {
                let config = chamado_webhooks::WorkerConfig { poll_interval_ms: 100, ..Default::default() };
                chamado_webhooks::WebhookWorker::new(engine.clone(), config).unwrap().spawn(stopped);
            }
            let app = chamado_api::router(engine.clone(), chamado_http::HttpConfig::default());
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            tx.send(Desk { url, store, engine, runtime: handle }).unwrap();
            chamado_http::server::serve(listener, app, std::future::pending::<()>()).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

#[test]
fn webhooks_through_the_http_api() {
    let desk = desk(false);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    scenario(&|args| admin_http(&desk.url, TOKEN, args), &|| rt.block_on(deliver(desk.store.clone())));
    // The server's setting decides about private targets; the command line's flag is for direct mode.
    let r = admin_http(
        &desk.url,
        TOKEN,
        &["--allow-private-targets", "webhooks", "add", "http://127.0.0.1:9000/hook", "--event", "ticket.created"],
    );
    assert!(r.err().contains("private, loopback or link-local"), "{}", r.stderr);
}

/// A request the receiver got.
#[derive(Debug, Clone)]
struct Hit {
    id: String,
    timestamp: i64,
    signature: String,
    body: String,
}

impl Hit {
    /// The event type in the body.
    fn kind(&self) -> String {
        let v: serde_json::Value = serde_json::from_str(&self.body).unwrap();
        v["type"].as_str().unwrap().to_string()
    }

    /// Whether one of the signatures is `secret`'s.
    fn signed_by(&self, secret: &str) -> bool {
        let key = chamado_webhooks::signing::decode_secret(secret).unwrap();
        let mine = chamado_webhooks::signing::sign(&key, &self.id, self.timestamp, &self.body);
        self.signature.split(' ').any(|s| s == mine)
    }
}

type Hits = Arc<std::sync::Mutex<Vec<Hit>>>;

/// A receiver on loopback that answers 204 at once and keeps every request; answers its URL.
async fn receiver() -> (String, Hits) {
    use axum::http::{HeaderMap, StatusCode};
    let hits: Hits = Arc::default();
    let kept = hits.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
            kept.lock().unwrap().push(Hit {
                id: header("webhook-id"),
                timestamp: header("webhook-timestamp").parse().unwrap_or_default(),
                signature: header("webhook-signature"),
                body,
            });
            async { StatusCode::NO_CONTENT }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, hits)
}

/// Waits up to 10 s for `done` to hold of what the receiver got; answers it.
fn wait_for(hits: &Hits, what: &str, done: impl Fn(&[Hit]) -> bool) -> Vec<Hit> {
    let started = std::time::Instant::now();
    loop {
        let got = hits.lock().unwrap().clone();
        if done(&got) {
            return got;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{what}: not within 10 s; got {got:#?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits up to 10 s until subscription `id` has no delivery waiting (the worker records an answer just
/// after the receiver has it); answers the deliveries as `--json` shows them.
fn settled(a: &dyn Fn(&[&str]) -> Run, id: &str) -> Vec<serde_json::Value> {
    let started = std::time::Instant::now();
    loop {
        let j = a(&["--json", "webhooks", "deliveries", id]).json();
        let all = j.as_array().unwrap().clone();
        if all.iter().all(|d| d["status"] == "sent") {
            return all;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "still waiting: {j}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn webhooks_delivered_rotated_replayed_and_deleted_through_the_http_api() {
    const FIRST: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let desk = desk(true);
    let (hook, hits) = desk.runtime.block_on(receiver());
    let a = |args: &[&str]| admin_http(&desk.url, TOKEN, args);
    let admin = Actor::agent("admin");
    let open = |title: &str| {
        let new = NewTicket::new(title, "It broke.", "Raw");
        desk.runtime.block_on(desk.engine.create_ticket(&admin, new)).unwrap().ticket.number
    };

    // Added with a given secret (printed once, by `add`); listed; shown masked.
    let j = a(&[
        "--json",
        "webhooks",
        "add",
        &hook,
        "--event",
        "ticket.created",
        "--event",
        "ticket.state_changed",
        "--secret",
        FIRST,
        "--description",
        "CRM",
    ])
    .json();
    let id = j["id"].as_str().unwrap().to_string();
    assert_eq!((j["new_secret"].clone(), j["url"].clone()), (json!(FIRST), json!(hook)));
    let list = a(&["webhooks", "list"]);
    let lines: Vec<&str> = list.out().lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[1].starts_with(&id)
            && lines[1].contains("ticket.created, ticket.state_changed")
            && lines[1].contains("CRM"),
        "{lines:?}"
    );
    let show = a(&["webhooks", "show", &id]);
    assert!(show.out().contains("whsec_…LaSw") && !show.stdout.contains(FIRST), "{}", show.stdout);
    let j = a(&["--json", "webhooks", "show", &id]).json();
    assert_eq!((j["secrets"][0]["secret"].clone(), j.get("new_secret")), (json!("whsec_…LaSw"), None), "{j}");

    // A new ticket and a state change arrive, signed with the secret, and are listed as sent.
    let number = open("printer");
    let got = wait_for(&hits, "ticket.created", |h| h.len() == 1);
    assert_eq!(got[0].kind(), "ticket.created");
    assert!(got[0].body.contains(&number) && got[0].signed_by(FIRST), "{got:?}");
    let update = chamado::TicketUpdate::state("open");
    desk.runtime.block_on(desk.engine.update_ticket(&admin, &number, update)).unwrap();
    let got = wait_for(&hits, "ticket.state_changed", |h| h.len() == 2);
    assert_eq!(got[1].kind(), "ticket.state_changed");
    let all = settled(&a, &id);
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(
        (all[0]["event_type"].clone(), all[1]["event_type"].clone(), all[1]["ticket_number"].clone()),
        (json!("ticket.state_changed"), json!("ticket.created"), json!(number))
    );
    assert_eq!((all[1]["event_id"].clone(), all[1]["attempts"].clone()), (json!(got[0].id), json!(1)));
    let text = a(&["webhooks", "deliveries", &id]);
    let text = text.out();
    assert!(text.contains(&number) && text.contains("ticket.created") && text.contains("sent"), "{text}");
    assert_eq!(text.matches("  HTTP 204  ").count(), 2, "{text}");

    // Rotation: a new secret beside the old one, which ends in an hour; both sign meanwhile.
    let j = a(&["--json", "webhooks", "set", &id, "--add-secret", "--expire-secrets-after-hours", "1"]).json();
    let second = j["new_secret"].as_str().unwrap().to_string();
    check_secret(&second).unwrap();
    let secrets = j["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 2, "{j}");
    assert!(secrets[0]["expires_at"].is_string() && secrets[1]["expires_at"].is_null(), "{j}");
    assert_eq!(secrets[1]["secret"], json!(format!("whsec_…{}", &second[second.len() - 4..])));
    let show = a(&["webhooks", "show", &id]);
    assert!(show.out().contains(" (until ") && !show.stdout.contains(&second), "{}", show.stdout);
    let later = open("vpn");
    let got = wait_for(&hits, "the ticket after the rotation", |h| h.len() == 3);
    assert!(got[2].body.contains(&later), "{:?}", got[2]);
    assert!(got[2].signed_by(FIRST) && got[2].signed_by(&second), "{:?}", got[2]);
    assert_eq!(got[2].signature.split(' ').count(), 2, "{:?}", got[2]);

    // Replay one: the same webhook-id again.
    let all = settled(&a, &id);
    let oldest = all.last().unwrap();
    let delivery = oldest["id"].as_u64().unwrap().to_string();
    let r = a(&["webhooks", "replay", &id, "--delivery", &delivery]);
    assert!(r.out().contains("will be sent again"), "{}", r.stdout);
    let got = wait_for(&hits, "the replay", |h| h.len() == 4);
    assert_eq!(got[3].id, got[0].id, "the replay keeps the webhook-id");
    let all = settled(&a, &id);
    assert_eq!(all.last().unwrap()["replays"], json!(1));

    // Replay a range: every delivery again, each with its own id.
    let j = a(&["--json", "webhooks", "replay", &id, "--from", "2000-01-01", "--to", "2100-01-01T00:00:00Z"]).json();
    assert_eq!(j["replayed"], json!(3), "{j}");
    let got = wait_for(&hits, "the range", |h| h.len() == 7);
    let ids: std::collections::BTreeSet<&str> = got.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids.len(), 3, "3 events, each sent more than once: {got:?}");
    settled(&a, &id);

    // Deleted: nothing more is sent.
    assert!(a(&["webhooks", "delete", &id]).out().contains("deleted"));
    assert_eq!(a(&["webhooks", "list"]).out().trim(), "(none)");
    assert!(a(&["webhooks", "deliveries", &id]).err().contains("404"));
    open("after");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(hits.lock().unwrap().len(), 7, "sent after the subscription was deleted");
}
