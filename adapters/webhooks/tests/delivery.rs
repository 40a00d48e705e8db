//! The worker against a real receiver on loopback (`tests/support/webhook_receiver.py`, which verifies
//! signatures with the `standardwebhooks` package from PyPI): every event type arrives verified, each
//! ticket's events in order across retries, `410 Gone` disables, a hanging receiver delays no other,
//! retries end in a dead letter, and a shutdown gives back what was not sent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::directory::{EscalationTargets, WeeklyHours};
use chamado::{
    Actor, Calendar, Customer, CustomerUser, EventType, Grant, GrantSubject, Lock, NewArticle, NewTicket, OutboxStatus,
    Priority, Service, Sla, TicketUpdate, Timestamp, WebhookConfig,
};
use chamado_runtime::Metrics;
use chamado_webhooks::{WebhookWorker, WorkerConfig};
use common::*;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// Every event type the engine writes reaches a subscriber of all of them, each verified by the
/// receiver, which knows only the newer of the subscription's two secrets; what arrived is exactly the
/// event log, and the worker's counters say so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_type_arrives_verified_with_either_secret() {
    let rx = Receiver::start(&[SECRET]);
    // The engine's clock moves for the escalation clocks; the signatures' timestamps are the wall clock's.
    let d = desk_at(loopback(), Timestamp::from_unix_seconds(1_800_000_000)).await;
    let clock = d.clock.clone().unwrap();
    let ticking = tick_along(clock.clone());
    let admin = d.engine.admin(&Actor::System).await.unwrap();
    admin.put_service(Service::new("IT")).await.unwrap();
    admin.grant(Grant::service(GrantSubject::DefaultCustomerUsers, "IT")).await.unwrap();
    let always =
        Calendar { name: "always".into(), time_zone: "UTC".into(), hours: WeeklyHours::always(), ..Default::default() };
    admin.put_calendar(always).await.unwrap();
    let targets = EscalationTargets { first_response_minutes: 1, notify_before_percent: 50, ..Default::default() };
    let gold = Sla {
        name: "Gold".into(),
        calendar: "always".into(),
        targets,
        services: vec!["IT".into()],
        ..Default::default()
    };
    admin.put_sla(gold).await.unwrap();
    let since = d.engine.latest_event_cursor().await.unwrap();
    d.subscribe(&rx.url("/all"), &EventType::ALL, 5000, 4).await;
    let metrics = Metrics::new(&d.engine);
    let worker = run(WebhookWorker::new(d.engine.clone(), fast()).unwrap().with_metrics(&metrics));

    let agent = Actor::agent("admin");
    let n = d.open("Printer jams").await;
    d.engine.add_article(&agent, &n, NewArticle::reply("On it.")).await.unwrap();
    admin.put_customer(Customer::new("globex", "Globex")).await.unwrap();
    admin.put_customer_user(CustomerUser::new("bob", "bob@acme.example", "acme")).await.unwrap();
    let update = TicketUpdate {
        state: Some("open".into()),
        priority: Some(Priority::new(4).unwrap()),
        owner: Some("admin".into()),
        responsible: Some("admin".into()),
        lock: Some(Lock::Lock),
        title: Some("Printer on fire".into()),
        customer_user: Some("bob".into()),
        ..Default::default()
    };
    d.engine.update_ticket(&agent, &n, update).await.unwrap();
    let service = TicketUpdate { service: Some("IT".into()), ..Default::default() };
    d.engine.update_ticket(&agent, &n, service).await.unwrap();
    let sla = TicketUpdate { sla: Some("Gold".into()), ..Default::default() };
    d.engine.update_ticket(&agent, &n, sla).await.unwrap();
    d.engine
        .update_ticket(&agent, &n, TicketUpdate { queue: Some("Misc".into()), ..Default::default() })
        .await
        .unwrap();
    let dup = d.open("Printer jams again").await;
    d.engine.merge(&agent, &dup, &n).await.unwrap();
    let mut clocked = NewTicket::new("Server down", "Nothing answers.", "Raw");
    clocked.service = Some("IT".into());
    clocked.sla = Some("Gold".into());
    d.engine.create_ticket(&Actor::customer("alice"), clocked).await.unwrap();
    let logged = delivered_all(&d, &rx, since).await;
    // The first-response clock (one minute) warns at half time and breaches at its end; nothing is in
    // flight when the clock jumps (a jump past a lease would send again what is under way).
    clock.advance(Duration::from_secs(40));
    d.engine.tick(d.engine.now()).await.unwrap();
    delivered_all(&d, &rx, since).await;
    clock.advance(Duration::from_secs(80));
    d.engine.tick(d.engine.now()).await.unwrap();
    let logged = logged.len() + 2;
    assert_eq!(delivered_all(&d, &rx, since).await.len(), logged);

    let got = rx.requests();
    let types: HashSet<&str> = got.iter().map(|r| r.event_type.as_str()).collect();
    for t in EventType::ALL {
        assert!(types.contains(t.as_str()), "{t} arrived: {types:?}");
    }
    assert!(got.iter().all(|r| r.verified), "every request verifies with the newer secret: {got:#?}");
    assert!(got.iter().all(|r| r.user_agent.starts_with("chamado-webhooks/")));
    assert_eq!(got.len(), logged, "one request per event, none sent twice");
    let merged: Vec<_> = got.iter().filter(|r| r.event_type == "ticket.merged").collect();
    assert_eq!(merged.len(), 2, "a merge is told for both tickets");

    tokio::time::sleep(Duration::from_millis(200)).await;
    let text = metrics.render().await;
    let delivered = format!("chamado_webhook_deliveries_total{{outcome=\"delivered\"}} {logged}");
    assert!(text.contains(&delivered), "{delivered} in\n{text}");
    assert!(text.contains("chamado_webhooks_pending 0"), "{text}");
    worker.stop(5).await;
    ticking.abort();
}

