//! The transport against the receiver on loopback: the SSRF guard (at `put_webhook`, for address hosts
//! before sending, and for names at connect time through the resolver), redirects not followed,
//! answers mapped to outcomes, `Retry-After`, timeouts and large answers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::webhooks::TargetError;
use chamado::{
    Actor, Error, EventRecord, EventType, OutboxStatus, Timestamp, WebhookConfig, WebhookDelivery, WebhookJob,
    WebhookOutcome, WebhookSubscription,
};
use chamado_webhooks::resolver::LookupFuture;
use chamado_webhooks::{Lookup, TransportConfig, WebhookTransport};
use common::*;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Names resolved from a fixed table, as a DNS server under an attacker's control would answer.
struct Table(Vec<(&'static str, IpAddr)>);

impl Lookup for Table {
    fn lookup(&self, host: &str) -> LookupFuture {
        let found: Vec<IpAddr> = self.0.iter().filter(|(h, _)| *h == host).map(|(_, ip)| *ip).collect();
        Box::pin(async move { Ok(found) })
    }
}

fn rebinding() -> Arc<dyn Lookup> {
    Arc::new(Table(vec![("hooks.example.com", "127.0.0.1".parse().unwrap())]))
}

fn transport(allow_private_targets: bool, lookup: Option<Arc<dyn Lookup>>) -> WebhookTransport {
    let config = TransportConfig { allow_private_targets, ..Default::default() };
    match lookup {
        Some(l) => WebhookTransport::with_lookup(&config, l).unwrap(),
        None => WebhookTransport::new(&config).unwrap(),
    }
}

/// A job for `url`, as the engine would hand it out.
fn job(url: &str, timeout_ms: u64) -> WebhookJob {
    let mut subscription = WebhookSubscription::new("wh_t", url, vec![EventType::TicketCreated], SECRET);
    subscription.timeout_ms = timeout_ms;
    let event = EventRecord {
        seq: 1,
        id: "evt_test".into(),
        event_type: EventType::TicketCreated,
        at: Timestamp(1_800_000_000_000),
        ticket_id: None,
        queue: Some("Raw".into()),
        order: 256,
        data: r#"{"version":1,"actor":"admin","ticket":{"number":"42"}}"#.into(),
    };
    let delivery = WebhookDelivery {
        id: 1,
        subscription: "wh_t".into(),
        fan_out: Vec::new(),
        events: vec![event.clone()],
        ticket_id: None,
        order: event.order,
        status: OutboxStatus::Pending,
        attempts: 0,
        next_attempt_at: Timestamp(0),
        created_at: Timestamp(0),
        retry_since: Timestamp(0),
        recent_attempts: Vec::new(),
        replays: 0,
    };
    WebhookJob {
        delivery,
        subscription,
        message_id: event.id.clone(),
        body: event.body(),
        secrets: vec![SECRET.into()],
    }
}

fn error_of(outcome: &WebhookOutcome) -> String {
    match outcome {
        WebhookOutcome::Failed { error, .. } => error.clone(),
        other => panic!("not a failure: {other:?}"),
    }
}

/// Without `allow_private_targets`, a loopback URL is refused when the subscription is saved, and an
/// address host is refused again before sending (a subscription saved while the setting was on).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn address_hosts_are_refused_when_saved_and_before_sending() {
    let rx = Receiver::start(&[SECRET]);
    let d = desk(WebhookConfig::default()).await;
    let admin = d.engine.admin(&Actor::System).await.unwrap();
    for url in [rx.url("/x"), "http://localhost:9/x".into(), "http://[::ffff:10.0.0.1]/x".into()] {
        let sub = WebhookSubscription::new("", &url, vec![EventType::TicketCreated], SECRET);
        match admin.put_webhook(sub).await {
            Err(Error::Validation(m)) => {
                assert_eq!(m.message().map(|m| m.key()), Some("error-webhook-private-target"), "{url}")
            }
            other => panic!("{url}: {other:?}"),
        }
    }
    let outcome = transport(false, None).send(&job(&rx.url("/x"), 2000), Duration::from_secs(2)).await;
    assert_eq!(error_of(&outcome), TargetError::Private("127.0.0.1".into()).to_string());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(rx.requests().is_empty(), "nothing reached the receiver");
}

/// A name that resolves to loopback (DNS rebinding: it passed when saved) is refused at connect time
/// by the resolver, through the whole worker; the same lookup with the setting on reaches the receiver,
/// so it is the guard that stopped it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_resolving_to_a_private_address_is_refused_at_connect_time() {
    let rx = Receiver::start(&[SECRET]);
    let d = desk(WebhookConfig { lease_secs: 5, ..WebhookConfig::default() }).await;
    let url = format!("http://hooks.example.com:{}/rebound", rx.port);
    let id = d.subscribe(&url, &[EventType::TicketCreated], 2000, 1).await;
    let worker = start_with(&d.engine, fast(), transport(false, Some(rebinding())));
    d.open("to a rebinding name").await;
    let admin = d.engine.admin(&Actor::System).await.unwrap();
    let started = Instant::now();
    let attempt = loop {
        let ds = admin.webhook_deliveries(&id, None, 10).await.unwrap();
        if let Some(a) = ds.first().and_then(|x| x.last_attempt()).cloned() {
            break a;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "no attempt");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    worker.stop(5).await;
    let error = attempt.error.unwrap_or_default();
    assert!(error.contains("hooks.example.com resolves only to private"), "{error}");
    assert!(error.contains("127.0.0.1"), "{error}");
    assert_eq!(attempt.status, None);
    assert!(rx.requests().is_empty(), "nothing reached the receiver");

    let allowed = transport(true, Some(rebinding())).send(&job(&url, 2000), Duration::from_secs(2)).await;
    assert!(matches!(allowed, WebhookOutcome::Delivered { status: 200, .. }), "{allowed:?}");
    let got = rx.requests();
    assert_eq!(got.len(), 1);
    assert!(got[0].verified && got[0].path == "/rebound");
}

/// Statuses map to outcomes: 2xx delivered, 410 gone, anything else (a redirect included, which is
/// never followed) failed, with `Retry-After` read in seconds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_map_to_outcomes_and_redirects_are_not_followed() {
    let rx = Receiver::start(&[SECRET]);
    let t = transport(true, None);
    let send = |path: &str| {
        let j = job(&rx.url(path), 2000);
        let t = t.clone();
        async move { t.send(&j, Duration::from_secs(2)).await }
    };
    assert!(matches!(send("/status/204").await, WebhookOutcome::Delivered { status: 204, .. }));
    assert!(matches!(send("/status/410").await, WebhookOutcome::Gone { .. }));
    match send("/status/503/retry-after/120").await {
        WebhookOutcome::Failed { status: Some(503), retry_after, error, .. } => {
            assert_eq!(retry_after, Some(Duration::from_secs(120)));
            assert_eq!(error, "HTTP 503: no");
        }
        other => panic!("{other:?}"),
    }
    match send("/redirect").await {
        WebhookOutcome::Failed { status: Some(302), retry_after: None, .. } => {}
        other => panic!("{other:?}"),
    }
    let got = rx.requests();
    let paths: Vec<&str> = got.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/status/204", "/status/410", "/status/503/retry-after/120", "/redirect"],
        "the redirect was not followed"
    );
    assert!(got.iter().all(|r| r.verified && r.webhook_id == "evt_test" && r.ticket.as_deref() == Some("42")));
}

/// A receiver that never answers costs the timeout and no more; one that answers with a huge body is
/// read only up to the limit, its status still counting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hangs_time_out_and_large_answers_are_cut() {
    let rx = Receiver::start(&[SECRET]);
    let t = transport(true, None);
    let started = Instant::now();
    let outcome = t.send(&job(&rx.url("/hang"), 300), Duration::from_millis(300)).await;
    let took = started.elapsed();
    assert_eq!(error_of(&outcome), "no answer within 300 ms");
    assert!(took >= Duration::from_millis(300) && took < Duration::from_secs(3), "{took:?}");

    let outcome = t.send(&job(&rx.url("/big/50000000"), 5000), Duration::from_secs(5)).await;
    assert!(matches!(outcome, WebhookOutcome::Delivered { status: 200, .. }), "{outcome:?}");
    match t.send(&job(&rx.url("/big/50000000/status/500"), 5000), Duration::from_secs(5)).await {
        WebhookOutcome::Failed { status: Some(500), error, .. } => {
            assert_eq!(error, format!("HTTP 500: {}", "x".repeat(200)));
        }
        other => panic!("{other:?}"),
    }
}
