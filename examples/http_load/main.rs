//! `http_load`: a load generator for the chamado HTTP API, run as a second process against a running
//! `helpdesk`. It keeps `--connections` HTTP/1.1 keep-alive connections busy for `--seconds` and prints
//! throughput and latency percentiles.
//!
//! ```text
//! cargo run --release --example http_load -- --url http://127.0.0.1:8080 --token "$(cat data/admin.token)" --mode post
//! cargo run --release --example http_load -- --url http://127.0.0.1:8080 --token "$(cat data/admin.token)" --mode get
//! ```
//! `post` opens tickets (`POST /api/v1/tickets`, each durable before it is answered); `get` first opens
//! `--tickets` tickets, then reads them by number (`GET /api/v1/tickets/{number}`) round robin;
//! `healthz` (or any `/path`) asks `GET /healthz`, the HTTP stack's own ceiling. `get-vs-healthz` opens
//! the tickets once, then runs `--rounds` rounds of `get` and `healthz` alternating, `--seconds` each,
//! and prints the medians and what share of `healthz` the ticket reads reach: both measured in the same
//! minute on the same machine, so a noisy neighbour weighs on both.
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
    /// `Get` and `GET /healthz` in alternating rounds.
    GetVsHealthz,
}

#[derive(Debug, Clone)]
struct Args {
    addr: String,
    token: String,
    mode: Mode,
    connections: usize,
    seconds: u64,
    tickets: usize,
    rounds: usize,
    /// The server's process id: its CPU time per request is printed (Linux `/proc`).
    server_pid: Option<u32>,
}

const USAGE: &str = "usage: http_load --url http://HOST:PORT --token TOKEN [--mode post|get|healthz|/path|get-vs-healthz] [--connections 64] [--seconds 10] [--tickets 1000] [--rounds 3] [--server-pid PID]";

