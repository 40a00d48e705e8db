//! Full-text search over ticket titles and article bodies.
//!
//! The answer is the newest matches first, and PostgreSQL has two good plans for that, depending on how
//! many tickets match, which only the query's words tell:
//! - a common word (a tenth of all tickets): walk `tickets_by_recency` newest first and test each ticket's
//!   document, stopping at the page size: a few hundred rows, instead of fetching every one of the
//!   100,000+ matches from the GIN index to sort them (seconds at 1M tickets);
//! - a rare word: the GIN index's few matches, sorted.
//!
//! The planner picks between them from the word frequencies it keeps for `search` (`ANALYZE`'s most
//! common elements), but only when it plans with the words in hand. A named prepared statement would
//! after five runs settle on one generic plan for every query, whichever the words; so the query goes as
//! an unnamed statement (`query_typed`: parse, bind and execute in one round trip), planned per query.

use crate::codec::decode;
use crate::error::{db, pool as pool_err};
use chamado::{StoreResult, Ticket};
use deadpool_postgres::Pool;
use tokio_postgres::types::Type;

const SEARCH: &str = "SELECT data FROM tickets WHERE search @@ plainto_tsquery('simple', $1) \
     ORDER BY changed_at DESC, id DESC LIMIT $2";

pub(crate) async fn search(pool: &Pool, query: &str, limit: usize) -> StoreResult<Vec<Ticket>> {
    let client = pool.get().await.map_err(pool_err)?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = client.query_typed(SEARCH, &[(&query, Type::TEXT), (&limit, Type::INT8)]).await.map_err(db)?;
    rows.into_iter().map(|r| decode(r.get(0))).collect()
}
