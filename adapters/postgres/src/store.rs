use crate::allocate::Allocator;
use crate::error::Error;
use crate::events::{self, Horizon};
use crate::group::Group;
use crate::record_reads::RecordReads;
use crate::{commit, migrations, outbox, pipeline, reads, records, search, webhooks};
use async_trait::async_trait;
use chamado::{
    Article, ArticleId, Commit, ContentHash, Cursor, CustomerUser, EventRecord, HistoryEntry, IdempotencyRecord,
    OutboxEntry, Page, Record, RecordKey, RecordKind, Store, StoreResult, Ticket, TicketId, TicketIndex, Timestamp,
    WebhookDelivery,
};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use std::sync::Arc;
use std::time::Duration;
use tokio_postgres::NoTls;

/// Session settings of every pooled connection: no request waits forever on a lock, a statement or a
/// transaction some other node (or a dead one) holds; it fails as unavailable (503 / 451, retried by
/// the sender) and the node carries on. Migrations lift them for their own transaction.
const SESSION_LIMITS: &str = "-c lock_timeout=10s -c statement_timeout=60s -c idle_in_transaction_session_timeout=60s";

/// How long a request waits for a pooled connection, and for a new one to open, before it fails.
const POOL_WAIT: Duration = Duration::from_secs(10);

