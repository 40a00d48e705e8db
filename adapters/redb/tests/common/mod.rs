//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chamado::{
    Article, ArticleId, ChannelKind, HistoryEntry, HistoryKind, Lock, Priority, SenderType, StateType, Ticket,
    TicketId, Timestamp,
};
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
