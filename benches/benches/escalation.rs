//! What SLA clocks cost (issue #23). One binary, one scenario per run:
//!
//! ```text
//! cargo bench -p chamado-benches --bench escalation -- build-1m        # builds target/bench-data/escalation-1m.redb once
//! cargo bench -p chamado-benches --bench escalation -- escalated-view  # escalated / at-risk first pages at 1M tickets
//! cargo bench -p chamado-benches --bench escalation -- tick-1000       # one Engine::tick firing 1,000 events at 1M
//! cargo bench -p chamado-benches --bench escalation -- create-sla      # creation with an SLA next to without
//! cargo bench -p chamado-benches --bench escalation -- clock-rules     # apply + settle of a new ticket, one thread
//! cargo bench -p chamado-benches --bench escalation -- store-sla       # RedbStore::commit of new tickets with and without clocks
//! cargo bench -p chamado-benches --bench escalation -- profile-create sla|none [tasks]  # one side alone, for perf
//! ```
//!
//! The 1M-ticket file (built by `build-1m`, or by the first scenario that needs it) holds 1,000,000
//! tickets of service `Email` under SLA `Gold` (first response 240, update 1,440, solution 4,800 working
//! minutes, warning at 80%) on the calendar `BR-office` (America/Sao_Paulo, Monday to Friday 08:00–12:00
//! and 13:00–18:00, Brazil's national holidays). 990,000 are closed, 10,000 have running clocks: opened
//! in the 20 days before the bench's "now" (Wednesday 2026-12-09 14:00 -03), most answered, the
//! conversation going on until "now". Every clock value is the engine's: the tickets' `Escalation`s are moved by the public
//! `chamado::sla` rules (`apply`, `settle`) as the engine's commits would move them, and every warning or
//! breach due before "now" is fired with `fire_due` at its own time, as a tick then would have fired it.
//! The tickets are written straight through `Store::commit` in 64k-ticket commits, so the file takes a
//! minute, not hours.
//!
//! `escalated-view` times `Engine::list_tickets` with `TicketFilter { escalated: true }` (and `at_risk`,
//! and both) for an agent who may read every queue: the first page of 50, 2,000 times a round, p50/p99
//! per round; also with each ticket's `Engine::escalation_view` (the time left per clock the console
//! shows), the second page, and an agent who reads one queue of ten. `tick-1000` copies the file, picks
//! the instant by which exactly 1,000 more events fall due, and times one `Engine::tick` at that instant
//! on the durable store. `create-sla` times ticket creation through the engine on a fresh durable redb
//! file with `sla: Gold` next to the same without an SLA (same service, same queue), 64 tasks and 1 task,
//! rounds alternating in one process.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chamado::directory::{EscalationTargets, Holiday, WeeklyHours, WorkInterval};
use chamado::permissions::{Permission, PermissionSet};
use chamado::sla::{ClockInput, ClockRules, Escalation, WorkingTime};
use chamado::{
    Actor, Agent, Article, ArticleId, Calendar, ChannelKind, Commit, Customer, CustomerUser, Engine, FollowUpPolicy,
    Grant, GrantSubject, Group, HistoryEntry, HistoryKind, Lock, NewTicket, Priority, Queue, SenderType, Service, Sla,
    StateType, Store, Ticket, TicketFilter, TicketId, TicketIndex, TicketWrite, Timestamp,
};
use chamado_redb::{RedbOptions, RedbStore};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const ROUNDS: usize = 3;
const BIG_TICKETS: u64 = 1_000_000;
/// Every 100th ticket has running clocks: 10,000.
const RUNNING_EVERY: u64 = 100;
const QUEUES: u64 = 10;
const USERS: u64 = 20_000;
/// Tickets per store commit while building.
const BUILD_COMMIT: u64 = 65_536;
/// Wednesday 2026-12-09 17:00 UTC, 14:00 in São Paulo: the bench's "now".
const NOW: Timestamp = Timestamp(1_796_835_600_000);
const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
/// Bumped whenever what the file holds changes; a file without it is built again.
const BUILD_TAG: &str = "escalation-1m v4";
const BUILD_META: &str = "bench.escalation.build";
/// Events the tick scenario fires.
const TICK_EVENTS: usize = 1_000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let scenario = args.first().map(String::as_str).unwrap_or("help");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    match scenario {
        "build-1m" => rt.block_on(ensure_big(&big_path())),
        "escalated-view" => {
            rt.block_on(ensure_big(&big_path()));
            rt.block_on(escalated_view(&big_path()));
        }
        "tick-1000" => {
            rt.block_on(ensure_big(&big_path()));
            tick_1000(&rt, &big_path());
        }
        "create-sla" => create_sla(&rt),
        "clock-rules" => {
            for r in 0..ROUNDS {
                println!("clock rules of a new ticket: round {r}: {:?}", clock_rules_per_ticket());
            }
        }
        "store-sla" => store_sla(&rt),
        // For a profiler: one side only, not durable, 5 rounds (`profile-create sla|none [tasks, 64]`).
        "profile-create" => {
            let sla = args.get(1).is_some_and(|a| a == "sla");
            let tasks: usize = args.get(2).and_then(|t| t.parse().ok()).unwrap_or(64);
            for r in 0..5 {
                let (rate, cpu, _) = rt.block_on(create(tasks, 320 * tasks.min(64), sla, false));
                println!("profile-create, sla {sla}: round {r}: {rate:.0}/s, {cpu:.1} µs CPU per ticket");
            }
        }
        _ => eprintln!("scenarios: build-1m escalated-view tick-1000 create-sla"),
    }
}

