//! The event log (schema 9): events keyed by `seq`, appended inside the commit that causes them.
//!
//! One writer thread applies every commit, in order, inside its batch's transaction, and a reader sees
//! a committed snapshot or nothing of a batch: so the `seq`s a reader sees are always every `seq` up to
//! the highest (less the pruned ones), and a feed resuming after the last `seq` it saw misses nothing.

use crate::codec::{decode, encode};
use crate::error::{Error, Result};
use crate::tables::{EVENT_SEQ, EVENT_SEQ_KEY, EVENTS, WriteTables};
use chamado::{EventRecord, Timestamp};
use redb::{ReadTransaction, ReadableTable};

impl WriteTables<'_> {
    /// Appends `events` in order, each with the next `seq`.
    pub(crate) fn append_events(&mut self, events: &[EventRecord]) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let mut seq = self.event_seq()?;
        for e in events {
            seq = seq.checked_add(1).ok_or_else(|| Error::Storage("the event log's seq ran out".into()))?;
            let mut stored = e.clone();
            stored.seq = seq;
            self.events.insert(seq, encode(&stored)?.as_slice())?;
        }
        self.set_event_seq(seq);
        Ok(())
    }

    /// Removes up to `limit` of the oldest events whose time is before `before`; returns how many.
    pub(crate) fn prune_events(&mut self, before: Timestamp, limit: usize) -> Result<u64> {
        let old = old_events(&self.events, before, limit)?;
        for seq in &old {
            self.events.remove(*seq)?;
        }
        Ok(old.len() as u64)
    }

    /// Restores an event as a backup holds it (its `seq` kept), and keeps the counter past it.
    pub(crate) fn import_event(&mut self, e: &EventRecord) -> Result<()> {
        self.events.insert(e.seq, encode(e)?.as_slice())?;
        self.raise_event_seq(e.seq)
    }

    /// Moves the `seq` counter up to `seq` (never down).
    pub(crate) fn raise_event_seq(&mut self, seq: u64) -> Result<()> {
        if seq > self.event_seq()? {
            self.set_event_seq(seq);
        }
        Ok(())
    }
}

/// The `seq`s of up to `limit` of the oldest events before `before`: the log from its start up to the
/// first event at or after `before`.
fn old_events(events: &impl ReadableTable<u64, &'static [u8]>, before: Timestamp, limit: usize) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    for row in events.iter()? {
        if out.len() >= limit {
            break;
        }
        let (k, v) = row?;
        let e: EventRecord = decode(v.value(), "an event")?;
        if e.at >= before {
            break;
        }
        out.push(k.value());
    }
    Ok(out)
}

/// Events with `seq` greater than `after`, in `seq` order, at most `limit`.
pub(crate) fn events_after(txn: &ReadTransaction, after: u64, limit: usize) -> Result<Vec<EventRecord>> {
    let Some(start) = after.checked_add(1) else { return Ok(Vec::new()) };
    let mut out = Vec::with_capacity(limit.min(1024));
    if limit == 0 {
        return Ok(out);
    }
    for row in txn.open_table(EVENTS)?.range(start..)? {
        let (_, v) = row?;
        out.push(decode(v.value(), "an event")?);
        if out.len() >= limit {
            break;
        }
    }
    Ok(out)
}

/// The last `seq` handed out (0 before the first event).
pub(crate) fn last_event_seq(txn: &ReadTransaction) -> Result<u64> {
    Ok(txn.open_table(EVENT_SEQ)?.get(EVENT_SEQ_KEY)?.map_or(0, |v| v.value()))
}

/// Whether [`WriteTables::prune_events`] would remove anything: read first, so that a tick with nothing
/// to prune costs no write transaction.
pub(crate) fn has_old_events(txn: &ReadTransaction, before: Timestamp) -> Result<bool> {
    Ok(!old_events(&txn.open_table(EVENTS)?, before, 1)?.is_empty())
}
