//! `chamado-admin webhooks`: the same scenario on the redb file and on PostgreSQL (`--store-url`;
//! needs `CHAMADO_TEST_DATABASE_URL`, skips with a notice without it). Deliveries are made between runs
//! by an engine on the same store, sending with chosen outcomes as the helpdesk's worker would.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::webhooks::check_secret;
use chamado::{Actor, Engine, FixedClock, NewTicket, Store, Timestamp, WebhookOutcome, WebhookResult};
use common::{Run, admin, command};
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
    assert!(masked.starts_with("whsec_") && masked.contains('…') && !masked.contains(&secret[6..20]), "{masked}");
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
    let dead = all.iter().find(|d| d["status"] == "failed").unwrap_or_else(|| panic!("{j}"));
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