fn median<T: Copy + PartialOrd>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn bench_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn big_path() -> PathBuf {
    bench_dir().join("escalation-1m.redb")
}

fn scratch(tag: &str) -> PathBuf {
    let p = bench_dir().join(format!("escalation-{tag}-{}.redb", std::process::id()));
    let _ = std::fs::remove_file(&p);
    p
}

/// A small xorshift generator: the same tickets on every build.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform in `[lo, hi)`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo) as u64) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// São Paulo office hours with Brazil's national holidays (yearly ones and 2026's movable ones).
fn calendar() -> Calendar {
    let day = vec![WorkInterval::parse("08:00", "12:00").unwrap(), WorkInterval::parse("13:00", "18:00").unwrap()];
    let holidays = [
        "01-01",
        "04-21",
        "05-01",
        "09-07",
        "10-12",
        "11-02",
        "11-15",
        "11-20",
        "12-25",
        "2026-02-16",
        "2026-02-17",
        "2026-04-03",
        "2026-06-04",
        "2027-02-08",
        "2027-02-09",
        "2027-03-26",
        "2027-05-27",
    ];
    Calendar {
        name: "BR-office".into(),
        time_zone: "America/Sao_Paulo".into(),
        hours: WeeklyHours::weekdays(&day),
        holidays: holidays.iter().map(|h| Holiday::parse(h).unwrap()).collect(),
        ..Default::default()
    }
}

fn targets() -> EscalationTargets {
    EscalationTargets {
        first_response_minutes: 240,
        update_minutes: 1_440,
        solution_minutes: 4_800,
        notify_before_percent: 80,
        ..Default::default()
    }
}

fn sla() -> Sla {
    Sla {
        name: "Gold".into(),
        calendar: "BR-office".into(),
        targets: targets(),
        services: vec!["Email".into()],
        ..Default::default()
    }
}

/// The calendar, the service and its SLA: what both the 1M file and the creation runs hold.
async fn put_sla_directory(engine: &Engine) {
    let admin = engine.admin(&Actor::agent("admin")).await.unwrap();
    admin.put_calendar(calendar()).await.unwrap();
    admin.put_service(Service::new("Email")).await.unwrap();
    admin.put_sla(sla()).await.unwrap();
}

/// Ten queues `Queue0..9` in groups `g0..9`; agent `viewer` reads (rw) all of them and has them in
/// "My queues" (so warnings and breaches notify them by mail), agent `narrow` reads `g0` only.
async fn put_big_directory(engine: &Engine) {
    engine.seed_defaults("admin").await.unwrap();
    put_sla_directory(engine).await;
    let admin = engine.admin(&Actor::agent("admin")).await.unwrap();
    let rw = PermissionSet::of(&[Permission::Rw]);
    let mut viewer = Agent::new("viewer");
    viewer.email = "viewer@helpdesk.example".into();
    for q in 0..QUEUES {
        admin.put_group(Group::new(format!("g{q}"))).await.unwrap();
        admin.put_queue(Queue::new(format!("Queue{q}"), format!("g{q}"), FollowUpPolicy::Possible)).await.unwrap();
        viewer.my_queues.push(format!("Queue{q}"));
    }
    admin.put_agent(viewer).await.unwrap();
    for q in 0..QUEUES {
        admin.grant(Grant::group(GrantSubject::Agent("viewer".into()), format!("g{q}"), rw)).await.unwrap();
    }
    admin.put_agent(Agent::new("narrow")).await.unwrap();
    admin.grant(Grant::group(GrantSubject::Agent("narrow".into()), "g0", rw)).await.unwrap();
}