/// Waits until every event logged after `since` has reached the receiver and the backlog is empty;
/// returns the events' ids.
async fn delivered_all(d: &Desk, rx: &Receiver, since: u64) -> Vec<String> {
    let page = d.engine.events(&Actor::System, since, 1000).await.unwrap();
    let logged: HashSet<String> = page.events.into_iter().map(|e| e.id).collect();
    rx.wait_for(20, "every event", |r| {
        let got: HashSet<String> = r.iter().map(|x| x.webhook_id.clone()).collect();
        logged.is_subset(&got)
    })
    .await;
    d.no_backlog().await;
    logged.into_iter().collect()
}

/// A receiver that fails its first requests gets each ticket's events in the order they happened:
/// no event is sent before the one before it was delivered, and a retry carries the same webhook-id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_ticket_keeps_its_order_across_retries() {
    let rx = Receiver::start(&[SECRET]);
    let d = desk(loopback()).await;
    d.subscribe(&rx.url("/flaky/fail-first/3"), &EventType::ALL, 2000, 4).await;
    let worker = start(&d.engine, fast());
    let agent = Actor::agent("admin");
    let a = d.open("first").await;
    let b = d.open("second").await;
    for i in 0..3 {
        d.engine.add_article(&agent, &a, NewArticle::note(format!("note {i}"))).await.unwrap();
        let title = TicketUpdate { title: Some(format!("second, take {i}")), ..Default::default() };
        d.engine.update_ticket(&agent, &b, title).await.unwrap();
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let expected: Vec<(String, Vec<String>)> =
        vec![(a.clone(), d.event_ids(&a).await), (b.clone(), d.event_ids(&b).await)];
    let all: usize = expected.iter().map(|(_, ids)| ids.len()).sum();
    let got = rx
        .wait_for(40, "every event delivered", |r| {
            r.iter().filter(|x| x.status == Some(200)).map(|x| &x.webhook_id).collect::<HashSet<_>>().len() >= all
        })
        .await;
    assert!(got.iter().all(|r| r.verified));
    assert_eq!(got.iter().filter(|r| r.status == Some(500)).count(), 3, "three requests failed");
    for (number, ids) in &expected {
        let position: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
        let mut delivered = 0usize;
        for r in got.iter().filter(|r| r.ticket.as_deref() == Some(number.as_str())) {
            let k = position[r.webhook_id.as_str()];
            assert!(k <= delivered, "ticket {number}: event {k} sent before event {delivered} was delivered: {got:#?}");
            if r.status == Some(200) && k == delivered {
                delivered += 1;
            }
        }
        assert_eq!(delivered, ids.len(), "ticket {number}: all delivered in order");
    }
    for failed in got.iter().filter(|r| r.status == Some(500)) {
        assert!(
            got.iter().any(|r| r.webhook_id == failed.webhook_id && r.status == Some(200) && r.at > failed.at),
            "a retry carries the same webhook-id"
        );
    }
    d.no_backlog().await;
    worker.stop(5).await;
}

