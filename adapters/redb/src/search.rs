//! Full-text search over the word index: every ticket holding all of the query's words, newest change
//! first.
//!
//! Two plans, picked by how many tickets match, which only walking the index tells:
//! - **few matches** (up to [`GATHER_LIMIT`]): intersect the words' entry lists by leapfrogging (each
//!   list seeks to the highest ticket id the others allow), read the matching tickets and sort them;
//! - **many matches** (a common word): sorting them all would read tens of thousands of tickets, so walk
//!   every ticket newest change first (the state-type listings merged) and keep those whose id is under
//!   every word, stopping at `limit`. With that many matches the walk meets them early.
//!
//! Both give exactly the same answer; the first plan gives up as soon as it has seen too many. Tickets
//! whose words the index has not taken in yet (the pending rows, see [`crate::search_index`]) are
//! judged by their pending row and the index together.

use crate::codec::decode;
use crate::error::{Error, Result};
use crate::keys::{index_bounds, index_entry_id, index_prefix};
use crate::pending_words::PendingWords;
use crate::postings::{block_at, next_block_start};
use crate::tables::{SEARCH_PENDING, SEARCH_WORDS, TICKET_INDEX, TICKETS};
use chamado::{StateType, Ticket, TicketIndex, search_words};
use redb::{ReadOnlyTable, ReadTransaction, ReadableTable};
use std::cmp::Reverse;
use std::collections::BTreeMap;

/// The most matches the intersection gathers and sorts before the recency walk takes over.
pub(crate) const GATHER_LIMIT: usize = 5_000;

type Index = ReadOnlyTable<(&'static str, u64), &'static [u8]>;

/// One word's tickets, read a posting block at a time. The last block read is kept: a search asks
/// about nearby ids one after another.
struct Word<'a> {
    index: &'a Index,
    word: &'a str,
    /// First id, the next block's first id, the ids.
    block: Option<(u64, Option<u64>, Vec<u64>)>,
}

impl<'a> Word<'a> {
    fn new(index: &'a Index, word: &'a str) -> Self {
        Word { index, word, block: None }
    }

    /// The ids of the block that would hold `id`; empty when no block does.
    fn block_for(&mut self, id: u64) -> Result<&[u64]> {
        let cached = self.block.as_ref().is_some_and(|(first, next, _)| *first <= id && next.is_none_or(|n| id < n));
        if !cached {
            self.block = match block_at(self.index, self.word, id)? {
                Some((first, ids)) => Some((first, next_block_start(self.index, self.word, first)?, ids)),
                None => None,
            };
        }
        Ok(self.block.as_ref().map_or(&[], |(_, _, ids)| ids.as_slice()))
    }

    fn contains(&mut self, id: u64) -> Result<bool> {
        Ok(self.block_for(id)?.binary_search(&id).is_ok())
    }

    /// The highest id at or below `at_most`.
    fn highest_at_or_below(&mut self, mut at_most: u64) -> Result<Option<u64>> {
        loop {
            let ids = self.block_for(at_most)?;
            let below = ids.partition_point(|&x| x <= at_most);
            if below > 0 {
                return Ok(Some(ids[below - 1]));
            }
            // Only a malformed block starts above its key; look in the one before it.
            match self.block.as_ref().and_then(|(first, _, _)| first.checked_sub(1)) {
                Some(before) if before < at_most => at_most = before,
                _ => return Ok(None),
            }
        }
    }
}

/// The tickets holding every word of `query`, newest change first, at most `limit`.
pub(crate) fn search(txn: &ReadTransaction, query: &str, limit: usize) -> Result<Vec<Ticket>> {
    search_gathering(txn, query, limit, GATHER_LIMIT)
}