/// Moves `e` as the engine's commits do: what happened, then the state it ends in.
fn step(e: &mut Escalation, input: Option<ClockInput>, state: StateType, at: Timestamp, rules: &ClockRules<'_>) {
    if let Some(input) = input {
        e.apply(input, at, rules);
    }
    e.settle(state, at, rules);
}

/// Fires every warning and breach due by `until` at its own instant, as ticks would have; returns the
/// instant of the last one fired.
fn fire_until(e: &mut Escalation, state: StateType, until: Timestamp, rules: &ClockRules<'_>) -> Option<Timestamp> {
    let mut last = None;
    while let Some(at) = e.next_event().filter(|at| *at <= until) {
        e.settle(state, at, rules);
        if e.fire_due(at).is_empty() {
            break;
        }
        last = Some(at);
    }
    last
}

/// Agents write in office hours: `working_ms` of the calendar's working time after `from`.
fn office(rules: &ClockRules<'_>, from: Timestamp, working_ms: i64) -> Timestamp {
    rules.work.add(from, working_ms).unwrap()
}

/// Ticket `i` of the 1M file with its clocks.
fn big_ticket(i: u64, rng: &mut Rng, rules: &ClockRules<'_>) -> (Ticket, Vec<(SenderType, Timestamp)>) {
    let mut e = Escalation::default();
    let mut articles = Vec::new();
    let running = i.is_multiple_of(RUNNING_EVERY);
    let (state, state_type, created, changed) = if running {
        // Opened (at any hour) in the 20 days before now; 90% answered within 6 working hours. Then the
        // conversation goes on until now: the customer writes back (65%) within 2 days, at any hour, and is
        // answered within 12 working hours, or the agent follows up within 6 to 24 working hours.
        let created = Timestamp(NOW.0 - rng.between(10 * MINUTE, 20 * DAY));
        step(&mut e, Some(ClockInput::Created), StateType::New, created, rules);
        articles.push((SenderType::Customer, created));
        let mut last = created;
        let mut st = StateType::New;
        let mut agent_at = office(rules, created, rng.between(5 * MINUTE, 6 * HOUR));
        if rng.chance(90) {
            while agent_at < NOW && articles.len() < 60 {
                st = StateType::Open;
                step(&mut e, Some(ClockInput::AgentContact), st, agent_at, rules);
                articles.push((SenderType::Agent, agent_at));
                last = agent_at;
                if rng.chance(65) {
                    let customer_at = Timestamp(agent_at.0 + rng.between(HOUR, 2 * DAY));
                    if customer_at >= NOW {
                        break;
                    }
                    step(&mut e, Some(ClockInput::CustomerMessage), st, customer_at, rules);
                    articles.push((SenderType::Customer, customer_at));
                    last = customer_at;
                    agent_at = office(rules, customer_at, rng.between(10 * MINUTE, 12 * HOUR));
                } else {
                    agent_at = office(rules, agent_at, rng.between(6 * HOUR, 24 * HOUR));
                }
            }
        }
        let fired = fire_until(&mut e, st, NOW, rules);
        let name = if st == StateType::New { "new" } else { "open" };
        (name, st, created, fired.map_or(last, |f| f.max(last)))
    } else {
        // Closed, oldest first over the two years before the running ones: answered, then solved.
        let created = Timestamp(NOW.0 - 17 * DAY - (BIG_TICKETS - i) as i64 * MINUTE);
        step(&mut e, Some(ClockInput::Created), StateType::New, created, rules);
        articles.push((SenderType::Customer, created));
        let answer = office(rules, created, rng.between(5 * MINUTE, 8 * HOUR));
        step(&mut e, Some(ClockInput::AgentContact), StateType::Open, answer, rules);
        articles.push((SenderType::Agent, answer));
        let closed = Timestamp(answer.0 + rng.between(HOUR, 8 * DAY));
        fire_until(&mut e, StateType::Open, closed, rules);
        step(&mut e, None, StateType::Closed, closed, rules);
        ("closed successful", StateType::Closed, created, closed)
    };
    let ticket = Ticket {
        id: TicketId(i),
        number: format!("20261209{i:08}"),
        title: format!("Mail to the branch office {} bounces", i % 97),
        // Spread so that the running tickets (every 100th) fall in every queue too.
        queue: format!("Queue{}", (i + i / RUNNING_EVERY) % QUEUES),
        state: state.into(),
        state_type,
        priority: Priority::NORMAL,
        lock: Lock::Unlock,
        owner: None,
        responsible: None,
        customer_user: Some(format!("user{}", i % USERS)),
        customer_id: Some(format!("customer{}", (i % USERS) / 10)),
        service: Some("Email".into()),
        channel: ChannelKind::Email,
        created_at: created,
        changed_at: changed,
        pending_until: None,
        reminded_for: None,
        merged_into: None,
        linked: Vec::new(),
        version: 1,
        watchers: Vec::new(),
        unlock_at: None,
        sla: Some("Gold".into()),
        escalation: e,
    };
    (ticket, articles)
}

