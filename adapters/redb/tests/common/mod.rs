//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chamado::{
    Article, ArticleId, ChannelKind, HistoryEntry, HistoryKind, Lock, OutboxEntry, OutboxId, OutboxStatus, Priority,
    SenderType, StateType, Ticket, TicketId, Timestamp,
};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A fresh, empty directory under the system temp dir (removed on drop).
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static N: AtomicU64 = AtomicU64::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let p = std::env::temp_dir().join(format!("chamado-redb-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A small deterministic random generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A ticket row with sensible defaults.
pub fn ticket(id: u64, number: &str) -> Ticket {
    Ticket {
        id: TicketId(id),
        number: number.to_string(),
        title: format!("ticket {id}"),
        queue: "Raw".into(),
        state: "new".into(),
        state_type: StateType::New,
        priority: Priority::NORMAL,
        lock: Lock::Unlock,
        owner: None,
        responsible: None,
        customer_user: Some("alice".into()),
        customer_id: Some("acme".into()),
        service: None,
        channel: ChannelKind::Web,
        created_at: Timestamp(1_000),
        changed_at: Timestamp(1_000 + id as i64),
        pending_until: None,
        reminded_for: None,
        merged_into: None,
        linked: Vec::new(),
        version: 1,
        watchers: Vec::new(),
        unlock_at: None,
        sla: None,
        escalation: Default::default(),
    }
}

/// An article row.
pub fn article(id: u64, ticket: u64) -> Article {
    Article {
        id: ArticleId(id),
        ticket_id: TicketId(ticket),
        sender: SenderType::Customer,
        channel: ChannelKind::Web,
        visible_to_customer: true,
        from: "alice@acme.example".into(),
        reply_to: None,
        to: "support".into(),
        subject: "subject".into(),
        body: "body".into(),
        attachments: Vec::new(),
        external_id: None,
        references: Vec::new(),
        created_by: "alice".into(),
        created_at: Timestamp(1_000),
        sender_auth: None,
    }
}

/// A history entry.
pub fn history(ticket: u64, message: &str) -> HistoryEntry {
    HistoryEntry {
        ticket_id: TicketId(ticket),
        at: Timestamp(1_000),
        actor: "alice".into(),
        kind: HistoryKind::Created,
        message: message.into(),
        text: None,
    }
}

/// A ticket as schemas 1 to 6 wrote it: without `watchers` and `unlock_at`.
#[derive(Serialize)]
struct TicketV6 {
    id: TicketId,
    number: String,
    title: String,
    queue: String,
    state: String,
    state_type: StateType,
    priority: Priority,
    lock: Lock,
    owner: Option<String>,
    responsible: Option<String>,
    customer_user: Option<String>,
    customer_id: Option<String>,
    service: Option<String>,
    channel: ChannelKind,
    created_at: Timestamp,
    changed_at: Timestamp,
    pending_until: Option<Timestamp>,
    reminded_for: Option<Timestamp>,
    merged_into: Option<TicketId>,
    linked: Vec<TicketId>,
    version: u64,
}

/// The stored bytes of `t` in the layout of schemas 1 to 6 (its watchers and lock expiry left out).
pub fn ticket_v6_bytes(t: &Ticket) -> Vec<u8> {
    let t = t.clone();
    let old = TicketV6 {
        id: t.id,
        number: t.number,
        title: t.title,
        queue: t.queue,
        state: t.state,
        state_type: t.state_type,
        priority: t.priority,
        lock: t.lock,
        owner: t.owner,
        responsible: t.responsible,
        customer_user: t.customer_user,
        customer_id: t.customer_id,
        service: t.service,
        channel: t.channel,
        created_at: t.created_at,
        changed_at: t.changed_at,
        pending_until: t.pending_until,
        reminded_for: t.reminded_for,
        merged_into: t.merged_into,
        linked: t.linked,
        version: t.version,
    };
    postcard::to_allocvec(&old).unwrap()
}

/// A ticket as schema 7 wrote it: without `sla` and `escalation`.
#[derive(Serialize)]
struct TicketV7 {
    id: TicketId,
    number: String,
    title: String,
    queue: String,
    state: String,
    state_type: StateType,
    priority: Priority,
    lock: Lock,
    owner: Option<String>,
    responsible: Option<String>,
    customer_user: Option<String>,
    customer_id: Option<String>,
    service: Option<String>,
    channel: ChannelKind,
    created_at: Timestamp,
    changed_at: Timestamp,
    pending_until: Option<Timestamp>,
    reminded_for: Option<Timestamp>,
    merged_into: Option<TicketId>,
    linked: Vec<TicketId>,
    version: u64,
    watchers: Vec<String>,
    unlock_at: Option<Timestamp>,
}

/// The stored bytes of `t` in the layout of schema 7 (its SLA and escalation clocks left out).
pub fn ticket_v7_bytes(t: &Ticket) -> Vec<u8> {
    let t = t.clone();
    let old = TicketV7 {
        id: t.id,
        number: t.number,
        title: t.title,
        queue: t.queue,
        state: t.state,
        state_type: t.state_type,
        priority: t.priority,
        lock: t.lock,
        owner: t.owner,
        responsible: t.responsible,
        customer_user: t.customer_user,
        customer_id: t.customer_id,
        service: t.service,
        channel: t.channel,
        created_at: t.created_at,
        changed_at: t.changed_at,
        pending_until: t.pending_until,
        reminded_for: t.reminded_for,
        merged_into: t.merged_into,
        linked: t.linked,
        version: t.version,
        watchers: t.watchers,
        unlock_at: t.unlock_at,
    };
    postcard::to_allocvec(&old).unwrap()
}

/// An outbox entry as schemas 1 to 6 wrote it: without `notification`.
#[derive(Serialize)]
struct OutboxEntryV6 {
    id: OutboxId,
    ticket_id: TicketId,
    article_id: ArticleId,
    channel: ChannelKind,
    recipient: String,
    status: OutboxStatus,
    attempts: u32,
    next_attempt_at: Timestamp,
    last_error: Option<String>,
    created_at: Timestamp,
    receipt: Option<String>,
}

/// The stored bytes of `o` in the layout of schemas 1 to 6 (its notification left out).
pub fn outbox_v6_bytes(o: &OutboxEntry) -> Vec<u8> {
    let o = o.clone();
    let old = OutboxEntryV6 {
        id: o.id,
        ticket_id: o.ticket_id,
        article_id: o.article_id,
        channel: o.channel,
        recipient: o.recipient,
        status: o.status,
        attempts: o.attempts,
        next_attempt_at: o.next_attempt_at,
        last_error: o.last_error,
        created_at: o.created_at,
        receipt: o.receipt,
    };
    postcard::to_allocvec(&old).unwrap()
}

/// Rewrites every row of the id-keyed table `name` through `f` (bytes as stored -> bytes to store).
pub fn rewrite_id_table(txn: &redb::WriteTransaction, name: &str, f: impl Fn(&[u8]) -> Vec<u8>) -> usize {
    let def: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new(name);
    let mut t = txn.open_table(def).unwrap();
    let rows: Vec<(u64, Vec<u8>)> = redb::ReadableTable::iter(&t)
        .unwrap()
        .map(|r| {
            let (k, v) = r.unwrap();
            (k.value(), v.value().to_vec())
        })
        .collect();
    for (k, v) in &rows {
        t.insert(*k, f(v).as_slice()).unwrap();
    }
    rows.len()
}

/// Marks the file as being of schema `version`.
pub fn set_schema_version(txn: &redb::WriteTransaction, version: u64) {
    let def: redb::TableDefinition<&str, u64> = redb::TableDefinition::new(chamado_redb::SCHEMA_TABLE);
    txn.open_table(def).unwrap().insert("version", version).unwrap();
}

/// The schema version stored in the file at `path` (which no store may hold open).
pub fn stored_schema_version(path: &Path) -> u64 {
    let db = redb::Database::open(path).unwrap();
    let read = redb::ReadableDatabase::begin_read(&db).unwrap();
    let def: redb::TableDefinition<&str, u64> = redb::TableDefinition::new(chamado_redb::SCHEMA_TABLE);
    read.open_table(def).unwrap().get("version").unwrap().unwrap().value()
}
