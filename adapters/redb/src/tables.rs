//! The redb tables: data and indexes, always written in the same transaction.

use crate::error::Result;
use redb::{ReadableTable, Table, TableDefinition, WriteTransaction};

/// The name of the table holding the schema version (`"version"` -> `u64`).
pub const SCHEMA_TABLE: &str = "chamado_schema";

/// Bytes-to-bytes table.
pub(crate) type Bytes<'a> = &'a [u8];

/// `"version"` -> schema version.
pub(crate) const SCHEMA: TableDefinition<&str, u64> = TableDefinition::new(SCHEMA_TABLE);
/// Counter scope -> last value handed out.
pub(crate) const COUNTERS: TableDefinition<&str, u64> = TableDefinition::new("counters");
/// Ticket id -> ticket.
pub(crate) const TICKETS: TableDefinition<u64, Bytes> = TableDefinition::new("tickets");
/// Ticket number -> ticket id (a renumbered ticket keeps its old number too).
pub(crate) const NUMBERS: TableDefinition<&str, u64> = TableDefinition::new("ticket_numbers");
/// Article id -> article.
pub(crate) const ARTICLES: TableDefinition<u64, Bytes> = TableDefinition::new("articles");
/// `(ticket id, article id)` -> ().
pub(crate) const TICKET_ARTICLES: TableDefinition<Bytes, ()> = TableDefinition::new("ticket_articles");
/// External id (Message-ID, chat id) -> latest article id carrying it.
pub(crate) const EXTERNAL_IDS: TableDefinition<&str, u64> = TableDefinition::new("external_ids");
/// `(ticket id, sequence)` -> history entry.
pub(crate) const HISTORY: TableDefinition<Bytes, Bytes> = TableDefinition::new("history");
/// Idempotency key -> what it resolved to.
pub(crate) const IDEMPOTENCY: TableDefinition<&str, Bytes> = TableDefinition::new("idempotency");
/// `(index prefix, changed_at desc, id desc)` -> ().
pub(crate) const TICKET_INDEX: TableDefinition<Bytes, ()> = TableDefinition::new("ticket_index");
/// Index prefix -> how many tickets the index holds (kept with the index; absent means none).
pub(crate) const TICKET_COUNTS: TableDefinition<Bytes, u64> = TableDefinition::new("ticket_counts");
/// `(search word, lowest ticket id of the block)` -> a block of the ids of the tickets whose title or
/// articles hold the word (see the `postings` module).
pub(crate) const SEARCH_WORDS: TableDefinition<(&str, u64), Bytes> = TableDefinition::new("search_words");
/// Ticket id -> how its search words changed since the word index took them in
/// ([`crate::pending_words::PendingWords`]).
pub(crate) const SEARCH_PENDING: TableDefinition<u64, Bytes> = TableDefinition::new("search_pending");
/// `(pending due, ticket id)` -> ().
pub(crate) const PENDING: TableDefinition<Bytes, ()> = TableDefinition::new("pending_due");
/// Outbox id -> entry.
pub(crate) const OUTBOX: TableDefinition<u64, Bytes> = TableDefinition::new("outbox");
/// `(due at, outbox id)` -> ().
pub(crate) const OUTBOX_DUE: TableDefinition<Bytes, ()> = TableDefinition::new("outbox_due");
/// `(ticket id, outbox id)` -> ().
pub(crate) const OUTBOX_BY_TICKET: TableDefinition<Bytes, ()> = TableDefinition::new("outbox_by_ticket");
/// `(kind code, key)` -> directory record.
pub(crate) const RECORDS: TableDefinition<Bytes, Bytes> = TableDefinition::new("records");
/// Customer user lookup key -> login.
pub(crate) const LOOKUPS: TableDefinition<&str, &str> = TableDefinition::new("lookups");
/// Adapter state key -> value.
pub(crate) const META: TableDefinition<&str, Bytes> = TableDefinition::new("meta");
/// SHA-256 of a file's bytes -> the bytes: each distinct attachment once (schema 5).
pub(crate) const BLOBS: TableDefinition<Bytes, Bytes> = TableDefinition::new("blobs");

/// Event `seq` -> event (schema 9): the event log, in commit order.
pub(crate) const EVENTS: TableDefinition<u64, Bytes> = TableDefinition::new("events");
/// `"last"` -> the last event `seq` handed out (schema 9). Kept apart from the log so that pruning the
/// log never lets a `seq` be handed out twice.
pub(crate) const EVENT_SEQ: TableDefinition<&str, u64> = TableDefinition::new("event_seq");
/// The key of the one row of [`EVENT_SEQ`].
pub(crate) const EVENT_SEQ_KEY: &str = "last";
/// Webhook delivery id -> delivery or fan-out entry (schema 9).
pub(crate) const WEBHOOKS: TableDefinition<u64, Bytes> = TableDefinition::new("webhooks");
/// `(due at, delivery id)` -> (), pending entries only (schema 9).
pub(crate) const WEBHOOKS_DUE: TableDefinition<Bytes, ()> = TableDefinition::new("webhooks_due");
/// `(subscription, delivery id)` -> (), deliveries only (fan-out entries belong to no subscription).
pub(crate) const WEBHOOKS_BY_SUB: TableDefinition<(&str, u64), ()> = TableDefinition::new("webhooks_by_sub");
/// `(ticket id, delivery id)` -> (), pending entries about a ticket only (schema 9).
pub(crate) const WEBHOOKS_PENDING: TableDefinition<Bytes, ()> = TableDefinition::new("webhooks_pending");
/// `(created at, delivery id)` -> (), finished (sent or failed) entries only: what pruning walks,
/// oldest first, without reading the pending ones (schema 9).
pub(crate) const WEBHOOKS_DONE: TableDefinition<Bytes, ()> = TableDefinition::new("webhooks_done");

