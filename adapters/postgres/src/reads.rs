//! Point reads and listings.

use crate::codec::decode;
use crate::error::{db, pool as pool_err};
use chamado::{
    Article, ArticleId, ContentHash, Cursor, HistoryEntry, IdempotencyRecord, Page, StoreResult, Ticket, TicketId,
    TicketIndex, Timestamp,
};
use deadpool_postgres::Pool;
use serde::de::DeserializeOwned;
use tokio_postgres::types::ToSql;

fn id(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn limit_of(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Runs a query whose first column is a JSON row and decodes every row.
async fn rows<T: DeserializeOwned>(pool: &Pool, sql: &str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<Vec<T>> {
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client.prepare_cached(sql).await.map_err(db)?;
    let rows = client.query(&stmt, params).await.map_err(db)?;
    rows.into_iter().map(|r| decode(r.get(0))).collect()
}

async fn one<T: DeserializeOwned>(pool: &Pool, sql: &str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<Option<T>> {
    Ok(rows(pool, sql, params).await?.into_iter().next())
}

pub(crate) async fn ticket(pool: &Pool, t: TicketId) -> StoreResult<Option<Ticket>> {
    one(pool, "SELECT data FROM tickets WHERE id = $1", &[&id(t.0)]).await
}

pub(crate) async fn ticket_by_number(pool: &Pool, number: &str) -> StoreResult<Option<Ticket>> {
    one(pool, "SELECT data FROM tickets WHERE number = $1", &[&number]).await
}

/// The ticket and its articles from one statement: one snapshot, one round trip.
pub(crate) async fn ticket_with_articles(pool: &Pool, number: &str) -> StoreResult<Option<(Ticket, Vec<Article>)>> {
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client
        .prepare_cached(
            "SELECT t.data, COALESCE((SELECT jsonb_agg(a.data ORDER BY a.id) FROM articles a WHERE a.ticket_id = t.id), \
             '[]'::jsonb) FROM tickets t WHERE t.number = $1",
        )
        .await
        .map_err(db)?;
    let Some(row) = client.query_opt(&stmt, &[&number]).await.map_err(db)? else { return Ok(None) };
    Ok(Some((decode(row.get(0))?, decode(row.get(1))?)))
}

pub(crate) async fn articles(pool: &Pool, t: TicketId) -> StoreResult<Vec<Article>> {
    rows(pool, "SELECT data FROM articles WHERE ticket_id = $1 ORDER BY id", &[&id(t.0)]).await
}

pub(crate) async fn article(pool: &Pool, a: ArticleId) -> StoreResult<Option<Article>> {
    one(pool, "SELECT data FROM articles WHERE id = $1", &[&id(a.0)]).await
}

pub(crate) async fn history(pool: &Pool, t: TicketId) -> StoreResult<Vec<HistoryEntry>> {
    rows(pool, "SELECT data FROM history WHERE ticket_id = $1 ORDER BY seq", &[&id(t.0)]).await
}

pub(crate) async fn article_by_external_id(pool: &Pool, ext: &str) -> StoreResult<Option<Article>> {
    one(
        pool,
        "SELECT a.data FROM external_ids e JOIN articles a ON a.id = e.article_id WHERE e.external_id = $1",
        &[&ext],
    )
    .await
}

/// A stored file's bytes by hash.
pub(crate) async fn blob(pool: &Pool, hash: &ContentHash) -> StoreResult<Option<Vec<u8>>> {
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client.prepare_cached("SELECT data FROM blobs WHERE sha256 = $1").await.map_err(db)?;
    let row = client.query_opt(&stmt, &[&hash.as_bytes().as_slice()]).await.map_err(db)?;
    Ok(row.map(|r| r.get(0)))
}

/// How many distinct files are stored.
pub(crate) async fn blob_count(pool: &Pool) -> StoreResult<u64> {
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client.prepare_cached("SELECT count(*) FROM blobs").await.map_err(db)?;
    let n: i64 = client.query_one(&stmt, &[]).await.map_err(db)?.get(0);
    Ok(u64::try_from(n).unwrap_or(0))
}

pub(crate) async fn idempotency(pool: &Pool, key: &str) -> StoreResult<Option<IdempotencyRecord>> {
    one(pool, "SELECT data FROM idempotency WHERE key = $1", &[&key]).await
}

/// The condition selecting an index's tickets and its parameters: `$1` a text key, `$2` a state type.
/// Each condition matches one composite (or partial) index, so a page is a range scan.
fn index_condition(index: &TicketIndex) -> (&'static str, Option<String>, Option<i16>) {
    match index {
        TicketIndex::CustomerUser(l) => ("customer_user = $1", Some(l.clone()), None),
        TicketIndex::Customer(c) => ("customer_id = $1", Some(c.clone()), None),
        TicketIndex::Queue { queue, state_type: None } => ("queue = $1", Some(queue.clone()), None),
        TicketIndex::Queue { queue, state_type: Some(st) } => {
            ("queue = $1 AND state_type = $2", Some(queue.clone()), Some(i16::from(st.code())))
        }
        TicketIndex::StateType(st) => ("state_type = $2", None, Some(i16::from(st.code()))),
        TicketIndex::LockedBy(l) => ("data->>'lock' = 'lock' AND data->>'owner' = $1", Some(l.clone()), None),
        TicketIndex::Responsible(l) => ("data->>'responsible' = $1", Some(l.clone()), None),
        // The row's mark (migration 7), each value with its own partial index.
        TicketIndex::Escalated => ("escalation_mark = 2", None, None),
        TicketIndex::AtRisk => ("escalation_mark = 1", None, None),
    }
}

/// A page of an index, newest change first.
pub(crate) async fn list_tickets(
    pool: &Pool,
    index: &TicketIndex,
    after: Option<Cursor>,
    limit: usize,
) -> StoreResult<Page<Ticket>> {
    let (cond, key_a, key_b) = index_condition(index);
    let (c_at, c_id) = after.map_or((i64::MAX, i64::MAX), |c| (c.changed_at.0, id(c.id.0)));
    // $1 and $2 are always bound (possibly unused by the condition) so one statement shape fits all.
    let sql = format!(
        "SELECT data FROM tickets WHERE ($1::text IS NULL OR TRUE) AND ($2::smallint IS NULL OR TRUE) AND {cond} \
         AND (changed_at, id) < ($3, $4) ORDER BY changed_at DESC, id DESC LIMIT $5"
    );
    let items: Vec<Ticket> = rows(pool, &sql, &[&key_a, &key_b, &c_at, &c_id, &limit_of(limit)]).await?;
    let next = (items.len() == limit).then(|| items.last().map(Cursor::after)).flatten();
    Ok(Page { items, next })
}

/// The key of an index's count in `ticket_counts`, as `chamado_count_keys` (migration 9) makes it from a
/// ticket row: a digit for the kind, the state type's code where the index has one, then the name.
pub(crate) fn count_key(index: &TicketIndex) -> String {
    match index {
        TicketIndex::CustomerUser(l) => format!("1{l}"),
        TicketIndex::Customer(c) => format!("2{c}"),
        TicketIndex::Queue { queue, state_type: None } => format!("3:{queue}"),
        TicketIndex::Queue { queue, state_type: Some(st) } => format!("3{}:{queue}", st.code()),
        TicketIndex::StateType(st) => format!("4{}", st.code()),
        TicketIndex::LockedBy(l) => format!("5{l}"),
        TicketIndex::Responsible(l) => format!("6{l}"),
        TicketIndex::Escalated => "7".into(),
        TicketIndex::AtRisk => "8".into(),
    }
}

/// How many tickets an index holds: the sum of its count's rows (at most one per slot, 64), which the
/// triggers of migration 9 keep in the transactions that write tickets, so it is exact in every snapshot.
pub(crate) async fn count_tickets(pool: &Pool, index: &TicketIndex) -> StoreResult<u64> {
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client
        .prepare_cached("SELECT COALESCE(sum(n), 0)::bigint FROM ticket_counts WHERE key = $1")
        .await
        .map_err(db)?;
    let row = client.query_one(&stmt, &[&count_key(index)]).await.map_err(db)?;
    let n: i64 = row.get(0);
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The counts of `indexes`, in order, from one statement.
pub(crate) async fn count_tickets_many(pool: &Pool, indexes: &[TicketIndex]) -> StoreResult<Vec<u64>> {
    if indexes.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<String> = indexes.iter().map(count_key).collect();
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client
        .prepare_cached(
            "SELECT COALESCE((SELECT sum(c.n) FROM ticket_counts c WHERE c.key = k.key), 0)::bigint \
             FROM unnest($1::text[]) WITH ORDINALITY AS k(key, i) ORDER BY k.i",
        )
        .await
        .map_err(db)?;
    let rows = client.query(&stmt, &[&keys]).await.map_err(db)?;
    Ok(rows.iter().map(|r| u64::try_from(r.get::<_, i64>(0)).unwrap_or(0)).collect())
}

/// How many tickets an index holds, counted over the same index the listing walks (an index-only scan
/// where the visibility map allows): [`crate::PgStore::with_scanned_counts`].
pub(crate) async fn count_tickets_scanned(pool: &Pool, index: &TicketIndex) -> StoreResult<u64> {
    let (cond, key_a, key_b) = index_condition(index);
    let sql = format!(
        "SELECT count(*) FROM tickets WHERE ($1::text IS NULL OR TRUE) AND ($2::smallint IS NULL OR TRUE) AND {cond}"
    );
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client.prepare_cached(&sql).await.map_err(db)?;
    let row = client.query_one(&stmt, &[&key_a, &key_b]).await.map_err(db)?;
    let n: i64 = row.get(0);
    Ok(u64::try_from(n).unwrap_or(0))
}

pub(crate) async fn due_tickets(pool: &Pool, now: Timestamp, limit: usize) -> StoreResult<Vec<Ticket>> {
    rows(
        pool,
        "SELECT data FROM tickets WHERE pending_due <= $1 ORDER BY pending_due, id LIMIT $2",
        &[&now.0, &limit_of(limit)],
    )
    .await
}
