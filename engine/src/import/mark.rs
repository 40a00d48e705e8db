//! What a run wrote for one imported ticket, kept in the adapter-state area beside it (written in the
//! same commit), so the next run knows what is new.

use crate::ids::{ArticleId, TicketId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The mark of one imported ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ImportMark {
    /// The ticket it became.
    pub ticket_id: TicketId,
    /// The source revision last written.
    pub revision: String,
    /// Each imported article's source key and the article it became.
    pub articles: BTreeMap<String, ArticleId>,
    /// The greatest history id written.
    pub history_after: u64,
}

impl ImportMark {
    /// The adapter-state key of the mark for `source`.
    pub fn key(source: &str) -> String {
        format!("import:ticket:{source}")
    }

    /// The mark as stored.
    pub fn encode(&self) -> Vec<u8> {
        // A map of strings and integers always serialises.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// A stored mark; `None` when it cannot be read (the ticket is then written again in full).
    pub fn decode(bytes: &[u8]) -> Option<ImportMark> {
        serde_json::from_slice(bytes).ok()
    }
}
