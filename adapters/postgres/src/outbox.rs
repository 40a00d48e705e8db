//! Outbox claims shared by nodes: `FOR UPDATE SKIP LOCKED` plus a lease.

use crate::codec::{decode, encode};
use crate::error::{db, pool as pool_err};
use chamado::{OutboxEntry, StoreResult, TicketId, Timestamp};
use deadpool_postgres::Pool;

pub(crate) async fn claim(
    pool: &Pool,
    now: Timestamp,
    lease_until: Timestamp,
    limit: usize,
) -> StoreResult<Vec<OutboxEntry>> {
    let mut client = pool.get().await.map_err(pool_err)?;
    let tx = client.transaction().await.map_err(db)?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = tx
        .query(
            "SELECT data FROM outbox WHERE due <= $1 ORDER BY due, id LIMIT $2 FOR UPDATE SKIP LOCKED",
            &[&now.0, &limit],
        )
        .await
        .map_err(db)?;
    let mut claimed = Vec::with_capacity(rows.len());
    let update = tx.prepare_cached("UPDATE outbox SET due = $2, data = $3 WHERE id = $1").await.map_err(db)?;
    for r in rows {
        let mut e: OutboxEntry = decode(r.get(0))?;
        e.next_attempt_at = lease_until;
        let id = i64::try_from(e.id.0).unwrap_or(i64::MAX);
        tx.execute(&update, &[&id, &e.due_at().map(|t| t.0), &encode(&e)?]).await.map_err(db)?;
        claimed.push(e);
    }
    tx.commit().await.map_err(db)?;
    Ok(claimed)
}

pub(crate) async fn for_ticket(pool: &Pool, ticket: TicketId) -> StoreResult<Vec<OutboxEntry>> {
    let client = pool.get().await.map_err(pool_err)?;
    let id = i64::try_from(ticket.0).unwrap_or(i64::MAX);
    let rows = client.query("SELECT data FROM outbox WHERE ticket_id = $1 ORDER BY id", &[&id]).await.map_err(db)?;
    rows.into_iter().map(|r| decode(r.get(0))).collect()
}

/// Pending entries: exactly those with a due time, counted from the partial index `outbox_due`.
pub(crate) async fn pending(pool: &Pool) -> StoreResult<u64> {
    let client = pool.get().await.map_err(pool_err)?;
    let row = client.query_one("SELECT count(*) FROM outbox WHERE due IS NOT NULL", &[]).await.map_err(db)?;
    Ok(u64::try_from(row.get::<_, i64>(0)).unwrap_or(0))
}