/// Ticket `i` with its articles (short ones: the view reads none) and its creation history.
fn big_write(i: u64, rng: &mut Rng, rules: &ClockRules<'_>, commit: &mut Commit) {
    let (t, articles) = big_ticket(i, rng, rules);
    for (k, (sender, at)) in articles.into_iter().enumerate() {
        let customer = sender == SenderType::Customer;
        commit.articles.push(Article {
            id: ArticleId(i * 64 + k as u64),
            ticket_id: t.id,
            sender,
            channel: ChannelKind::Email,
            visible_to_customer: true,
            from: if customer { format!("user{}@example.com", i % USERS) } else { "support@example.com".into() },
            reply_to: None,
            to: if customer { "support@example.com".into() } else { format!("user{}@example.com", i % USERS) },
            subject: t.title.clone(),
            body: "Since this morning our mails to the branch office come back undelivered.".into(),
            attachments: Vec::new(),
            external_id: Some(format!("<{i}.{k}@mail.example.com>")),
            references: Vec::new(),
            created_by: if customer { format!("user{}", i % USERS) } else { "viewer".into() },
            created_at: at,
            sender_auth: None,
        });
    }
    commit.history.push(HistoryEntry {
        ticket_id: t.id,
        at: t.created_at,
        actor: format!("user{}", i % USERS),
        kind: HistoryKind::Created,
        message: "new ticket".into(),
        text: None,
    });
    commit.tickets.push(TicketWrite { ticket: t, expected_version: 0 });
}

/// Builds the 1M-ticket file unless a complete one is there.
async fn ensure_big(path: &Path) {
    if path.exists() {
        let store = RedbStore::open(path).unwrap();
        let tag = store.meta(BUILD_META).await.unwrap();
        if tag.as_deref() == Some(BUILD_TAG.as_bytes()) {
            println!("{} holds the {BIG_TICKETS}-ticket set ({BUILD_TAG})", path.display());
            return;
        }
        drop(store);
        println!("{} is incomplete or of another build: building it again", path.display());
        std::fs::remove_file(path).unwrap();
    }
    let start = Instant::now();
    let store = RedbOptions::new().durable(false).open(path).unwrap();
    let engine = Engine::builder(store.clone()).build().unwrap();
    put_big_directory(&engine).await;
    drop(engine);
    let work = WorkingTime::new(&calendar()).unwrap();
    let targets = targets();
    let rules = ClockRules { targets: &targets, work: &work };
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut pending: Option<tokio::task::JoinHandle<()>> = None;
    let (mut clocks_time, mut at) = (Duration::ZERO, 1);
    while at <= BIG_TICKETS {
        let to = (at + BUILD_COMMIT - 1).min(BIG_TICKETS);
        let t = Instant::now();
        let mut commit = Commit::default();
        for i in at..=to {
            big_write(i, &mut rng, &rules, &mut commit);
        }
        clocks_time += t.elapsed();
        // The previous commit is written while this one is made.
        if let Some(p) = pending.take() {
            p.await.unwrap();
        }
        let s = store.clone();
        pending = Some(tokio::spawn(async move { s.commit(commit).await.unwrap() }));
        println!("made tickets up to {to} in {:.1}s", start.elapsed().as_secs_f64());
        at = to + 1;
    }
    if let Some(p) = pending.take() {
        p.await.unwrap();
    }
    store.put_meta(BUILD_META, Some(BUILD_TAG.as_bytes().to_vec())).await.unwrap();
    store.sync().await.unwrap();
    drop(store);
    println!(
        "built {} in {:.1}s ({:.1}s making tickets and moving their clocks), {} bytes",
        path.display(),
        start.elapsed().as_secs_f64(),
        clocks_time.as_secs_f64(),
        std::fs::metadata(path).unwrap().len()
    );
}

async fn open_engine(path: &Path) -> (Engine, RedbStore) {
    let store = RedbStore::open(path).unwrap();
    let engine = Engine::builder(store.clone()).build().unwrap();
    // Loads the directory snapshot, as any running server has.
    engine.calendars().await.unwrap();
    (engine, store)
}

