//! Online backup as JSON Lines: a consistent export from one read transaction (while the store keeps
//! serving), and a restore into an empty store that rebuilds every index.
//!
//! Each line is one JSON object `{"t": kind, "v": value}`. The first line is a header with the schema
//! version; then counters, tickets, ticket numbers, articles, external ids, history (in order),
//! outbox entries, idempotency records, directory records, customer-user lookup keys, adapter meta,
//! stored files (schema 5 on; older backups carry files inline in their articles, which a restore
//! moves into the file table), the event log's last `seq`, its events and the webhook deliveries
//! (schema 9 on).

use crate::codec::{decode, decode_record, encode, encode_record};
use crate::error::{Error, Result};
use crate::keys::record_key;
use crate::schema::SCHEMA_VERSION;
use crate::tables::{
    ARTICLES, BLOBS, COUNTERS, EVENTS, EXTERNAL_IDS, HISTORY, IDEMPOTENCY, LOOKUPS, META, NUMBERS, OUTBOX, RECORDS,
    TICKETS, WEBHOOKS, WriteTables,
};
use chamado::{
    Article, ArticleId, Blob, ContentHash, EventRecord, HistoryEntry, IdempotencyRecord, OutboxEntry, Record, Ticket,
    TicketId, WebhookDelivery,
};
use redb::{ReadTransaction, ReadableTable};
use serde::{Deserialize, Serialize};
use std::io::Write;

/// How many lines a restore writes per transaction.
pub(crate) const IMPORT_CHUNK: usize = 2_000;

/// One line of a backup.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub(crate) enum Item {
    /// The first line.
    Header { format: String, schema: u64 },
    /// A counter's last handed-out value.
    Counter { scope: String, value: u64 },
    /// A ticket (indexes are rebuilt).
    Ticket(Box<Ticket>),
    /// A number -> id mapping (renumbered tickets keep old numbers).
    Number { number: String, id: TicketId },
    /// An article.
    Article(Box<Article>),
    /// Which article an external id resolves to.
    ExternalId { external_id: String, article: ArticleId },
    /// A history entry, in order per ticket.
    History(Box<HistoryEntry>),
    /// An outbox entry.
    Outbox(Box<OutboxEntry>),
    /// An idempotency record.
    Idempotency(Box<IdempotencyRecord>),
    /// A directory record (lookup keys come separately, as stored).
    Record(Box<Record>),
    /// A customer-user lookup key.
    Lookup { key: String, login: String },
    /// An adapter state value.
    Meta { key: String, value: Vec<u8> },
    /// A stored file, by the hash its articles name.
    Blob(Box<Blob>),
    /// The last event `seq` handed out (the log may have been pruned past its last event).
    EventSeq { value: u64 },
    /// An event of the log, with its `seq`.
    Event(Box<EventRecord>),
    /// A webhook delivery or fan-out entry (indexes are rebuilt).
    Webhook(Box<WebhookDelivery>),
}

/// An article line of a backup of schema 1 to 4 (files inline), read only by a restore.
#[derive(Debug, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub(crate) enum LegacyItem {
    /// An article with its files' bytes.
    Article(Box<crate::schema::legacy::ArticleV4>),
}

/// What a backup or restore moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BackupStats {
    /// Lines written or read.
    pub lines: u64,
    /// Tickets.
    pub tickets: u64,
    /// Articles.
    pub articles: u64,
    /// History entries.
    pub history: u64,
    /// Directory records (including grants).
    pub records: u64,
}

impl BackupStats {
    pub(crate) fn count(&mut self, item: &Item) {
        self.lines += 1;
        match item {
            Item::Ticket(_) => self.tickets += 1,
            Item::Article(_) => self.articles += 1,
            Item::History(_) => self.history += 1,
            Item::Record(_) => self.records += 1,
            _ => {}
        }
    }
}

/// The header's format name.
pub(crate) const FORMAT: &str = "chamado-redb-backup";

fn line(out: &mut impl Write, stats: &mut BackupStats, item: &Item) -> Result<()> {
    serde_json::to_writer(&mut *out, item)
        .map_err(|e| Error::Backup { line: stats.lines + 1, message: e.to_string() })?;
    out.write_all(b"\n")?;
    stats.count(item);
    Ok(())
}

