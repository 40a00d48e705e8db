//! Differential test: random operation sequences on the reference `MemoryStore` and on `RedbStore`
//! must give identical answers to every write and every read (including after reopening the file).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::{
    ArticleId, ChannelKind, Commit, Customer, CustomerUser, Grant, GrantSubject, IdempotencyOutcome, IdempotencyRecord,
    MemoryStore, OutboxEntry, OutboxId, OutboxStatus, PermissionSet, Record, RecordKey, RecordKind, StateType, Store,
    TicketId, TicketIndex, TicketWrite, Timestamp,
};
use chamado_redb::RedbOptions;
use common::{Rng, TempDir, article, history, ticket};

const QUEUES: [&str; 3] = ["Raw", "Misc", "Ra"];
const USERS: [&str; 3] = ["alice", "al", "bob"];
const NUMBERS: [&str; 6] = ["1001", "1002", "1003", "1004", "1005", "10011"];
const EXTERNAL: [&str; 3] = ["<m1@x>", "<m2@x>", "<m3@x>"];
const KEYS: [&str; 3] = ["k1", "k2", "k3"];
/// Titles and bodies are drawn from these, so searches match several tickets and moved articles or
/// changed titles take words away.
const WORDS: [&str; 6] = ["printer", "Toner", "paper-jam", "wifi", "VPN", "printer2"];
const QUERIES: [&str; 8] = ["printer", "toner", "paper jam", "PRINTER toner", "wifi vpn", "jam", "nothing", " ,; "];

fn random_text(rng: &mut Rng) -> String {
    (0..rng.below(4)).map(|_| rng.pick(&WORDS)).collect::<Vec<_>>().join(" ")
}

fn random_ticket(rng: &mut Rng, id: u64) -> chamado::Ticket {
    let mut t = ticket(id, rng.pick(&NUMBERS));
    t.queue = rng.pick(&QUEUES).to_string();
    t.state_type = rng.pick(&StateType::ALL);
    t.customer_user = rng.chance(80).then(|| rng.pick(&USERS).to_string());
    t.customer_id = rng.chance(70).then(|| rng.pick(&["acme", "ac", "globex"]).to_string());
    t.title = random_text(rng);
    t.changed_at = Timestamp(rng.below(20) as i64 - 5);
    t.pending_until = rng.chance(60).then(|| Timestamp(rng.below(20) as i64 - 5));
    t.reminded_for = rng.chance(30).then(|| t.pending_until.unwrap_or(Timestamp(3)));
    // A lock with an expiry is due then (as is an expiry left on an unlocked ticket: never).
    t.lock = if rng.chance(40) { chamado::Lock::Lock } else { chamado::Lock::Unlock };
    t.owner = rng.chance(60).then(|| rng.pick(&USERS).to_string());
    t.unlock_at = rng.chance(50).then(|| Timestamp(rng.below(20) as i64 - 5));
    t.watchers = (0..rng.below(3)).map(|_| rng.pick(&USERS).to_string()).collect();
    // Clocks running or paused, warned or breached: escalated, at risk, or neither, due at their events.
    t.sla = rng.chance(50).then(|| rng.pick(&["Gold", "Silver"]).to_string());
    for kind in chamado::sla::ClockKind::ALL {
        if rng.chance(40) {
            let running = rng.chance(70);
            let clock = t.escalation.clock_mut(kind);
            clock.active = true;
            clock.running_since = running.then_some(Timestamp(-5));
            clock.due = running.then(|| Timestamp(rng.below(20) as i64 - 5));
            clock.warn_at = running.then(|| Timestamp(rng.below(20) as i64 - 5));
            clock.warned = rng.chance(50);
            clock.breached = clock.warned && rng.chance(50);
        }
    }
    t
}

