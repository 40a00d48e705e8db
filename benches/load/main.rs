//! `mixed_load`: drives a running helpdesk over HTTP and SMTP at once with a help desk's mix —
//! customers opening tickets, following up and listing their own; agents listing a queue, opening
//! tickets and replying; searches; mail arriving over SMTP, new and replies — and prints throughput
//! and p50/p99/max per operation, and the server's resident memory.
//!
//! ```text
//! # once: 200 customer users (50 customers), then 1M tickets opened by them over HTTP
//! mixed_load --url http://127.0.0.1:18080 --token-file data/admin.token --state load.state \
//!     --setup 200 --preload 1000000 --seconds 0
//! # the measured run (any number of times; the state file remembers users and tickets)
//! mixed_load --url http://127.0.0.1:18080 --smtp 127.0.0.1:12525 --token-file data/admin.token \
//!     --state load.state --seconds 60 --server-pid "$(pgrep -n helpdesk)" --store-file data/chamado.redb
//! ```
//! Every worker is closed loop on its own keep-alive connection: the figures are what the server
//! sustains with that many clients, latencies measured from request start to the last byte (with
//! `--smtp-rate` the mail side is paced instead). Requests on existing tickets pick them uniformly from
//! every ticket known, the hard case for caches.
//!
//! `--preload` goes through the HTTP API with the customer users' sessions, like real customers: on
//! redb the store's commit, not HTTP, is the limit (engine alone ~7k tickets/s with 64 tasks, HTTP
//! ~8k req/s on a quiet machine), so writing the redb file directly would hardly be faster, and this
//! way the tool needs none of chamado's crates and works on PostgreSQL too.
#![forbid(unsafe_code)]

mod error;
mod http;
mod ops;
mod pool;
mod report;
mod rng;
mod rss;
mod setup;
mod smtp;
mod state;
mod stats;
mod text;
mod workers;

use clap::Parser;
use error::LoadError;
use ops::{DEFAULT_MIX, Mix};
use pool::Pool;
use stats::Recorder;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Drives a running chamado helpdesk over HTTP and SMTP with a mixed help-desk load.
#[derive(Debug, Parser)]
#[command(name = "mixed_load", version)]
struct Args {
    /// The helpdesk's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// SMTP intake `host:port`; without it no mail is sent.
    #[arg(long)]
    smtp: Option<String>,
    /// An admin agent's API token.
    #[arg(long, env = "CHAMADO_ADMIN_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// A file holding the admin token (the helpdesk's `data/admin.token`).
    #[arg(long, conflicts_with = "token")]
    token_file: Option<PathBuf>,
    /// Where the users and tickets of earlier `--setup`/`--preload` runs are kept.
    #[arg(long, default_value = "mixed_load.state")]
    state: PathBuf,
    /// Creates this many more customer users (`load-uN`) through the admin API.
    #[arg(long, default_value_t = 0)]
    setup: usize,
    /// Customer users per customer (company) for `--setup`.
    #[arg(long, default_value_t = 4)]
    users_per_customer: usize,
    /// Opens this many tickets as the customer users before the run, as fast as the server takes them.
    #[arg(long, default_value_t = 0)]
    preload: u64,
    /// Connections for `--preload` (default: `--connections`).
    #[arg(long)]
    preload_connections: Option<usize>,
    /// Measured seconds of mixed load (0: only setup/preload).
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Seconds of load before measuring starts.
    #[arg(long, default_value_t = 5)]
    warmup: u64,
    /// HTTP connections, each a closed-loop client.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// HTTP operation weights: open, followup, mine, queue, get, reply, search.
    #[arg(long, default_value = DEFAULT_MIX)]
    mix: Mix,
    /// SMTP connections beside the HTTP ones (12 beside 64 HTTP ones give SMTP about 5-6% of all
    /// operations on redb; the report prints the share).
    #[arg(long, default_value_t = 12)]
    smtp_connections: usize,
    /// Mails per second over all SMTP connections (0: closed loop, as fast as answered).
    #[arg(long, default_value_t = 0.0)]
    smtp_rate: f64,
    /// Percent of mails that answer one of the sender's tickets (`Re: [Ticket#N] ...`).
    #[arg(long, default_value_t = 40)]
    smtp_reply_percent: usize,
    /// The SMTP recipient (the helpdesk's system address).
    #[arg(long, default_value = "support@localhost")]
    mail_to: String,
    /// The queue tickets open in and agents list.
    #[arg(long, default_value = "Raw")]
    queue: String,
    /// The helpdesk's process id: its VmRSS is sampled during the run.
    #[arg(long)]
    server_pid: Option<u32>,
    /// The store file (e.g. `data/chamado.redb`): its size is reported.
    #[arg(long)]
    store_file: Option<PathBuf>,
    /// Threads of this tool's runtime (it shares the machine with the server).
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Seeds the choices of the workers.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(args.threads.max(1)).enable_all().build();
    let result = match runtime {
        Ok(rt) => rt.block_on(run(args)),
        Err(e) => Err(LoadError::Runtime(e)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mixed_load: {e}");
            ExitCode::FAILURE
        }
    }
}