/// Writes every row `txn` sees, a header first.
pub(crate) fn export(txn: &ReadTransaction, out: impl Write) -> Result<BackupStats> {
    let mut out = std::io::BufWriter::new(out);
    let mut s = BackupStats::default();
    line(&mut out, &mut s, &Item::Header { format: FORMAT.into(), schema: SCHEMA_VERSION })?;
    for e in txn.open_table(COUNTERS)?.iter()? {
        let (k, v) = e?;
        line(&mut out, &mut s, &Item::Counter { scope: k.value().to_string(), value: v.value() })?;
    }
    for e in txn.open_table(TICKETS)?.iter()? {
        let (_, v) = e?;
        line(&mut out, &mut s, &Item::Ticket(Box::new(decode(v.value(), "a ticket")?)))?;
    }
    for e in txn.open_table(NUMBERS)?.iter()? {
        let (k, v) = e?;
        line(&mut out, &mut s, &Item::Number { number: k.value().to_string(), id: TicketId(v.value()) })?;
    }
    for e in txn.open_table(ARTICLES)?.iter()? {
        let (_, v) = e?;
        line(&mut out, &mut s, &Item::Article(Box::new(decode(v.value(), "an article")?)))?;
    }
    for e in txn.open_table(EXTERNAL_IDS)?.iter()? {
        let (k, v) = e?;
        let item = Item::ExternalId { external_id: k.value().to_string(), article: ArticleId(v.value()) };
        line(&mut out, &mut s, &item)?;
    }
    for e in txn.open_table(HISTORY)?.iter()? {
        let (_, v) = e?;
        line(&mut out, &mut s, &Item::History(Box::new(decode(v.value(), "a history entry")?)))?;
    }
    for e in txn.open_table(OUTBOX)?.iter()? {
        let (_, v) = e?;
        line(&mut out, &mut s, &Item::Outbox(Box::new(decode(v.value(), "an outbox entry")?)))?;
    }
    for e in txn.open_table(IDEMPOTENCY)?.iter()? {
        let (_, v) = e?;
        line(&mut out, &mut s, &Item::Idempotency(Box::new(decode(v.value(), "an idempotency record")?)))?;
    }
    for e in txn.open_table(RECORDS)?.iter()? {
        let (_, v) = e?;
        line(&mut out, &mut s, &Item::Record(Box::new(decode_record(v.value())?)))?;
    }
    for e in txn.open_table(LOOKUPS)?.iter()? {
        let (k, v) = e?;
        line(&mut out, &mut s, &Item::Lookup { key: k.value().to_string(), login: v.value().to_string() })?;
    }
    for e in txn.open_table(META)?.iter()? {
        let (k, v) = e?;
        line(&mut out, &mut s, &Item::Meta { key: k.value().to_string(), value: v.value().to_vec() })?;
    }
    for e in txn.open_table(BLOBS)?.iter()? {
        let (k, v) = e?;
        let hash =
            ContentHash::try_from(k.value()).map_err(|_| Error::Corrupt("a file key is not a SHA-256".into()))?;
        line(&mut out, &mut s, &Item::Blob(Box::new(Blob { hash, data: v.value().to_vec() })))?;
    }
    line(&mut out, &mut s, &Item::EventSeq { value: crate::event_log::last_event_seq(txn)? })?;
    for e in txn.open_table(EVENTS)?.iter()? {
        let (_, v) = e?;
        line(&mut out, &mut s, &Item::Event(Box::new(decode(v.value(), "an event")?)))?;
    }
    for e in txn.open_table(WEBHOOKS)?.iter()? {
        let (_, v) = e?;
        line(&mut out, &mut s, &Item::Webhook(Box::new(decode(v.value(), "a webhook delivery")?)))?;
    }
    out.flush()?;
    Ok(s)
}

/// Writes one restored line inside the writer's transaction.
pub(crate) fn import_item(t: &mut WriteTables<'_>, item: &Item) -> Result<()> {
    match item {
        Item::Header { .. } => {}
        Item::Counter { scope, value } => {
            t.counters.insert(scope.as_str(), *value)?;
        }
        Item::Ticket(tk) => t.put_ticket(None, tk, None)?,
        Item::Number { number, id } => {
            t.numbers.insert(number.as_str(), id.0)?;
        }
        Item::Article(a) => t.put_article(a, None)?,
        Item::ExternalId { external_id, article } => {
            t.external_ids.insert(external_id.as_str(), article.0)?;
        }
        Item::History(h) => t.append_history(h)?,
        Item::Outbox(o) => t.put_outbox(o)?,
        Item::Idempotency(i) => {
            t.idempotency.insert(i.key.as_str(), encode(i.as_ref())?.as_slice())?;
        }
        Item::Record(r) => {
            let key = r.key();
            t.records.insert(record_key(key.kind, &key.key).as_slice(), encode_record(r)?.as_slice())?;
        }
        Item::Lookup { key, login } => {
            t.lookups.insert(key.as_str(), login.as_str())?;
        }
        Item::Meta { key, value } => {
            t.meta.insert(key.as_str(), value.as_slice())?;
        }
        Item::Blob(b) => {
            // A hand-edited backup could pair bytes with another hash; articles would then name wrong files.
            if ContentHash::of(&b.data) != b.hash {
                return Err(Error::Corrupt(format!("the stored file {} does not have that hash", b.hash)));
            }
            t.put_blob(b)?;
        }
        Item::EventSeq { value } => t.raise_event_seq(*value)?,
        Item::Event(e) => t.import_event(e)?,
        Item::Webhook(w) => t.put_webhook(w)?,
    }
    Ok(())
}