fn random_commit(rng: &mut Rng, known: &[chamado::Ticket]) -> Commit {
    let mut c = Commit::default();
    for _ in 0..rng.below(3) {
        if !known.is_empty() && rng.chance(60) {
            let old = known[rng.below(known.len() as u64) as usize].clone();
            let mut t = random_ticket(rng, old.id.0);
            if rng.chance(70) {
                t.number = old.number.clone();
            }
            let expected = if rng.chance(85) { old.version } else { old.version + rng.below(3) };
            t.version = expected + 1;
            c.tickets.push(TicketWrite { ticket: t, expected_version: expected });
        } else {
            let id = 1 + rng.below(8);
            let t = random_ticket(rng, id);
            c.tickets.push(TicketWrite { ticket: t, expected_version: 0 });
        }
    }
    for _ in 0..rng.below(3) {
        let mut a = article(1 + rng.below(10), 1 + rng.below(8));
        a.external_id = rng.chance(50).then(|| rng.pick(&EXTERNAL).to_string());
        a.body = format!("{} body {}", random_text(rng), rng.next());
        c.articles.push(a);
    }
    for _ in 0..rng.below(3) {
        c.history.push(history(1 + rng.below(8), &format!("h{}", rng.next())));
    }
    for _ in 0..rng.below(2) {
        c.outbox.push(OutboxEntry {
            id: OutboxId(1 + rng.below(6)),
            ticket_id: TicketId(1 + rng.below(8)),
            article_id: ArticleId(1),
            channel: ChannelKind::Email,
            recipient: "r@x".into(),
            status: rng.pick(&[OutboxStatus::Pending, OutboxStatus::Pending, OutboxStatus::Sent, OutboxStatus::Failed]),
            attempts: rng.below(3) as u32,
            next_attempt_at: Timestamp(rng.below(20) as i64 - 5),
            last_error: None,
            created_at: Timestamp(0),
            receipt: None,
            notification: rng.chance(30).then(|| chamado::NotificationRef {
                kind: rng.pick(&chamado::NotificationKind::ALL),
                agent: rng.pick(&USERS).to_string(),
                actor: rng.chance(50).then(|| rng.pick(&USERS).to_string()),
                fan_out: Vec::new(),
            }),
        });
    }
    if rng.chance(30) {
        c.idempotency = Some(IdempotencyRecord {
            key: rng.pick(&KEYS).to_string(),
            ticket_id: Some(TicketId(1)),
            article_id: None,
            outcome: IdempotencyOutcome::NewTicket,
            detail: None,
            at: Timestamp(5),
        });
    }
    c
}

fn random_record(rng: &mut Rng) -> Record {
    match rng.below(3) {
        0 => {
            let mut u = CustomerUser::new(
                rng.pick(&USERS),
                rng.pick(&["a@x.example", "b@x.example", ""]),
                rng.pick(&["acme", "globex"]),
            );
            u.identities = (0..rng.below(3)).map(|_| rng.pick(&["tg:1", "tg:2", "wa:1"]).to_string()).collect();
            u.first_name = format!("n{}", rng.below(100));
            Record::CustomerUser(u)
        }
        1 => Record::Customer(Customer::new(rng.pick(&["acme", "ac", "acme2", "globex"]), "Name")),
        _ => Record::Grant(Grant::group(
            GrantSubject::CustomerUser(rng.pick(&USERS).to_string()),
            rng.pick(&["users", "admin"]),
            PermissionSet::EMPTY,
        )),
    }
}

async fn all_tickets(s: &dyn Store) -> Vec<chamado::Ticket> {
    let mut out = Vec::new();
    for id in 1..=8 {
        if let Some(t) = s.ticket(TicketId(id)).await.unwrap() {
            out.push(t);
        }
    }
    out
}

