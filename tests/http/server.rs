//! Serving over TCP: graceful shutdown lets in-flight requests finish; timers run the engine's tick.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Bytes;
use chamado::{Actor, NewTicket, TicketUpdate};
use chamado_http::server::serve;
use chamado_runtime::{Timers, spawn_timers};
use common::Harness;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_waits_for_requests_in_flight() {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, h.app.clone(), async move {
        let _ = stop_rx.await;
    }));
    let http: Client<HttpConnector, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let login = |password: &'static str| {
        let http = http.clone();
        let url = format!("{base}/api/v1/sessions");
        async move {
            let body = format!("{{\"login\":\"alice\",\"password\":\"{password}\"}}");
            let req = hyper::Request::post(url)
                .header("content-type", "application/json")
                .body(Full::new(Bytes::from(body)))
                .unwrap();
            let res = http.request(req).await.unwrap();
            let status = res.status().as_u16();
            let _ = res.into_body().collect().await.unwrap();
            status
        }
    };
    for _ in 0..2 {
        assert_eq!(login("wrong").await, 401);
    }
    // The next attempt after the 3rd (free) one is held back (throttled) until 300 ms after the 3rd
    // started: a slow request in flight.
    let started = Instant::now();
    assert_eq!(login("wrong").await, 401);
    let slow = tokio::spawn(login("wrong"));
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop_tx.send(()).unwrap();
    assert_eq!(slow.await.unwrap(), 401, "the in-flight request is answered");
    assert!(started.elapsed() >= Duration::from_millis(300));
    tokio::time::timeout(Duration::from_secs(5), server).await.unwrap().unwrap().unwrap();
    // And nothing is accepted any more.
    let req = hyper::Request::get(format!("{base}/healthz")).body(Full::new(Bytes::new())).unwrap();
    assert!(http.request(req).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timers_run_the_engine_tick_until_stopped() {
    let h = Harness::new().await;
    let view = h.engine.create_ticket(&Actor::System, NewTicket::new("pending", "body", "Raw")).await.unwrap();
    let number = view.ticket.number.clone();
    let due = h.engine.now().plus(Duration::from_secs(60));
    let update =
        TicketUpdate { state: Some("pending auto close+".into()), pending_until: Some(due), ..Default::default() };
    h.engine.update_ticket(&Actor::System, &number, update).await.unwrap();
    h.clock.advance(Duration::from_secs(120));

    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let timers = Timers { tick_every: Duration::from_millis(20), deliver_every: Duration::from_millis(20) };
    let task = spawn_timers(h.engine.clone(), Vec::new(), timers, stop_rx, move |e| {
        seen.lock().unwrap().push(format!("{e:?}"))
    });
    let started = Instant::now();
    loop {
        let t = h.engine.ticket(&Actor::System, &number).await.unwrap();
        if t.ticket.state == "closed successful" {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "the tick never closed the ticket");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(events.lock().unwrap().iter().any(|e| e.contains("auto_closed: 1")), "{:?}", events.lock().unwrap());
    stop_tx.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(5), task).await.unwrap().unwrap();
}
