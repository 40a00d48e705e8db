//! The console's webhooks over HTTP: admins add, change and delete subscriptions through the forms (a
//! private target and other refusals show the engine's words next to the form, which keeps what was
//! typed), see secrets masked, add one (shown once) that rotates the old ones out, see each delivery's
//! attempts and send one or a time range again. CSRF-protected, admins only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod console_support;

use axum::http::StatusCode;
use chamado::webhooks::check_secret;
use chamado::{Actor, EventType, OutboxStatus, WebhookOutcome, WebhookResult, WebhookSubscription};
use chamado_i18n::TimeZoneName;
use common::{ADMIN_TOKEN, Harness, ticket};
use console_support::{Console, location, login, set_password};
use serde_json::json;
use std::time::Duration;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// The error notice next to a form.
fn form_error(html: &str) -> &str {
    let marker = "id=\"form-error\">";
    let start = html.find(marker).map_or(html.len(), |i| i + marker.len());
    html[start..].split("</p>").next().unwrap_or("")
}

/// The text of the element with `id`, up to its closing tag `end`.
fn by_id<'a>(html: &'a str, id: &str, end: &str) -> &'a str {
    let marker = format!("id=\"{id}\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {id} in {html}"));
    html[start..].split(end).next().unwrap_or("")
}

/// Text as a page wrote it, with the entities templates use for base64's characters undone.
fn unescaped(s: &str) -> String {
    s.replace("&#43;", "+").replace("&#x2f;", "/").replace("&#47;", "/").replace("&#61;", "=").replace("&#x3d;", "=")
}

/// The secret a page shows once.
fn shown_secret(html: &str) -> String {
    let code = by_id(html, "secret", "</code>");
    unescaped(code.split_once('>').map_or("", |(_, s)| s))
}

/// How the pages mask `secret`.
fn masked(secret: &str) -> String {
    let b64 = &secret["whsec_".len()..];
    format!("whsec_{}…{}", &b64[..4], &b64[b64.len() - 4..])
}

/// Posts `fields`, asserting the redirect to `to`.
async fn saved(c: &Console<'_>, path: &str, fields: &[(&str, &str)], to: &str) {
    let r = c.post(path, fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.text);
    assert_eq!(location(&r), to, "{path}");
}

async fn webhooks(h: &Harness) -> Vec<WebhookSubscription> {
    h.engine.admin(&Actor::System).await.unwrap().webhooks().await.unwrap()
}

