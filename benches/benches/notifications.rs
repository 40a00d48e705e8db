//! What agent notifications cost. One binary, one scenario per run:
//!
//! ```text
//! cargo bench -p chamado-benches --bench notifications -- create    # engine create, redb, 64 tasks: 200 agents vs none
//! cargo bench -p chamado-benches --bench notifications -- deliver   # notification mails/s to a local SMTP sink
//! ```
//!
//! `create` measures ticket creation through the engine on a durable redb file, 64 tasks, in a queue
//! whose group has 200 agents who all have it in "My queues" next to the same run in a queue nobody is told about, alternating
//! rounds in one process so the disk's mood is the same for both. Each new ticket writes one outbox
//! entry naming the 200 agents, which the delivery loop fans out. `deliver` queues 10,000 notification
//! mails (50 tickets x 200 agents) and times `Engine::deliver_due` (fan-out included) through the email
//! adapter's `SmtpChannel` to aiosmtpd on loopback (`tests/support/sink_handler.py`, a file per mail),
//! with 1 and 4 delivery loops.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chamado::permissions::{Permission, PermissionSet};
use chamado::{
    Actor, Agent, Channel, Customer, CustomerUser, Engine, FollowUpPolicy, Grant, GrantSubject, Group, NewTicket, Queue,
};
use chamado_email::{OutboundConfig, SmtpChannel};
use chamado_redb::RedbOptions;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

const ROUNDS: usize = 3;
const AGENTS: usize = 200;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let scenario = args.first().map(String::as_str).unwrap_or("help");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    match scenario {
        "create" => {
            let (mut with, mut without) = (Vec::new(), Vec::new());
            for r in 0..ROUNDS {
                let a = rt.block_on(create(64, 4_096, AGENTS));
                println!("create, 64 tasks, queue with {AGENTS} agents told: round {r}: {a:.0}/s");
                let b = rt.block_on(create(64, 4_096, 0));
                println!("create, 64 tasks, queue nobody is told about: round {r}: {b:.0}/s");
                with.push(a);
                without.push(b);
            }
            let (a, b) = (median(with), median(without));
            println!("MEDIAN with {AGENTS} agents {a:.0}/s, without {b:.0}/s: {:.0}%", 100.0 * a / b);
        }
        "deliver" => {
            for loops in [1usize, 4] {
                let v: Vec<f64> = (0..ROUNDS)
                    .map(|r| {
                        let x = rt.block_on(deliver(loops));
                        println!("deliver, {loops} loop(s): round {r}: {x:.0} mails/s");
                        x
                    })
                    .collect();
                println!("deliver, {loops} loop(s): MEDIAN {:.0} mails/s", median(v));
            }
        }
        _ => eprintln!("scenarios: create deliver"),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn scratch(tag: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("notify-{tag}-{}.redb", std::process::id()));
    let _ = std::fs::remove_file(&p);
    p
}

/// A seeded engine on a fresh redb file: queue `Told` whose group `told` has `agents` agents with it in
/// "My queues" (ro on the group, a mail address each), and the customer user `alice`.
async fn engine(tag: &str, agents: usize) -> (Engine, PathBuf) {
    let path = scratch(tag);
    let store = RedbOptions::new().open(&path).unwrap();
    let engine = Engine::builder(store).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    let admin = engine.admin(&Actor::agent("admin")).await.unwrap();
    admin.put_group(Group::new("told")).await.unwrap();
    admin.put_queue(Queue::new("Told", "told", FollowUpPolicy::Possible)).await.unwrap();
    admin
        .grant(Grant::group(GrantSubject::DefaultCustomerUsers, "told", PermissionSet::of(&[Permission::Rw])))
        .await
        .unwrap();
    for i in 0..agents {
        let login = format!("agent{i:03}");
        let mut a = Agent::new(&login);
        a.email = format!("{login}@helpdesk.example");
        a.my_queues = vec!["Told".into()];
        admin.put_agent(a).await.unwrap();
        admin
            .grant(Grant::group(GrantSubject::Agent(login), "told", PermissionSet::of(&[Permission::Ro])))
            .await
            .unwrap();
    }
    admin.put_customer(Customer::new("acme", "Acme Inc.")).await.unwrap();
    admin.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await.unwrap();
    (engine, path)
}