fn parse_args() -> Result<Args, LoadError> {
    let mut args = Args {
        addr: String::new(),
        token: String::new(),
        mode: Mode::Post,
        connections: 64,
        seconds: 10,
        tickets: 1000,
        rounds: 3,
        server_pid: None,
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
                    "healthz" => Mode::Path("/healthz".into()),
                    "get-vs-healthz" => Mode::GetVsHealthz,
                    p if p.starts_with('/') => Mode::Path(p.to_string()),
                    other => {
                        return Err(LoadError::Usage(format!(
                            "mode {other:?} is not post, get, healthz, get-vs-healthz or a /path\n{USAGE}"
                        )));
                    }
                }
            }
            "--connections" => args.connections = usize::try_from(num(value()?)?).unwrap_or(64).max(1),
            "--seconds" => args.seconds = num(value()?)?.max(1),
            "--tickets" => args.tickets = usize::try_from(num(value()?)?).unwrap_or(1000).max(1),
            "--server-pid" => args.server_pid = u32::try_from(num(value()?)?).ok(),
            "--rounds" => args.rounds = usize::try_from(num(value()?)?).unwrap_or(3).max(1),
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
    mode: Mode,
    numbers: Arc<Vec<String>>,
    offset: usize,
    deadline: Instant,
) -> Result<Outcome, LoadError> {
    let mut conn = Conn::open(&args.addr, &args.token).await?;
    let mut out = Outcome { latencies_us: Vec::with_capacity(65_536), errors: 0 };
    let mut i = offset;
    while Instant::now() < deadline {
        let started = Instant::now();
        let (status, _) = match &mode {
            Mode::Post => conn.send("POST", "/api/v1/tickets", Some(TICKET)).await?,
            Mode::Path(p) => conn.send("GET", p, None).await?,
            Mode::Get | Mode::GetVsHealthz => {
                i = (i + 1) % numbers.len().max(1);
                let path = format!("/api/v1/tickets/{}", numbers.get(i).map_or("0", String::as_str));
                conn.send("GET", &path, None).await?
            }
        };
        let us = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
        out.latencies_us.push(us);
        let expected = if mode == Mode::Post { 201 } else { 200 };
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

/// What one timed run of one mode gave.
struct Round {
    requests: usize,
    errors: u64,
    elapsed: f64,
    sorted_us: Vec<u32>,
    /// Server CPU seconds (user + system) over the round, with `--server-pid`.
    server_cpu: Option<f64>,
}

/// User + system CPU seconds of process `pid` so far, from `/proc/<pid>/stat` (clock ticks of 1/100 s,
/// Linux's `USER_HZ` everywhere it runs).
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

impl Round {
    fn rate(&self) -> f64 {
        self.requests as f64 / self.elapsed
    }
}

/// Keeps `--connections` connections busy with `mode` for `--seconds`.
async fn timed(args: &Arc<Args>, mode: &Mode, numbers: &Arc<Vec<String>>) -> Result<Round, LoadError> {
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let cpu_before = args.server_pid.and_then(cpu_seconds);
    let mut tasks = Vec::with_capacity(args.connections);
    for c in 0..args.connections {
        tasks.push(tokio::spawn(worker(args.clone(), mode.clone(), numbers.clone(), c * 7919, deadline)));
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
    let server_cpu = match (cpu_before, args.server_pid.and_then(cpu_seconds)) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    };
    all.sort_unstable();
    Ok(Round { requests: all.len(), errors, elapsed, sorted_us: all, server_cpu })
}

fn describe(mode: &Mode) -> String {
    match mode {
        Mode::Post => "POST /api/v1/tickets".to_string(),
        Mode::Get | Mode::GetVsHealthz => "GET /api/v1/tickets/{number}".to_string(),
        Mode::Path(p) => format!("GET {p}"),
    }
}

fn report(mode: &Mode, connections: usize, r: &Round) {
    let all = &r.sorted_us;
    let cpu = match r.server_cpu {
        Some(s) if r.requests > 0 => format!(", server CPU {:.1} us/request", s * 1e6 / r.requests as f64),
        _ => String::new(),
    };
    println!(
        "{}: {connections} connections, {:.1} s: {} requests, {} errors, {:.0} req/s, latency p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms{cpu}",
        describe(mode),
        r.elapsed,
        r.requests,
        r.errors,
        r.rate(),
        percentile(all, 50.0),
        percentile(all, 90.0),
        percentile(all, 99.0),
        percentile(all, 100.0),
    );
}

/// Server CPU per request of a round, in microseconds.
fn cpu_per_request(r: &Round) -> Option<f64> {
    r.server_cpu.filter(|_| r.requests > 0).map(|s| s * 1e6 / r.requests as f64)
}

fn fmt_pct(v: &[f64]) -> String {
    v.iter().map(|r| format!("{r:.1}%")).collect::<Vec<_>>().join(" / ")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

async fn run() -> Result<(), LoadError> {
    let args = Arc::new(parse_args()?);
    let reads = matches!(args.mode, Mode::Get | Mode::GetVsHealthz);
    let numbers = Arc::new(if reads { setup_tickets(&args).await? } else { Vec::new() });
    if args.mode != Mode::GetVsHealthz {
        let round = timed(&args, &args.mode, &numbers).await?;
        report(&args.mode, args.connections, &round);
        return Ok(());
    }
    let health = Mode::Path("/healthz".into());
    let (mut gets, mut healths, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    let (mut get_cpu, mut health_cpu) = (Vec::new(), Vec::new());
    for i in 1..=args.rounds {
        // Alternate which goes first, so neither always follows the other's warm-up.
        let order = if i % 2 == 1 { [&Mode::Get, &health] } else { [&health, &Mode::Get] };
        for mode in order {
            let round = timed(&args, mode, &numbers).await?;
            print!("round {i}: ");
            report(mode, args.connections, &round);
            let (rates, cpus) =
                if *mode == Mode::Get { (&mut gets, &mut get_cpu) } else { (&mut healths, &mut health_cpu) };
            rates.push(round.rate());
            cpus.extend(cpu_per_request(&round));
        }
        if let (Some(g), Some(h)) = (gets.last(), healths.last()) {
            ratios.push(if *h > 0.0 { 100.0 * g / h } else { 0.0 });
        }
    }
    let (get, health) = (median(gets.clone()), median(healths.clone()));
    let fmt = |v: &[f64]| v.iter().map(|r| format!("{r:.0}")).collect::<Vec<_>>().join(" / ");
    println!(
        "median of {} rounds: GET /api/v1/tickets/{{number}} {get:.0} req/s ({}), GET /healthz {health:.0} req/s ({}): {:.1}%",
        args.rounds,
        fmt(&gets),
        fmt(&healths),
        if health > 0.0 { 100.0 * get / health } else { 0.0 },
    );
    println!("per round, GET as a share of healthz: {} (median {:.1}%)", fmt_pct(&ratios), median(ratios.clone()));
    if !get_cpu.is_empty() && !health_cpu.is_empty() {
        println!(
            "server CPU per request, median: GET /api/v1/tickets/{{number}} {:.1} us, GET /healthz {:.1} us",
            median(get_cpu),
            median(health_cpu)
        );
    }
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