/// An event committed while the ticket's previous one is on its way waits for that one to be delivered,
/// not for its lease to run out: it arrives about a second later even with a long lease.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_behind_one_in_flight_follows_it_soon() {
    let rx = Receiver::start(&[SECRET]);
    let d = desk(WebhookConfig { lease_secs: 60, ..loopback() }).await;
    d.subscribe(&rx.url("/slow/300"), &[EventType::TicketCreated, EventType::ArticleAdded], 5000, 4).await;
    let worker = start(&d.engine, fast());
    let n = d.open("first").await;
    rx.wait_for(10, "the first request", |r| r.len() == 2).await;
    let started = Instant::now();
    d.engine.add_article(&Actor::agent("admin"), &n, NewArticle::note("while it is on its way")).await.unwrap();
    let got = rx.wait_for(10, "the note", |r| r.len() == 3).await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "the note waited {took:?} (the lease is 60 s)");
    let ids = d.event_ids(&n).await;
    assert_eq!(got.iter().map(|r| r.webhook_id.clone()).collect::<Vec<_>>(), ids, "in order");
    d.no_backlog().await;
    worker.stop(5).await;
}

/// `410 Gone` disables the subscription: that delivery and the ones queued behind it become dead
/// letters, nothing more is sent to it, and new events queue nothing for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gone_disables_the_subscription_and_dead_letters_its_deliveries() {
    let rx = Receiver::start(&[SECRET]);
    let d = desk(loopback()).await;
    let id = d.subscribe(&rx.url("/gone/status/410"), &EventType::ALL, 2000, 1).await;
    let agent = Actor::agent("admin");
    // Queued before the worker runs, so one chain holds all three.
    let n = d.open("first").await;
    d.engine.add_article(&agent, &n, NewArticle::note("a note")).await.unwrap();
    let worker = start(&d.engine, fast());
    rx.wait_for(10, "the first request", |r| !r.is_empty()).await;
    let admin = d.engine.admin(&Actor::System).await.unwrap();
    let started = Instant::now();
    loop {
        let deliveries = admin.webhook_deliveries(&id, None, 100).await.unwrap();
        if deliveries.len() == 3 && deliveries.iter().all(|x| x.status == OutboxStatus::Failed) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "all dead letters: {deliveries:#?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sub = admin.webhook(&id).await.unwrap();
    assert!(!sub.enabled);
    assert!(sub.disabled_reason.as_deref().unwrap_or_default().contains("410"), "{sub:?}");
    d.open("after").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(rx.requests().len(), 1, "one request, then nothing");
    assert_eq!(admin.webhook_deliveries(&id, None, 100).await.unwrap().len(), 3, "nothing new queued");
    assert_eq!(d.engine.webhooks_pending().await.unwrap(), 0);
    worker.stop(5).await;
}

/// A receiver that never answers holds only its own slot: another subscription's deliveries arrive
/// at once, long before the hanging requests time out, and the chains beyond the hanging receiver's
/// waiting limit go back to the store instead of queueing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_receiver_does_not_delay_another() {
    let rx = Receiver::start(&[SECRET]);
    let d = desk(loopback()).await;
    d.subscribe(&rx.url("/slow/hang"), &[EventType::TicketCreated], 6000, 1).await;
    d.subscribe(&rx.url("/quick"), &[EventType::TicketCreated], 4000, 4).await;
    let config = WorkerConfig { max_waiting_chains: 2, busy_delay_ms: 2000, ..fast() };
    let metrics = Metrics::new(&d.engine);
    let worker = run(WebhookWorker::new(d.engine.clone(), config).unwrap().with_metrics(&metrics));
    let started = Instant::now();
    for i in 0..6 {
        d.open(&format!("ticket {i}")).await;
    }
    let got =
        rx.wait_for(10, "the quick receiver's six", |r| r.iter().filter(|x| x.path == "/quick").count() == 6).await;
    let took = started.elapsed();
    let t0 = got[0].at;
    let timeline: Vec<(String, Option<String>, f64)> =
        got.iter().map(|r| (r.path.clone(), r.ticket.clone(), r.at - t0)).collect();
    assert!(
        took < Duration::from_secs(4),
        "the quick receiver waited {took:?} (the hanging one times out at 6 s) {timeline:#?}"
    );
    assert_eq!(rx.requests_to("/slow").len(), 1, "the hanging receiver has one request in flight");
    let text = metrics.render().await;
    let released = text
        .lines()
        .find_map(|l| l.strip_prefix("chamado_webhook_deliveries_total{outcome=\"released\"} "))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or_default();
    assert!(released >= 3.0, "chains beyond the waiting limit were handed back: {text}");
    worker.stop(10).await;
}

