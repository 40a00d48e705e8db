//! The schema version stored in the file, checked on every open.

use crate::codec::encode;
use crate::error::{Error, Result};
use crate::keys::index_prefix;
use crate::tables::{SCHEMA, SCHEMA_TABLE, WriteTables};
use chamado::{Ticket, TicketIndex};
use redb::{Database, ReadableDatabase, ReadableTable, TableHandle};
use std::collections::HashMap;
use std::path::Path;

/// The schema version this build reads and writes. Bump it whenever a table, key encoding or value
/// layout changes, and add a migration or let older files fail with [`Error::SchemaMismatch`].
///
/// Version 2 added the locked-by and responsible indexes and the per-index ticket counts; version 3
/// the search word tables; version 4 an article's sender verification (`Article::sender_auth`, a new
/// last field of the article's postcard layout); version 5 content-addressed attachments (the `blobs`
/// table keeps each distinct file once by its SHA-256; an article keeps name, type, size and hash);
/// version 6 a history entry's translatable text (`HistoryEntry::text`, a new last field); version 7
/// a ticket's watchers and lock expiry (`Ticket::watchers`, `Ticket::unlock_at`, two new last fields)
/// and an outbox entry's agent notification (`OutboxEntry::notification`, a new last field); version 8
/// a ticket's SLA and escalation clocks (`Ticket::sla`, `Ticket::escalation`, two new last fields);
/// version 9 the event log and webhook deliveries (new tables only; a webhook subscription is a
/// directory record of a new kind, whose code comes after every older kind's).
/// Older files are upgraded in place on open, one version per transaction.
pub const SCHEMA_VERSION: u64 = 9;

/// The key of the version row.
const VERSION_KEY: &str = "version";

/// The key of the row saying the search word index is complete and kept (1) or not (absent, 0).
pub(crate) const SEARCH_INDEX_KEY: &str = "search_index";

/// Checks the file's schema version, initialising an empty file. Fails on another version.
pub(crate) fn check_or_init(db: &Database, path: &Path) -> Result<()> {
    let stored = {
        let read = db.begin_read()?;
        let mut has_tables = false;
        let mut has_schema = false;
        for t in read.list_tables()? {
            has_tables = true;
            has_schema |= t.name() == SCHEMA_TABLE;
        }
        match (has_tables, has_schema) {
            (false, _) => None,
            (true, false) => return Err(Error::NotAStore { path: path.to_path_buf() }),
            (true, true) => Some(read.open_table(SCHEMA)?.get(VERSION_KEY)?.map(|v| v.value())),
        }
    };
    match stored {
        Some(Some(SCHEMA_VERSION)) => Ok(()),
        Some(Some(version @ 1..=8)) => upgrade_from(db, version),
        Some(Some(found)) => Err(Error::SchemaMismatch { path: path.to_path_buf(), found, expected: SCHEMA_VERSION }),
        Some(None) => Err(Error::NotAStore { path: path.to_path_buf() }),
        None => {
            let txn = db.begin_write()?;
            {
                let mut schema = txn.open_table(SCHEMA)?;
                schema.insert(VERSION_KEY, SCHEMA_VERSION)?;
                WriteTables::open(&txn)?;
            }
            txn.commit()?;
            Ok(())
        }
    }
}

/// Upgrades a file of schema `from` (1 to 8) to the current one, one version per transaction.
fn upgrade_from(db: &Database, from: u64) -> Result<()> {
    let steps: [fn(&Database) -> Result<()>; 8] = [
        upgrade_from_v1,
        upgrade_from_v2,
        upgrade_from_v3,
        upgrade_from_v4,
        upgrade_from_v5,
        upgrade_from_v6,
        upgrade_from_v7,
        upgrade_from_v8,
    ];
    for step in steps.iter().skip(usize::try_from(from.saturating_sub(1)).unwrap_or(usize::MAX)) {
        step(db)?;
    }
    Ok(())
}

