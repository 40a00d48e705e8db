//! The kit's timers with no HTTP: they tick and deliver, and a shutdown stops them after the round
//! under way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::{Actor, Channel, TicketUpdate};
use chamado_runtime::{Shutdown, TimerEvent, Timers, spawn_timers};
use common::{Recorder, desk};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

const FAST: Timers = Timers { tick_every: Duration::from_millis(20), deliver_every: Duration::from_millis(20) };

async fn eventually(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let started = Instant::now();
    while !done().await {
        assert!(started.elapsed() < Duration::from_secs(5), "{what} never happened");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timers_tick_and_deliver_until_stopped() {
    let d = desk().await;
    let number = d.answered_ticket().await;
    let due = d.engine.now().plus(Duration::from_secs(60));
    let update =
        TicketUpdate { state: Some("pending auto close+".into()), pending_until: Some(due), ..Default::default() };
    d.engine.update_ticket(&Actor::System, &number, update).await.unwrap();
    d.clock.advance(Duration::from_secs(120));

    let recorder = Arc::new(Recorder::default());
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let shutdown = Shutdown::new();
    let channels = vec![recorder.clone() as Arc<dyn Channel>];
    let task =
        spawn_timers(d.engine.clone(), channels, FAST, shutdown.subscribe(), move |e| seen.lock().unwrap().push(e));
    let engine = d.engine.clone();
    eventually("the auto-close", async || {
        engine.ticket(&Actor::System, &number).await.unwrap().ticket.state == "closed successful"
    })
    .await;
    eventually("the delivery", async || recorder.count() == 1).await;
    assert_eq!(recorder.sent.lock().unwrap()[0], "alice@acme.example");
    {
        let events = events.lock().unwrap();
        assert!(events.iter().any(|e| matches!(e, TimerEvent::Tick(r) if r.auto_closed == 1)), "{events:?}");
        assert!(events.iter().any(|e| matches!(e, TimerEvent::Delivery(r) if r.sent == 1)), "{events:?}");
    }
    assert!(!shutdown.is_stopped());
    shutdown.stop();
    assert!(shutdown.is_stopped());
    shutdown.stopped().await;
    tokio::time::timeout(Duration::from_secs(5), task).await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_the_round_under_way_finish_and_starts_no_other() {
    let d = desk().await;
    d.answered_ticket().await;
    let gate = Arc::new(Semaphore::new(0));
    let recorder = Arc::new(Recorder::gated(gate.clone()));
    let shutdown = Shutdown::new();
    let channels = vec![recorder.clone() as Arc<dyn Channel>];
    let task = spawn_timers(d.engine.clone(), channels, FAST, shutdown.subscribe(), |_| {});

    // A delivery round is under way (held at the gate) when the stop comes.
    tokio::time::timeout(Duration::from_secs(5), recorder.entered.acquire()).await.unwrap().unwrap().forget();
    shutdown.clone().stop();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!task.is_finished(), "the round under way is not cut off");
    gate.add_permits(1);
    tokio::time::timeout(Duration::from_secs(5), task).await.unwrap().unwrap();
    assert_eq!(recorder.count(), 1, "the round finished its delivery");
    assert_eq!(d.engine.outbox_pending().await.unwrap(), 0, "and recorded it");

    // Nothing runs after the stop: a new reply stays in the outbox.
    d.answered_ticket().await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(recorder.entered.available_permits(), 0, "no round started after the stop");
    assert_eq!(d.engine.outbox_pending().await.unwrap(), 1);
}

#[tokio::test]
async fn timers_spawned_after_the_stop_return_at_once() {
    let d = desk().await;
    let shutdown = Shutdown::new();
    shutdown.stop();
    let task = spawn_timers(d.engine.clone(), Vec::new(), FAST, shutdown.subscribe(), |_| {});
    tokio::time::timeout(Duration::from_secs(5), task).await.unwrap().unwrap();
}
