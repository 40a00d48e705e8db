//! Reads: each runs in a redb read transaction (an MVCC snapshot), never waiting for the writer.

use crate::codec::{decode, decode_record};
use crate::error::{Error, Result};
use crate::keys::{
    index_bounds, index_cursor, index_entry_id, index_prefix, kind_code, pair_child, pair_key, record_key,
    split_due_key,
};
use crate::tables::{
    ARTICLES, BLOBS, COUNTERS, EXTERNAL_IDS, HISTORY, IDEMPOTENCY, LOOKUPS, META, NUMBERS, OUTBOX, OUTBOX_BY_TICKET,
    OUTBOX_DUE, PENDING, RECORDS, TICKET_ARTICLES, TICKET_COUNTS, TICKET_INDEX, TICKETS,
};
use chamado::{
    Article, ContentHash, Cursor, CustomerUser, HistoryEntry, IdempotencyRecord, OutboxEntry, Page, Record, RecordKey,
    RecordKind, Ticket, TicketId, TicketIndex, Timestamp,
};
use redb::{ReadOnlyTable, ReadTransaction, ReadableTable, ReadableTableMetadata};
use std::ops::Bound;

fn get_ticket(tickets: &ReadOnlyTable<u64, &[u8]>, id: u64) -> Result<Option<Ticket>> {
    match tickets.get(id)? {
        Some(v) => Ok(Some(decode(v.value(), "a ticket")?)),
        None => Ok(None),
    }
}

/// A ticket by id.
pub(crate) fn ticket(txn: &ReadTransaction, id: TicketId) -> Result<Option<Ticket>> {
    get_ticket(&txn.open_table(TICKETS)?, id.0)
}

/// A ticket by number.
pub(crate) fn ticket_by_number(txn: &ReadTransaction, number: &str) -> Result<Option<Ticket>> {
    let Some(id) = txn.open_table(NUMBERS)?.get(number)?.map(|v| v.value()) else { return Ok(None) };
    get_ticket(&txn.open_table(TICKETS)?, id)
}

fn get_article(articles: &ReadOnlyTable<u64, &[u8]>, id: u64) -> Result<Option<Article>> {
    match articles.get(id)? {
        Some(v) => Ok(Some(decode(v.value(), "an article")?)),
        None => Ok(None),
    }
}

/// A ticket's articles, by article id.
pub(crate) fn articles(txn: &ReadTransaction, ticket: TicketId) -> Result<Vec<Article>> {
    let index = txn.open_table(TICKET_ARTICLES)?;
    let articles = txn.open_table(ARTICLES)?;
    let mut out = Vec::new();
    for entry in index.range(pair_key(ticket.0, 0).as_slice()..=pair_key(ticket.0, u64::MAX).as_slice())? {
        let (k, _) = entry?;
        let id = pair_child(k.value()).ok_or_else(|| Error::Corrupt("an article index key is malformed".into()))?;
        if let Some(a) = get_article(&articles, id)? {
            out.push(a);
        }
    }
    Ok(out)
}

/// One article.
pub(crate) fn article(txn: &ReadTransaction, id: u64) -> Result<Option<Article>> {
    get_article(&txn.open_table(ARTICLES)?, id)
}

/// A ticket's history, oldest first.
pub(crate) fn history(txn: &ReadTransaction, ticket: TicketId) -> Result<Vec<HistoryEntry>> {
    let table = txn.open_table(HISTORY)?;
    let mut out = Vec::new();
    for entry in table.range(pair_key(ticket.0, 0).as_slice()..=pair_key(ticket.0, u64::MAX).as_slice())? {
        let (_, v) = entry?;
        out.push(decode(v.value(), "a history entry")?);
    }
    Ok(out)
}

/// The latest article carrying an external id.
pub(crate) fn article_by_external_id(txn: &ReadTransaction, external_id: &str) -> Result<Option<Article>> {
    let Some(id) = txn.open_table(EXTERNAL_IDS)?.get(external_id)?.map(|v| v.value()) else { return Ok(None) };
    article(txn, id)
}

/// What an idempotency key resolved to.
pub(crate) fn idempotency(txn: &ReadTransaction, key: &str) -> Result<Option<IdempotencyRecord>> {
    match txn.open_table(IDEMPOTENCY)?.get(key)? {
        Some(v) => Ok(Some(decode(v.value(), "an idempotency record")?)),
        None => Ok(None),
    }
}

/// A page of an index: a range scan from the cursor, newest change first.
pub(crate) fn list_tickets(
    txn: &ReadTransaction,
    index: &TicketIndex,
    after: Option<Cursor>,
    limit: usize,
) -> Result<Page<Ticket>> {
    let entries = txn.open_table(TICKET_INDEX)?;
    let tickets = txn.open_table(TICKETS)?;
    let prefix = index_prefix(index);
    let (lo, hi) = index_bounds(&prefix);
    let start = match after {
        Some(c) => Bound::Excluded(index_cursor(&prefix, c)),
        None => Bound::Included(lo),
    };
    let start = match &start {
        Bound::Included(k) => Bound::Included(k.as_slice()),
        Bound::Excluded(k) => Bound::Excluded(k.as_slice()),
        Bound::Unbounded => Bound::Unbounded,
    };
    let mut items = Vec::with_capacity(limit.min(1024));
    if limit > 0 {
        for entry in entries.range::<&[u8]>((start, Bound::Included(hi.as_slice())))? {
            let (k, _) = entry?;
            let id =
                index_entry_id(k.value()).ok_or_else(|| Error::Corrupt("a ticket index key is malformed".into()))?;
            if let Some(t) = get_ticket(&tickets, id.0)? {
                items.push(t);
            }
            if items.len() >= limit {
                break;
            }
        }
    }
    let next = (items.len() == limit).then(|| items.last().map(Cursor::after)).flatten();
    Ok(Page { items, next })
}

