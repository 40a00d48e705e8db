//! A ticket's word changes waiting for the word index: written by the commits (`tables`), folded in by
//! `search_index`, read by `search`. Its own file, so the tables need not know the index.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How a ticket's words changed since the index last took them in. A word is in at most one set.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PendingWords {
    /// Words the ticket now holds that the index may lack.
    pub added: BTreeSet<String>,
    /// Words the index holds for the ticket that its text no longer does.
    pub removed: BTreeSet<String>,
}

impl PendingWords {
    pub(crate) fn add(&mut self, words: impl IntoIterator<Item = String>) {
        for w in words {
            self.removed.remove(&w);
            self.added.insert(w);
        }
    }

    /// Whether every one of `words` is among the words added already (then adding them changes nothing).
    pub(crate) fn has_added_all(&self, words: &BTreeSet<String>) -> bool {
        words.len() <= self.added.len() && words.iter().all(|w| self.added.contains(w))
    }

    pub(crate) fn remove(&mut self, words: BTreeSet<String>) {
        for w in words {
            self.added.remove(&w);
            self.removed.insert(w);
        }
    }
}

/// A pending row read without copying its words: the same bytes as [`PendingWords`] (postcard writes a
/// set as a sequence), borrowed from the row. Folding thousands of rows into the index decodes each once,
/// and building a set of owned strings per row cost the fold about half of its time.
#[derive(Debug, Deserialize)]
pub(crate) struct PendingWordsRef<'a> {
    /// See [`PendingWords::added`].
    #[serde(borrow)]
    pub added: Vec<&'a str>,
    /// See [`PendingWords::removed`].
    #[serde(borrow)]
    pub removed: Vec<&'a str>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_borrowed_row_reads_the_bytes_of_an_owned_one() {
        let mut p = PendingWords::default();
        p.add(["zebra".to_string(), "apple".to_string(), "mango".to_string()]);
        p.remove(["pear".to_string(), "apple".to_string()].into_iter().collect());
        let bytes = postcard::to_allocvec(&p).unwrap();
        let r: PendingWordsRef<'_> = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(r.added, vec!["mango", "zebra"]);
        assert_eq!(r.removed, vec!["apple", "pear"]);
    }
}
