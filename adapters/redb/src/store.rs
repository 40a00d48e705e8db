//! [`RedbStore`]: the [`chamado::Store`] on a redb file.

use crate::error::{Error, Result};
use crate::ops::{Op, Reply};
use crate::options::RedbOptions;
use crate::readers::Readers;
use crate::reads;
use crate::schema;
use crate::webhook_tables;
use crate::writer::Writer;
use async_trait::async_trait;
use chamado::{
    Article, ArticleId, Commit, ContentHash, Cursor, CustomerUser, EventRecord, HistoryEntry, IdempotencyRecord,
    OutboxEntry, Page, Record, RecordKey, RecordKind, Store, StoreError, StoreResult, Ticket, TicketId, TicketIndex,
    Timestamp, WebhookDelivery,
};
use redb::{Database, ReadTransaction, ReadableDatabase};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::oneshot;

/// A durable, group-committing [`Store`] in one redb file.
///
/// Cloning is cheap and shares the store. Dropping the last clone stops the writer after the writes
/// already queued and waits for it (at most one batch commit), then releases the file. Writes go through one writer thread that batches concurrent
/// callers into one durable transaction; reads run in redb read transactions on the store's reader threads
/// (or inline when called outside a tokio runtime) and never wait for the writer.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let store = chamado_redb::RedbStore::open("desk.redb")?;
/// let engine = chamado::Engine::builder(store.clone()).build()?;
/// engine.seed_defaults("admin").await?;
/// store.close()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedbStore {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) db: Arc<Database>,
    writer: Writer,
    path: PathBuf,
    /// `None` with inline reads.
    readers: Option<Readers>,
    /// Whether the store keeps its word index ([`RedbOptions::full_text_search`]).
    search: bool,
}

impl std::fmt::Debug for RedbStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedbStore").field("path", &self.inner.path).finish_non_exhaustive()
    }
}

impl RedbStore {
    /// Opens the store at `path` with the default (durable) options, creating the file if missing.
    ///
    /// Errors: [`Error::Locked`] when another process or handle has it open, [`Error::SchemaMismatch`]
    /// for a file of another schema version, [`Error::Corrupt`] for a truncated or corrupt file.
    pub fn open(path: impl AsRef<Path>) -> Result<RedbStore> {
        RedbOptions::new().open(path)
    }

    /// Options for opening a store.
    pub fn options() -> RedbOptions {
        RedbOptions::new()
    }

    pub(crate) fn open_with(path: &Path, mut options: RedbOptions) -> Result<RedbStore> {
        let db = open_database(path, &options)?;
        schema::check_or_init(&db, path)?;
        let search = crate::search_index::sync_with_option(&db, options.full_text_search)?;
        options.full_text_search = Some(search);
        let db = Arc::new(db);
        let readers = if options.inline_reads { None } else { Some(Readers::start(options.reader_threads)?) };
        // Everything in the file when it opens is durable (redb recovers to its last durable commit).
        let event_seq = db.begin_read().map_err(Error::from).and_then(|t| crate::event_log::last_event_seq(&t))?;
        let writer = Writer::start(Arc::clone(&db), path, options)?;
        writer.counters.durable_event_seq.store(event_seq, std::sync::atomic::Ordering::SeqCst);
        Ok(RedbStore { inner: Arc::new(Inner { db, writer, path: path.to_path_buf(), readers, search }) })
    }

    /// What the writer has done so far: transactions, operations, the largest batch.
    pub fn writer_stats(&self) -> crate::WriterStats {
        self.inner.writer.counters.snapshot()
    }

