//! Server time to render the agent console's busiest pages, measured in process: the router is called
//! with `tower::ServiceExt::oneshot` and a signed-in agent's cookie, so the figures hold the engine's
//! reads, the template and the response, without a network or a client in the way. One scenario per
//! run, in release (`cargo bench` builds with the bench profile):
//!
//! ```text
//! cargo bench -p chamado-benches --bench pages -- queue-view   # /agent, a queue of 50 tickets (a page of 25 rows)
//! cargo bench -p chamado-benches --bench pages -- zoom         # /agent/tickets/{n}, a ticket with 20 articles
//! cargo bench -p chamado-benches --bench pages -- all          # both
//! ```
//!
//! Each scenario renders the page 2,000 times on one task after 100 warm-up renders and prints the
//! median and p99 of the time from the request to the last byte of the body. The store is the memory
//! store, so storage costs stay out of the figure.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chamado::{Actor, Engine, MemoryStore, NewArticle, NewTicket};
use http_body_util::BodyExt;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const WARM_UP: usize = 100;
const RENDERS: usize = 2_000;
const QUEUE_TICKETS: usize = 50;
const ZOOM_ARTICLES: usize = 20;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let scenario = args.first().map(String::as_str).unwrap_or("help");
    let renders = std::env::var("CHAMADO_BENCH_RENDERS").ok().and_then(|v| v.parse().ok()).unwrap_or(RENDERS);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    match scenario {
        "queue-view" => rt.block_on(queue_view(renders)),
        "zoom" => rt.block_on(zoom(renders)),
        "all" => rt.block_on(async {
            queue_view(renders).await;
            zoom(renders).await;
        }),
        _ => eprintln!("usage: cargo bench -p chamado-benches --bench pages -- <queue-view | zoom | all>"),
    }
}

/// A help desk on the memory store with the pages mounted, and the console cookie of agent `admin`.
async fn desk() -> (Router, Engine, String) {
    let engine = Engine::builder(MemoryStore::new()).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    let admin = engine.admin(&Actor::System).await.unwrap();
    chamado_http::auth::set_agent_password(&engine, &admin, "admin", Some("bench-password")).await.unwrap();
    let app = chamado_web::router(engine.clone(), chamado_http::HttpConfig::default());
    let login = Request::builder()
        .method("POST")
        .uri("/agent/login")
        .header(header::HOST, "desk.bench")
        .header(header::ORIGIN, "http://desk.bench")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("login=admin&password=bench-password"))
        .unwrap();
    let res = app.clone().oneshot(login).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the bench agent logs in");
    let cookie = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("chamado_agent_session="))
        .and_then(|v| v.split(';').next())
        .unwrap()
        .to_string();
    (app, engine, cookie)
}

/// A ticket in queue `Raw` with a typical title and text; its number.
async fn ticket(engine: &Engine, i: usize) -> String {
    let new = NewTicket::new(
        format!("Printer on the 2nd floor reports a paper jam ({i})"),
        "Good morning, the printer on the second floor has shown a paper jam since this morning.".repeat(4),
        "Raw".to_string(),
    );
    engine.create_ticket(&Actor::Agent("admin".into()), new).await.unwrap().ticket.number
}

/// Renders `path` `renders` times after a warm-up; prints the median and p99.
async fn measure(name: &str, app: &Router, cookie: &str, path: &str, renders: usize) {
    let mut times: Vec<Duration> = Vec::with_capacity(renders);
    let mut bytes = 0;
    for i in 0..WARM_UP + renders {
        let req = Request::builder().uri(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap();
        let start = Instant::now();
        let res = app.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let body = res.into_body().collect().await.unwrap().to_bytes();
        let took = start.elapsed();
        bytes = body.len();
        if i >= WARM_UP {
            times.push(took);
        }
    }
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "{name}: {renders} renders, {bytes} bytes: median {:.3} ms, p99 {:.3} ms",
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3
    );
}

/// The queue view of one queue holding 50 open tickets.
async fn queue_view(renders: usize) {
    let (app, engine, cookie) = desk().await;
    for i in 0..QUEUE_TICKETS {
        ticket(&engine, i).await;
    }
    measure("queue view, 50 tickets", &app, &cookie, "/agent?queue=Raw", renders).await;
}

/// The zoom of a ticket with 20 articles (the first, then replies and internal notes in turn).
async fn zoom(renders: usize) {
    let (app, engine, cookie) = desk().await;
    let number = ticket(&engine, 0).await;
    let agent = Actor::Agent("admin".into());
    for i in 1..ZOOM_ARTICLES {
        let text = format!("Article {i}: we looked at the printer again and replaced the fuser unit.").repeat(3);
        let article = if i % 2 == 0 { NewArticle::note(text) } else { NewArticle::reply(text) };
        engine.add_article(&agent, &number, article).await.unwrap();
    }
    measure("ticket zoom, 20 articles", &app, &cookie, &format!("/agent/tickets/{number}"), renders).await;
}
