//! Full-text search across tickets, filtered by what the caller may see.

use super::access::caller_sees;
use super::{Actor, Engine};
use crate::error::{Error, Result};
use crate::search_words::search_words;
use crate::ticket::Ticket;

/// How many store hits are read per visible result wanted, before permission filtering.
const OVERFETCH: usize = 4;

impl Engine {
    /// Tickets whose title or article text contains every word of `query`, newest change first, only
    /// those the caller may see; at most `limit`. A customer user's words must be in the title or the
    /// articles visible to customers (internal notes do not count).
    pub async fn search_tickets(&self, actor: &Actor, query: &str, limit: usize) -> Result<Vec<Ticket>> {
        // Counted in characters before trimming, as the API documents the limit.
        if query.chars().count() > 500 {
            return Err(Error::validation(chamado_i18n::Message::new("error-search-too-long")));
        }
        let query = query.trim();
        if query.is_empty() {
            return Err(Error::validation(chamado_i18n::Message::new("error-search-empty")));
        }
        let limit = limit.clamp(1, super::MAX_PAGE);
        let caller = self.caller(actor).await?;
        let dir = self.directory().await?;
        let hits = self.store().search_tickets(query, limit.saturating_mul(OVERFETCH)).await?;
        let visible =
            hits.into_iter().filter(|t| dir.queues.get(&t.queue).is_some_and(|q| caller_sees(&caller, t, &q.group)));
        if !matches!(actor, Actor::CustomerUser(_)) {
            return Ok(visible.take(limit).collect());
        }
        // Stores match every article; a customer user must not find a ticket by the words of an
        // internal note, which would tell what the note says.
        let words = search_words(query);
        let mut found = Vec::new();
        for t in visible {
            if found.len() == limit {
                break;
            }
            let mut held = search_words(&t.title);
            for a in self.store().articles(t.id).await? {
                if a.visible_to_customer {
                    held.extend(search_words(&a.body));
                }
            }
            if words.is_subset(&held) {
                found.push(t);
            }
        }
        Ok(found)
    }
}
