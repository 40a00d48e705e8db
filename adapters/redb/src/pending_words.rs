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

    pub(crate) fn remove(&mut self, words: BTreeSet<String>) {
        for w in words {
            self.added.remove(&w);
            self.removed.insert(w);
        }
    }
}