    /// Compacts a store file that no one has open, returning the space freed pages hold to the
    /// filesystem. Returns whether anything was compacted. Blocking; may take long on big files.
    pub fn compact_file(path: impl AsRef<Path>) -> Result<bool> {
        let path = path.as_ref();
        if !path.exists() {
            return Err(Error::Io(std::io::Error::new(std::io::ErrorKind::NotFound, path.display().to_string())));
        }
        let mut db = open_database(path, &RedbOptions::new())?;
        schema::check_or_init(&db, path)?;
        let mut compacted = false;
        while db.compact().map_err(|e| Error::Storage(e.to_string()))? {
            compacted = true;
        }
        Ok(compacted)
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Whether this store keeps its full-text word index ([`RedbOptions::full_text_search`]), so
    /// [`Store::search_tickets`] answers.
    pub fn full_text_search(&self) -> bool {
        self.inner.search
    }

    /// Stops the writer after the writes already queued (later writes fail with
    /// [`StoreError::Unavailable`]). The file is released when the last clone is dropped.
    pub fn close(&self) -> Result<()> {
        self.inner.writer.stop();
        Ok(())
    }

    /// Makes every earlier write durable (only needed in non-durable mode).
    pub async fn sync(&self) -> Result<()> {
        self.write(Op::Sync).await.map(|_| ()).map_err(|e| Error::Storage(e.to_string()))
    }

    /// Folds every ticket's pending search words into the word index now, instead of when the writer
    /// is next idle (searches are exact either way; this only moves the work). Useful after a bulk
    /// import, before measuring searches.
    pub async fn index_search_words(&self) -> Result<()> {
        self.write(Op::IndexSearchWords).await.map(|_| ()).map_err(|e| Error::Storage(e.to_string()))
    }

    pub(crate) async fn write(&self, op: Op) -> StoreResult<Reply> {
        self.inner.writer.submit(op).await
    }

    /// The last event `seq` known durable.
    fn durable_event_seq(&self) -> u64 {
        self.inner.writer.counters.durable_event_seq.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Runs `f` in a read transaction on a reader thread (on the calling thread with inline reads or
    /// outside a tokio runtime).
    pub(crate) async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&ReadTransaction) -> Result<T> + Send + 'static,
    {
        let db = Arc::clone(&self.inner.db);
        // redb can panic on a page a disk or another program corrupted (a slice index out of range):
        // that is bad input from a file, so it becomes an error, on whichever thread the read runs.
        let run = move || -> Result<T> {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let txn = db.begin_read()?;
                f(&txn)
            }))
            .unwrap_or_else(|_| Err(Error::Corrupt("a read met a corrupt page of the store file".into())))
        };
        let Some(readers) = &self.inner.readers else { return run().map_err(StoreError::from) };
        if tokio::runtime::Handle::try_current().is_err() {
            return run().map_err(StoreError::from);
        }
        let (reply, answer) = oneshot::channel();
        readers.submit(Box::new(move || {
            // The caller may have gone away (a dropped request); its answer is then not needed.
            let _ = reply.send(run());
        }));
        answer
            .await
            .map_err(|_| StoreError::Unavailable("a read failed on its reader thread".into()))?
            .map_err(StoreError::from)
    }

    /// Runs `f` in a read transaction on the calling thread (blocking).
    pub(crate) fn read_blocking<T>(&self, f: impl FnOnce(&ReadTransaction) -> Result<T>) -> Result<T> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let txn = self.inner.db.begin_read()?;
            f(&txn)
        }))
        .unwrap_or_else(|_| Err(Error::Corrupt("a read met a corrupt page of the store file".into())))
    }
}

fn open_database(path: &Path, options: &RedbOptions) -> Result<Database> {
    let mut builder = Database::builder();
    if let Some(bytes) = options.cache_size {
        builder.set_cache_size(bytes);
    }
    let exists = path.exists();
    if exists && std::fs::metadata(path)?.len() == 0 {
        return Err(Error::Corrupt(format!("{} is empty (truncated)", path.display())));
    }
    // redb panics on some malformed files; a panic here is a corrupt file, never a crash of the host.
    let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if exists { builder.open(path) } else { builder.create(path) }
    }));
    match opened {
        Ok(Ok(db)) => Ok(db),
        Ok(Err(e)) => Err(match Error::from(e) {
            Error::Locked { .. } => Error::Locked { path: path.to_path_buf() },
            Error::Io(io) if exists && io.kind() == std::io::ErrorKind::UnexpectedEof => {
                Error::Corrupt(format!("{} is truncated: {io}", path.display()))
            }
            Error::Io(io) if exists && io.kind() == std::io::ErrorKind::InvalidData => {
                Error::Corrupt(format!("{}: {io}", path.display()))
            }
            other => other,
        }),
        Err(_) => Err(Error::Corrupt(format!("{} is not a readable redb file", path.display()))),
    }
}

#[async_trait]
impl Store for RedbStore {
    async fn allocate(&self, scope: &str, count: u64) -> StoreResult<u64> {
        match self.write(Op::Allocate { scope: scope.to_string(), count }).await? {
            Reply::Value(v) => Ok(v),
            _ => Err(StoreError::Unavailable("unexpected writer reply".into())),
        }
    }