/// Every table opened in one write transaction.
pub(crate) struct WriteTables<'txn> {
    pub counters: Table<'txn, &'static str, u64>,
    pub tickets: Table<'txn, u64, Bytes<'static>>,
    pub numbers: Table<'txn, &'static str, u64>,
    pub articles: Table<'txn, u64, Bytes<'static>>,
    pub ticket_articles: Table<'txn, Bytes<'static>, ()>,
    pub external_ids: Table<'txn, &'static str, u64>,
    pub history: Table<'txn, Bytes<'static>, Bytes<'static>>,
    pub idempotency: Table<'txn, &'static str, Bytes<'static>>,
    pub ticket_index: Table<'txn, Bytes<'static>, ()>,
    pub ticket_counts: Table<'txn, Bytes<'static>, u64>,
    pub search_words: Table<'txn, (&'static str, u64), Bytes<'static>>,
    pub search_pending: Table<'txn, u64, Bytes<'static>>,
    pub pending: Table<'txn, Bytes<'static>, ()>,
    pub outbox: Table<'txn, u64, Bytes<'static>>,
    pub outbox_due: Table<'txn, Bytes<'static>, ()>,
    pub outbox_by_ticket: Table<'txn, Bytes<'static>, ()>,
    pub records: Table<'txn, Bytes<'static>, Bytes<'static>>,
    pub lookups: Table<'txn, &'static str, &'static str>,
    pub meta: Table<'txn, &'static str, Bytes<'static>>,
    pub blobs: Table<'txn, Bytes<'static>, Bytes<'static>>,
    pub events: Table<'txn, u64, Bytes<'static>>,
    pub event_seq: Table<'txn, &'static str, u64>,
    pub webhooks: Table<'txn, u64, Bytes<'static>>,
    pub webhooks_due: Table<'txn, Bytes<'static>, ()>,
    pub webhooks_by_sub: Table<'txn, (&'static str, u64), ()>,
    pub webhooks_pending: Table<'txn, Bytes<'static>, ()>,
    pub webhooks_done: Table<'txn, Bytes<'static>, ()>,
    /// Whether titles and articles written record their search words ([`crate::RedbOptions::full_text_search`]).
    pub search: bool,
    /// Pending search words changed by the operation in progress, written by
    /// [`WriteTables::flush_pending_words`].
    pub pending_buffer: std::collections::HashMap<u64, crate::pending_words::PendingWords>,
    /// New tickets of the commit in progress whose pending words its caller gathered from the commit's
    /// own title and articles ([`WriteTables::start_pending_words`]): their articles' words are in them.
    pub words_prepared: std::collections::HashSet<u64>,
    /// Reused for encoding pending rows, which are large and written often.
    pub encode_buf: Vec<u8>,
    /// What the transaction has done so far to rows that nearly every commit touches, kept here and
    /// written once by [`WriteTables::flush_batch`] before the transaction commits.
    pub batch: crate::batch_rows::BatchRows,
}

impl WriteTables<'_> {
    /// Keeps a file's bytes under their hash, unless the file is there already (then nothing is
    /// written: a logo on 10,000 mails costs one copy and one point read per mail).
    pub(crate) fn put_blob(&mut self, blob: &chamado::Blob) -> Result<()> {
        let key = blob.hash.as_bytes().as_slice();
        if self.blobs.get(key)?.is_none() {
            self.blobs.insert(key, blob.data.as_slice())?;
        }
        Ok(())
    }
}

impl<'txn> WriteTables<'txn> {
    /// Opens (creating when missing) every table.
    pub(crate) fn open(txn: &'txn WriteTransaction) -> Result<Self> {
        Ok(WriteTables {
            counters: txn.open_table(COUNTERS)?,
            tickets: txn.open_table(TICKETS)?,
            numbers: txn.open_table(NUMBERS)?,
            articles: txn.open_table(ARTICLES)?,
            ticket_articles: txn.open_table(TICKET_ARTICLES)?,
            external_ids: txn.open_table(EXTERNAL_IDS)?,
            history: txn.open_table(HISTORY)?,
            idempotency: txn.open_table(IDEMPOTENCY)?,
            ticket_index: txn.open_table(TICKET_INDEX)?,
            ticket_counts: txn.open_table(TICKET_COUNTS)?,
            search_words: txn.open_table(SEARCH_WORDS)?,
            search_pending: txn.open_table(SEARCH_PENDING)?,
            pending: txn.open_table(PENDING)?,
            outbox: txn.open_table(OUTBOX)?,
            outbox_due: txn.open_table(OUTBOX_DUE)?,
            outbox_by_ticket: txn.open_table(OUTBOX_BY_TICKET)?,
            records: txn.open_table(RECORDS)?,
            lookups: txn.open_table(LOOKUPS)?,
            meta: txn.open_table(META)?,
            blobs: txn.open_table(BLOBS)?,
            events: txn.open_table(EVENTS)?,
            event_seq: txn.open_table(EVENT_SEQ)?,
            webhooks: txn.open_table(WEBHOOKS)?,
            webhooks_due: txn.open_table(WEBHOOKS_DUE)?,
            webhooks_by_sub: txn.open_table(WEBHOOKS_BY_SUB)?,
            webhooks_pending: txn.open_table(WEBHOOKS_PENDING)?,
            webhooks_done: txn.open_table(WEBHOOKS_DONE)?,
            search: false,
            pending_buffer: std::collections::HashMap::new(),
            words_prepared: std::collections::HashSet::new(),
            encode_buf: Vec::new(),
            batch: crate::batch_rows::BatchRows::default(),
        })
    }
}
