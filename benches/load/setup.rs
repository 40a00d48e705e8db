//! Before a run: customers and customer users through the admin API (`--setup`), their sessions, and
//! tickets opened by them (`--preload`).

use crate::error::{LoadError, excerpt};
use crate::http::{Answer, Client, json_field};
use crate::pool::{PASSWORD, Pool, User};
use crate::rng::Rng;
use crate::state::Appender;
use crate::{rss, text};
use serde_json::json;
use std::collections::{BTreeSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Connections used for setup and logins: each request hashes or checks an Argon2 password on the
/// server, so more would only queue there.
const SETUP_CONNECTIONS: usize = 4;

/// One POST of a setup phase: path, bearer token, JSON body.
type Post = (String, Option<String>, String);

/// Sends one POST per job over a few connections; answers in no particular order.
async fn spread<T, F>(addr: &str, jobs: Vec<T>, request: F) -> Result<Vec<(T, Answer)>, LoadError>
where
    T: Send + 'static,
    F: Fn(&T) -> Post + Send + Sync + 'static,
{
    let queue = Arc::new(Mutex::new(VecDeque::from(jobs)));
    let request = Arc::new(request);
    let mut tasks = Vec::new();
    for _ in 0..SETUP_CONNECTIONS {
        let (queue, request, addr) = (queue.clone(), request.clone(), addr.to_string());
        tasks.push(tokio::spawn(async move {
            let mut client = Client::new(&addr);
            let mut out = Vec::new();
            loop {
                let Some(job) = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front() else { break };
                let (path, token, body) = request(&job);
                let answer = client.send("POST", &path, token.as_deref(), Some(body)).await?;
                out.push((job, answer));
            }
            Ok::<_, LoadError>(out)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    Ok(all)
}

/// Fails unless the status is one of `ok`.
fn check(what: &str, a: &Answer, ok: &[u16]) -> Result<(), LoadError> {
    if ok.contains(&a.status) {
        return Ok(());
    }
    Err(LoadError::Status { what: what.into(), status: a.status, body: excerpt(&a.body) })
}

/// Creates `count` customer users after the `existing` ones: logins `load-u{i}`, each
/// `per_customer` of them in customer `load-c{i / per_customer}`, all with [`PASSWORD`]. Already
/// existing records (409) are taken as they are. Records them in the state file.
pub async fn create_users(
    addr: &str,
    admin: &str,
    existing: usize,
    count: usize,
    per_customer: usize,
    state: &mut Appender,
) -> Result<Vec<User>, LoadError> {
    let per_customer = per_customer.max(1);
    let range = existing..existing + count;
    let customers: BTreeSet<usize> = range.clone().map(|i| i / per_customer).collect();
    let token = Some(admin.to_string());
    let t = token.clone();
    let answers = spread(addr, customers.into_iter().collect(), move |c| {
        let body = json!({ "id": format!("load-c{c}"), "name": format!("Load customer {c}") });
        ("/api/v1/customers".into(), t.clone(), body.to_string())
    })
    .await?;
    for (c, a) in &answers {
        check(&format!("POST /api/v1/customers (load-c{c})"), a, &[201, 409])?;
    }
    let answers = spread(addr, range.collect(), move |i| {
        let body = json!({
            "login": format!("load-u{i}"),
            "email": format!("load-u{i}@load.example"),
            "first_name": "Load",
            "last_name": format!("User {i}"),
            "customer_id": format!("load-c{}", i / per_customer),
            "password": PASSWORD,
        });
        ("/api/v1/customer-users".into(), token.clone(), body.to_string())
    })
    .await?;
    let mut created: Vec<usize> = Vec::new();
    for (i, a) in &answers {
        check(&format!("POST /api/v1/customer-users (load-u{i})"), a, &[201, 409])?;
        created.push(*i);
    }
    created.sort_unstable();
    let mut users = Vec::new();
    for i in created {
        let u = User::new(format!("load-u{i}"), format!("load-u{i}@load.example"));
        state.user(&u.login, &u.email)?;
        users.push(u);
    }
    state.flush()?;
    Ok(users)
}

/// Makes sure every user has a working session: the ones from the state file when a probe with one of
/// them is answered (sessions outlive server restarts), else new ones, recorded in the state file.
/// Answers whether it logged in.
pub async fn sessions(addr: &str, users: &mut [User], state: &mut Appender) -> Result<bool, LoadError> {
    if users.iter().all(|u| !u.session.is_empty()) {
        let probe = &users[users.len() / 2].session;
        let a = Client::new(addr).send("GET", "/api/v1/tickets?limit=1", Some(probe), None).await?;
        if a.status == 200 {
            return Ok(false);
        }
    }
    log_in(addr, users).await?;
    for u in users.iter() {
        state.session(&u.login, &u.session)?;
    }
    state.flush()?;
    Ok(true)
}

/// Logs every user in (`POST /api/v1/sessions`) and keeps their session tokens.
async fn log_in(addr: &str, users: &mut [User]) -> Result<(), LoadError> {
    let logins: Vec<(usize, String)> = users.iter().enumerate().map(|(i, u)| (i, u.login.clone())).collect();
    let answers = spread(addr, logins, |(_, login)| {
        ("/api/v1/sessions".into(), None, json!({ "login": login, "password": PASSWORD }).to_string())
    })
    .await?;
    for ((i, login), a) in answers {
        let what = format!("POST /api/v1/sessions ({login})");
        check(&what, &a, &[201])?;
        users[i].session = json_field(&a.body, "token", &what)?;
    }
    Ok(())
}

/// Opens `count` tickets as the pool's customer users (round robin) over `connections` connections,
/// adding them to the pool and the state file, and prints progress every 10 s.
pub async fn preload(
    addr: &str,
    pool: Arc<Pool>,
    count: u64,
    connections: usize,
    queue: &str,
    server_pid: Option<u32>,
    state: Appender,
) -> Result<(), LoadError> {
    if pool.users.is_empty() {
        return Err(LoadError::Usage("--preload needs customer users: run with --setup N first".into()));
    }
    let next = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    // A few failures (a timeout under load) are retried; many mean something is broken.
    let max_failures = (count / 1000).max(100);
    let state = Arc::new(Mutex::new(state));
    let started = Instant::now();
    let progress = tokio::spawn(report_progress(done.clone(), count, started, server_pid));
    let mut tasks = Vec::new();
    for c in 0..connections.max(1) {
        let (pool, next, done, failures, state) =
            (pool.clone(), next.clone(), done.clone(), failures.clone(), state.clone());
        let (addr, queue) = (addr.to_string(), queue.to_string());
        tasks.push(tokio::spawn(async move {
            let mut client = Client::new(&addr);
            let mut rng = Rng::new(0x5eed_0000 + c as u64);
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    return Ok(());
                }
                let user = &pool.users[usize::try_from(i).unwrap_or(0) % pool.users.len()];
                loop {
                    let body = json!({ "title": text::title(&mut rng), "body": text::body(&mut rng), "queue": queue });
                    let sent =
                        client.send("POST", "/api/v1/tickets", Some(&user.session), Some(body.to_string())).await;
                    let why = match sent {
                        Ok(a) if a.status == 201 => match json_field(&a.body, "number", "POST /api/v1/tickets") {
                            Ok(number) => {
                                state.lock().unwrap_or_else(|e| e.into_inner()).ticket(&user.login, &number)?;
                                user.add_ticket(number);
                                done.fetch_add(1, Ordering::Relaxed);
                                break;
                            }
                            Err(e) => e.to_string(),
                        },
                        Ok(a) => format!("status {}: {}", a.status, excerpt(&a.body)),
                        Err(e) => e.to_string(),
                    };
                    if failures.fetch_add(1, Ordering::Relaxed) >= max_failures {
                        return Err(LoadError::Preload(format!("more than {max_failures} failures; the last: {why}")));
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }));
    }
    let mut result = Ok(());
    for t in tasks {
        if let Err(e) = t.await.map_err(LoadError::from).and_then(|r| r)
            && result.is_ok()
        {
            result = Err(e);
        }
    }
    progress.abort();
    state.lock().unwrap_or_else(|e| e.into_inner()).flush()?;
    result?;
    let secs = started.elapsed().as_secs_f64();
    let n = done.load(Ordering::Relaxed);
    println!(
        "preload: {n} tickets in {secs:.0} s ({:.0}/s), {} retried failures, load average {}",
        n as f64 / secs,
        failures.load(Ordering::Relaxed),
        rss::load_average()
    );
    Ok(())
}

async fn report_progress(done: Arc<AtomicU64>, count: u64, started: Instant, server_pid: Option<u32>) {
    let mut tick = tokio::time::interval(Duration::from_secs(10));
    tick.tick().await;
    let mut last = 0;
    loop {
        tick.tick().await;
        let n = done.load(Ordering::Relaxed);
        let rss = server_pid.and_then(rss::read).map(|r| format!(", server RSS {}", rss::mib(r.now_kib)));
        println!(
            "preload: {n}/{count} ({:.0}/s now, {:.0}/s overall){}, load {}",
            (n - last) as f64 / 10.0,
            n as f64 / started.elapsed().as_secs_f64(),
            rss.unwrap_or_default(),
            rss::load_average()
        );
        last = n;
    }
}
