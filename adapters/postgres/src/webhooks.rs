//! Webhook deliveries (and fan-out entries): claims shared by nodes with `FOR UPDATE SKIP LOCKED` plus a
//! lease, as the outbox's; listings from partial indexes (migration 8).

use crate::codec::{decode, encode};
use crate::error::{db, pool as pool_err};
use chamado::{StoreResult, TicketId, Timestamp, WebhookDelivery};
use deadpool_postgres::Pool;
use tokio_postgres::types::ToSql;

fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn limit_of(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

async fn rows(pool: &Pool, sql: &str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<Vec<WebhookDelivery>> {
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client.prepare_cached(sql).await.map_err(db)?;
    let rows = client.query(&stmt, params).await.map_err(db)?;
    rows.into_iter().map(|r| decode(r.get(0))).collect()
}

/// Claims due entries: each is locked by one claimer (others skip it) and leased in the same transaction,
/// so no other node takes it until the lease ends, and a node that dies gives it up then.
pub(crate) async fn claim(
    pool: &Pool,
    now: Timestamp,
    lease_until: Timestamp,
    limit: usize,
) -> StoreResult<Vec<WebhookDelivery>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let mut client = pool.get().await.map_err(pool_err)?;
    let select = client
        .prepare_cached("SELECT data FROM webhooks WHERE due <= $1 ORDER BY due, id LIMIT $2 FOR UPDATE SKIP LOCKED")
        .await
        .map_err(db)?;
    let update = client
        .prepare_cached(
            "UPDATE webhooks w SET due = $1, data = u.data \
             FROM unnest($2::bigint[], $3::jsonb[]) AS u(id, data) WHERE w.id = u.id",
        )
        .await
        .map_err(db)?;
    let tx = client.transaction().await.map_err(db)?;
    let rows = tx.query(&select, &[&now.0, &limit_of(limit)]).await.map_err(db)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut claimed = Vec::with_capacity(rows.len());
    let mut ids = Vec::with_capacity(rows.len());
    let mut data = Vec::with_capacity(rows.len());
    for r in rows {
        let mut w: WebhookDelivery = decode(r.get(0))?;
        w.next_attempt_at = lease_until;
        ids.push(int(w.id));
        data.push(encode(&w)?);
        claimed.push(w);
    }
    tx.execute(&update, &[&lease_until.0, &ids, &data]).await.map_err(db)?;
    tx.commit().await.map_err(db)?;
    Ok(claimed)
}

pub(crate) async fn get(pool: &Pool, id: u64) -> StoreResult<Option<WebhookDelivery>> {
    Ok(rows(pool, "SELECT data FROM webhooks WHERE id = $1", &[&int(id)]).await?.into_iter().next())
}

/// A subscription's deliveries, newest first: fan-out entries (subscription `''`) are outside the index
/// and never listed.
pub(crate) async fn for_subscription(
    pool: &Pool,
    subscription: &str,
    before: Option<u64>,
    limit: usize,
) -> StoreResult<Vec<WebhookDelivery>> {
    if subscription.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    rows(
        pool,
        "SELECT data FROM webhooks WHERE subscription = $1 AND subscription <> '' AND id < $2 \
         ORDER BY id DESC LIMIT $3",
        &[&subscription, &before.map_or(i64::MAX, int), &limit_of(limit)],
    )
    .await
}

pub(crate) async fn pending_for_ticket(pool: &Pool, ticket: TicketId) -> StoreResult<Vec<WebhookDelivery>> {
    rows(pool, "SELECT data FROM webhooks WHERE ticket_id = $1 AND due IS NOT NULL ORDER BY id", &[&int(ticket.0)])
        .await
}

/// Pending entries: exactly those with a due time, counted from the partial index `webhooks_due`.
pub(crate) async fn pending(pool: &Pool) -> StoreResult<u64> {
    let client = pool.get().await.map_err(pool_err)?;
    let row = client.query_one("SELECT count(*) FROM webhooks WHERE due IS NOT NULL", &[]).await.map_err(db)?;
    Ok(u64::try_from(row.get::<_, i64>(0)).unwrap_or(0))
}

/// Removes finished entries created before `before`, oldest first, from the partial index
/// `webhooks_finished` (pending ones are not in it).
pub(crate) async fn prune(pool: &Pool, before: Timestamp, limit: usize) -> StoreResult<u64> {
    if limit == 0 {
        return Ok(0);
    }
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client
        .prepare_cached(
            "DELETE FROM webhooks WHERE id IN (
                 SELECT id FROM webhooks WHERE due IS NULL AND created_at < $1 ORDER BY created_at, id LIMIT $2)
             AND due IS NULL",
        )
        .await
        .map_err(db)?;
    client.execute(&stmt, &[&before.0, &limit_of(limit)]).await.map_err(db)
}