#[tokio::test]
async fn admin_adds_changes_rotates_and_deletes_webhooks_through_the_forms() {
    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    let admin = login(&h, "admin", "pw-admin").await;
    let r = admin.get("/admin").await;
    assert!(r.text.contains("href=\"/admin/webhooks\">Webhooks</a>"), "menu: {}", r.text);

    // The add form offers every event type.
    let r = admin.get("/admin/webhooks").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("No webhook yet.") && r.text.contains("<option value=\"Raw\">"), "{}", r.text);
    for t in EventType::ALL {
        assert!(r.text.contains(&format!("name=\"event\" value=\"{t}\">")), "{t}: {}", r.text);
    }

    // A private target is refused in the engine's words; the form keeps what was typed.
    let private = [
        ("url", "http://127.0.0.1:9000/hook"),
        ("event", "ticket.created"),
        ("queue", "Raw"),
        ("description", "internal"),
        ("max_concurrency", "4"),
        ("timeout_ms", "10000"),
        ("enabled", "1"),
    ];
    let r = admin.post("/admin/webhooks", &private).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        form_error(&r.text).contains("private, loopback or link-local address (127.0.0.1)"),
        "{}",
        form_error(&r.text)
    );
    assert!(r.text.contains("value=\"http://127.0.0.1:9000/hook\""), "kept: {}", r.text);
    assert!(r.text.contains("value=\"ticket.created\" checked>") && r.text.contains("<option value=\"Raw\" selected>"));
    assert!(r.text.contains("value=\"internal\""), "{}", r.text);
    // Other refusals: no event, a number that is none, a secret of the wrong form, a queue that is not.
    let base = [("url", "https://hooks.example.com/in"), ("max_concurrency", "4"), ("timeout_ms", "10000")];
    let r = admin.post("/admin/webhooks", &base).await;
    assert!(r.status.is_client_error() && form_error(&r.text).contains("at least one event"), "{}", r.text);
    let mut typo = base.to_vec();
    typo.extend([("event", "ticket.created"), ("timeout_ms", "soon")]);
    let r = admin.post("/admin/webhooks", &typo).await;
    assert!(r.status.is_client_error() && form_error(&r.text).contains("soon"), "{}", r.text);
    let mut bad_secret = base.to_vec();
    bad_secret.extend([("event", "ticket.created"), ("secret", "hunter2")]);
    let r = admin.post("/admin/webhooks", &bad_secret).await;
    assert!(r.status.is_client_error() && form_error(&r.text).contains("whsec_"), "{}", r.text);
    assert!(!r.text.contains("hunter2"), "a refused secret is not shown again: {}", r.text);
    assert!(webhooks(&h).await.is_empty());

    // Added: the generated secret is shown once, valid, and is what signs.
    let add = [
        ("url", "https://hooks.example.com/in"),
        ("event", "ticket.created"),
        ("event", "article.added"),
        ("queue", "Raw"),
        ("group", "users"),
        ("description", "CRM sync"),
        ("max_concurrency", "2"),
        ("timeout_ms", "5000"),
        ("enabled", "1"),
    ];
    let r = admin.post("/admin/webhooks", &add).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert!(r.text.contains("it is not shown again"), "{}", r.text);
    let secret = shown_secret(&r.text);
    check_secret(&secret).unwrap_or_else(|e| panic!("{secret}: {e}"));
    let all = webhooks(&h).await;
    assert_eq!(all.len(), 1);
    let w = &all[0];
    let id = w.id.clone();
    assert!(r.text.contains(&format!("href=\"/admin/webhooks/{id}\"")), "{}", r.text);
    assert_eq!(w.url, "https://hooks.example.com/in");
    assert_eq!(w.events, vec![EventType::TicketCreated, EventType::ArticleAdded]);
    assert_eq!((w.queues.clone(), w.groups.clone()), (vec!["Raw".to_string()], vec!["users".to_string()]));
    assert_eq!((w.max_concurrency, w.timeout_ms, w.enabled, w.description.as_str()), (2, 5000, true, "CRM sync"));
    assert_eq!(w.secrets.iter().map(|s| s.secret.clone()).collect::<Vec<_>>(), vec![secret.clone()]);

    // The list and the page show it; the secret only masked.
    let r = admin.get("/admin/webhooks").await;
    let row = by_id(&r.text, &format!("webhook-{id}"), "</tr>");
    assert!(row.contains("https://hooks.example.com/in") && row.contains("ticket.created, article.added"), "{row}");
    assert!(row.contains(">enabled<") && row.contains("CRM sync"), "{row}");
    assert!(row.contains(&format!("href=\"/admin/webhooks/{id}/deliveries\"")), "{row}");
    let r = admin.get(&format!("/admin/webhooks/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(unescaped(&r.text).contains(&masked(&secret)), "masked: {}", r.text);
    assert!(!unescaped(&r.text).contains(&secret), "never in full: {}", r.text);
    assert!(r.text.contains("value=\"article.added\" checked>") && r.text.contains("value=\"ticket.merged\">"));
    assert!(r.text.contains("<option value=\"users\" selected>") && r.text.contains("value=\"5000\""), "{}", r.text);

    // Edit: other events, no filters, disabled; the secret stays.
    let edit = [
        ("url", "https://hooks.example.com/v2"),
        ("event", "ticket.state_changed"),
        ("description", "CRM sync"),
        ("max_concurrency", "8"),
        ("timeout_ms", "3000"),
    ];
    let path = format!("/admin/webhooks/{id}");
    saved(&admin, &path, &edit, &format!("{path}?done=saved")).await;
    let w = &webhooks(&h).await[0];
    assert_eq!((w.url.as_str(), w.events.clone()), ("https://hooks.example.com/v2", vec![EventType::StateChanged]));
    assert!(w.queues.is_empty() && w.groups.is_empty() && !w.enabled);
    assert_eq!((w.max_concurrency, w.timeout_ms, w.secrets.len()), (8, 3000, 1));
    let r = admin.get(&format!("{path}?done=saved")).await;
    assert!(r.text.contains("Saved.") && r.text.contains("name=\"enabled\" value=\"1\">"), "{}", r.text);
    // Refused edits show next to the form, which keeps what was typed; nothing changes.
    let mut private_edit = edit.to_vec();
    private_edit[0] = ("url", "http://[::1]/x");
    let r = admin.post(&path, &private_edit).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(form_error(&r.text).contains("private") && r.text.contains("value=\"http://[::1]/x\""), "{}", r.text);
    let mut slow = edit.to_vec();
    slow[4] = ("timeout_ms", "120000");
    let r = admin.post(&path, &slow).await;
    assert!(r.status.is_client_error() && form_error(&r.text).contains("100 to 60000"), "{}", r.text);
    assert_eq!(webhooks(&h).await[0].url, "https://hooks.example.com/v2");

    // Rotation: a new secret, shown once; the old one keeps signing for two hours.
    let now = h.engine.now();
    let r = admin.post(&format!("{path}/secrets"), &[("expire_hours", "2")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let second = shown_secret(&r.text);
    check_secret(&second).unwrap();
    assert_ne!(second, secret);
    let w = &webhooks(&h).await[0];
    assert_eq!(w.secrets.len(), 2);
    assert_eq!(w.secrets[0].expires_at, Some(now.plus(Duration::from_secs(7200))));
    assert_eq!((w.secrets[1].secret.clone(), w.secrets[1].expires_at), (second.clone(), None));
    assert_eq!(w.active_secrets(now).len(), 2);
    let r = admin.get(&path).await;
    let secrets = unescaped(by_id(&r.text, "secrets", "</section>"));
    assert!(secrets.contains(&masked(&secret)) && secrets.contains(&masked(&second)), "{secrets}");
    assert!(secrets.contains("never"), "{secrets}");
    let r = admin.post(&format!("{path}/secrets"), &[("expire_hours", "soon")]).await;
    assert!(r.status.is_client_error() && form_error(&r.text).contains("soon"), "{}", r.text);
    assert_eq!(webhooks(&h).await[0].secrets.len(), 2, "unchanged");
    // Once the old one expired, the next rotation drops it.
    h.clock.advance(Duration::from_secs(3 * 3600));
    let r = admin.post(&format!("{path}/secrets"), &[("expire_hours", "")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let w = &webhooks(&h).await[0];
    assert_eq!(w.secrets.len(), 2);
    assert_eq!(w.secrets[0].secret, second, "the expired one is gone");
    assert!(w.secrets.iter().all(|s| s.expires_at.is_none()));

    // CSRF: refused without the token, nothing changes.
    let r = admin.post_without_csrf(&path, &add).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = admin.post_without_csrf(&format!("{path}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = admin.post_without_csrf(&format!("{path}/secrets"), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(webhooks(&h).await[0].url, "https://hooks.example.com/v2");

    // Only admins.
    h.agent("ana", json!({"users": ["rw"]})).await;
    set_password(&h.engine, "ana", "pw-ana").await;
    let ana = login(&h, "ana", "pw-ana").await;
    assert_eq!(ana.get("/admin/webhooks").await.status, StatusCode::FORBIDDEN);
    assert_eq!(ana.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(ana.get(&format!("{path}/deliveries")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(ana.post("/admin/webhooks", &add).await.status, StatusCode::FORBIDDEN);
    assert_eq!(ana.post(&format!("{path}/delete"), &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(webhooks(&h).await.len(), 1);

    // Delete after a confirmation.
    let r = admin.get(&format!("{path}/delete")).await;
    assert!(r.status == StatusCode::OK && r.text.contains("Nothing more is sent to https://hooks.example.com/v2"));
    saved(&admin, &format!("{path}/delete"), &[], "/admin/webhooks?done=deleted").await;
    assert!(webhooks(&h).await.is_empty());
    assert_eq!(admin.get(&path).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn deliveries_show_their_attempts_and_replays_queue_them_again() {
    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    let system = h.engine.admin(&Actor::System).await.unwrap();
    let sub = WebhookSubscription::new("", "https://hooks.example.com/in", vec![EventType::TicketCreated], SECRET);
    let id = system.put_webhook(sub).await.unwrap().id;
    let admin = login(&h, "admin", "pw-admin").await;
    let path = format!("/admin/webhooks/{id}/deliveries");
    let r = admin.get(&path).await;
    assert!(r.status == StatusCode::OK && r.text.contains("Nothing was sent yet."), "{}", r.text);

    // Two tickets: the receiver fails the first for good (503 until the day of retries is over), takes
    // the second.
    let first = h.open(ADMIN_TOKEN, ticket("printer", "Raw")).await;
    let second = h.open(ADMIN_TOKEN, ticket("vpn", "Raw")).await;
    let queued_at = h.engine.now();
    let failed = || WebhookOutcome::Failed {
        status: Some(503),
        error: "503 Service Unavailable".into(),
        latency_ms: 120,
        retry_after: None,
    };
    let mut dead = None;
    let mut sent = None;
    for round in 0..2 {
        let chains = h.engine.claim_webhook_chains(100).await.unwrap();
        for chain in chains {
            for job in &chain.jobs {
                let number = job.body.contains(&format!("\"number\":\"{first}\""));
                let outcome = if number { failed() } else { WebhookOutcome::Delivered { status: 200, latency_ms: 35 } };
                let result = h.engine.finish_webhook(job, outcome).await.unwrap();
                match (number, round) {
                    (true, 0) => assert!(matches!(result, WebhookResult::Retry(_)), "{result:?}"),
                    (true, _) => {
                        assert_eq!(result, WebhookResult::DeadLetter);
                        dead = Some(job.delivery.id);
                    }
                    (false, _) => sent = Some(job.delivery.id),
                }
            }
        }
        // The day of retries ends.
        h.clock.advance(Duration::from_secs(25 * 3600));
    }
    let (dead, sent) = (dead.expect("a dead letter"), sent.expect("a delivery"));
    // Two days later the first session ended.
    let admin = login(&h, "admin", "pw-admin").await;

    // The page: newest first, each with its event, ticket, status and attempts.
    let r = admin.get(&path).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let dead_row = by_id(&r.text, &format!("delivery-{dead}"), "</tr>");
    assert!(dead_row.contains("delivery-failed") && dead_row.contains("dead letter"), "{dead_row}");
    assert!(dead_row.contains("ticket.created") && dead_row.contains(&format!(">{first}</a>")), "{dead_row}");
    assert!(dead_row.contains(">2</td>") && dead_row.contains("Send again"), "two attempts: {dead_row}");
    let attempts = by_id(&r.text, &format!("attempts-{dead}"), "</table>");
    assert_eq!(attempts.matches("<td class=\"num\">503</td>").count(), 2, "{attempts}");
    assert!(attempts.contains("120 ms") && attempts.contains("503 Service Unavailable"), "{attempts}");
    let sent_row = by_id(&r.text, &format!("delivery-{sent}"), "</tr>");
    assert!(sent_row.contains("delivery-sent") && sent_row.contains(&format!(">{second}</a>")), "{sent_row}");
    let attempts = by_id(&r.text, &format!("attempts-{sent}"), "</table>");
    assert!(attempts.contains(">200</td>") && attempts.contains("35 ms"), "{attempts}");
    assert!(r.text.find(&format!("delivery-{sent}")) < r.text.find(&format!("delivery-{dead}")), "newest first");
    // The list counts the dead letter.
    let r = admin.get("/admin/webhooks").await;
    let row = by_id(&r.text, &format!("webhook-{id}"), "</tr>");
    assert!(row.contains("data-label=\"Dead letters\">1</td>"), "{row}");

    // Replay one: CSRF-protected; then waiting again, due now.
    let replay = format!("/admin/webhooks/{id}/deliveries/{dead}/replay");
    assert_eq!(admin.post_without_csrf(&replay, &[]).await.status, StatusCode::FORBIDDEN);
    saved(&admin, &replay, &[], &format!("{path}?replayed=1")).await;
    let d = system.webhook_deliveries(&id, None, 10).await.unwrap().into_iter().find(|d| d.id == dead).unwrap();
    assert_eq!((d.status, d.attempts, d.replays, d.next_attempt_at), (OutboxStatus::Pending, 0, 1, h.engine.now()));
    let r = admin.get(&format!("{path}?replayed=1")).await;
    assert!(r.text.contains("One delivery will be sent again."), "{}", r.text);
    let dead_row = by_id(&r.text, &format!("delivery-{dead}"), "</tr>");
    assert!(dead_row.contains("waiting") && dead_row.contains("replayed once"), "{dead_row}");
    assert!(!dead_row.contains("Send again"), "a waiting delivery has no replay button: {dead_row}");
    let r = admin.post(&format!("/admin/webhooks/{id}/deliveries/99999/replay"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);

    // Replay a range, typed in the admin's zone: only dead letters finds none now; all finds the sent one.
    let zone = TimeZoneName::utc();
    let day =
        |offset: i64| format!("{}T00:00", zone.local_date(queued_at.as_unix_seconds() + offset * 86_400).unwrap());
    let (from, to) = (day(0), day(3));
    let range = format!("/admin/webhooks/{id}/replay");
    assert_eq!(
        admin.post_without_csrf(&range, &[("from", from.as_str()), ("to", to.as_str())]).await.status,
        StatusCode::FORBIDDEN
    );
    saved(
        &admin,
        &range,
        &[("from", from.as_str()), ("to", to.as_str()), ("only_failed", "1")],
        &format!("{path}?replayed=0"),
    )
    .await;
    let r = admin.get(&format!("{path}?replayed=0")).await;
    assert!(r.text.contains("Nothing to send again in that range."), "{}", r.text);
    let later = (day(1), day(3));
    saved(&admin, &range, &[("from", later.0.as_str()), ("to", later.1.as_str())], &format!("{path}?replayed=0")).await;
    saved(&admin, &range, &[("from", from.as_str()), ("to", to.as_str())], &format!("{path}?replayed=1")).await;
    let all = system.webhook_deliveries(&id, None, 10).await.unwrap();
    assert!(all.iter().all(|d| d.status == OutboxStatus::Pending), "{all:?}");
    // A range that is none is refused next to the form, which keeps it.
    let r = admin.post(&range, &[("from", "yesterday"), ("to", to.as_str())]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(form_error(&r.text).contains("yesterday") && r.text.contains("value=\"yesterday\""), "{}", r.text);
    let r = admin.post(&range, &[("from", &to), ("to", &from)]).await;
    assert!(r.status.is_client_error() && form_error(&r.text).contains("end after"), "{}", r.text);

    // The replayed deliveries go out again with the same webhook-id.
    let chains = h.engine.claim_webhook_chains(100).await.unwrap();
    let jobs: Vec<_> = chains.iter().flat_map(|c| c.jobs.iter()).collect();
    assert_eq!(jobs.len(), 2, "{jobs:?}");
    assert!(jobs.iter().all(|j| j.message_id.starts_with("evt_")));
}

#[tokio::test]
async fn portuguese_admins_read_the_screens_and_the_refusals_in_portuguese() {
    let h = Harness::new().await;
    let system = h.engine.admin(&Actor::System).await.unwrap();
    let mut me = h.engine.agent("admin").await.unwrap().unwrap();
    me.language = Some("pt-BR".into());
    system.put_agent(me).await.unwrap();
    set_password(&h.engine, "admin", "pw-admin").await;
    let admin = login(&h, "admin", "pw-admin").await;
    let r = admin.get("/admin/webhooks").await;
    assert!(r.text.contains("<html lang=\"pt-BR\">") && r.text.contains("Adicionar webhook"), "{}", r.text);
    assert!(r.text.contains("um chamado foi aberto") && r.text.contains("Nenhum webhook ainda."), "{}", r.text);
    let private =
        [("url", "http://10.1.2.3/in"), ("event", "ticket.created"), ("max_concurrency", "4"), ("timeout_ms", "100")];
    let r = admin.post("/admin/webhooks", &private).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(form_error(&r.text).contains("endereço privado, de loopback ou link-local (10.1.2.3)"), "{}", r.text);
    let id = system
        .put_webhook(WebhookSubscription::new("", "https://hooks.example.com/in", vec![EventType::Merged], SECRET))
        .await
        .unwrap()
        .id;
    let r = admin.get(&format!("/admin/webhooks/{id}/deliveries")).await;
    assert!(r.text.contains("Nada foi enviado ainda.") && r.text.contains("Só mensagens mortas"), "{}", r.text);
}