fn admin_token(args: &Args) -> Result<String, LoadError> {
    if let Some(t) = &args.token {
        return Ok(t.trim().to_string());
    }
    let Some(path) = &args.token_file else {
        return Err(LoadError::Usage("give the admin token with --token, --token-file or CHAMADO_ADMIN_TOKEN".into()));
    };
    std::fs::read_to_string(path)
        .map(|t| t.trim().to_string())
        .map_err(|source| LoadError::State { path: path.display().to_string(), source })
}

async fn run(args: Args) -> Result<(), LoadError> {
    let addr = http::authority(&args.url)?;
    let admin = admin_token(&args)?;
    let mut users = state::load(&args.state)?;
    let mut appender = state::Appender::open(&args.state)?;
    if args.setup > 0 {
        let started = Instant::now();
        let added =
            setup::create_users(&addr, &admin, users.len(), args.setup, args.users_per_customer, &mut appender).await?;
        println!("setup: {} customer users in {:.1} s", added.len(), started.elapsed().as_secs_f64());
        users.extend(added);
    }
    if args.preload == 0 && args.seconds == 0 {
        return Ok(());
    }
    if users.is_empty() {
        return Err(LoadError::Usage(format!(
            "{} has no customer users: run with --setup N first",
            args.state.display()
        )));
    }
    let started = Instant::now();
    if setup::sessions(&addr, &mut users, &mut appender).await? {
        println!("logged in {} customer users in {:.1} s", users.len(), started.elapsed().as_secs_f64());
    } else {
        println!("reusing the sessions of {} customer users from {}", users.len(), args.state.display());
    }
    let pool = Arc::new(Pool { users });
    if args.preload > 0 {
        let conns = args.preload_connections.unwrap_or(args.connections);
        setup::preload(&addr, pool.clone(), args.preload, conns, &args.queue, args.server_pid, appender).await?;
    }
    if args.seconds == 0 {
        return Ok(());
    }
    mixed(&args, addr, admin, pool).await
}

async fn mixed(args: &Args, addr: String, admin: String, pool: Arc<Pool>) -> Result<(), LoadError> {
    let known = pool.ticket_count();
    let store_before = args.store_file.as_ref().and_then(|p| std::fs::metadata(p).ok()).map(|m| m.len());
    let load_before = rss::load_average();
    let now = Instant::now();
    let measure_from = now + Duration::from_secs(args.warmup);
    let mail_period =
        (args.smtp_rate > 0.0).then(|| Duration::from_secs_f64(args.smtp_connections.max(1) as f64 / args.smtp_rate));
    let ctx = Arc::new(workers::Ctx {
        addr,
        admin,
        pool: pool.clone(),
        mix: args.mix.clone(),
        queue: args.queue.clone(),
        measure_from,
        deadline: measure_from + Duration::from_secs(args.seconds),
        seed: args.seed,
        run_tag: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0),
        mail_to: args.mail_to.clone(),
        mail_reply_percent: args.smtp_reply_percent,
        mail_period,
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let sampler = args.server_pid.map(|pid| tokio::spawn(rss::sample(pid, stop_rx)));
    let mut tasks = Vec::new();
    for id in 0..args.connections.max(1) {
        tasks.push(tokio::spawn(workers::http_worker(ctx.clone(), id)));
    }
    if let Some(smtp) = &args.smtp {
        for id in 0..args.smtp_connections {
            tasks.push(tokio::spawn(workers::smtp_worker(ctx.clone(), smtp.clone(), id)));
        }
    }
    let mut rec = Recorder::new(measure_from);
    for t in tasks {
        rec.merge(t.await?);
    }
    let _ = stop_tx.send(true);
    let rss = match sampler {
        Some(s) => Some(s.await?),
        None => None,
    };
    let store_after = args.store_file.as_ref().and_then(|p| std::fs::metadata(p).ok()).map(|m| m.len());
    let smtp = match &args.smtp {
        None => "no SMTP".to_string(),
        Some(_) if args.smtp_rate > 0.0 => {
            format!("{} SMTP connections at {} mails/s", args.smtp_connections, args.smtp_rate)
        }
        Some(_) => format!("{} SMTP connections closed loop", args.smtp_connections),
    };
    let info = report::RunInfo {
        seconds: args.seconds as f64,
        setup: format!(
            "mixed load: {} s measured after {} s warm-up; {} HTTP connections, {smtp}; {} customer users, {known} tickets known at start",
            args.seconds,
            args.warmup,
            args.connections,
            pool.users.len(),
        ),
        load: (load_before, rss::load_average()),
        rss,
        store_bytes: store_before.zip(store_after),
    };
    report::print(rec, &info);
    Ok(())
}