async fn escalated_view(path: &Path) {
    let (engine, store) = open_engine(path).await;
    let escalated = store.count_tickets(&TicketIndex::Escalated).await.unwrap();
    let at_risk = store.count_tickets(&TicketIndex::AtRisk).await.unwrap();
    let running = store.due_tickets(Timestamp(i64::MAX), 100_000).await.unwrap().len();
    println!("{BIG_TICKETS} tickets, {running} with a clock still to fire, {escalated} escalated, {at_risk} at risk");
    let viewer = Actor::agent("viewer");
    let narrow = Actor::agent("narrow");
    let esc = TicketFilter { escalated: true, ..Default::default() };
    let risk = TicketFilter { at_risk: true, ..Default::default() };
    let both = TicketFilter { escalated: true, at_risk: true, ..Default::default() };
    // The very first page after opening: the file's pages are in the OS cache, the store's is empty.
    let t = Instant::now();
    let page = engine.list_tickets(&viewer, &esc, None, 50).await.unwrap();
    println!("first call after open, escalated, first page of 50: {:?}", t.elapsed());
    assert_eq!(page.items.len(), 50);
    let cases: Vec<(&str, &Actor, &TicketFilter, Mode)> = vec![
        ("escalated, first page of 50", &viewer, &esc, Mode::First),
        ("at risk, first page of 50", &viewer, &risk, Mode::First),
        ("escalated or at risk, first page of 50", &viewer, &both, Mode::First),
        ("escalated, first page of 50 with each ticket's escalation_view", &viewer, &esc, Mode::WithClocks),
        ("escalated, second page of 50", &viewer, &esc, Mode::Second),
        ("escalated, first page of 50, agent reading 1 queue of 10", &narrow, &esc, Mode::First),
    ];
    for (name, actor, filter, mode) in cases {
        let (mut p50s, mut p99s) = (Vec::new(), Vec::new());
        for r in 0..ROUNDS {
            let mut lat = Vec::with_capacity(2_000);
            let second = match mode {
                Mode::Second => engine.list_tickets(actor, filter, None, 50).await.unwrap().next,
                _ => None,
            };
            for _ in 0..2_000 {
                let t = Instant::now();
                let page = engine.list_tickets(actor, filter, second, 50).await.unwrap();
                if mode == Mode::WithClocks {
                    for ticket in &page.items {
                        std::hint::black_box(engine.escalation_view(ticket, NOW).await.unwrap());
                    }
                }
                lat.push(t.elapsed());
                assert_eq!(page.items.len(), 50, "{name}");
            }
            let (p50, p99, max) = (percentile(&mut lat, 0.5), percentile(&mut lat, 0.99), percentile(&mut lat, 1.0));
            println!("{name}: round {r}: p50 {p50:?} p99 {p99:?} max {max:?}");
            p50s.push(p50);
            p99s.push(p99);
        }
        println!("{name}: MEDIAN p50 {:?} p99 {:?}", median(p50s), median(p99s));
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    First,
    Second,
    WithClocks,
}

/// Where the timed tick starts and ends: a tick at `before` (if any) fires the events due until then,
/// and the timed tick at `at` fires `events` more on `tickets` tickets, as close to `n` as the due times
/// allow (clocks started outside working hours share their due times: they all start counting at the
/// next opening).
struct TickPlan {
    before: Option<Timestamp>,
    at: Timestamp,
    events: usize,
    tickets: usize,
}

/// The running tickets' clocks moved forward by the engine's rules, on copies: every future event's
/// instant, then the window that holds `n` of them.
async fn plan_tick(store: &RedbStore, n: usize) -> TickPlan {
    let work = WorkingTime::new(&calendar()).unwrap();
    let targets = targets();
    let rules = ClockRules { targets: &targets, work: &work };
    let running = store.due_tickets(Timestamp(i64::MAX), 100_000).await.unwrap();
    assert!(running.iter().all(|t| t.pending_due().is_some_and(|d| d > NOW)), "every event due by now has fired");
    let mut times = Vec::new();
    for t in &running {
        let mut e = t.escalation.clone();
        while let Some(at) = e.next_event().filter(|at| at.0 <= NOW.0 + 30 * DAY) {
            e.settle(t.state_type, at, &rules);
            let fired = e.fire_due(at);
            if fired.is_empty() {
                break;
            }
            times.extend(std::iter::repeat_n(at, fired.len()));
        }
    }
    times.sort();
    // What a tick at `before` and then one at `at` fire, exactly as the tick does it (settle at the tick's
    // instant, then fire: a clock whose warning and breach both fall in the window fires only the breach).
    let exact = |before: Option<Timestamp>, at: Timestamp| {
        let tick = |e: &mut Escalation, st: StateType, now: Timestamp| {
            if e.next_event().is_some_and(|x| x <= now) {
                e.settle(st, now, &rules);
                e.fire_due(now).len()
            } else {
                0
            }
        };
        let (mut events, mut tickets) = (0, 0);
        for t in running.iter().filter(|t| t.pending_due().is_some_and(|d| d <= at)) {
            let mut e = t.escalation.clone();
            if let Some(before) = before {
                tick(&mut e, t.state_type, before);
            }
            let fired = tick(&mut e, t.state_type, at);
            events += fired;
            tickets += usize::from(fired > 0);
        }
        (events, tickets)
    };
    // Candidate windows: events [a, b) of the sorted list, a and b where the instant changes, b - a near
    // n; the first whose exact count is n, else the closest.
    let bounds: Vec<usize> =
        (0..=times.len()).filter(|&i| i == 0 || i == times.len() || times[i] != times[i - 1]).collect();
    let mut candidates = Vec::new();
    for &a in &bounds {
        let j = bounds.partition_point(|&b| b < a + n);
        for b in [bounds.get(j), j.checked_sub(1).and_then(|j| bounds.get(j))].into_iter().flatten() {
            if *b > a && (b - a).abs_diff(n) <= n / 10 {
                candidates.push(((b - a).abs_diff(n), a, *b));
            }
        }
    }
    candidates.sort();
    let mut best: Option<(usize, Option<Timestamp>, Timestamp, usize, usize)> = None;
    for (_, a, b) in candidates.into_iter().take(300) {
        let (before, at) = ((a > 0).then(|| times[a - 1]), times[b - 1]);
        let (events, tickets) = exact(before, at);
        if best.is_none_or(|x| events.abs_diff(n) < x.0) {
            best = Some((events.abs_diff(n), before, at, events, tickets));
        }
        if events == n {
            break;
        }
    }
    let (_, before, at, events, tickets) = best.expect("a window of events");
    TickPlan { before, at, events, tickets }
}

fn tick_1000(rt: &tokio::runtime::Runtime, path: &Path) {
    let plan = rt.block_on(async {
        let store = RedbStore::open(path).unwrap();
        plan_tick(&store, TICK_EVENTS).await
    });
    let hours = |t: Timestamp| (t.0 - NOW.0) as f64 / HOUR as f64;
    println!(
        "{} events on {} tickets fall due after {} and by {:?} ({:.2} h after now)",
        plan.events,
        plan.tickets,
        plan.before.map_or("now".to_string(), |b| format!("{b:?} ({:.2} h after now)", hours(b))),
        plan.at,
        hours(plan.at)
    );
    let (mut durations, mut rates) = (Vec::new(), Vec::new());
    for r in 0..ROUNDS {
        // Each round ticks a fresh copy: the same events fire every round.
        let copy = scratch("tick");
        std::fs::copy(path, &copy).unwrap();
        // Written out before the clock starts: else the tick's first durable commit pays for the whole copy.
        std::fs::OpenOptions::new().write(true).open(&copy).unwrap().sync_all().unwrap();
        let (elapsed, cpu, report, before, idle, outbox) = rt.block_on(async {
            let (engine, store) = open_engine(&copy).await;
            // The events due before the window fire first, untimed.
            let before = match plan.before {
                Some(b) => engine.tick(b).await.unwrap().escalations,
                None => 0,
            };
            let outbox_before = engine.outbox_pending().await.unwrap();
            let (t, cpu) = (Instant::now(), cpu_ns());
            let report = engine.tick(plan.at).await.unwrap();
            let elapsed = t.elapsed();
            let cpu = Duration::from_nanos(cpu_ns() - cpu);
            // The next tick at the same instant finds nothing due.
            let t = Instant::now();
            let again = engine.tick(plan.at).await.unwrap();
            let idle = t.elapsed();
            assert_eq!(again.escalations, 0);
            let outbox = engine.outbox_pending().await.unwrap() - outbox_before;
            drop(engine);
            drop(store);
            (elapsed, cpu, report, before, idle, outbox)
        });
        let _ = std::fs::remove_file(&copy);
        assert_eq!(report.escalations, plan.events, "{report:?}");
        let rate = report.escalations as f64 / elapsed.as_secs_f64();
        println!(
            "tick round {r}: {} events on {} tickets in {elapsed:?} ({rate:.0} events/s, CPU {cpu:?} on all threads), {outbox} notifications queued; {before} events fired by the untimed tick before; the next tick (nothing due) {idle:?}",
            report.escalations, plan.tickets
        );
        durations.push(elapsed);
        rates.push(rate);
    }
    println!("tick firing {} events: MEDIAN {:?}, {:.0} events/s", plan.events, median(durations), median(rates));
}

/// What the clock rules alone cost a new ticket: `apply(Created)` and `settle`, as `seal_clocks` runs them,
/// at instants spread over two weeks (nights and weekends included), one thread.
fn clock_rules_per_ticket() -> Duration {
    let work = WorkingTime::new(&calendar()).unwrap();
    let targets = targets();
    let rules = ClockRules { targets: &targets, work: &work };
    let n = 200_000u32;
    let t = Instant::now();
    for i in 0..n {
        let at = Timestamp(NOW.0 + i64::from(i) * 6_047);
        let mut e = Escalation::default();
        e.apply(ClockInput::Created, at, &rules);
        e.settle(StateType::New, at, &rules);
        std::hint::black_box(&e);
    }
    t.elapsed() / n
}

fn create_sla(rt: &tokio::runtime::Runtime) {
    let rules: Vec<Duration> = (0..ROUNDS).map(|_| clock_rules_per_ticket()).collect();
    println!("the clock rules of one new ticket (apply + settle, 3 clocks), one thread: MEDIAN {:?}", median(rules));
    // Durable as a server runs; then without the flush to disk, where the engine's and the store's CPU is
    // all there is to it and the shared disk's mood drops out of the ratio.
    for durable in [true, false] {
        for (tasks, total) in [(64usize, 10_240usize), (1, 2_000)] {
            let label = format!("create, {tasks} task(s), {}", if durable { "durable" } else { "not durable" });
            // (rate, CPU µs per ticket, bytes written per ticket), with the SLA and without.
            let mut runs: [Vec<(f64, f64, u64)>; 2] = [Vec::new(), Vec::new()];
            for r in 0..ROUNDS {
                // Alternate which goes first, so that neither always meets the disk in the same mood.
                let order = if r % 2 == 0 { [true, false] } else { [false, true] };
                for sla in order {
                    let (rate, cpu, bytes) = rt.block_on(create(tasks, total, sla, durable));
                    let what = if sla { "with SLA Gold" } else { "without SLA" };
                    println!(
                        "{label}, {what}: round {r}: {rate:.0}/s, {cpu:.1} µs CPU and {bytes} bytes written per ticket"
                    );
                    runs[usize::from(!sla)].push((rate, cpu, bytes));
                }
            }
            let [(a, ca, wa), (b, cb, wb)] = runs.map(|v| {
                (
                    median(v.iter().map(|x| x.0).collect()),
                    median(v.iter().map(|x| x.1).collect()),
                    median(v.iter().map(|x| x.2).collect()),
                )
            });
            println!(
                "{label}: MEDIAN with SLA {a:.0}/s, without {b:.0}/s: {:.1}% of it (cost {:.1}%); CPU per ticket {ca:.1} µs against {cb:.1} µs ({:+.1}%); written per ticket {wa} against {wb} bytes",
                100.0 * a / b,
                100.0 * (b - a) / b,
                100.0 * (ca - cb) / cb
            );
        }
    }
}

/// CPU time of every thread of this process so far, in nanoseconds (Linux `/proc/self/task/*/schedstat`).
fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return 0 };
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// Tickets per second created by `tasks` tasks on a fresh redb file, service `Email`, with or without SLA
/// `Gold`, the CPU microseconds (all threads: engine, tokio, the store's writer and readers) and the bytes
/// written to storage per ticket.
async fn create(tasks: usize, total: usize, with_sla: bool, durable: bool) -> (f64, f64, u64) {
    let path = scratch("create");
    let store = RedbOptions::new().durable(durable).open(&path).unwrap();
    let engine = Engine::builder(store).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    put_sla_directory(&engine).await;
    let admin = engine.admin(&Actor::agent("admin")).await.unwrap();
    admin.put_customer(Customer::new("acme", "Acme Inc.")).await.unwrap();
    admin.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await.unwrap();
    admin.grant(Grant::service(GrantSubject::CustomerUser("alice".into()), "Email")).await.unwrap();
    let per = total / tasks;
    let (cpu, written) = (cpu_ns(), written_bytes());
    let start = Instant::now();
    let mut hs = Vec::new();
    for t in 0..tasks {
        let engine = engine.clone();
        hs.push(tokio::spawn(async move {
            let alice = Actor::customer("alice");
            for i in 0..per {
                let mut new = NewTicket::new(
                    format!("bench {t}/{i}"),
                    "Since this morning our mails to the branch office come back undelivered.",
                    "Raw",
                );
                new.service = Some("Email".into());
                new.sla = with_sla.then(|| "Gold".into());
                let view = engine.create_ticket(&alice, new).await.unwrap();
                std::hint::black_box(view);
            }
        }));
    }
    for h in hs {
        h.await.unwrap();
    }
    let rate = (per * tasks) as f64 / start.elapsed().as_secs_f64();
    let cpu = (cpu_ns() - cpu) as f64 / 1_000.0 / (per * tasks) as f64;
    let written = (written_bytes() - written) / (per * tasks) as u64;
    // The clocks run exactly when the ticket has the SLA.
    let probe = engine.list_tickets(&Actor::System, &TicketFilter::default(), None, 1).await.unwrap();
    assert_eq!(probe.items[0].escalation.solution.running_since.is_some(), with_sla);
    drop(engine);
    let _ = std::fs::remove_file(&path);
    (rate, cpu, written)
}