fn search_gathering(txn: &ReadTransaction, query: &str, limit: usize, gather: usize) -> Result<Vec<Ticket>> {
    let query_words: Vec<String> = search_words(query).into_iter().collect();
    if query_words.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let index = txn.open_table(SEARCH_WORDS)?;
    let mut words: Vec<Word<'_>> = query_words.iter().map(|w| Word::new(&index, w)).collect();
    let pending = pending_rows(txn)?;
    let tickets = txn.open_table(TICKETS)?;
    let Some(mut ids) = intersect(&mut words, gather)? else {
        return newest_holding(txn, &mut words, &pending, limit);
    };
    ids.retain(|id| !pending.contains_key(id));
    for id in pending.keys() {
        if holds(&mut words, &pending, *id)? {
            ids.push(*id);
        }
    }
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(v) = tickets.get(id)? {
            found.push(decode::<Ticket>(v.value(), "a ticket")?);
        }
    }
    found.sort_by_key(|t| Reverse((t.changed_at, t.id)));
    found.truncate(limit);
    Ok(found)
}

/// The tickets whose words the index has not taken in yet.
fn pending_rows(txn: &ReadTransaction) -> Result<BTreeMap<u64, PendingWords>> {
    let mut out = BTreeMap::new();
    for row in txn.open_table(SEARCH_PENDING)?.iter()? {
        let (k, v) = row?;
        out.insert(k.value(), decode(v.value(), "pending search words")?);
    }
    Ok(out)
}

