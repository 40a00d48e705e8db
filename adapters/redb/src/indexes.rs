//! Writing rows together with every index that names them (exactly the keys the model defines).

use crate::codec::{decode, decode_record, encode, encode_record};
use crate::error::Result;
use crate::keys::{due_key, index_entry, index_prefix, pair_key, record_key};
use crate::search_index::words_of;
use crate::tables::WriteTables;
use chamado::{Article, HistoryEntry, OutboxEntry, Record, RecordKey, Ticket, TicketIndex, search_words};
use redb::ReadableTable;
use std::collections::BTreeSet;

impl WriteTables<'_> {
    /// Reads a ticket inside the write transaction.
    pub(crate) fn get_ticket(&self, id: u64) -> Result<Option<Ticket>> {
        match self.tickets.get(id)? {
            Some(v) => Ok(Some(decode(v.value(), "a ticket")?)),
            None => Ok(None),
        }
    }

    /// Stores `new`, replacing `old` (the row currently stored, if any), moving its index entries and
    /// the counts of the indexes it left or joined.
    /// `title_words`: the search words of the new title when the caller made them.
    pub(crate) fn put_ticket(
        &mut self,
        old: Option<&Ticket>,
        new: &Ticket,
        title_words: Option<&BTreeSet<String>>,
    ) -> Result<()> {
        let old_keys = old.map(TicketIndex::keys_of).unwrap_or_default();
        let new_keys = TicketIndex::keys_of(new);
        if let Some(old) = old {
            self.index_ticket(old, &old_keys, false)?;
        }
        self.index_ticket(new, &new_keys, true)?;
        for k in old_keys.iter().filter(|k| !new_keys.contains(k)) {
            self.add_to_count(&index_prefix(k), -1)?;
        }
        for k in new_keys.iter().filter(|k| !old_keys.contains(k)) {
            self.add_to_count(&index_prefix(k), 1)?;
        }
        self.numbers.insert(new.number.as_str(), new.id.0)?;
        self.tickets.insert(new.id.0, encode(new)?.as_slice())?;
        if self.search && old.is_none_or(|old| old.title != new.title) {
            self.words_added(new.id.0, &words_of(title_words, &new.title))?;
            if let Some(old) = old {
                self.words_maybe_gone(new.id.0, search_words(&old.title))?;
            }
        }
        Ok(())
    }

    pub(crate) fn index_ticket(&mut self, t: &Ticket, keys: &[TicketIndex], insert: bool) -> Result<()> {
        for k in keys {
            let entry = index_entry(&index_prefix(k), t.changed_at, t.id);
            if insert {
                self.ticket_index.insert(entry.as_slice(), ())?;
            } else {
                self.ticket_index.remove(entry.as_slice())?;
            }
        }
        if let Some(due) = t.pending_due() {
            let k = due_key(due, t.id.0);
            if insert {
                self.pending.insert(k.as_slice(), ())?;
            } else {
                self.pending.remove(k.as_slice())?;
            }
        }
        Ok(())
    }

    /// Inserts or replaces an article; a replaced article moving to another ticket is re-indexed.
    /// `body_words`: the search words of its body when the caller made them.
    pub(crate) fn put_article(&mut self, a: &Article, body_words: Option<&BTreeSet<String>>) -> Result<()> {
        let old = match self.articles.get(a.id.0)? {
            Some(v) => Some(decode::<Article>(v.value(), "an article")?),
            None => None,
        };
        if let Some(old) = &old {
            self.ticket_articles.remove(pair_key(old.ticket_id.0, a.id.0).as_slice())?;
        }
        self.ticket_articles.insert(pair_key(a.ticket_id.0, a.id.0).as_slice(), ())?;
        if let Some(ext) = &a.external_id {
            self.external_ids.insert(ext.as_str(), a.id.0)?;
        }
        self.articles.insert(a.id.0, encode(a)?.as_slice())?;
        if self.search { self.article_words(old.as_ref(), a, body_words) } else { Ok(()) }
    }

    /// Appends a history entry after the ticket's last one.
    pub(crate) fn append_history(&mut self, h: &HistoryEntry) -> Result<()> {
        let t = h.ticket_id.0;
        let seq = self.take_history_seq(t)?;
        self.history.insert(pair_key(t, seq).as_slice(), encode(h)?.as_slice())?;
        Ok(())
    }

    /// Reads an outbox entry inside the write transaction.
    pub(crate) fn get_outbox(&self, id: u64) -> Result<Option<OutboxEntry>> {
        match self.outbox.get(id)? {
            Some(v) => Ok(Some(decode(v.value(), "an outbox entry")?)),
            None => Ok(None),
        }
    }

    /// Inserts or replaces an outbox entry with its due and by-ticket index entries.
    pub(crate) fn put_outbox(&mut self, o: &OutboxEntry) -> Result<()> {
        if let Some(old) = self.get_outbox(o.id.0)? {
            if let Some(due) = old.due_at() {
                self.outbox_due.remove(due_key(due, old.id.0).as_slice())?;
            }
            self.outbox_by_ticket.remove(pair_key(old.ticket_id.0, old.id.0).as_slice())?;
        }
        if let Some(due) = o.due_at() {
            self.outbox_due.insert(due_key(due, o.id.0).as_slice(), ())?;
        }
        self.outbox_by_ticket.insert(pair_key(o.ticket_id.0, o.id.0).as_slice(), ())?;
        self.outbox.insert(o.id.0, encode(o)?.as_slice())?;
        Ok(())
    }

    /// Inserts or replaces a directory record, moving its lookup keys.
    pub(crate) fn put_record(&mut self, record: &Record) -> Result<()> {
        let key = record.key();
        let k = record_key(key.kind, &key.key);
        self.drop_lookups(&k)?;
        for lk in record.lookup_keys() {
            self.lookups.insert(lk.as_str(), key.key.as_str())?;
        }
        self.records.insert(k.as_slice(), encode_record(record)?.as_slice())?;
        Ok(())
    }

    /// Deletes a directory record and its lookup keys; a missing record is not an error.
    pub(crate) fn delete_record(&mut self, key: &RecordKey) -> Result<()> {
        let k = record_key(key.kind, &key.key);
        self.drop_lookups(&k)?;
        self.records.remove(k.as_slice())?;
        Ok(())
    }

    fn drop_lookups(&mut self, k: &[u8]) -> Result<()> {
        let old: Option<Record> = match self.records.get(k)? {
            Some(v) => Some(decode_record(v.value())?),
            None => None,
        };
        if let Some(old) = old {
            for lk in old.lookup_keys() {
                self.lookups.remove(lk.as_str())?;
            }
        }
        Ok(())
    }
}