/// How many tickets the upgrade decodes at a time.
const UPGRADE_CHUNK: usize = 10_000;

/// Version 1 -> 2, in one transaction (a crash leaves a version 1 file that upgrades on the next
/// open): adds every ticket's new index entries (re-inserting the existing ones changes nothing) and
/// writes each index's count. Tickets are still in the layout of schema 6 here (read as such; schemas 7
/// and 8 re-encode them later); the keys and due time they index are the same in every layout, since
/// the fields added later (watchers, lock expiry, SLA, clocks) are empty.
fn upgrade_from_v1(db: &Database) -> Result<()> {
    let txn = db.begin_write()?;
    {
        let mut tables = WriteTables::open(&txn)?;
        let mut counts: HashMap<Vec<u8>, u64> = HashMap::new();
        let mut next = 0u64;
        loop {
            let chunk: Vec<Ticket> = {
                let mut out = Vec::with_capacity(UPGRADE_CHUNK);
                for row in tables.tickets.range(next..)?.take(UPGRADE_CHUNK) {
                    let (_, v) = row?;
                    out.push(legacy::ticket_any(v.value())?);
                }
                out
            };
            let Some(last) = chunk.last() else { break };
            next = last.id.0.saturating_add(1);
            for t in &chunk {
                let keys = TicketIndex::keys_of(t);
                tables.index_ticket(t, &keys, true)?;
                for k in &keys {
                    *counts.entry(index_prefix(k)).or_default() += 1;
                }
            }
            if chunk.len() < UPGRADE_CHUNK || next == 0 {
                break;
            }
        }
        for (prefix, n) in counts {
            tables.ticket_counts.insert(prefix.as_slice(), n)?;
        }
        drop(tables);
        txn.open_table(SCHEMA)?.insert(VERSION_KEY, 2)?;
    }
    txn.commit()?;
    Ok(())
}

/// Version 2 -> 3: adds the (empty) search word tables; the index is built when a store is opened
/// with [`crate::RedbOptions::full_text_search`].
fn upgrade_from_v2(db: &Database) -> Result<()> {
    let txn = db.begin_write()?;
    {
        let tables = WriteTables::open(&txn)?;
        drop(tables);
        txn.open_table(SCHEMA)?.insert(VERSION_KEY, 3)?;
    }
    txn.commit()?;
    Ok(())
}

/// Version 3 -> 4, in one transaction: every article re-encoded with the field version 4 added
/// (`sender_auth`, unknown for mail taken before: `None`).
fn upgrade_from_v3(db: &Database) -> Result<()> {
    let txn = db.begin_write()?;
    {
        // Only the articles table: the tables of later versions are made by their own upgrades.
        let mut articles = txn.open_table(crate::tables::ARTICLES)?;
        let mut next = 0u64;
        loop {
            let chunk: Vec<(u64, Vec<u8>)> = {
                let mut out = Vec::with_capacity(UPGRADE_CHUNK);
                for row in articles.range(next..)?.take(UPGRADE_CHUNK) {
                    let (k, v) = row?;
                    out.push((k.value(), v.value().to_vec()));
                }
                out
            };
            let Some((last, _)) = chunk.last() else { break };
            next = last.saturating_add(1);
            for (id, bytes) in &chunk {
                let article = legacy::article_v3(bytes)?;
                articles.insert(*id, encode(&article)?.as_slice())?;
            }
            if chunk.len() < UPGRADE_CHUNK || next == 0 {
                break;
            }
        }
        drop(articles);
        txn.open_table(SCHEMA)?.insert(VERSION_KEY, 4)?;
    }
    txn.commit()?;
    Ok(())
}

