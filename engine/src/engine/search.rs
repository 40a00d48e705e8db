//! Full-text search across tickets, filtered by what the caller may see.

use super::access::caller_sees;
use super::{Actor, Engine};
use crate::error::{Error, Result};
use crate::ticket::Ticket;

/// How many store hits are read per visible result wanted, before permission filtering.
const OVERFETCH: usize = 4;

impl Engine {
    /// Tickets whose title or article text contains every word of `query`, newest change first, only
    /// those the caller may see; at most `limit`.
    pub async fn search_tickets(&self, actor: &Actor, query: &str, limit: usize) -> Result<Vec<Ticket>> {
        let query = query.trim();
        if query.is_empty() {
            return Err(Error::validation("the search query is empty"));
        }
        if query.len() > 500 {
            return Err(Error::validation("the search query is longer than 500 characters"));
        }
        let limit = limit.clamp(1, super::MAX_PAGE);
        let caller = self.caller(actor).await?;
        let dir = self.directory().await?;
        let hits = self.store().search_tickets(query, limit.saturating_mul(OVERFETCH)).await?;
        Ok(hits
            .into_iter()
            .filter(|t| dir.queues.get(&t.queue).is_some_and(|q| caller_sees(&caller, t, &q.group)))
            .take(limit)
            .collect())
    }
}