async fn compare_reads(m: &dyn Store, r: &dyn Store, rng: &mut Rng, step: usize) {
    for id in 0..=9 {
        assert_eq!(m.ticket(TicketId(id)).await, r.ticket(TicketId(id)).await, "ticket {id} step {step}");
        assert_eq!(m.articles(TicketId(id)).await, r.articles(TicketId(id)).await, "articles {id} step {step}");
        assert_eq!(m.history(TicketId(id)).await, r.history(TicketId(id)).await, "history {id} step {step}");
        assert_eq!(m.outbox_for_ticket(TicketId(id)).await, r.outbox_for_ticket(TicketId(id)).await, "outbox {id}");
    }
    for id in 0..=11 {
        assert_eq!(m.article(ArticleId(id)).await, r.article(ArticleId(id)).await, "article {id} step {step}");
    }
    for n in NUMBERS.iter().chain(&["", "1"]) {
        assert_eq!(m.ticket_by_number(n).await, r.ticket_by_number(n).await, "number {n} step {step}");
    }
    for e in EXTERNAL.iter().chain(&["<none>"]) {
        assert_eq!(m.article_by_external_id(e).await, r.article_by_external_id(e).await, "ext {e} step {step}");
    }
    for k in KEYS {
        assert_eq!(m.idempotency(k).await, r.idempotency(k).await, "idempotency {k} step {step}");
    }
    let mut indexes = Vec::new();
    for q in QUEUES {
        indexes.push(TicketIndex::Queue { queue: q.into(), state_type: None });
        for st in StateType::ALL {
            indexes.push(TicketIndex::Queue { queue: q.into(), state_type: Some(st) });
        }
    }
    for st in StateType::ALL {
        indexes.push(TicketIndex::StateType(st));
    }
    for u in USERS {
        indexes.push(TicketIndex::CustomerUser(u.into()));
        indexes.push(TicketIndex::LockedBy(u.into()));
    }
    for c in ["acme", "ac", "globex"] {
        indexes.push(TicketIndex::Customer(c.into()));
    }
    indexes.extend([TicketIndex::Escalated, TicketIndex::AtRisk]);
    for index in &indexes {
        let limit = 1 + rng.below(4) as usize;
        let mut after = None;
        for page in 0..20 {
            let a = m.list_tickets(index, after, limit).await.unwrap();
            let b = r.list_tickets(index, after, limit).await.unwrap();
            assert_eq!(a, b, "list {index:?} page {page} limit {limit} step {step}");
            match a.next {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        assert_eq!(m.list_tickets(index, None, 0).await, r.list_tickets(index, None, 0).await);
        assert_eq!(m.count_tickets(index).await, r.count_tickets(index).await, "count {index:?} step {step}");
    }
    for q in QUERIES {
        for limit in [1, 3, 100] {
            assert_eq!(
                m.search_tickets(q, limit).await,
                r.search_tickets(q, limit).await,
                "search {q:?} {limit} step {step}"
            );
        }
    }
    for now in [-6, 0, 7, 20] {
        for limit in [0, 1, 3, 100] {
            let now = Timestamp(now);
            assert_eq!(m.due_tickets(now, limit).await, r.due_tickets(now, limit).await, "due {now:?} {limit}");
        }
    }
    for kind in [RecordKind::CustomerUser, RecordKind::Customer, RecordKind::Grant, RecordKind::Agent] {
        for prefix in ["", "a", "ac", "acme", "cu", "z"] {
            for after in [None, Some("a"), Some("acme"), Some("b"), Some("")] {
                for limit in [0, 1, 2, 50] {
                    assert_eq!(
                        m.records(kind, prefix, after, limit).await,
                        r.records(kind, prefix, after, limit).await,
                        "records {kind:?} {prefix:?} {after:?} {limit} step {step}"
                    );
                }
            }
        }
    }
    for u in USERS {
        let k = RecordKey::new(RecordKind::CustomerUser, u);
        assert_eq!(m.record(&k).await, r.record(&k).await);
    }
    for k in ["email:a@x.example", "a@x.example", "tg:1", "tg:2", "wa:1", "", "b@x.example"] {
        let key = chamado::CustomerUser::new("x", k, "c").lookup_keys().into_iter().next().unwrap_or_default();
        assert_eq!(m.customer_user_by_lookup(&key).await, r.customer_user_by_lookup(&key).await, "lookup {key}");
        assert_eq!(m.customer_user_by_lookup(k).await, r.customer_user_by_lookup(k).await, "lookup {k}");
    }
    for k in ["m1", "m2"] {
        assert_eq!(m.meta(k).await, r.meta(k).await);
    }
}

async fn run(seed: u64, steps: usize, path: &std::path::Path) {
    let mut rng = Rng::new(seed);
    let m = MemoryStore::new();
    let mut r = RedbOptions::new().full_text_search(true).open(path).unwrap();
    for step in 0..steps {
        match rng.below(10) {
            0 => {
                let scope = rng.pick(&["ticket", "article"]);
                let count = rng.below(3);
                assert_eq!(m.allocate(scope, count).await, r.allocate(scope, count).await);
            }
            1..=5 => {
                let known = all_tickets(&m).await;
                let c = random_commit(&mut rng, &known);
                assert_eq!(m.commit(c.clone()).await, r.commit(c.clone()).await, "commit step {step}: {c:?}");
            }
            6 => {
                let now = Timestamp(rng.below(20) as i64 - 5);
                let lease = Timestamp(rng.below(30) as i64);
                let limit = rng.below(4) as usize;
                assert_eq!(m.claim_outbox(now, lease, limit).await, r.claim_outbox(now, lease, limit).await);
            }
            7 => {
                let rec = random_record(&mut rng);
                assert_eq!(m.put_record(rec.clone()).await, r.put_record(rec).await);
            }
            8 => {
                let rec = random_record(&mut rng);
                assert_eq!(m.delete_record(&rec.key()).await, r.delete_record(&rec.key()).await);
            }
            _ => {
                let key = rng.pick(&["m1", "m2"]);
                let value = rng.chance(70).then(|| rng.next().to_le_bytes().to_vec());
                assert_eq!(m.put_meta(key, value.clone()).await, r.put_meta(key, value).await);
            }
        }
        if step % 7 == 0 {
            compare_reads(&m, &r, &mut rng, step).await;
        }
        // Searches must be exact with words pending and once they are indexed.
        if step % 11 == 5 {
            r.index_search_words().await.unwrap();
            compare_reads(&m, &r, &mut rng, step).await;
        }
        if step % 97 == 96 {
            drop(r);
            r = RedbOptions::new().full_text_search(true).open(path).unwrap();
        }
    }
    compare_reads(&m, &r, &mut rng, steps).await;
    drop(r);
    let r = RedbOptions::new().full_text_search(true).open(path).unwrap();
    compare_reads(&m, &r, &mut rng, steps + 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redb_matches_the_memory_store_on_tokio() {
    let dir = TempDir::new("diff");
    for seed in 1..=4 {
        run(seed, 250, &dir.file(&format!("s{seed}.redb"))).await;
    }
}

#[test]
fn redb_matches_the_memory_store_outside_tokio() {
    let dir = TempDir::new("diff-pollster");
    pollster::block_on(run(99, 200, &dir.file("p.redb")));
}