/// Version 4 -> 5, in one transaction: every article's files move into the `blobs` table, each
/// distinct file once, and the article keeps their descriptions and hashes.
fn upgrade_from_v4(db: &Database) -> Result<()> {
    let txn = db.begin_write()?;
    {
        let mut tables = WriteTables::open(&txn)?;
        let mut next = 0u64;
        loop {
            let chunk: Vec<(u64, Vec<u8>)> = {
                let mut out = Vec::with_capacity(UPGRADE_CHUNK);
                for row in tables.articles.range(next..)?.take(UPGRADE_CHUNK) {
                    let (k, v) = row?;
                    out.push((k.value(), v.value().to_vec()));
                }
                out
            };
            let Some((last, _)) = chunk.last() else { break };
            next = last.saturating_add(1);
            for (id, bytes) in &chunk {
                let (article, blobs) = legacy::article_v4(bytes)?;
                for b in &blobs {
                    tables.put_blob(b)?;
                }
                tables.articles.insert(*id, encode(&article)?.as_slice())?;
            }
            if chunk.len() < UPGRADE_CHUNK || next == 0 {
                break;
            }
        }
        drop(tables);
        txn.open_table(SCHEMA)?.insert(VERSION_KEY, 5)?;
    }
    txn.commit()?;
    Ok(())
}

/// Version 5 -> 6, in one transaction: every history entry re-encoded with the field version 6 added
/// (`text`, unknown for entries written before: `None`, shown by their English message).
fn upgrade_from_v5(db: &Database) -> Result<()> {
    use std::ops::Bound;
    let txn = db.begin_write()?;
    {
        let mut history = txn.open_table(crate::tables::HISTORY)?;
        let mut after: Option<Vec<u8>> = None;
        loop {
            let chunk: Vec<(Vec<u8>, Vec<u8>)> = {
                let range = match &after {
                    None => history.range::<&[u8]>(..)?,
                    Some(k) => history.range::<&[u8]>((Bound::Excluded(k.as_slice()), Bound::Unbounded))?,
                };
                let mut out = Vec::with_capacity(UPGRADE_CHUNK);
                for row in range.take(UPGRADE_CHUNK) {
                    let (k, v) = row?;
                    out.push((k.value().to_vec(), v.value().to_vec()));
                }
                out
            };
            let Some((last, _)) = chunk.last() else { break };
            after = Some(last.clone());
            for (key, bytes) in &chunk {
                let entry = legacy::history_v5(bytes)?;
                history.insert(key.as_slice(), encode(&entry)?.as_slice())?;
            }
            if chunk.len() < UPGRADE_CHUNK {
                break;
            }
        }
        drop(history);
        txn.open_table(SCHEMA)?.insert(VERSION_KEY, 6)?;
    }
    txn.commit()?;
    Ok(())
}

/// Version 6 -> 7, in one transaction: every ticket re-encoded with the fields version 7 added
/// (`watchers`, none; `unlock_at`, none) and every outbox entry with its `notification` (none: entries
/// written before were all articles). No index changes: with no lock expiry a ticket's due time is its
/// pending state's, as indexed, and an entry's due time and ticket are as they were.
fn upgrade_from_v6(db: &Database) -> Result<()> {
    let txn = db.begin_write()?;
    {
        let mut tickets = txn.open_table(crate::tables::TICKETS)?;
        reencode_all(&mut tickets, legacy::ticket_v6)?;
        drop(tickets);
        let mut outbox = txn.open_table(crate::tables::OUTBOX)?;
        reencode_all(&mut outbox, |bytes| encode(&legacy::outbox_v6(bytes)?))?;
        drop(outbox);
        txn.open_table(SCHEMA)?.insert(VERSION_KEY, 7)?;
    }
    txn.commit()?;
    Ok(())
}

/// Version 7 -> 8, in one transaction: every ticket re-encoded with the fields version 8 added (`sla`,
/// none; `escalation`, idle clocks). No index changes: idle clocks are neither escalated nor at risk and
/// have no event due, so each ticket's index keys and due time are as they were.
fn upgrade_from_v7(db: &Database) -> Result<()> {
    let txn = db.begin_write()?;
    {
        let mut tickets = txn.open_table(crate::tables::TICKETS)?;
        reencode_all(&mut tickets, |bytes| encode(&legacy::ticket_v7(bytes)?))?;
        drop(tickets);
        txn.open_table(SCHEMA)?.insert(VERSION_KEY, 8)?;
    }
    txn.commit()?;
    Ok(())
}

