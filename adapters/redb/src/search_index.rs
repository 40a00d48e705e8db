//! The search word index: per word, the tickets whose title or one of whose articles holds it
//! ([`crate::postings`]), written in bulk behind the commits.
//!
//! Why in bulk: a message of 1 KB holds about a hundred distinct words, each of whose entries lives in
//! another part of the index, so indexing it in its own commit writes a hundred pages (measured: 630 KB
//! written per one-ticket commit, a fifth of the commit rate). So a commit only records what changed, in one
//! row per ticket under the ticket's id ([`PendingWords`]: the words added and the words gone since the
//! index last saw it); the writer folds those rows into the index when it is idle or when they pile
//! up, many tickets per transaction, sorted by word, so tickets that share words share pages. A search
//! reads the index and the pending rows together, so it is exact at every moment.

use crate::codec::decode;
use crate::error::{Error, Result};
use crate::keys::{pair_child, pair_key};
use crate::pending_words::{PendingWords, PendingWordsRef};
use crate::postings;
use crate::schema::SEARCH_INDEX_KEY;
use crate::tables::WriteTables;
use crate::tables::{SCHEMA, SEARCH_PENDING, SEARCH_WORDS};
use chamado::{Article, Ticket, search_words};
use redb::{Database, ReadableDatabase};
use redb::{ReadableTable, ReadableTableMetadata};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

/// The words a caller made for `text`, or else those of `text`.
pub(crate) fn words_of<'a>(made: Option<&'a BTreeSet<String>>, text: &str) -> Cow<'a, BTreeSet<String>> {
    match made {
        Some(words) => Cow::Borrowed(words),
        None => Cow::Owned(search_words(text)),
    }
}

/// A word's tickets to add and to remove.
type Changes = (Vec<u64>, Vec<u64>);

impl WriteTables<'_> {
    fn pending_words(&self, ticket: u64) -> Result<PendingWords> {
        match self.search_pending.get(ticket)? {
            Some(v) => decode(v.value(), "pending search words"),
            None => Ok(PendingWords::default()),
        }
    }

    fn change_words(&mut self, ticket: u64, change: impl FnOnce(&mut PendingWords)) -> Result<()> {
        if self.pending_buffer.contains_key(&ticket) {
            if let Some(p) = self.pending_buffer.get_mut(&ticket) {
                change(p);
            }
            return Ok(());
        }
        let mut pending = self.pending_words(ticket)?;
        change(&mut pending);
        self.pending_buffer.insert(ticket, pending);
        Ok(())
    }

    /// Starts the pending row of a ticket this commit creates with `prepared`, the words of its title
    /// and articles gathered by the caller (off the writer thread), when the ticket has no pending row
    /// yet; the title and articles written then add nothing new, so the writer copies no word.
    pub(crate) fn start_pending_words(&mut self, ticket: u64, prepared: PendingWords) -> Result<()> {
        if self.pending_buffer.contains_key(&ticket) || self.search_pending.get(ticket)?.is_some() {
            return Ok(());
        }
        self.pending_buffer.insert(ticket, prepared);
        self.words_prepared.insert(ticket);
        Ok(())
    }

    /// Writes the pending rows changed since the last call: once per ticket per commit, however many
    /// of its titles and articles the commit wrote.
    pub(crate) fn flush_pending_words(&mut self) -> Result<()> {
        self.words_prepared.clear();
        let mut buf = std::mem::take(&mut self.encode_buf);
        for (ticket, pending) in std::mem::take(&mut self.pending_buffer) {
            buf.clear();
            buf = postcard::to_extend(&pending, buf)
                .map_err(|e| Error::Storage(format!("cannot encode pending search words: {e}")))?;
            self.search_pending.insert(ticket, buf.as_slice())?;
        }
        self.encode_buf = buf;
        Ok(())
    }

    /// Records that `ticket` now holds `words`.
    pub(crate) fn words_added(&mut self, ticket: u64, words: &BTreeSet<String>) -> Result<()> {
        if words.is_empty() || self.pending_buffer.get(&ticket).is_some_and(|p| p.has_added_all(words)) {
            return Ok(());
        }
        self.change_words(ticket, |p| p.add(words.iter().cloned()))
    }

    /// Records that of `words`, those the ticket's stored title and articles no longer hold are gone.
    /// Call after the changed rows are written.
    pub(crate) fn words_maybe_gone(&mut self, ticket: u64, words: BTreeSet<String>) -> Result<()> {
        if words.is_empty() {
            return Ok(());
        }
        let mut held = match self.get_ticket(ticket)? {
            Some(t) => search_words(&t.title),
            None => BTreeSet::new(),
        };
        for body in self.article_bodies(ticket)? {
            held.extend(search_words(&body));
        }
        let gone: BTreeSet<String> = words.difference(&held).cloned().collect();
        if gone.is_empty() {
            return Ok(());
        }
        self.change_words(ticket, |p| p.remove(gone))
    }

    /// Records the words of an article written over `old` (the row stored before): the new text under
    /// its ticket, and the words the old text may have taken with it out of the old ticket. Call after
    /// the article's rows are written.
    /// `body_words`: the words of the new body when the caller made them.
    pub(crate) fn article_words(
        &mut self,
        old: Option<&Article>,
        new: &Article,
        body_words: Option<&BTreeSet<String>>,
    ) -> Result<()> {
        if old.is_some_and(|old| old.ticket_id == new.ticket_id && old.body == new.body) {
            return Ok(());
        }
        // A new ticket's words were gathered from this commit's articles by its caller.
        if !self.words_prepared.contains(&new.ticket_id.0) {
            self.words_added(new.ticket_id.0, &words_of(body_words, &new.body))?;
        }
        match old {
            Some(old) => self.words_maybe_gone(old.ticket_id.0, search_words(&old.body)),
            None => Ok(()),
        }
    }

    /// Folds the pending rows of up to `max` tickets into the index. Returns how many tickets still
    /// wait.
    pub(crate) fn index_pending(&mut self, max: usize) -> Result<u64> {
        self.flush_pending_words()?;
        let mut raw: Vec<(u64, Vec<u8>)> = Vec::new();
        for row in self.search_pending.iter()?.take(max) {
            let (k, v) = row?;
            raw.push((k.value(), v.value().to_vec()));
        }
        let mut taken: Vec<(u64, PendingWordsRef<'_>)> = Vec::with_capacity(raw.len());
        for (ticket, bytes) in &raw {
            let p = postcard::from_bytes(bytes)
                .map_err(|e| Error::Corrupt(format!("cannot decode pending search words: {e}")))?;
            taken.push((*ticket, p));
        }
        // One update per word, in word order: a word's blocks sit together in the index.
        let mut by_word: HashMap<&str, Changes> = HashMap::new();
        for (ticket, p) in &taken {
            for w in &p.added {
                by_word.entry(w).or_default().0.push(*ticket);
            }
            for w in &p.removed {
                by_word.entry(w).or_default().1.push(*ticket);
            }
        }
        let mut by_word: Vec<(&str, Changes)> = by_word.into_iter().collect();
        by_word.sort_unstable_by_key(|(w, _)| *w);
        for (word, (adds, removes)) in by_word {
            postings::update(&mut self.search_words, word, &adds, &removes)?;
        }
        for (ticket, _) in &taken {
            self.search_pending.remove(*ticket)?;
        }
        Ok(self.search_pending.len()?)
    }

    /// The bodies of a ticket's stored articles.
    pub(crate) fn article_bodies(&self, ticket: u64) -> Result<Vec<String>> {
        let mut ids = Vec::new();
        for entry in
            self.ticket_articles.range(pair_key(ticket, 0).as_slice()..=pair_key(ticket, u64::MAX).as_slice())?
        {
            let (k, _) = entry?;
            ids.push(pair_child(k.value()).ok_or_else(|| Error::Corrupt("an article index key is malformed".into()))?);
        }
        let mut bodies = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(v) = self.articles.get(id)? {
                bodies.push(decode::<Article>(v.value(), "an article")?.body);
            }
        }
        Ok(bodies)
    }
}