/// Bytes this process has caused to be written to storage so far (Linux `/proc/self/io`).
fn written_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("write_bytes: ").and_then(|v| v.trim().parse().ok())))
        .unwrap_or(0)
}

/// What running clocks cost the store alone: `RedbStore::commit` of new tickets (ticket, article, history;
/// 64 per commit, not durable, one task) with the clocks a new ticket under SLA `Gold` gets (a larger
/// row and an entry in the due index) next to the same tickets without, rounds alternating.
fn store_sla(rt: &tokio::runtime::Runtime) {
    let work = WorkingTime::new(&calendar()).unwrap();
    let targets = targets();
    let rules = ClockRules { targets: &targets, work: &work };
    let make = |with: bool| -> Vec<Commit> {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        (0..320u64)
            .map(|c| {
                let mut commit = Commit::default();
                for k in 0..64 {
                    let i = c * 64 + k + 1;
                    let (mut t, _) = big_ticket(i * RUNNING_EVERY, &mut rng, &rules);
                    t.id = TicketId(i);
                    t.number = format!("20261209{i:08}");
                    // Created one after another, as the engine creates them.
                    t.created_at = Timestamp(NOW.0 + i as i64 * 50);
                    (t.state, t.state_type, t.changed_at) = ("new".into(), StateType::New, t.created_at);
                    t.escalation = Escalation::default();
                    if with {
                        step(&mut t.escalation, Some(ClockInput::Created), StateType::New, t.created_at, &rules);
                    } else {
                        t.sla = None;
                    }
                    let mut one = Commit::default();
                    big_write(i, &mut Rng(i), &rules, &mut one);
                    one.tickets[0].ticket = t;
                    one.articles.truncate(1);
                    commit.tickets.append(&mut one.tickets);
                    commit.articles.append(&mut one.articles);
                    commit.history.append(&mut one.history);
                }
                commit
            })
            .collect()
    };
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for r in 0..ROUNDS {
        for sla in if r % 2 == 0 { [true, false] } else { [false, true] } {
            let commits = make(sla);
            let n = commits.iter().map(|c| c.tickets.len()).sum::<usize>();
            let path = scratch("store");
            let store = RedbOptions::new().durable(false).open(&path).unwrap();
            let (t, cpu) = (Instant::now(), cpu_ns());
            rt.block_on(async {
                for c in commits {
                    store.commit(c).await.unwrap();
                }
            });
            let rate = n as f64 / t.elapsed().as_secs_f64();
            let cpu = (cpu_ns() - cpu) as f64 / 1_000.0 / n as f64;
            println!(
                "store commit, 64 new tickets per commit, clocks {sla}: round {r}: {rate:.0}/s, {cpu:.1} µs CPU per ticket"
            );
            if sla {
                with.push((rate, cpu))
            } else {
                without.push((rate, cpu))
            }
            drop(store);
            let _ = std::fs::remove_file(&path);
        }
    }
    let (a, b) = (median(with.iter().map(|x| x.0).collect()), median(without.iter().map(|x| x.0).collect()));
    let (ca, cb) = (median(with.iter().map(|x| x.1).collect()), median(without.iter().map(|x| x.1).collect()));
    println!(
        "store commit: MEDIAN with clocks {a:.0}/s, without {b:.0}/s ({:.1}%); CPU per ticket {ca:.1} µs against {cb:.1} µs",
        100.0 * a / b
    );
}
