//! Rows that almost every commit of a batch changes (the index counts, the event log's `seq` counter,
//! a ticket's last history sequence), kept in memory for the length of one write transaction and
//! written once at its end.
//!
//! Why: a batch of 30 new tickets in one queue used to read and rewrite the same five count rows and
//! the one `seq` row 30 times each, about a third of the writer's B-tree operations per ticket. The
//! rows are written before the transaction commits ([`WriteTables::flush_batch`]), so a reader never
//! sees a difference; an operation the batch rejects has written nothing yet (operations validate
//! before they write), and a failed one abandons the whole transaction, buffers included.

use crate::error::Result;
use crate::keys::{pair_child, pair_key};
use crate::tables::{EVENT_SEQ_KEY, WriteTables};
use redb::ReadableTable;
use std::collections::HashMap;

/// The buffered rows of one write transaction.
#[derive(Debug, Default)]
pub(crate) struct BatchRows {
    /// Index prefix -> change of its ticket count not yet written.
    count_deltas: HashMap<Vec<u8>, i64>,
    /// The event log's last `seq` as this transaction has moved it; `None` until first read.
    event_seq: Option<u64>,
    /// Whether `event_seq` moved and must be written.
    event_seq_moved: bool,
    /// Ticket id -> the sequence its next history entry takes.
    next_history: HashMap<u64, u64>,
}

impl WriteTables<'_> {
    /// Adds `delta` to an index's ticket count (written by [`WriteTables::flush_batch`]).
    pub(crate) fn add_to_count(&mut self, prefix: &[u8], delta: i64) -> Result<()> {
        match self.batch.count_deltas.get_mut(prefix) {
            Some(d) => *d += delta,
            None => {
                self.batch.count_deltas.insert(prefix.to_vec(), delta);
            }
        }
        Ok(())
    }

    /// The event log's last `seq` handed out, this transaction's moves included.
    pub(crate) fn event_seq(&mut self) -> Result<u64> {
        match self.batch.event_seq {
            Some(seq) => Ok(seq),
            None => {
                let seq = self.event_seq.get(EVENT_SEQ_KEY)?.map_or(0, |v| v.value());
                self.batch.event_seq = Some(seq);
                Ok(seq)
            }
        }
    }

    /// Sets the event log's last `seq` handed out (written by [`WriteTables::flush_batch`]).
    pub(crate) fn set_event_seq(&mut self, seq: u64) {
        self.batch.event_seq = Some(seq);
        self.batch.event_seq_moved = true;
    }

    /// Takes the sequence of `ticket`'s next history entry: one past its last stored entry, read once a
    /// transaction.
    pub(crate) fn take_history_seq(&mut self, ticket: u64) -> Result<u64> {
        let seq = match self.batch.next_history.get(&ticket) {
            Some(seq) => *seq,
            None => {
                let mut range =
                    self.history.range(pair_key(ticket, 0).as_slice()..=pair_key(ticket, u64::MAX).as_slice())?;
                match range.next_back() {
                    Some(entry) => {
                        let (k, _) = entry?;
                        pair_child(k.value()).map_or(0, |s| s.saturating_add(1))
                    }
                    None => 0,
                }
            }
        };
        self.batch.next_history.insert(ticket, seq.saturating_add(1));
        Ok(seq)
    }

    /// Writes the buffered rows. Call once every operation of the transaction has run, before it commits.
    pub(crate) fn flush_batch(&mut self) -> Result<()> {
        let mut deltas: Vec<(Vec<u8>, i64)> =
            std::mem::take(&mut self.batch.count_deltas).into_iter().filter(|(_, d)| *d != 0).collect();
        // In key order: neighbouring rows share pages.
        deltas.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (prefix, delta) in deltas {
            let current = self.ticket_counts.get(prefix.as_slice())?.map_or(0, |v| v.value());
            // A count reaching zero is removed, so indexes of departed agents or queues leave nothing behind.
            let n = current.saturating_add_signed(delta);
            if n == 0 {
                self.ticket_counts.remove(prefix.as_slice())?;
            } else {
                self.ticket_counts.insert(prefix.as_slice(), n)?;
            }
        }
        if std::mem::take(&mut self.batch.event_seq_moved)
            && let Some(seq) = self.batch.event_seq
        {
            self.event_seq.insert(EVENT_SEQ_KEY, seq)?;
        }
        self.batch.next_history.clear();
        Ok(())
    }
}