/// Brings the word index in line with [`crate::RedbOptions::full_text_search`] on open and returns
/// whether the store keeps it: builds it when search is asked for and the file has no complete index
/// (one transaction over every ticket; a crash leaves the file as it was, to build again), drops it when
/// search is turned off, so a stale index never answers; unset, keeps what the file has.
pub(crate) fn sync_with_option(db: &Database, wanted: Option<bool>) -> Result<bool> {
    let kept = db.begin_read()?.open_table(SCHEMA)?.get(SEARCH_INDEX_KEY)?.is_some_and(|v| v.value() == 1);
    let enabled = wanted.unwrap_or(kept);
    if kept == enabled {
        return Ok(enabled);
    }
    let txn = db.begin_write()?;
    txn.delete_table(SEARCH_WORDS)?;
    txn.delete_table(SEARCH_PENDING)?;
    {
        let mut tables = WriteTables::open(&txn)?;
        if enabled {
            let mut next = 0u64;
            loop {
                let chunk: Vec<(u64, String)> = {
                    let mut out = Vec::with_capacity(BUILD_CHUNK);
                    for row in tables.tickets.range(next..)?.take(BUILD_CHUNK) {
                        let (_, v) = row?;
                        let t = decode::<Ticket>(v.value(), "a ticket")?;
                        out.push((t.id.0, t.title));
                    }
                    out
                };
                let Some(&(last, _)) = chunk.last() else { break };
                for (id, title) in &chunk {
                    tables.words_added(*id, &search_words(title))?;
                    for body in tables.article_bodies(*id)? {
                        tables.words_added(*id, &search_words(&body))?;
                    }
                }
                tables.index_pending(usize::MAX)?;
                if chunk.len() < BUILD_CHUNK || last == u64::MAX {
                    break;
                }
                next = last + 1;
            }
        }
    }
    txn.open_table(SCHEMA)?.insert(SEARCH_INDEX_KEY, u64::from(enabled))?;
    txn.commit()?;
    Ok(enabled)
}

/// Tickets the build takes in per round.
const BUILD_CHUNK: usize = 4_096;
