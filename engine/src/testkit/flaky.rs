//! A memory store whose writes can be switched off: adapters' tests use it to see what they do, and
//! what they acknowledge, while the store is down.

use crate::{
    Article, ArticleId, Commit, ContentHash, Cursor, CustomerUser, HistoryEntry, IdempotencyRecord, MemoryStore,
    OutboxEntry, Page, Record, RecordKey, RecordKind, Store, StoreError, StoreResult, Ticket, TicketId, TicketIndex,
    Timestamp,
};
use async_trait::async_trait;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Delegates to a [`MemoryStore`]; while `down` is set, commits and allocations fail as unavailable.
/// Its writes are logged ([`FlakyStore::take_writes`]), so tests can see how many durable writes an
/// operation costs.
pub struct FlakyStore {
    inner: MemoryStore,
    /// Set to make commits and allocations fail; clear to bring the store back.
    pub down: Arc<AtomicBool>,
    writes: Mutex<Vec<String>>,
}

impl FlakyStore {
    /// An empty store, up, and its off switch.
    pub fn new() -> (Self, Arc<AtomicBool>) {
        let down = Arc::new(AtomicBool::new(false));
        (FlakyStore { inner: MemoryStore::new(), down: down.clone(), writes: Mutex::default() }, down)
    }

    /// The writes asked of the store since the last call, in order: `commit`, `allocate <scope>`,
    /// `put_record`, `delete_record`, `put_meta <key>`.
    pub fn take_writes(&self) -> Vec<String> {
        std::mem::take(&mut *self.writes.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn log(&self, write: String) {
        self.writes.lock().unwrap_or_else(|e| e.into_inner()).push(write);
    }

    fn check(&self) -> StoreResult<()> {
        if self.down.load(Ordering::SeqCst) {
            Err(StoreError::Unavailable("disk unplugged (test)".into()))
        } else {
            Ok(())
        }
    }
}

#[async_trait]
impl Store for FlakyStore {
    async fn allocate(&self, scope: &str, count: u64) -> StoreResult<u64> {
        self.log(format!("allocate {scope}"));
        self.check()?;
        self.inner.allocate(scope, count).await
    }
    async fn commit(&self, commit: Commit) -> StoreResult<()> {
        self.log("commit".into());
        self.check()?;
        self.inner.commit(commit).await
    }
    async fn counter(&self, scope: &str) -> StoreResult<u64> {
        self.inner.counter(scope).await
    }
    async fn ticket(&self, id: TicketId) -> StoreResult<Option<Ticket>> {
        self.inner.ticket(id).await
    }
    async fn ticket_by_number(&self, number: &str) -> StoreResult<Option<Ticket>> {
        self.inner.ticket_by_number(number).await
    }
    async fn articles(&self, ticket: TicketId) -> StoreResult<Vec<Article>> {
        self.inner.articles(ticket).await
    }
    async fn article(&self, id: ArticleId) -> StoreResult<Option<Article>> {
        self.inner.article(id).await
    }
    async fn history(&self, ticket: TicketId) -> StoreResult<Vec<HistoryEntry>> {
        self.inner.history(ticket).await
    }
    async fn article_by_external_id(&self, external_id: &str) -> StoreResult<Option<Article>> {
        self.inner.article_by_external_id(external_id).await
    }
    async fn idempotency(&self, key: &str) -> StoreResult<Option<IdempotencyRecord>> {
        self.inner.idempotency(key).await
    }
    async fn list_tickets(
        &self,
        index: &TicketIndex,
        after: Option<Cursor>,
        limit: usize,
    ) -> StoreResult<Page<Ticket>> {
        self.inner.list_tickets(index, after, limit).await
    }
    async fn count_tickets(&self, index: &TicketIndex) -> StoreResult<u64> {
        self.inner.count_tickets(index).await
    }
    async fn due_tickets(&self, now: Timestamp, limit: usize) -> StoreResult<Vec<Ticket>> {
        self.inner.due_tickets(now, limit).await
    }
    async fn claim_outbox(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<OutboxEntry>> {
        self.inner.claim_outbox(now, lease_until, limit).await
    }
    async fn outbox_for_ticket(&self, ticket: TicketId) -> StoreResult<Vec<OutboxEntry>> {
        self.inner.outbox_for_ticket(ticket).await
    }
    async fn put_record(&self, record: Record) -> StoreResult<()> {
        self.log("put_record".into());
        self.check()?;
        self.inner.put_record(record).await
    }
    async fn delete_record(&self, key: &RecordKey) -> StoreResult<()> {
        self.log("delete_record".into());
        self.inner.delete_record(key).await
    }
    async fn record(&self, key: &RecordKey) -> StoreResult<Option<Record>> {
        self.inner.record(key).await
    }
    async fn records(
        &self,
        kind: RecordKind,
        prefix: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<Record>> {
        self.inner.records(kind, prefix, after, limit).await
    }
    async fn customer_user_by_lookup(&self, key: &str) -> StoreResult<Option<CustomerUser>> {
        self.inner.customer_user_by_lookup(key).await
    }
    async fn blob(&self, hash: &ContentHash) -> StoreResult<Option<Vec<u8>>> {
        self.inner.blob(hash).await
    }
    async fn blob_count(&self) -> StoreResult<u64> {
        self.inner.blob_count().await
    }
    async fn meta(&self, key: &str) -> StoreResult<Option<Vec<u8>>> {
        self.inner.meta(key).await
    }
    async fn put_meta(&self, key: &str, value: Option<Vec<u8>>) -> StoreResult<()> {
        self.log(format!("put_meta {key}"));
        self.inner.put_meta(key, value).await
    }
    async fn events_after(&self, after: u64, limit: usize) -> StoreResult<Vec<crate::webhooks::EventRecord>> {
        self.inner.events_after(after, limit).await
    }
    async fn last_event_seq(&self) -> StoreResult<u64> {
        self.inner.last_event_seq().await
    }
    async fn prune_events(&self, before: Timestamp, limit: usize) -> StoreResult<u64> {
        self.inner.prune_events(before, limit).await
    }
    async fn claim_webhooks(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<crate::webhooks::WebhookDelivery>> {
        self.inner.claim_webhooks(now, lease_until, limit).await
    }
    async fn webhook_delivery(&self, id: u64) -> StoreResult<Option<crate::webhooks::WebhookDelivery>> {
        self.inner.webhook_delivery(id).await
    }
    async fn webhook_deliveries(
        &self,
        subscription: &str,
        before: Option<u64>,
        limit: usize,
    ) -> StoreResult<Vec<crate::webhooks::WebhookDelivery>> {
        self.inner.webhook_deliveries(subscription, before, limit).await
    }
    async fn pending_webhooks_for_ticket(
        &self,
        ticket: TicketId,
    ) -> StoreResult<Vec<crate::webhooks::WebhookDelivery>> {
        self.inner.pending_webhooks_for_ticket(ticket).await
    }
    async fn webhooks_pending(&self) -> StoreResult<u64> {
        self.inner.webhooks_pending().await
    }
    async fn prune_webhooks(&self, before: Timestamp, limit: usize) -> StoreResult<u64> {
        self.inner.prune_webhooks(before, limit).await
    }
}