    async fn counter(&self, scope: &str) -> StoreResult<u64> {
        let scope = scope.to_string();
        self.read(move |t| reads::counter(t, &scope)).await
    }

    async fn commit(&self, commit: Commit) -> StoreResult<()> {
        let words = self.inner.search.then(|| Box::new(crate::ops::CommitWords::of(&commit)));
        self.write(Op::Commit(Box::new(commit), words)).await.map(|_| ())
    }

    async fn ticket(&self, id: TicketId) -> StoreResult<Option<Ticket>> {
        self.read(move |t| reads::ticket(t, id)).await
    }

    async fn ticket_by_number(&self, number: &str) -> StoreResult<Option<Ticket>> {
        let number = number.to_string();
        self.read(move |t| reads::ticket_by_number(t, &number)).await
    }

    async fn articles(&self, ticket: TicketId) -> StoreResult<Vec<Article>> {
        self.read(move |t| reads::articles(t, ticket)).await
    }

    async fn ticket_with_articles(&self, number: &str) -> StoreResult<Option<(Ticket, Vec<Article>)>> {
        let number = number.to_string();
        self.read(move |t| {
            let Some(ticket) = reads::ticket_by_number(t, &number)? else { return Ok(None) };
            let articles = reads::articles(t, ticket.id)?;
            Ok(Some((ticket, articles)))
        })
        .await
    }

    async fn article(&self, id: ArticleId) -> StoreResult<Option<Article>> {
        self.read(move |t| reads::article(t, id.0)).await
    }

    async fn history(&self, ticket: TicketId) -> StoreResult<Vec<HistoryEntry>> {
        self.read(move |t| reads::history(t, ticket)).await
    }

    async fn article_by_external_id(&self, external_id: &str) -> StoreResult<Option<Article>> {
        let external_id = external_id.to_string();
        self.read(move |t| reads::article_by_external_id(t, &external_id)).await
    }

    async fn idempotency(&self, key: &str) -> StoreResult<Option<IdempotencyRecord>> {
        let key = key.to_string();
        self.read(move |t| reads::idempotency(t, &key)).await
    }

    async fn list_tickets(
        &self,
        index: &TicketIndex,
        after: Option<Cursor>,
        limit: usize,
    ) -> StoreResult<Page<Ticket>> {
        let index = index.clone();
        self.read(move |t| reads::list_tickets(t, &index, after, limit)).await
    }

    async fn count_tickets(&self, index: &TicketIndex) -> StoreResult<u64> {
        let index = index.clone();
        self.read(move |t| reads::count_tickets(t, &index)).await
    }

    async fn due_tickets(&self, now: Timestamp, limit: usize) -> StoreResult<Vec<Ticket>> {
        self.read(move |t| reads::due_tickets(t, now, limit)).await
    }

