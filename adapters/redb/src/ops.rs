//! The write operations the writer thread executes inside a batch's transaction. Each validates
//! against the transaction's state (which includes the changes applied earlier in the same batch)
//! before writing anything, so a rejected operation leaves no trace.

use crate::backup::Item;
use crate::codec::encode;
use crate::error::Error;
use crate::keys::split_due_key;
use crate::pending_words::PendingWords;
use crate::tables::WriteTables;
use chamado::{
    Commit, DuplicateKind, OutboxEntry, Record, RecordKey, StoreError, Ticket, TicketId, Timestamp, WebhookDelivery,
    search_words,
};
use redb::ReadableTable;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Mutex;

/// One queued write.
#[derive(Debug)]
pub(crate) enum Op {
    /// [`chamado::Store::allocate`].
    Allocate { scope: String, count: u64 },
    /// [`chamado::Store::commit`], with the search words of its titles and articles when the store
    /// keeps a search index (made by the caller, off the writer thread).
    Commit(Box<Commit>, Option<Box<CommitWords>>),
    /// [`chamado::Store::claim_outbox`].
    ClaimOutbox { now: Timestamp, lease_until: Timestamp, limit: usize },
    /// [`chamado::Store::claim_webhooks`].
    ClaimWebhooks { now: Timestamp, lease_until: Timestamp, limit: usize },
    /// [`chamado::Store::prune_events`].
    PruneEvents { before: Timestamp, limit: usize },
    /// [`chamado::Store::prune_webhooks`].
    PruneWebhooks { before: Timestamp, limit: usize },
    /// [`chamado::Store::put_record`].
    PutRecord(Box<Record>),
    /// [`chamado::Store::delete_record`].
    DeleteRecord(RecordKey),
    /// [`chamado::Store::put_meta`].
    PutMeta { key: String, value: Option<Vec<u8>> },
    /// A chunk of a restore.
    Import(Vec<Item>),
    /// A durable commit of nothing (flushes earlier non-durable commits).
    Sync,
    /// Folds every pending search word into the word index.
    IndexSearchWords,
}

/// The search words of a commit's ticket titles and article bodies, in the commit's order.
#[derive(Debug)]
pub(crate) struct CommitWords {
    pub titles: Vec<BTreeSet<String>>,
    pub bodies: Vec<BTreeSet<String>>,
    /// For each ticket the commit creates: the words of its title and of the commit's articles on it,
    /// gathered here so that the writer thread need not copy them word by word
    /// ([`WriteTables::start_pending_words`]). Taken by the first attempt at the commit; a retry (the
    /// batch failed as a whole) adds the words one by one, as without them.
    pub new_tickets: Mutex<Vec<(u64, PendingWords)>>,
}

impl CommitWords {
    pub(crate) fn of(c: &Commit) -> Self {
        let titles: Vec<BTreeSet<String>> = c.tickets.iter().map(|w| search_words(&w.ticket.title)).collect();
        let bodies: Vec<BTreeSet<String>> = c.articles.iter().map(|a| search_words(&a.body)).collect();
        let new_tickets = c
            .tickets
            .iter()
            .zip(&titles)
            .filter(|(w, _)| w.expected_version == 0)
            .map(|(w, title)| {
                let mut p = PendingWords::default();
                p.add(title.iter().cloned());
                for (a, body) in c.articles.iter().zip(&bodies) {
                    if a.ticket_id == w.ticket.id {
                        p.add(body.iter().cloned());
                    }
                }
                (w.ticket.id.0, p)
            })
            .collect();
        CommitWords { titles, bodies, new_tickets: Mutex::new(new_tickets) }
    }
}

/// What a successful operation returns.
#[derive(Debug)]
pub(crate) enum Reply {
    /// Nothing.
    Unit,
    /// The first allocated value.
    Value(u64),
    /// The claimed outbox entries.
    Claimed(Vec<OutboxEntry>),
    /// The claimed webhook deliveries.
    ClaimedWebhooks(Vec<WebhookDelivery>),
}

/// Why an operation did not succeed.
#[derive(Debug)]
pub(crate) enum OpError {
    /// Refused before writing anything (conflict, duplicate): the batch goes on.
    Rejected(StoreError),
    /// Failed, possibly half-way: the batch's transaction must be abandoned.
    Failed(Error),
}

impl From<Error> for OpError {
    fn from(e: Error) -> Self {
        OpError::Failed(e)
    }
}

impl From<redb::StorageError> for OpError {
    fn from(e: redb::StorageError) -> Self {
        OpError::Failed(e.into())
    }
}

/// Executes one operation.
pub(crate) fn execute(t: &mut WriteTables<'_>, op: &Op) -> Result<Reply, OpError> {
    match op {
        Op::Allocate { scope, count } => {
            let current = t.counters.get(scope.as_str())?.map_or(0, |v| v.value());
            let first = current + 1;
            t.counters.insert(scope.as_str(), current.saturating_add((*count).max(1)))?;
            Ok(Reply::Value(first))
        }
        Op::Commit(c, words) => commit(t, c, words.as_deref()),
        Op::ClaimOutbox { now, lease_until, limit } => claim_outbox(t, *now, *lease_until, *limit),
        Op::ClaimWebhooks { now, lease_until, limit } => {
            Ok(Reply::ClaimedWebhooks(t.claim_webhooks(*now, *lease_until, *limit)?))
        }
        Op::PruneEvents { before, limit } => Ok(Reply::Value(t.prune_events(*before, *limit)?)),
        Op::PruneWebhooks { before, limit } => Ok(Reply::Value(t.prune_webhooks(*before, *limit)?)),
        Op::PutRecord(r) => {
            t.put_record(r)?;
            Ok(Reply::Unit)
        }
        Op::DeleteRecord(k) => {
            t.delete_record(k)?;
            Ok(Reply::Unit)
        }
        Op::PutMeta { key, value } => {
            match value {
                Some(v) => t.meta.insert(key.as_str(), v.as_slice())?,
                None => t.meta.remove(key.as_str())?,
            };
            Ok(Reply::Unit)
        }
        Op::Import(items) => {
            for item in items {
                crate::backup::import_item(t, item)?;
            }
            t.flush_pending_words()?;
            Ok(Reply::Unit)
        }
        Op::Sync => Ok(Reply::Unit),
        Op::IndexSearchWords => {
            t.index_pending(usize::MAX)?;
            Ok(Reply::Unit)
        }
    }
}

