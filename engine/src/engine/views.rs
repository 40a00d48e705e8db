use crate::article::Article;
use crate::ticket::Ticket;
use serde::{Deserialize, Serialize};

/// A ticket with the articles the caller may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    /// The ticket.
    pub ticket: Ticket,
    /// Articles, oldest first (customers get only customer-visible ones).
    pub articles: Vec<Article>,
}