/// Tickets per second created by `tasks` tasks in queue `Told` with `agents` agents told of each.
async fn create(tasks: usize, total: usize, agents: usize) -> f64 {
    let (engine, path) = engine("create", agents).await;
    let per = total / tasks;
    let start = Instant::now();
    let mut hs = Vec::new();
    for t in 0..tasks {
        let engine = engine.clone();
        hs.push(tokio::spawn(async move {
            let alice = Actor::customer("alice");
            for i in 0..per {
                let new = NewTicket::new(format!("bench {t}/{i}"), "The printer on the second floor jams.", "Told");
                engine.create_ticket(&alice, new).await.unwrap();
            }
        }));
    }
    for h in hs {
        h.await.unwrap();
    }
    let rate = (per * tasks) as f64 / start.elapsed().as_secs_f64();
    if agents > 0 {
        let pending = engine.outbox_pending().await.unwrap();
        // One entry per ticket, fanned out to the agents by the delivery loop.
        assert_eq!(pending, (per * tasks) as u64, "expected one notification entry per ticket");
    }
    drop(engine);
    let _ = std::fs::remove_file(&path);
    rate
}

/// Notification mails per second delivered by `loops` concurrent delivery loops.
async fn deliver(loops: usize) -> f64 {
    let (engine, path) = engine("deliver", AGENTS).await;
    let alice = Actor::customer("alice");
    for i in 0..50 {
        engine.create_ticket(&alice, NewTicket::new(format!("bench {i}"), "The printer jams.", "Told")).await.unwrap();
    }
    let queued = engine.outbox_pending().await.unwrap();
    let sink = Aiosmtpd::start();
    let smtp = SmtpChannel::new(&OutboundConfig::new(format!("smtp://127.0.0.1:{}", sink.port))).unwrap();
    let channel: Arc<dyn Channel> = Arc::new(Slow(smtp));
    let start = Instant::now();
    let mut hs = Vec::new();
    for _ in 0..loops {
        let engine = engine.clone();
        let channels = vec![channel.clone()];
        hs.push(tokio::spawn(async move { engine.deliver_due(&channels).await.unwrap().sent }));
    }
    let mut sent = 0;
    for h in hs {
        sent += h.await.unwrap();
    }
    let rate = sent as f64 / start.elapsed().as_secs_f64();
    assert_eq!(sent as u64, queued * AGENTS as u64, "every agent told once per ticket");
    assert_eq!(sink.received(), sent, "the sink has every mail");
    drop(engine);
    let _ = std::fs::remove_file(&path);
    rate
}

/// The SMTP sink: Python's aiosmtpd with the repository's `tests/support/sink_handler.py` (a file per
/// mail), as the tests use it.
struct Aiosmtpd {
    child: std::process::Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Aiosmtpd {
    fn start() -> Aiosmtpd {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let handlers = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/support");
        let child = std::process::Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "sink_handler.Sink"])
            .arg(dir.path())
            .env("PYTHONPATH", handlers)
            .spawn()
            .expect("python3 with aiosmtpd (pip install aiosmtpd)");
        // Dropped (killed and waited for) on every path, the panic below included.
        let sink = Aiosmtpd { child, port, dir };
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return sink;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("aiosmtpd did not listen on {port}");
    }

    /// How many mails it has written.
    fn received(&self) -> usize {
        std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "eml")))
            .count()
    }
}

impl Drop for Aiosmtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reports deliveries slower than a second (a stall would make the figure meaningless).
struct Slow(SmtpChannel);

#[async_trait::async_trait]
impl Channel for Slow {
    fn kind(&self) -> chamado::ChannelKind {
        self.0.kind()
    }
    async fn deliver(&self, d: &chamado::Delivery) -> Result<Option<String>, chamado::DeliveryError> {
        let t = Instant::now();
        let r = self.0.deliver(d).await;
        if t.elapsed() > std::time::Duration::from_secs(1) || r.is_err() {
            eprintln!("slow or failed delivery: {:?} {:?}", t.elapsed(), r);
        }
        r
    }
}