/// A [`Store`] on PostgreSQL. Cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    config: tokio_postgres::Config,
    allocator: Arc<Allocator>,
    horizon: Arc<Horizon>,
    group: Arc<Group>,
    record_reads: Arc<RecordReads>,
    group_commit: bool,
    scanned_counts: bool,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("pool", &self.pool.status()).finish()
    }
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`), applies pending migrations and returns the store.
    pub async fn connect(url: &str) -> Result<Self, Error> {
        Self::connect_with(url, None, 16).await
    }

    /// Like [`PgStore::connect`], with the tables in `schema` (created if missing; tests use a fresh
    /// schema each) and at most `pool_size` connections.
    pub async fn connect_with(url: &str, schema: Option<&str>, pool_size: usize) -> Result<Self, Error> {
        let mut config: tokio_postgres::Config = url.parse().map_err(|e| Error::Config(format!("{url:?}: {e}")))?;
        if let Some(schema) = schema {
            if schema.is_empty() || !schema.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return Err(Error::Config(format!("schema name {schema:?} must be letters, digits and _")));
            }
            let (client, conn) = config.connect(NoTls).await.map_err(|e| Error::Connect(e.to_string()))?;
            let task = tokio::spawn(conn);
            client
                .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
                .await
                .map_err(|e| Error::Connect(format!("cannot create schema {schema}: {e}")))?;
            drop(client);
            let _ = task.await;
            config.options(format!("-c search_path={schema}"));
        }
        let given = config.get_options().unwrap_or("").to_string();
        let mut pooled = config.clone();
        pooled.options(format!("{given} {SESSION_LIMITS}").trim());
        pooled.keepalives_idle(Duration::from_secs(30));
        let manager = Manager::from_config(pooled, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        // Last in, first out: a request takes the connection used most recently, so a node's steady load
        // runs on warm connections whose statements are prepared and past PostgreSQL's first custom plans,
        // rather than rotating over the whole pool and preparing and planning the commit statement anew on
        // each (parse analysis and planning showed in the server's profile of ticket creation).
        let pool = Pool::builder(manager)
            .queue_mode(deadpool_postgres::QueueMode::Lifo)
            .max_size(pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_WAIT))
            .create_timeout(Some(POOL_WAIT))
            .recycle_timeout(Some(POOL_WAIT))
            .build()
            .map_err(|e| Error::Config(e.to_string()))?;
        let mut client = pool.get().await.map_err(|e| Error::Connect(e.to_string()))?;
        migrations::apply(&mut client).await?;
        Ok(PgStore {
            pool,
            config,
            allocator: Arc::default(),
            horizon: Arc::default(),
            group: Arc::default(),
            record_reads: Arc::default(),
            group_commit: true,
            scanned_counts: false,
        })
    }

    /// Group commit on (the default) or off. On, commits that wait at the same time are applied
    /// together, one statement and one transaction for the lot, each answered once the lot is durable,
    /// and a refused one failing alone. Off, each commit is a statement and transaction of its own:
    /// the behaviour before group commit, kept for comparison benchmarks and diagnosis.
    pub fn with_group_commit(mut self, on: bool) -> Self {
        self.group_commit = on;
        self
    }

    /// Counts ([`Store::count_tickets`]) by counting the listing's index rows (`count(*)`) instead of
    /// reading the counts kept with every commit (the default): slower as the index grows, kept for
    /// comparison benchmarks and to check the kept counts.
    pub fn with_scanned_counts(mut self, on: bool) -> Self {
        self.scanned_counts = on;
        self
    }

    /// The newest schema version this build applies.
    pub fn schema_version() -> i32 {
        migrations::latest()
    }

    pub(crate) fn config(&self) -> &tokio_postgres::Config {
        &self.config
    }

    pub(crate) fn pool(&self) -> &Pool {
        &self.pool
    }
}

#[async_trait]
impl Store for PgStore {
    async fn allocate(&self, scope: &str, count: u64) -> StoreResult<u64> {
        self.allocator.allocate(self.pool(), scope, count).await
    }

    async fn commit(&self, c: Commit) -> StoreResult<()> {
        if self.group_commit { self.group.commit(self.pool(), c).await } else { commit::commit(self.pool(), c).await }
    }

    async fn ticket(&self, id: TicketId) -> StoreResult<Option<Ticket>> {
        reads::ticket(self.pool(), id).await
    }

    async fn ticket_by_number(&self, number: &str) -> StoreResult<Option<Ticket>> {
        reads::ticket_by_number(self.pool(), number).await
    }

    async fn articles(&self, ticket: TicketId) -> StoreResult<Vec<Article>> {
        reads::articles(self.pool(), ticket).await
    }

    async fn ticket_with_articles(&self, number: &str) -> StoreResult<Option<(Ticket, Vec<Article>)>> {
        reads::ticket_with_articles(self.pool(), number).await
    }

    async fn article(&self, id: ArticleId) -> StoreResult<Option<Article>> {
        reads::article(self.pool(), id).await
    }

    async fn history(&self, ticket: TicketId) -> StoreResult<Vec<HistoryEntry>> {
        reads::history(self.pool(), ticket).await
    }

    async fn article_by_external_id(&self, external_id: &str) -> StoreResult<Option<Article>> {
        reads::article_by_external_id(self.pool(), external_id).await
    }

    async fn idempotency(&self, key: &str) -> StoreResult<Option<IdempotencyRecord>> {
        reads::idempotency(self.pool(), key).await
    }

    async fn list_tickets(
        &self,
        index: &TicketIndex,
        after: Option<Cursor>,
        limit: usize,
    ) -> StoreResult<Page<Ticket>> {
        reads::list_tickets(self.pool(), index, after, limit).await
    }

    async fn count_tickets(&self, index: &TicketIndex) -> StoreResult<u64> {
        if self.scanned_counts {
            reads::count_tickets_scanned(self.pool(), index).await
        } else {
            reads::count_tickets(self.pool(), index).await
        }
    }

    /// One statement for them all (the queue view's 70 counts are one round trip).
    async fn count_tickets_many(&self, indexes: &[TicketIndex]) -> StoreResult<Vec<u64>> {
        if self.scanned_counts {
            // As the engine asked before there was a call for several: each count on its own, at once.
            let mut counts = Vec::with_capacity(indexes.len());
            for chunk in indexes.chunks(chamado::COUNTS_IN_FLIGHT) {
                let asks = chunk
                    .iter()
                    .map(|i| -> std::pin::Pin<Box<dyn std::future::Future<Output = StoreResult<u64>> + Send + '_>> {
                        Box::pin(reads::count_tickets_scanned(self.pool(), i))
                    })
                    .collect();
                for n in pipeline::join_all(asks).await {
                    counts.push(n?);
                }
            }
            return Ok(counts);
        }
        reads::count_tickets_many(self.pool(), indexes).await
    }

    async fn due_tickets(&self, now: Timestamp, limit: usize) -> StoreResult<Vec<Ticket>> {
        reads::due_tickets(self.pool(), now, limit).await
    }

    async fn claim_outbox(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<OutboxEntry>> {
        outbox::claim(self.pool(), now, lease_until, limit).await
    }

    async fn outbox_for_ticket(&self, ticket: TicketId) -> StoreResult<Vec<OutboxEntry>> {
        outbox::for_ticket(self.pool(), ticket).await
    }

    async fn outbox_pending(&self) -> StoreResult<u64> {
        outbox::pending(self.pool()).await
    }

    async fn put_record(&self, record: Record) -> StoreResult<()> {
        records::put(self.pool(), record).await
    }

    async fn delete_record(&self, key: &RecordKey) -> StoreResult<()> {
        records::delete(self.pool(), key).await
    }

    /// Grouped with the other reads by key waiting at the same time (`record_reads.rs`).
    async fn record(&self, key: &RecordKey) -> StoreResult<Option<Record>> {
        self.record_reads.record(self.pool(), key).await
    }

    async fn records(
        &self,
        kind: RecordKind,
        prefix: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<Record>> {
        records::list(self.pool(), kind, prefix, after, limit).await
    }

    async fn customer_user_by_lookup(&self, key: &str) -> StoreResult<Option<CustomerUser>> {
        records::by_lookup(self.pool(), key).await
    }

    /// PostgreSQL full-text search (`simple` configuration) over titles and article bodies.
    async fn search_tickets(&self, query: &str, limit: usize) -> StoreResult<Vec<Ticket>> {
        search::search(self.pool(), query, limit).await
    }

    async fn blob(&self, hash: &ContentHash) -> StoreResult<Option<Vec<u8>>> {
        reads::blob(self.pool(), hash).await
    }

    async fn blob_count(&self) -> StoreResult<u64> {
        reads::blob_count(self.pool()).await
    }

    async fn counter(&self, scope: &str) -> StoreResult<u64> {
        crate::counters::value(self.pool(), scope).await
    }

    async fn meta(&self, key: &str) -> StoreResult<Option<Vec<u8>>> {
        records::meta(self.pool(), key).await
    }

    async fn put_meta(&self, key: &str, value: Option<Vec<u8>>) -> StoreResult<()> {
        records::put_meta(self.pool(), key, value).await
    }

    async fn events_after(&self, after: u64, limit: usize) -> StoreResult<Vec<EventRecord>> {
        events::after(self.pool(), &self.horizon, after, limit).await
    }

    async fn last_event_seq(&self) -> StoreResult<u64> {
        events::last_seq(self.pool(), &self.horizon).await
    }

    async fn prune_events(&self, before: Timestamp, limit: usize) -> StoreResult<u64> {
        events::prune(self.pool(), before, limit).await
    }

    async fn claim_webhooks(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<WebhookDelivery>> {
        webhooks::claim(self.pool(), now, lease_until, limit).await
    }

    async fn webhook_delivery(&self, id: u64) -> StoreResult<Option<WebhookDelivery>> {
        webhooks::get(self.pool(), id).await
    }

    async fn webhook_deliveries(
        &self,
        subscription: &str,
        before: Option<u64>,
        limit: usize,
    ) -> StoreResult<Vec<WebhookDelivery>> {
        webhooks::for_subscription(self.pool(), subscription, before, limit).await
    }

    async fn pending_webhooks_for_ticket(&self, ticket: TicketId) -> StoreResult<Vec<WebhookDelivery>> {
        webhooks::pending_for_ticket(self.pool(), ticket).await
    }

    async fn webhooks_pending(&self) -> StoreResult<u64> {
        webhooks::pending(self.pool()).await
    }

    async fn prune_webhooks(&self, before: Timestamp, limit: usize) -> StoreResult<u64> {
        webhooks::prune(self.pool(), before, limit).await
    }
}
