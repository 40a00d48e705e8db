//! The in-memory reference [`Store`]: for tests, examples and embedders who persist elsewhere.

use crate::article::Article;
use crate::content_hash::ContentHash;
use crate::directory::{CustomerUser, Record, RecordKey, RecordKind};
use crate::error::{DuplicateKind, StoreError};
use crate::history::HistoryEntry;
use crate::ids::{ArticleId, OutboxId, TicketId};
use crate::outbox::OutboxEntry;
use crate::search_words::search_words;
use crate::store::{Commit, Cursor, IdempotencyRecord, Page, Store, StoreResult, TicketIndex};
use crate::ticket::Ticket;
use crate::time::Timestamp;
use crate::webhooks::{EventRecord, WebhookDelivery};
use async_trait::async_trait;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard};

/// A [`Store`] that keeps everything in memory; nothing survives the process.
///
/// ```
/// let store = chamado::MemoryStore::new();
/// # let _ = store;
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    counters: HashMap<String, u64>,
    tickets: HashMap<TicketId, Ticket>,
    numbers: HashMap<String, TicketId>,
    articles: HashMap<ArticleId, Article>,
    ticket_articles: BTreeMap<TicketId, BTreeSet<ArticleId>>,
    external_ids: HashMap<String, ArticleId>,
    history: BTreeMap<TicketId, Vec<HistoryEntry>>,
    idempotency: HashMap<String, IdempotencyRecord>,
    indexes: HashMap<TicketIndex, BTreeSet<(Timestamp, TicketId)>>,
    pending: BTreeSet<(Timestamp, TicketId)>,
    outbox: BTreeMap<OutboxId, OutboxEntry>,
    outbox_due: BTreeSet<(Timestamp, OutboxId)>,
    records: BTreeMap<RecordKey, Record>,
    lookups: HashMap<String, String>,
    meta: HashMap<String, Vec<u8>>,
    /// Each distinct file once, by hash.
    blobs: HashMap<ContentHash, Vec<u8>>,
    /// The event log by `seq`.
    events: BTreeMap<u64, EventRecord>,
    /// The last `seq` handed out (kept when the log is pruned).
    event_seq: u64,
    webhooks: BTreeMap<u64, WebhookDelivery>,
    webhooks_due: BTreeSet<(Timestamp, u64)>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave a half-applied commit (commits are checked first,
        // then applied without fallible steps), so the data is still consistent.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Inner {
    fn check(&self, commit: &Commit) -> StoreResult<()> {
        let mut new_numbers = BTreeSet::new();
        for w in &commit.tickets {
            let t = &w.ticket;
            let current = self.tickets.get(&t.id);
            if w.expected_version == 0 {
                if current.is_some() {
                    return Err(StoreError::duplicate(DuplicateKind::TicketId, format!("ticket id {}", t.id)));
                }
                if self.numbers.contains_key(&t.number) || !new_numbers.insert(t.number.clone()) {
                    return Err(StoreError::duplicate(
                        DuplicateKind::TicketNumber,
                        format!("ticket number {}", t.number),
                    ));
                }
            } else {
                let found = current.map_or(0, |c| c.version);
                if found != w.expected_version {
                    return Err(StoreError::Conflict { ticket: t.id.0, expected: w.expected_version, found });
                }
                if current.is_some_and(|c| c.number != t.number) && self.numbers.contains_key(&t.number) {
                    return Err(StoreError::duplicate(
                        DuplicateKind::TicketNumber,
                        format!("ticket number {}", t.number),
                    ));
                }
            }
        }
        if let Some(i) = &commit.idempotency
            && self.idempotency.contains_key(&i.key)
        {
            return Err(StoreError::duplicate(DuplicateKind::IdempotencyKey, format!("idempotency key {}", i.key)));
        }
        Ok(())
    }

    fn apply(&mut self, commit: Commit) {
        for w in commit.tickets {
            if let Some(old) = self.tickets.get(&w.ticket.id).cloned() {
                self.unindex(&old);
            }
            self.index(&w.ticket);
            self.numbers.insert(w.ticket.number.clone(), w.ticket.id);
            self.tickets.insert(w.ticket.id, w.ticket);
        }
        for a in commit.articles {
            if let Some(old) = self.articles.get(&a.id) {
                let old_ticket = old.ticket_id;
                if let Some(set) = self.ticket_articles.get_mut(&old_ticket) {
                    set.remove(&a.id);
                }
            }
            self.ticket_articles.entry(a.ticket_id).or_default().insert(a.id);
            if let Some(ext) = &a.external_id {
                self.external_ids.insert(ext.clone(), a.id);
            }
            self.articles.insert(a.id, a);
        }
        for h in commit.history {
            self.history.entry(h.ticket_id).or_default().push(h);
        }
        for o in commit.outbox {
            self.put_outbox(o);
        }
        if let Some(i) = commit.idempotency {
            self.idempotency.insert(i.key.clone(), i);
        }
        for m in commit.meta {
            match m.value {
                Some(v) => self.meta.insert(m.key, v),
                None => self.meta.remove(&m.key),
            };
        }
        for b in commit.blobs {
            self.blobs.entry(b.hash).or_insert(b.data);
        }
        for mut e in commit.events {
            self.event_seq += 1;
            e.seq = self.event_seq;
            self.events.insert(e.seq, e);
        }
        for w in commit.webhooks {
            self.put_webhook(w);
        }
        for r in commit.records {
            self.put_record(r);
        }
        for c in commit.counters {
            let v = self.counters.entry(c.scope).or_insert(0);
            *v = v.saturating_add(c.add);
        }
    }

    fn put_webhook(&mut self, w: WebhookDelivery) {
        if let Some(old) = self.webhooks.get(&w.id)
            && let Some(due) = old.due_at()
        {
            self.webhooks_due.remove(&(due, old.id));
        }
        if let Some(due) = w.due_at() {
            self.webhooks_due.insert((due, w.id));
        }
        self.webhooks.insert(w.id, w);
    }

    fn put_record(&mut self, record: Record) {
        let key = record.key();
        if let Some(old) = self.records.get(&key) {
            for k in old.lookup_keys() {
                self.lookups.remove(&k);
            }
        }
        for k in record.lookup_keys() {
            self.lookups.insert(k, key.key.clone());
        }
        self.records.insert(key, record);
    }

    fn put_outbox(&mut self, o: OutboxEntry) {
        if let Some(old) = self.outbox.get(&o.id)
            && let Some(due) = old.due_at()
        {
            self.outbox_due.remove(&(due, old.id));
        }
        if let Some(due) = o.due_at() {
            self.outbox_due.insert((due, o.id));
        }
        self.outbox.insert(o.id, o);
    }

    fn index(&mut self, t: &Ticket) {
        for k in TicketIndex::keys_of(t) {
            self.indexes.entry(k).or_default().insert((t.changed_at, t.id));
        }
        if let Some(due) = t.pending_due() {
            self.pending.insert((due, t.id));
        }
    }

    fn unindex(&mut self, t: &Ticket) {
        for k in TicketIndex::keys_of(t) {
            if let Some(set) = self.indexes.get_mut(&k) {
                set.remove(&(t.changed_at, t.id));
            }
        }
        if let Some(due) = t.pending_due() {
            self.pending.remove(&(due, t.id));
        }
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn allocate(&self, scope: &str, count: u64) -> StoreResult<u64> {
        let mut inner = self.lock();
        let c = inner.counters.entry(scope.to_string()).or_insert(0);
        let first = *c + 1;
        *c = c.saturating_add(count.max(1));
        Ok(first)
    }

    async fn counter(&self, scope: &str) -> StoreResult<u64> {
        Ok(self.lock().counters.get(scope).copied().unwrap_or(0))
    }

    async fn commit(&self, commit: Commit) -> StoreResult<()> {
        let mut inner = self.lock();
        inner.check(&commit)?;
        inner.apply(commit);
        Ok(())
    }

    async fn ticket(&self, id: TicketId) -> StoreResult<Option<Ticket>> {
        Ok(self.lock().tickets.get(&id).cloned())
    }

    async fn ticket_by_number(&self, number: &str) -> StoreResult<Option<Ticket>> {
        let inner = self.lock();
        Ok(inner.numbers.get(number).and_then(|id| inner.tickets.get(id)).cloned())
    }

    async fn articles(&self, ticket: TicketId) -> StoreResult<Vec<Article>> {
        let inner = self.lock();
        let ids = inner.ticket_articles.get(&ticket);
        Ok(ids.into_iter().flatten().filter_map(|id| inner.articles.get(id)).cloned().collect())
    }

    async fn article(&self, id: ArticleId) -> StoreResult<Option<Article>> {
        Ok(self.lock().articles.get(&id).cloned())
    }

    async fn history(&self, ticket: TicketId) -> StoreResult<Vec<HistoryEntry>> {
        Ok(self.lock().history.get(&ticket).cloned().unwrap_or_default())
    }

    async fn article_by_external_id(&self, external_id: &str) -> StoreResult<Option<Article>> {
        let inner = self.lock();
        Ok(inner.external_ids.get(external_id).and_then(|id| inner.articles.get(id)).cloned())
    }

    async fn idempotency(&self, key: &str) -> StoreResult<Option<IdempotencyRecord>> {
        Ok(self.lock().idempotency.get(key).cloned())
    }

    async fn list_tickets(
        &self,
        index: &TicketIndex,
        after: Option<Cursor>,
        limit: usize,
    ) -> StoreResult<Page<Ticket>> {
        let inner = self.lock();
        let Some(set) = inner.indexes.get(index) else {
            return Ok(Page { items: Vec::new(), next: None });
        };
        let upper = after.map(|c| (c.changed_at, c.id));
        let items: Vec<Ticket> = set
            .iter()
            .rev()
            .filter(|k| upper.is_none_or(|u| **k < u))
            .take(limit)
            .filter_map(|(_, id)| inner.tickets.get(id).cloned())
            .collect();
        let next = (items.len() == limit).then(|| items.last().map(Cursor::after)).flatten();
        Ok(Page { items, next })
    }

    async fn count_tickets(&self, index: &TicketIndex) -> StoreResult<u64> {
        Ok(self.lock().indexes.get(index).map_or(0, |set| set.len() as u64))
    }

    async fn due_tickets(&self, now: Timestamp, limit: usize) -> StoreResult<Vec<Ticket>> {
        let inner = self.lock();
        Ok(inner
            .pending
            .iter()
            .take_while(|(due, _)| *due <= now)
            .take(limit)
            .filter_map(|(_, id)| inner.tickets.get(id).cloned())
            .collect())
    }

    async fn claim_outbox(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<OutboxEntry>> {
        let mut inner = self.lock();
        let due: Vec<OutboxId> =
            inner.outbox_due.iter().take_while(|(t, _)| *t <= now).take(limit).map(|(_, id)| *id).collect();
        let mut claimed = Vec::with_capacity(due.len());
        for id in due {
            if let Some(mut e) = inner.outbox.get(&id).cloned() {
                e.next_attempt_at = lease_until;
                inner.put_outbox(e.clone());
                claimed.push(e);
            }
        }
        Ok(claimed)
    }

    async fn outbox_for_ticket(&self, ticket: TicketId) -> StoreResult<Vec<OutboxEntry>> {
        Ok(self.lock().outbox.values().filter(|o| o.ticket_id == ticket).cloned().collect())
    }

    async fn outbox_pending(&self) -> StoreResult<u64> {
        Ok(self.lock().outbox_due.len() as u64)
    }

    async fn put_record(&self, record: Record) -> StoreResult<()> {
        self.lock().put_record(record);
        Ok(())
    }

    async fn delete_record(&self, key: &RecordKey) -> StoreResult<()> {
        let mut inner = self.lock();
        if let Some(old) = inner.records.remove(key) {
            for k in old.lookup_keys() {
                inner.lookups.remove(&k);
            }
        }
        Ok(())
    }

    async fn record(&self, key: &RecordKey) -> StoreResult<Option<Record>> {
        Ok(self.lock().records.get(key).cloned())
    }

    async fn records(
        &self,
        kind: RecordKind,
        prefix: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<Record>> {
        let inner = self.lock();
        let start = RecordKey::new(
            kind,
            match after {
                Some(a) if a > prefix => a,
                _ => prefix,
            },
        );
        Ok(inner
            .records
            .range(start..)
            .filter(|(k, _)| after.is_none_or(|a| k.key.as_str() > a))
            .take_while(|(k, _)| k.kind == kind && k.key.starts_with(prefix))
            .take(limit)
            .map(|(_, r)| r.clone())
            .collect())
    }

    async fn customer_user_by_lookup(&self, key: &str) -> StoreResult<Option<CustomerUser>> {
        let inner = self.lock();
        let Some(login) = inner.lookups.get(key) else { return Ok(None) };
        match inner.records.get(&RecordKey::new(RecordKind::CustomerUser, login.clone())) {
            Some(Record::CustomerUser(u)) => Ok(Some(u.clone())),
            _ => Ok(None),
        }
    }

    async fn search_tickets(&self, query: &str, limit: usize) -> StoreResult<Vec<Ticket>> {
        let words = search_words(query);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let inner = self.lock();
        let mut hits: Vec<&Ticket> = inner
            .tickets
            .values()
            .filter(|t| {
                let mut text = search_words(&t.title);
                for id in inner.ticket_articles.get(&t.id).into_iter().flatten() {
                    if let Some(a) = inner.articles.get(id) {
                        text.extend(search_words(&a.body));
                    }
                }
                words.is_subset(&text)
            })
            .collect();
        hits.sort_by_key(|t| std::cmp::Reverse((t.changed_at, t.id)));
        Ok(hits.into_iter().take(limit).cloned().collect())
    }

    async fn blob(&self, hash: &ContentHash) -> StoreResult<Option<Vec<u8>>> {
        Ok(self.lock().blobs.get(hash).cloned())
    }

    async fn blob_count(&self) -> StoreResult<u64> {
        Ok(self.lock().blobs.len() as u64)
    }

    async fn meta(&self, key: &str) -> StoreResult<Option<Vec<u8>>> {
        Ok(self.lock().meta.get(key).cloned())
    }

    async fn put_meta(&self, key: &str, value: Option<Vec<u8>>) -> StoreResult<()> {
        let mut inner = self.lock();
        match value {
            Some(v) => inner.meta.insert(key.to_string(), v),
            None => inner.meta.remove(key),
        };
        Ok(())
    }

    async fn events_after(&self, after: u64, limit: usize) -> StoreResult<Vec<EventRecord>> {
        let inner = self.lock();
        Ok(inner.events.range(after.saturating_add(1)..).take(limit).map(|(_, e)| e.clone()).collect())
    }

    async fn last_event_seq(&self) -> StoreResult<u64> {
        Ok(self.lock().event_seq)
    }

    async fn prune_events(&self, before: Timestamp, limit: usize) -> StoreResult<u64> {
        let mut inner = self.lock();
        let old: Vec<u64> =
            inner.events.iter().take_while(|(_, e)| e.at < before).take(limit).map(|(seq, _)| *seq).collect();
        for seq in &old {
            inner.events.remove(seq);
        }
        Ok(old.len() as u64)
    }

    async fn claim_webhooks(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<WebhookDelivery>> {
        let mut inner = self.lock();
        let due: Vec<u64> =
            inner.webhooks_due.iter().take_while(|(t, _)| *t <= now).take(limit).map(|(_, id)| *id).collect();
        let mut claimed = Vec::with_capacity(due.len());
        for id in due {
            if let Some(mut w) = inner.webhooks.get(&id).cloned() {
                w.next_attempt_at = lease_until;
                inner.put_webhook(w.clone());
                claimed.push(w);
            }
        }
        Ok(claimed)
    }

    async fn webhook_delivery(&self, id: u64) -> StoreResult<Option<WebhookDelivery>> {
        Ok(self.lock().webhooks.get(&id).cloned())
    }

    async fn webhook_deliveries(
        &self,
        subscription: &str,
        before: Option<u64>,
        limit: usize,
    ) -> StoreResult<Vec<WebhookDelivery>> {
        let inner = self.lock();
        Ok(inner
            .webhooks
            .range(..before.unwrap_or(u64::MAX))
            .rev()
            .filter(|(_, w)| !w.subscription.is_empty() && w.subscription == subscription)
            .take(limit)
            .map(|(_, w)| w.clone())
            .collect())
    }

    async fn pending_webhooks_for_ticket(&self, ticket: TicketId) -> StoreResult<Vec<WebhookDelivery>> {
        let inner = self.lock();
        Ok(inner.webhooks.values().filter(|w| w.ticket_id == Some(ticket) && w.due_at().is_some()).cloned().collect())
    }

    async fn webhooks_pending(&self) -> StoreResult<u64> {
        Ok(self.lock().webhooks_due.len() as u64)
    }

    async fn prune_webhooks(&self, before: Timestamp, limit: usize) -> StoreResult<u64> {
        let mut inner = self.lock();
        let old: Vec<u64> = inner
            .webhooks
            .values()
            .filter(|w| w.due_at().is_none() && w.created_at < before)
            .take(limit)
            .map(|w| w.id)
            .collect();
        for id in &old {
            inner.webhooks.remove(id);
        }
        Ok(old.len() as u64)
    }
}