/// Retries follow the backoff on the engine's clock and end, once the retry window is over, in a dead
/// letter; every attempt is signed afresh and verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_end_in_a_dead_letter_after_the_window() {
    let rx = Receiver::start(&[SECRET]);
    let webhooks = WebhookConfig { retry_hours: 1, ..loopback() };
    let d = desk_at(webhooks, Timestamp::from_unix_seconds(1_800_000_000)).await;
    let clock = d.clock.clone().unwrap();
    let id = d.subscribe(&rx.url("/down/status/500"), &[EventType::TicketCreated], 2000, 1).await;
    let worker = start(&d.engine, fast());
    d.open("never delivered").await;
    let admin = d.engine.admin(&Actor::System).await.unwrap();
    // The clock stands still between moves: each attempt must be recorded (due again on the backoff
    // from the time it was recorded at) before the clock moves on.
    let recorded = async |attempts: u32| {
        let started = Instant::now();
        loop {
            let ds = admin.webhook_deliveries(&id, None, 10).await.unwrap();
            if let Some(x) = ds.into_iter().next().filter(|x| x.attempts == attempts) {
                return x;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "attempt {attempts} never recorded");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let first = recorded(1).await;
    assert_eq!(first.status, OutboxStatus::Pending);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(rx.requests().len(), 1, "no retry before the backoff on the engine's clock");

    // Retried on each backoff (1 s, doubling, at most 4 s), until the hour is over.
    let mut attempts = 1;
    while d.engine.now() < first.created_at.plus(Duration::from_secs(3600)) {
        clock.advance(Duration::from_secs(5));
        attempts += 1;
        rx.wait_for(10, "a retry", |r| r.len() == attempts as usize).await;
        recorded(attempts).await;
        if attempts == 3 {
            clock.advance(Duration::from_secs(3600 - 15));
        }
    }
    let dead = recorded(attempts).await;
    assert_eq!(dead.status, OutboxStatus::Failed, "{dead:#?}");
    assert_eq!(dead.last_attempt().and_then(|a| a.status), Some(500));
    assert!(dead.last_attempt().and_then(|a| a.error.clone()).unwrap_or_default().starts_with("HTTP 500"));
    clock.advance(Duration::from_secs(3600));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = rx.requests();
    assert_eq!(got.len(), attempts as usize, "nothing after the dead letter");
    assert!(got.iter().all(|r| r.verified && r.webhook_id == got[0].webhook_id));
    assert_eq!(d.engine.webhooks_pending().await.unwrap(), 0);
    worker.stop(5).await;
}

/// A stop gives back the chains waiting for a slot at once and lets the request under way finish (it
/// times out here): the worker returns, and every delivery is pending again, none lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_gives_back_what_was_not_sent() {
    let rx = Receiver::start(&[SECRET]);
    let d = desk(loopback()).await;
    let id = d.subscribe(&rx.url("/hang"), &[EventType::TicketCreated], 1500, 1).await;
    // Queued first, so the worker's first claim takes all three.
    for i in 0..3 {
        d.open(&format!("ticket {i}")).await;
    }
    let worker = start(&d.engine, fast());
    rx.wait_for(10, "the first request", |r| r.len() == 1).await;
    let stopping = Instant::now();
    worker.stop(5).await;
    assert!(stopping.elapsed() < Duration::from_secs(4), "the stop waited only for the request under way");
    let admin = d.engine.admin(&Actor::System).await.unwrap();
    let deliveries = admin.webhook_deliveries(&id, None, 10).await.unwrap();
    assert_eq!(deliveries.len(), 3);
    assert!(deliveries.iter().all(|x| x.status == OutboxStatus::Pending), "{deliveries:#?}");
    let attempted: Vec<_> = deliveries.iter().filter(|x| x.attempts == 1).collect();
    assert_eq!(attempted.len(), 1, "the request under way was recorded (a timeout), the others given back");
    assert!(attempted[0].last_attempt().and_then(|a| a.error.clone()).unwrap_or_default().contains("no answer"));
    let now = d.engine.now();
    assert!(
        deliveries.iter().filter(|x| x.attempts == 0).all(|x| x.next_attempt_at <= now.plus(Duration::from_millis(10)))
    );
    assert_eq!(rx.requests().len(), 1);
}

/// Throughput to the Python receiver on loopback (not a check: run with `--ignored --nocapture`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement"]
async fn throughput_to_a_local_receiver() {
    let rx = Receiver::start(&[SECRET]);
    let d = desk(loopback()).await;
    d.subscribe(&rx.url("/bench"), &[EventType::TicketCreated], 5000, 16).await;
    let tickets = 1000;
    for i in 0..tickets {
        d.open(&format!("ticket {i}")).await;
    }
    let started = Instant::now();
    let worker = start(&d.engine, WorkerConfig { claim_batch: 500, ..fast() });
    rx.wait_for(120, "every delivery", |r| r.len() == tickets).await;
    d.no_backlog().await;
    let took = started.elapsed();
    println!("{tickets} deliveries in {took:?}: {:.0}/s", tickets as f64 / took.as_secs_f64());
    worker.stop(5).await;
}
