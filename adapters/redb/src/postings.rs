//! Posting blocks: the ids of the tickets holding a word, in blocks of a few hundred ids, each stored
//! under `(word, its lowest id)` as ascending ids encoded as varint gaps.
//!
//! Why blocks and not one entry per `(word, ticket)`: folding a thousand tickets' words into the index
//! then rewrites one block per distinct word instead of inserting a hundred entries per ticket (measured
//! with one entry each: half a millisecond of writer time per ticket, a fifth of the commit rate).

use crate::error::{Error, Result};
use crate::tables::Bytes;
use redb::{ReadableTable, Table};

/// Ids per block when a block is split; a block holds up to twice this before it splits.
const BLOCK_IDS: usize = 512;

/// Encodes ascending ids as varint gaps.
pub(crate) fn encode_ids(ids: &[u64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(ids.len() * 2);
    let mut prev = 0u64;
    for &id in ids {
        let mut gap = id - prev;
        prev = id;
        loop {
            let byte = (gap & 0x7f) as u8;
            gap >>= 7;
            if gap == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
    }
    out
}

/// Decodes what [`encode_ids`] wrote; anything else is corruption.
pub(crate) fn decode_ids(bytes: &[u8]) -> Result<Vec<u64>> {
    let mut ids = Vec::with_capacity(bytes.len());
    let mut prev = 0u64;
    let mut gap = 0u64;
    let mut shift = 0u32;
    for &b in bytes {
        if shift > 63 {
            return Err(corrupt());
        }
        gap |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            prev = prev.checked_add(gap).ok_or_else(corrupt)?;
            ids.push(prev);
            gap = 0;
            shift = 0;
        } else {
            shift += 7;
        }
    }
    if shift != 0 {
        return Err(corrupt());
    }
    Ok(ids)
}

fn corrupt() -> Error {
    Error::Corrupt("a search posting block is malformed".into())
}

/// The posting table.
pub(crate) type PostingTable<'txn> = Table<'txn, (&'static str, u64), Bytes<'static>>;

/// The block of `word` that holds `id` if any does: the one with the highest first id at or below it.
pub(crate) fn block_at<T>(table: &T, word: &str, id: u64) -> Result<Option<(u64, Vec<u64>)>>
where
    T: ReadableTable<(&'static str, u64), Bytes<'static>>,
{
    match table.range((word, 0)..=(word, id))?.next_back() {
        Some(entry) => {
            let (k, v) = entry?;
            Ok(Some((k.value().1, decode_ids(v.value())?)))
        }
        None => Ok(None),
    }
}

/// The first id of the block after the one starting at `first`, if any.
pub(crate) fn next_block_start<T>(table: &T, word: &str, first: u64) -> Result<Option<u64>>
where
    T: ReadableTable<(&'static str, u64), Bytes<'static>>,
{
    let Some(from) = first.checked_add(1) else { return Ok(None) };
    match table.range((word, from)..=(word, u64::MAX))?.next() {
        Some(entry) => Ok(Some(entry?.0.value().1)),
        None => Ok(None),
    }
}

/// Adds `adds` to and removes `removes` from the tickets holding `word` (both ascending, disjoint).
pub(crate) fn update(table: &mut PostingTable<'_>, word: &str, adds: &[u64], removes: &[u64]) -> Result<()> {
    let mut changes: Vec<(u64, bool)> =
        adds.iter().map(|&id| (id, true)).chain(removes.iter().map(|&id| (id, false))).collect();
    changes.sort_unstable();
    if changes.is_empty() {
        return Ok(());
    }
    // The common case, new tickets: every id above the word's last block goes into that block.
    let last = match table.range((word, 0)..=(word, u64::MAX))?.next_back() {
        Some(entry) => {
            let (k, v) = entry?;
            Some((k.value().1, decode_ids(v.value())?))
        }
        None => None,
    };
    let appending = match &last {
        Some((first, _)) => changes[0].0 >= *first,
        None => true,
    };
    if appending {
        let (first, mut ids) = last.unwrap_or((changes[0].0, Vec::new()));
        apply(&mut ids, &changes);
        store_block(table, word, first, &ids)?;
        return Ok(());
    }
    let mut i = 0;
    while i < changes.len() {
        let id = changes[i].0;
        // The block this id belongs to: the one at or below it, else (an id below every block) the first.
        let (first, mut ids) = match block_at(table, word, id)? {
            Some(b) => b,
            None => match table.range((word, 0)..=(word, u64::MAX))?.next() {
                Some(entry) => {
                    let (k, v) = entry?;
                    (k.value().1, decode_ids(v.value())?)
                }
                None => (id, Vec::new()),
            },
        };
        let end = next_block_start(table, word, first)?;
        let mut j = i;
        while j < changes.len() && end.is_none_or(|e| changes[j].0 < e) {
            j += 1;
        }
        apply(&mut ids, &changes[i..j]);
        store_block(table, word, first, &ids)?;
        i = j;
    }
    Ok(())
}

/// Adds and removes ids of one block.
fn apply(ids: &mut Vec<u64>, changes: &[(u64, bool)]) {
    for &(id, add) in changes {
        match (ids.binary_search(&id), add) {
            (Err(at), true) => ids.insert(at, id),
            (Ok(at), false) => {
                ids.remove(at);
            }
            _ => {}
        }
    }
}

/// Writes a block that was stored under `first` (or is new), split when it has grown, each part under
/// its lowest id.
fn store_block(table: &mut PostingTable<'_>, word: &str, first: u64, ids: &[u64]) -> Result<()> {
    let parts = split(ids);
    if parts.first().is_none_or(|p| p[0] != first) {
        table.remove((word, first))?;
    }
    for part in parts {
        table.insert((word, part[0]), encode_ids(part).as_slice())?;
    }
    Ok(())
}

/// A block's ids as stored: one block, or blocks of [`BLOCK_IDS`] once it has grown past twice that.
fn split(ids: &[u64]) -> Vec<&[u64]> {
    if ids.is_empty() {
        Vec::new()
    } else if ids.len() <= 2 * BLOCK_IDS {
        vec![ids]
    } else {
        ids.chunks(BLOCK_IDS).collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use redb::{Database, ReadableDatabase, TableDefinition, backends::InMemoryBackend};
    use std::collections::BTreeSet;

    const T: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("p");

    /// Random adds and removes, in batches as the indexer makes them, against a set: the blocks hold
    /// exactly the set, each under its lowest id, none over twice the block size; lookups agree.
    #[test]
    fn blocks_follow_a_set_through_adds_removes_and_splits() {
        let db = Database::builder().create_with_backend(InMemoryBackend::new()).unwrap();
        let mut model: BTreeSet<u64> = BTreeSet::new();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for round in 0..40u64 {
            let txn = db.begin_write().unwrap();
            {
                let mut table = txn.open_table(T).unwrap();
                // Mostly new, rising ids (new tickets), some old ones (follow-ups), some removals.
                let mut adds = BTreeSet::new();
                let mut removes = BTreeSet::new();
                for _ in 0..200 {
                    match next() % 10 {
                        0..=5 => adds.insert(round * 1_000 + next() % 1_000),
                        6 | 7 => adds.insert(next() % (round * 1_000 + 1)),
                        _ => removes.insert(next() % (round * 1_000 + 1)),
                    };
                }
                let removes: Vec<u64> = removes.difference(&adds).copied().collect();
                let adds: Vec<u64> = adds.into_iter().collect();
                update(&mut table, "w", &adds, &removes).unwrap();
                update(&mut table, "other", &[round], &[]).unwrap();
                model.extend(&adds);
                for r in &removes {
                    model.remove(r);
                }
            }
            txn.commit().unwrap();
            let read = db.begin_read().unwrap();
            let table = read.open_table(T).unwrap();
            let mut stored = Vec::new();
            for entry in table.range(("w", 0)..=("w", u64::MAX)).unwrap() {
                let (k, v) = entry.unwrap();
                let ids = decode_ids(v.value()).unwrap();
                assert_eq!(Some(&k.value().1), ids.first(), "a block is keyed by its lowest id");
                assert!(ids.len() <= 2 * BLOCK_IDS);
                stored.extend(ids);
            }
            assert_eq!(stored, model.iter().copied().collect::<Vec<_>>(), "round {round}");
            for _ in 0..50 {
                let probe = next() % (round * 1_000 + 1_000);
                let holds =
                    block_at(&table, "w", probe).unwrap().is_some_and(|(_, ids)| ids.binary_search(&probe).is_ok());
                assert_eq!(holds, model.contains(&probe));
            }
        }
        assert!(model.len() > 4 * BLOCK_IDS, "the test grew past a few blocks");
    }

    #[test]
    fn ids_round_trip_and_bad_bytes_are_errors() {
        let ids = [1, 2, 130, 20_000, u64::MAX - 1, u64::MAX];
        assert_eq!(decode_ids(&encode_ids(&ids)).ok(), Some(ids.to_vec()));
        assert!(decode_ids(&[0x80]).is_err());
        assert!(decode_ids(&[0xff; 11]).is_err());
    }
}