fn commit(t: &mut WriteTables<'_>, c: &Commit, words: Option<&CommitWords>) -> Result<Reply, OpError> {
    // Validate against the state before this commit (as the reference store does), keeping the rows read.
    let mut olds: Vec<Option<Ticket>> = Vec::with_capacity(c.tickets.len());
    let mut new_numbers = HashSet::new();
    for w in &c.tickets {
        let tk = &w.ticket;
        let current = t.get_ticket(tk.id.0)?;
        if w.expected_version == 0 {
            if current.is_some() {
                return Err(OpError::Rejected(StoreError::duplicate(
                    DuplicateKind::TicketId,
                    format!("ticket id {}", tk.id),
                )));
            }
            if t.numbers.get(tk.number.as_str())?.is_some() || !new_numbers.insert(tk.number.as_str()) {
                return Err(OpError::Rejected(StoreError::duplicate(
                    DuplicateKind::TicketNumber,
                    format!("ticket number {}", tk.number),
                )));
            }
        } else {
            let found = current.as_ref().map_or(0, |c| c.version);
            if found != w.expected_version {
                return Err(OpError::Rejected(StoreError::Conflict {
                    ticket: tk.id.0,
                    expected: w.expected_version,
                    found,
                }));
            }
            if current.as_ref().is_some_and(|c| c.number != tk.number) && t.numbers.get(tk.number.as_str())?.is_some() {
                return Err(OpError::Rejected(StoreError::duplicate(
                    DuplicateKind::TicketNumber,
                    format!("ticket number {}", tk.number),
                )));
            }
        }
        olds.push(current);
    }
    if let Some(i) = &c.idempotency
        && t.idempotency.get(i.key.as_str())?.is_some()
    {
        return Err(OpError::Rejected(StoreError::duplicate(
            DuplicateKind::IdempotencyKey,
            format!("idempotency key {}", i.key),
        )));
    }

    t.words_prepared.clear();
    if t.search
        && let Some(words) = words
    {
        let prepared = std::mem::take(&mut *words.new_tickets.lock().unwrap_or_else(|e| e.into_inner()));
        for (ticket, p) in prepared {
            t.start_pending_words(ticket, p)?;
        }
    }

    // Apply. A ticket written twice in one commit replaces its own earlier row.
    let mut written: HashMap<TicketId, &Ticket> = HashMap::new();
    for (i, (w, old)) in c.tickets.iter().zip(&olds).enumerate() {
        let old = written.get(&w.ticket.id).copied().or(old.as_ref());
        t.put_ticket(old, &w.ticket, words.and_then(|ws| ws.titles.get(i)))?;
        written.insert(w.ticket.id, &w.ticket);
    }
    for (i, a) in c.articles.iter().enumerate() {
        t.put_article(a, words.and_then(|ws| ws.bodies.get(i)))?;
    }
    for h in &c.history {
        t.append_history(h)?;
    }
    for o in &c.outbox {
        t.put_outbox(o)?;
    }
    if let Some(i) = &c.idempotency {
        t.idempotency.insert(i.key.as_str(), encode(i)?.as_slice())?;
    }
    for b in &c.blobs {
        t.put_blob(b)?;
    }
    for m in &c.meta {
        match &m.value {
            Some(v) => t.meta.insert(m.key.as_str(), v.as_slice())?,
            None => t.meta.remove(m.key.as_str())?,
        };
    }
    // Validated above with the rest: a refused commit never gets here, so it leaves no event behind.
    t.append_events(&c.events)?;
    for w in &c.webhooks {
        t.put_webhook(w)?;
    }
    for r in &c.records {
        t.put_record(r)?;
    }
    for n in &c.counters {
        let current = t.counters.get(n.scope.as_str())?.map_or(0, |v| v.value());
        t.counters.insert(n.scope.as_str(), current.saturating_add(n.add))?;
    }
    t.flush_pending_words()?;
    Ok(Reply::Unit)
}

fn claim_outbox(
    t: &mut WriteTables<'_>,
    now: Timestamp,
    lease_until: Timestamp,
    limit: usize,
) -> Result<Reply, OpError> {
    let mut due = Vec::new();
    for entry in t.outbox_due.iter()? {
        if due.len() >= limit {
            break;
        }
        let (k, _) = entry?;
        let Some((at, id)) = split_due_key(k.value()) else {
            return Err(OpError::Failed(Error::Corrupt("an outbox due key has the wrong length".into())));
        };
        if at > now {
            break;
        }
        due.push(id);
    }
    let mut claimed = Vec::with_capacity(due.len());
    for id in due {
        if let Some(mut e) = t.get_outbox(id)? {
            e.next_attempt_at = lease_until;
            t.put_outbox(&e)?;
            claimed.push(e);
        }
    }
    Ok(Reply::Claimed(claimed))
}
