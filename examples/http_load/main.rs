//! `http_load`: a load generator for the chamado HTTP API, run as a second process against a running
//! `helpdesk`. It keeps `--connections` HTTP/1.1 keep-alive connections busy for `--seconds` and prints
//! throughput and latency percentiles.
//!
//! ```text
//! cargo run --release --example http_load -- --url http://127.0.0.1:8080 --token "$(cat data/admin.token)" --mode post
//! cargo run --release --example http_load -- --url http://127.0.0.1:8080 --token "$(cat data/admin.token)" --mode get
//! ```
//! `post` opens tickets (`POST /api/v1/tickets`, each durable before it is answered); `get` first opens
//! `--tickets` tickets, then reads them by number (`GET /api/v1/tickets/{number}`) round robin.
#![forbid(unsafe_code)]

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Why the load run failed.
#[derive(Debug, thiserror::Error)]
enum LoadError {
    #[error("{0}")]
    Usage(String),
    #[error("connecting to {addr}: {source}")]
    Connect { addr: String, source: std::io::Error },
    #[error("HTTP: {0}")]
    Http(#[from] hyper::Error),
    #[error("building a request: {0}")]
    Request(#[from] hyper::http::Error),
    #[error("setting up tickets: {0}")]
    Setup(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    Post,
    Get,
    /// GET one fixed path (e.g. `/healthz`, to see the HTTP stack's own ceiling).
    Path(String),
}

#[derive(Debug, Clone)]
struct Args {
    addr: String,
    token: String,
    mode: Mode,
    connections: usize,
    seconds: u64,
    tickets: usize,
}

const USAGE: &str = "usage: http_load --url http://HOST:PORT --token TOKEN [--mode post|get|/path] [--connections 64] [--seconds 10] [--tickets 1000]";

fn parse_args() -> Result<Args, LoadError> {
    let mut args = Args {
        addr: String::new(),
        token: String::new(),
        mode: Mode::Post,
        connections: 64,
        seconds: 10,
        tickets: 1000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| LoadError::Usage(format!("{flag} needs a value\n{USAGE}")));
        let num = |v: String| v.parse::<u64>().map_err(|_| LoadError::Usage(format!("{v:?} is not a number\n{USAGE}")));
        match flag.as_str() {
            "--url" => args.addr = value()?.trim_start_matches("http://").trim_end_matches('/').to_string(),
            "--token" => args.token = value()?,
            "--mode" => {
                args.mode = match value()?.as_str() {
                    "post" => Mode::Post,
                    "get" => Mode::Get,
                    p if p.starts_with('/') => Mode::Path(p.to_string()),
                    other => {
                        return Err(LoadError::Usage(format!("mode {other:?} is not post, get or a /path\n{USAGE}")));
                    }
                }
            }
            "--connections" => args.connections = usize::try_from(num(value()?)?).unwrap_or(64).max(1),
            "--seconds" => args.seconds = num(value()?)?.max(1),
            "--tickets" => args.tickets = usize::try_from(num(value()?)?).unwrap_or(1000).max(1),
            "--help" | "-h" => return Err(LoadError::Usage(USAGE.into())),
            other => return Err(LoadError::Usage(format!("unknown flag {other:?}\n{USAGE}"))),
        }
    }
    if args.addr.is_empty() || args.token.is_empty() {
        return Err(LoadError::Usage(USAGE.into()));
    }
    Ok(args)
}

/// One keep-alive connection.
struct Conn {
    sender: http1::SendRequest<Full<Bytes>>,
    addr: String,
    token: String,
}

impl Conn {
    async fn open(addr: &str, token: &str) -> Result<Conn, LoadError> {
        let stream = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|source| LoadError::Connect { addr: addr.into(), source })?;
        let _ = stream.set_nodelay(true);
        let (sender, conn) = http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(conn);
        Ok(Conn { sender, addr: addr.into(), token: token.into() })
    }

    /// Sends one request; answers the status and the body.
    async fn send(&mut self, method: &str, path: &str, body: Option<&'static str>) -> Result<(u16, Bytes), LoadError> {
        self.sender.ready().await?;
        let mut b = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header("host", &self.addr)
            .header("authorization", format!("Bearer {}", self.token));
        if body.is_some() {
            b = b.header("content-type", "application/json");
        }
        let req = b.body(Full::new(body.map(|b| Bytes::from_static(b.as_bytes())).unwrap_or_default()))?;
        let res = self.sender.send_request(req).await?;
        let status = res.status().as_u16();
        let bytes = res.into_body().collect().await?.to_bytes();
        Ok((status, bytes))
    }
}

const TICKET: &str = r#"{"title":"Load test","body":"A ticket opened by http_load.","queue":"Raw"}"#;

async fn setup_tickets(args: &Args) -> Result<Vec<String>, LoadError> {
    let mut conn = Conn::open(&args.addr, &args.token).await?;
    let mut numbers = Vec::with_capacity(args.tickets);
    for _ in 0..args.tickets {
        let (status, body) = conn.send("POST", "/api/v1/tickets", Some(TICKET)).await?;
        if status != 201 {
            return Err(LoadError::Setup(format!(
                "POST /api/v1/tickets answered {status}: {}",
                String::from_utf8_lossy(&body)
            )));
        }
        let v: serde_json::Value = serde_json::from_slice(&body).map_err(|e| LoadError::Setup(e.to_string()))?;
        numbers.push(v["number"].as_str().unwrap_or_default().to_string());
    }
    Ok(numbers)
}

struct Outcome {
    latencies_us: Vec<u32>,
    errors: u64,
}

async fn worker(
    args: Arc<Args>,
    numbers: Arc<Vec<String>>,
    offset: usize,
    deadline: Instant,
) -> Result<Outcome, LoadError> {
    let mut conn = Conn::open(&args.addr, &args.token).await?;
    let mut out = Outcome { latencies_us: Vec::with_capacity(65_536), errors: 0 };
    let mut i = offset;
    while Instant::now() < deadline {
        let started = Instant::now();
        let (status, _) = match &args.mode {
            Mode::Post => conn.send("POST", "/api/v1/tickets", Some(TICKET)).await?,
            Mode::Path(p) => conn.send("GET", p, None).await?,
            Mode::Get => {
                i = (i + 1) % numbers.len().max(1);
                let path = format!("/api/v1/tickets/{}", numbers.get(i).map_or("0", String::as_str));
                conn.send("GET", &path, None).await?
            }
        };
        let us = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
        out.latencies_us.push(us);
        let expected = if args.mode == Mode::Post { 201 } else { 200 };
        if status != expected {
            out.errors += 1;
        }
    }
    Ok(out)
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    f64::from(sorted[rank.min(sorted.len() - 1)]) / 1000.0
}

async fn run() -> Result<(), LoadError> {
    let args = Arc::new(parse_args()?);
    let numbers = Arc::new(if args.mode == Mode::Get { setup_tickets(&args).await? } else { Vec::new() });
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(args.connections);
    for c in 0..args.connections {
        tasks.push(tokio::spawn(worker(args.clone(), numbers.clone(), c * 7919, deadline)));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        match t.await {
            Ok(Ok(o)) => {
                all.extend(o.latencies_us);
                errors += o.errors;
            }
            Ok(Err(e)) => return Err(e),
            Err(e) => return Err(LoadError::Setup(format!("a worker stopped: {e}"))),
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let mode = match &args.mode {
        Mode::Post => "POST /api/v1/tickets".to_string(),
        Mode::Get => "GET /api/v1/tickets/{number}".to_string(),
        Mode::Path(p) => format!("GET {p}"),
    };
    println!(
        "{mode}: {} connections, {:.1} s: {} requests, {errors} errors, {:.0} req/s, latency p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        args.connections,
        elapsed,
        all.len(),
        all.len() as f64 / elapsed,
        percentile(&all, 50.0),
        percentile(&all, 90.0),
        percentile(&all, 99.0),
        percentile(&all, 100.0),
    );
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("http_load: {e}");
            ExitCode::FAILURE
        }
    }
}