/// Version 8 -> 9: adds the (empty) event log and webhook tables. No row changes: records are JSON
/// and their kind codes are positions in [`chamado::RecordKind::ALL`], where the new kind came last.
fn upgrade_from_v8(db: &Database) -> Result<()> {
    let txn = db.begin_write()?;
    {
        WriteTables::open(&txn)?;
        txn.open_table(SCHEMA)?.insert(VERSION_KEY, 9)?;
    }
    txn.commit()?;
    Ok(())
}

/// Rewrites every value of an id-keyed table through `reencode`, [`UPGRADE_CHUNK`] rows at a time.
fn reencode_all(
    table: &mut redb::Table<'_, u64, crate::tables::Bytes<'static>>,
    reencode: impl Fn(&[u8]) -> Result<Vec<u8>>,
) -> Result<()> {
    let mut next = 0u64;
    loop {
        let chunk: Vec<(u64, Vec<u8>)> = {
            let mut out = Vec::with_capacity(UPGRADE_CHUNK);
            for row in table.range(next..)?.take(UPGRADE_CHUNK) {
                let (k, v) = row?;
                out.push((k.value(), v.value().to_vec()));
            }
            out
        };
        let Some((last, _)) = chunk.last() else { break };
        let last = *last;
        for (id, bytes) in &chunk {
            table.insert(*id, reencode(bytes)?.as_slice())?;
        }
        if chunk.len() < UPGRADE_CHUNK || last == u64::MAX {
            break;
        }
        next = last + 1;
    }
    Ok(())
}

/// Value layouts of older schema versions, read only by the upgrades.
pub(crate) mod legacy {
    use crate::codec::{decode, encode};
    use crate::error::{Error, Result};
    use chamado::sla::Escalation;
    use chamado::{
        Article, ArticleId, Attachment, Blob, ChannelKind, HistoryEntry, HistoryKind, Lock, OutboxEntry, OutboxId,
        OutboxStatus, Priority, SenderAuth, SenderType, StateType, Ticket, TicketId, Timestamp,
    };
    use serde::{Deserialize, Serialize};

    /// An article as schema 3 and older wrote it: without `sender_auth`, files inline.
    #[derive(Deserialize)]
    struct ArticleV3 {
        id: ArticleId,
        ticket_id: TicketId,
        sender: SenderType,
        channel: ChannelKind,
        visible_to_customer: bool,
        from: String,
        reply_to: Option<String>,
        to: String,
        subject: String,
        body: String,
        attachments: Vec<Attachment>,
        external_id: Option<String>,
        references: Vec<String>,
        created_by: String,
        created_at: Timestamp,
    }