/// How many tickets an index holds, from the counts kept with it.
pub(crate) fn count_tickets(txn: &ReadTransaction, index: &TicketIndex) -> Result<u64> {
    Ok(txn.open_table(TICKET_COUNTS)?.get(index_prefix(index).as_slice())?.map_or(0, |v| v.value()))
}

/// Tickets whose pending time is due at `now`, earliest first.
pub(crate) fn due_tickets(txn: &ReadTransaction, now: Timestamp, limit: usize) -> Result<Vec<Ticket>> {
    let pending = txn.open_table(PENDING)?;
    let tickets = txn.open_table(TICKETS)?;
    let mut out = Vec::new();
    for entry in pending.iter()? {
        if out.len() >= limit {
            break;
        }
        let (k, _) = entry?;
        let (due, id) =
            split_due_key(k.value()).ok_or_else(|| Error::Corrupt("a pending index key is malformed".into()))?;
        if due > now {
            break;
        }
        if let Some(t) = get_ticket(&tickets, id)? {
            out.push(t);
        }
    }
    Ok(out)
}

/// A ticket's outbox entries, by outbox id.
pub(crate) fn outbox_for_ticket(txn: &ReadTransaction, ticket: TicketId) -> Result<Vec<OutboxEntry>> {
    let index = txn.open_table(OUTBOX_BY_TICKET)?;
    let outbox = txn.open_table(OUTBOX)?;
    let mut out = Vec::new();
    for entry in index.range(pair_key(ticket.0, 0).as_slice()..=pair_key(ticket.0, u64::MAX).as_slice())? {
        let (k, _) = entry?;
        let id = pair_child(k.value()).ok_or_else(|| Error::Corrupt("an outbox index key is malformed".into()))?;
        if let Some(v) = outbox.get(id)? {
            out.push(decode(v.value(), "an outbox entry")?);
        }
    }
    Ok(out)
}

/// Pending outbox entries: the due index holds exactly those, and redb keeps each table's length.
pub(crate) fn outbox_pending(txn: &ReadTransaction) -> Result<u64> {
    Ok(txn.open_table(OUTBOX_DUE)?.len()?)
}

/// One directory record.
pub(crate) fn record(txn: &ReadTransaction, key: &RecordKey) -> Result<Option<Record>> {
    match txn.open_table(RECORDS)?.get(record_key(key.kind, &key.key).as_slice())? {
        Some(v) => Ok(Some(decode_record(v.value())?)),
        None => Ok(None),
    }
}

/// Records of a kind whose key starts with `prefix`, in key order, strictly after `after`.
pub(crate) fn records(
    txn: &ReadTransaction,
    kind: RecordKind,
    prefix: &str,
    after: Option<&str>,
    limit: usize,
) -> Result<Vec<Record>> {
    let table = txn.open_table(RECORDS)?;
    let start = match after {
        Some(a) if a > prefix => a,
        _ => prefix,
    };
    let start = record_key(kind, start);
    let code = kind_code(kind);
    let mut out = Vec::new();
    for entry in table.range::<&[u8]>(start.as_slice()..)? {
        if out.len() >= limit {
            break;
        }
        let (k, v) = entry?;
        let k = k.value();
        if k.first() != Some(&code) {
            break;
        }
        let key = k.get(1..).unwrap_or_default();
        if after.is_some_and(|a| key <= a.as_bytes()) {
            continue;
        }
        if !key.starts_with(prefix.as_bytes()) {
            break;
        }
        out.push(decode_record(v.value())?);
    }
    Ok(out)
}

/// The customer user indexed under a lookup key.
pub(crate) fn customer_user_by_lookup(txn: &ReadTransaction, key: &str) -> Result<Option<CustomerUser>> {
    let Some(login) = txn.open_table(LOOKUPS)?.get(key)?.map(|v| v.value().to_string()) else { return Ok(None) };
    match record(txn, &RecordKey::new(RecordKind::CustomerUser, login))? {
        Some(Record::CustomerUser(u)) => Ok(Some(u)),
        _ => Ok(None),
    }
}

/// An adapter state value.
/// A stored file's bytes by hash.
pub(crate) fn blob(txn: &ReadTransaction, hash: &ContentHash) -> Result<Option<Vec<u8>>> {
    Ok(txn.open_table(BLOBS)?.get(hash.as_bytes().as_slice())?.map(|v| v.value().to_vec()))
}

/// How many distinct files are stored.
pub(crate) fn blob_count(txn: &ReadTransaction) -> Result<u64> {
    Ok(txn.open_table(BLOBS)?.len()?)
}

pub(crate) fn counter(txn: &ReadTransaction, scope: &str) -> Result<u64> {
    Ok(txn.open_table(COUNTERS)?.get(scope)?.map_or(0, |v| v.value()))
}

pub(crate) fn meta(txn: &ReadTransaction, key: &str) -> Result<Option<Vec<u8>>> {
    Ok(txn.open_table(META)?.get(key)?.map(|v| v.value().to_vec()))
}
