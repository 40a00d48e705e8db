//! Full-text search over ticket titles and article bodies.

use crate::codec::decode;
use crate::error::{db, pool as pool_err};
use chamado::{StoreResult, Ticket};
use deadpool_postgres::Pool;

pub(crate) async fn search(pool: &Pool, query: &str, limit: usize) -> StoreResult<Vec<Ticket>> {
    let client = pool.get().await.map_err(pool_err)?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    // One document per ticket (title and every article), one GIN index; PostgreSQL picks a bitmap scan
    // for rare words and a walk down the recency order for common ones.
    let stmt = client
        .prepare_cached(
            "SELECT data FROM tickets WHERE search @@ plainto_tsquery('simple', $1) \
             ORDER BY changed_at DESC, id DESC LIMIT $2",
        )
        .await
        .map_err(db)?;
    let rows = client.query(&stmt, &[&query, &limit]).await.map_err(db)?;
    rows.into_iter().map(|r| decode(r.get(0))).collect()
}