    /// An article as schema 4 wrote it: files inline (name, type, inline flag, bytes). Backups of
    /// schemas 1 to 4 hold articles in this shape too (as JSON, `sender_auth` absent before 4).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    pub(crate) struct ArticleV4 {
        id: ArticleId,
        ticket_id: TicketId,
        sender: SenderType,
        channel: ChannelKind,
        visible_to_customer: bool,
        from: String,
        reply_to: Option<String>,
        to: String,
        subject: String,
        body: String,
        attachments: Vec<Attachment>,
        external_id: Option<String>,
        references: Vec<String>,
        created_by: String,
        created_at: Timestamp,
        #[serde(default)]
        sender_auth: Option<SenderAuth>,
    }

    impl ArticleV4 {
        /// The article as schema 5 keeps it, and the files to store by hash.
        pub(crate) fn into_current(self) -> (Article, Vec<Blob>) {
            let (metas, blobs): (Vec<_>, Vec<_>) = self.attachments.into_iter().map(Attachment::split).unzip();
            let article = Article {
                id: self.id,
                ticket_id: self.ticket_id,
                sender: self.sender,
                channel: self.channel,
                visible_to_customer: self.visible_to_customer,
                from: self.from,
                reply_to: self.reply_to,
                to: self.to,
                subject: self.subject,
                body: self.body,
                attachments: metas,
                external_id: self.external_id,
                references: self.references,
                created_by: self.created_by,
                created_at: self.created_at,
                sender_auth: self.sender_auth,
            };
            (article, blobs)
        }
    }

    /// A history entry as schemas 1 to 5 wrote it: without `text`.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    pub(crate) struct HistoryV5 {
        ticket_id: TicketId,
        at: Timestamp,
        actor: String,
        kind: HistoryKind,
        message: String,
    }

    /// A stored history entry of schema 5 as schema 6 keeps it (or one already of schema 6, after an
    /// upgrade cut short before its version row was written: then it decodes as it is).
    pub(super) fn history_v5(bytes: &[u8]) -> Result<HistoryEntry> {
        if let Some(h) = exactly::<HistoryEntry>(bytes) {
            return Ok(h);
        }
        let h: HistoryV5 = decode(bytes, "a history entry of schema 5")?;
        Ok(HistoryEntry {
            ticket_id: h.ticket_id,
            at: h.at,
            actor: h.actor,
            kind: h.kind,
            message: h.message,
            text: None,
        })
    }

    /// True when `bytes` are exactly the postcard encoding of a `T` (not merely a prefix that decodes).
    fn exactly<T: Serialize + for<'de> Deserialize<'de>>(bytes: &[u8]) -> Option<T> {
        let v = postcard::from_bytes::<T>(bytes).ok()?;
        postcard::to_allocvec(&v).is_ok_and(|b| b == bytes).then_some(v)
    }

    /// A stored article of schema 3 in the layout of schema 4 (or one already of schema 4, after an
    /// upgrade cut short before its version row was written: then it decodes as it is).
    pub(super) fn article_v3(bytes: &[u8]) -> Result<ArticleV4> {
        if let Some(a) = exactly::<ArticleV4>(bytes) {
            return Ok(a);
        }
        let a: ArticleV3 = decode(bytes, "an article of schema 3")?;
        Ok(ArticleV4 {
            id: a.id,
            ticket_id: a.ticket_id,
            sender: a.sender,
            channel: a.channel,
            visible_to_customer: a.visible_to_customer,
            from: a.from,
            reply_to: a.reply_to,
            to: a.to,
            subject: a.subject,
            body: a.body,
            attachments: a.attachments,
            external_id: a.external_id,
            references: a.references,
            created_by: a.created_by,
            created_at: a.created_at,
            sender_auth: None,
        })
    }

    /// A stored article of schema 4 as schema 5 keeps it, with the files to store by hash (or one already
    /// of schema 5, which has none to move).
    pub(super) fn article_v4(bytes: &[u8]) -> Result<(Article, Vec<Blob>)> {
        let Some(a) = exactly::<ArticleV4>(bytes) else {
            return match exactly::<Article>(bytes) {
                Some(a) => Ok((a, Vec::new())),
                None => Err(Error::Corrupt("cannot decode an article of schema 4".into())),
            };
        };
        Ok(a.into_current())
    }

    /// A ticket as schemas 1 to 6 wrote it: without `watchers` and `unlock_at`.
    #[derive(Debug, Deserialize)]
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

    /// A ticket as schema 7 wrote it: without `sla` and `escalation`.
    #[derive(Debug, Serialize, Deserialize)]
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

    impl From<TicketV6> for TicketV7 {
        /// Schema 7's fields: nobody watching, no lock expiry.
        fn from(t: TicketV6) -> Self {
            TicketV7 {
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
                watchers: Vec::new(),
                unlock_at: None,
            }
        }
    }

    impl From<TicketV7> for Ticket {
        /// Schema 8's fields: no SLA, idle clocks.
        fn from(t: TicketV7) -> Self {
            Ticket {
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
                sla: None,
                escalation: Escalation::default(),
            }
        }
    }

    /// A stored ticket of schema 6 (or older) re-encoded in the layout of schema 7: nobody watching, no
    /// lock expiry. A row already of schema 7 or later (an upgrade cut short before its version row was
    /// written, or a file marked older than its rows, as the benchmarks do) is left as it is.
    pub(super) fn ticket_v6(bytes: &[u8]) -> Result<Vec<u8>> {
        if exactly::<TicketV7>(bytes).is_some() || exactly::<Ticket>(bytes).is_some() {
            return Ok(bytes.to_vec());
        }
        let t: TicketV6 = decode(bytes, "a ticket of schema 6")?;
        encode(&TicketV7::from(t))
    }

    /// A stored ticket of schema 7 as schema 8 keeps it: no SLA, idle clocks (or one already of schema 8,
    /// after an upgrade cut short before its version row was written: then it decodes as it is).
    pub(super) fn ticket_v7(bytes: &[u8]) -> Result<Ticket> {
        if let Some(t) = exactly::<Ticket>(bytes) {
            return Ok(t);
        }
        let t: TicketV7 = decode(bytes, "a ticket of schema 7")?;
        Ok(t.into())
    }

    /// A stored ticket of any schema as the current one keeps it, for the upgrades that only read
    /// tickets (to index them) before the later upgrades re-encode them.
    pub(super) fn ticket_any(bytes: &[u8]) -> Result<Ticket> {
        if let Some(t) = exactly::<Ticket>(bytes) {
            return Ok(t);
        }
        if let Some(t) = exactly::<TicketV7>(bytes) {
            return Ok(t.into());
        }
        let t: TicketV6 = decode(bytes, "a ticket of schema 6")?;
        Ok(TicketV7::from(t).into())
    }

    /// An outbox entry as schemas 1 to 6 wrote it: without `notification`.
    #[derive(Debug, Deserialize)]
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

    /// A stored outbox entry of schema 6 (or older) as schema 7 keeps it: an article's delivery, no
    /// notification (or one already of schema 7, which decodes as it is).
    pub(super) fn outbox_v6(bytes: &[u8]) -> Result<OutboxEntry> {
        if let Some(o) = exactly::<OutboxEntry>(bytes) {
            return Ok(o);
        }
        let o: OutboxEntryV6 = decode(bytes, "an outbox entry of schema 6")?;
        Ok(OutboxEntry {
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
            notification: None,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use redb::ReadableTableMetadata;
    use redb::backends::InMemoryBackend;

    /// More rows than one chunk, with ids spread and at the ends of the range: each is rewritten once.
    #[test]
    fn reencoding_goes_through_every_chunk_once() {
        let db = Database::builder().create_with_backend(InMemoryBackend::new()).unwrap();
        let ids: Vec<u64> = (0..2 * UPGRADE_CHUNK as u64 + 3).map(|i| i * 3).chain([u64::MAX]).collect();
        let txn = db.begin_write().unwrap();
        {
            let mut table = txn.open_table(crate::tables::OUTBOX).unwrap();
            for id in &ids {
                table.insert(*id, id.to_be_bytes().as_slice()).unwrap();
            }
            reencode_all(&mut table, |b| Ok([b, b"+"].concat())).unwrap();
        }
        txn.commit().unwrap();
        let read = db.begin_read().unwrap();
        let table = read.open_table(crate::tables::OUTBOX).unwrap();
        assert_eq!(table.len().unwrap(), ids.len() as u64);
        for id in ids {
            let v = table.get(id).unwrap().unwrap();
            assert_eq!(v.value(), [id.to_be_bytes().as_slice(), b"+"].concat(), "row {id} once");
        }
    }
}