/// Whether ticket `id` holds every word, by its pending row where it has one and the index.
fn holds(words: &mut [Word<'_>], pending: &BTreeMap<u64, PendingWords>, id: u64) -> Result<bool> {
    let p = pending.get(&id);
    for w in words {
        let held = match p {
            Some(p) if p.added.contains(w.word) => true,
            Some(p) if p.removed.contains(w.word) => false,
            _ => w.contains(id)?,
        };
        if !held {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The ids the index holds under every word, highest first; `None` once more than `cap` are found.
fn intersect(words: &mut [Word<'_>], cap: usize) -> Result<Option<Vec<u64>>> {
    let mut ids = Vec::new();
    let mut candidate = u64::MAX;
    let n = words.len();
    'next: loop {
        // Lower the candidate until every word holds it; a word without an id at or below it ends the search.
        let mut agreed = 0;
        let mut i = 0;
        while agreed < n {
            let Some(id) = words[i].highest_at_or_below(candidate)? else { break 'next };
            if id == candidate {
                agreed += 1;
            } else {
                candidate = id;
                agreed = 1;
            }
            i = (i + 1) % n;
        }
        if ids.len() == cap {
            return Ok(None);
        }
        ids.push(candidate);
        match candidate.checked_sub(1) {
            Some(next) => candidate = next,
            None => break,
        }
    }
    Ok(Some(ids))
}

/// Walks every ticket newest change first, keeping those under every word, until `limit`.
fn newest_holding(
    txn: &ReadTransaction,
    words: &mut [Word<'_>],
    pending: &BTreeMap<u64, PendingWords>,
    limit: usize,
) -> Result<Vec<Ticket>> {
    let listing = txn.open_table(TICKET_INDEX)?;
    let tickets = txn.open_table(TICKETS)?;
    // Every ticket is in exactly one state-type listing; each listing's keys order newest change first
    // after the prefix, so the merge compares what follows the prefixes.
    let mut heads = Vec::new();
    for st in StateType::ALL {
        let prefix = index_prefix(&TicketIndex::StateType(st));
        let (lo, hi) = index_bounds(&prefix);
        let mut range = listing.range(lo.as_slice()..=hi.as_slice())?;
        if let Some(entry) = range.next() {
            heads.push((suffix(entry?.0.value(), prefix.len())?, prefix.len(), range));
        }
    }
    let mut found = Vec::new();
    while found.len() < limit {
        let Some(next) = heads.iter().enumerate().min_by(|a, b| a.1.0.cmp(&b.1.0)).map(|(i, _)| i) else { break };
        let (after_prefix, prefix_len, range) = &mut heads[next];
        let id = index_entry_id(after_prefix).ok_or_else(malformed)?.0;
        if holds(words, pending, id)?
            && let Some(v) = tickets.get(id)?
        {
            found.push(decode::<Ticket>(v.value(), "a ticket")?);
        }
        match range.next() {
            Some(entry) => *after_prefix = suffix(entry?.0.value(), *prefix_len)?,
            None => {
                heads.swap_remove(next);
            }
        }
    }
    Ok(found)
}

/// What follows the prefix in a listing entry: `changed_at desc ++ id desc`.
fn suffix(key: &[u8], prefix_len: usize) -> Result<Vec<u8>> {
    key.get(prefix_len..).filter(|s| s.len() == 16).map(<[u8]>::to_vec).ok_or_else(malformed)
}

fn malformed() -> Error {
    Error::Corrupt("a ticket index key is malformed".into())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::RedbStore;
    use chamado::{Article, Commit, Store, TicketId, TicketWrite};

    fn ticket(id: u64, title: &str, changed_at: i64, state_type: StateType) -> Ticket {
        let mut t = chamado::testkit::ticket(id, changed_at);
        t.title = title.into();
        t.state_type = state_type;
        t
    }

    fn article(id: u64, ticket: u64, body: &str) -> Article {
        let mut a = chamado::testkit::article(id, ticket, None);
        a.body = body.into();
        a
    }

    /// The intersection plan and the recency walk give the same answer whatever the gather limit.
    #[test]
    fn both_plans_agree() {
        let dir = std::env::temp_dir().join(format!("chamado-search-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.redb");
        let _ = std::fs::remove_file(&path);
        let store = crate::RedbOptions::new().full_text_search(true).open(&path).unwrap();
        let words = ["printer", "toner", "paper", "wifi"];
        let mut commit = Commit::default();
        for id in 1..=60u64 {
            // changed_at out of id order, ties included, every state type.
            let changed = ((id * 37) % 23) as i64;
            let st = StateType::ALL[(id % 7) as usize];
            let title = format!("{} {}", words[(id % 4) as usize], if id % 5 == 0 { "urgent" } else { "" });
            commit.tickets.push(TicketWrite { ticket: ticket(id, &title, changed, st), expected_version: 0 });
            commit.articles.push(article(id, id, words[(id % 3) as usize]));
        }
        pollster::block_on(store.commit(commit)).unwrap();
        // Every ticket's words once pending, once indexed; a title change and a moved article pending.
        for round in 0..3 {
            if round == 1 {
                pollster::block_on(store.index_search_words()).unwrap();
            }
            if round == 2 {
                let mut t = store.read_blocking(|t| crate::reads::ticket(t, TicketId(4))).unwrap().unwrap();
                t.title = "wifi".into();
                t.version = 2;
                let mut a = article(4, 5, words[1]);
                a.subject = "moved".into();
                pollster::block_on(store.commit(Commit {
                    tickets: vec![TicketWrite { ticket: t, expected_version: 1 }],
                    articles: vec![a],
                    ..Default::default()
                }))
                .unwrap();
            }
            check_both_plans(&store, round == 2);
        }
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn check_both_plans(store: &RedbStore, changed: bool) {
        let words = ["printer", "toner", "paper", "wifi"];
        for q in [
            "printer",
            "toner paper",
            "urgent",
            "urgent printer",
            "wifi wifi",
            "missing",
            "printer missing",
            "wifi toner",
        ] {
            for limit in [1, 2, 7, 100] {
                let full = store.read_blocking(|t| search_gathering(t, q, limit, usize::MAX)).unwrap();
                let mut expected: Vec<&Ticket> = Vec::new();
                let all: Vec<Ticket> = (1..=60)
                    .filter_map(|id| store.read_blocking(|t| crate::reads::ticket(t, TicketId(id))).unwrap())
                    .collect();
                for t in &all {
                    let mut held = search_words(&t.title);
                    let id = t.id.0;
                    if !(changed && id == 4) {
                        held.extend(search_words(words[(id % 3) as usize]));
                    }
                    if changed && id == 5 {
                        held.extend(search_words(words[1]));
                    }
                    if search_words(q).is_subset(&held) {
                        expected.push(t);
                    }
                }
                expected.sort_by_key(|t| Reverse((t.changed_at, t.id)));
                expected.truncate(limit);
                let ids = |v: &[Ticket]| v.iter().map(|t| t.id.0).collect::<Vec<_>>();
                assert_eq!(ids(&full), expected.iter().map(|t| t.id.0).collect::<Vec<_>>(), "{q} {limit}");
                for gather in [0, 1, 3, 10] {
                    let walked = store.read_blocking(|t| search_gathering(t, q, limit, gather)).unwrap();
                    assert_eq!(ids(&walked), ids(&full), "{q} {limit} gather {gather}");
                }
            }
        }
    }
}