    async fn claim_outbox(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<OutboxEntry>> {
        match self.write(Op::ClaimOutbox { now, lease_until, limit }).await? {
            Reply::Claimed(v) => Ok(v),
            _ => Err(StoreError::Unavailable("unexpected writer reply".into())),
        }
    }

    async fn outbox_for_ticket(&self, ticket: TicketId) -> StoreResult<Vec<OutboxEntry>> {
        self.read(move |t| reads::outbox_for_ticket(t, ticket)).await
    }

    async fn outbox_pending(&self) -> StoreResult<u64> {
        self.read(reads::outbox_pending).await
    }

    async fn put_record(&self, record: Record) -> StoreResult<()> {
        self.write(Op::PutRecord(Box::new(record))).await.map(|_| ())
    }

    async fn delete_record(&self, key: &RecordKey) -> StoreResult<()> {
        self.write(Op::DeleteRecord(key.clone())).await.map(|_| ())
    }

    async fn record(&self, key: &RecordKey) -> StoreResult<Option<Record>> {
        let key = key.clone();
        self.read(move |t| reads::record(t, &key)).await
    }

    async fn records(
        &self,
        kind: RecordKind,
        prefix: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<Record>> {
        let prefix = prefix.to_string();
        let after = after.map(str::to_string);
        self.read(move |t| reads::records(t, kind, &prefix, after.as_deref(), limit)).await
    }

    async fn customer_user_by_lookup(&self, key: &str) -> StoreResult<Option<CustomerUser>> {
        let key = key.to_string();
        self.read(move |t| reads::customer_user_by_lookup(t, &key)).await
    }

    /// With [`RedbOptions::full_text_search`]; `Unsupported` without it.
    async fn search_tickets(&self, query: &str, limit: usize) -> StoreResult<Vec<Ticket>> {
        if !self.inner.search {
            return Err(StoreError::Unsupported(
                "full-text search (this redb store keeps no word index; it is turned on where the store is opened: RedbOptions::full_text_search)".into(),
            ));
        }
        let query = query.to_string();
        self.read(move |t| crate::search::search(t, &query, limit)).await
    }

    async fn blob(&self, hash: &ContentHash) -> StoreResult<Option<Vec<u8>>> {
        let hash = *hash;
        self.read(move |t| reads::blob(t, &hash)).await
    }

    async fn blob_count(&self) -> StoreResult<u64> {
        self.read(reads::blob_count).await
    }

    async fn meta(&self, key: &str) -> StoreResult<Option<Vec<u8>>> {
        let key = key.to_string();
        self.read(move |t| reads::meta(t, &key)).await
    }

    async fn put_meta(&self, key: &str, value: Option<Vec<u8>>) -> StoreResult<()> {
        self.write(Op::PutMeta { key: key.to_string(), value }).await.map(|_| ())
    }

    /// Only events of durable commits: in non-durable mode ([`RedbOptions::durable`]) the feed hands
    /// out an event once a flush made it durable, never one a crash could lose and renumber.
    async fn events_after(&self, after: u64, limit: usize) -> StoreResult<Vec<EventRecord>> {
        // Loaded before the snapshot opens: the snapshot then holds every event up to it.
        let durable = self.durable_event_seq();
        if after >= durable {
            return Ok(Vec::new());
        }
        let limit = limit.min(usize::try_from(durable - after).unwrap_or(usize::MAX));
        self.read(move |t| crate::event_log::events_after(t, after, limit)).await.map(|mut v| {
            v.retain(|e| e.seq <= durable);
            v
        })
    }

    async fn last_event_seq(&self) -> StoreResult<u64> {
        let durable = self.durable_event_seq();
        Ok(self.read(crate::event_log::last_event_seq).await?.min(durable))
    }

    async fn prune_events(&self, before: Timestamp, limit: usize) -> StoreResult<u64> {
        if limit == 0 || !self.read(move |t| crate::event_log::has_old_events(t, before)).await? {
            return Ok(0);
        }
        match self.write(Op::PruneEvents { before, limit }).await? {
            Reply::Value(n) => Ok(n),
            _ => Err(StoreError::Unavailable("unexpected writer reply".into())),
        }
    }

    async fn claim_webhooks(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<WebhookDelivery>> {
        // The delivery loop polls: when nothing is due, a read answers and no write (no fsync) happens.
        if limit == 0 || !self.read(move |t| webhook_tables::has_due(t, now)).await? {
            return Ok(Vec::new());
        }
        match self.write(Op::ClaimWebhooks { now, lease_until, limit }).await? {
            Reply::ClaimedWebhooks(v) => Ok(v),
            _ => Err(StoreError::Unavailable("unexpected writer reply".into())),
        }
    }

    async fn webhook_delivery(&self, id: u64) -> StoreResult<Option<WebhookDelivery>> {
        self.read(move |t| webhook_tables::delivery(t, id)).await
    }

    async fn webhook_deliveries(
        &self,
        subscription: &str,
        before: Option<u64>,
        limit: usize,
    ) -> StoreResult<Vec<WebhookDelivery>> {
        let subscription = subscription.to_string();
        self.read(move |t| webhook_tables::deliveries(t, &subscription, before, limit)).await
    }

    async fn pending_webhooks_for_ticket(&self, ticket: TicketId) -> StoreResult<Vec<WebhookDelivery>> {
        self.read(move |t| webhook_tables::pending_for_ticket(t, ticket)).await
    }

    async fn webhooks_pending(&self) -> StoreResult<u64> {
        self.read(webhook_tables::pending_count).await
    }

    async fn prune_webhooks(&self, before: Timestamp, limit: usize) -> StoreResult<u64> {
        if limit == 0 || !self.read(move |t| webhook_tables::has_old(t, before)).await? {
            return Ok(0);
        }
        match self.write(Op::PruneWebhooks { before, limit }).await? {
            Reply::Value(n) => Ok(n),
            _ => Err(StoreError::Unavailable("unexpected writer reply".into())),
        }
    }
}
