//! One engine commit as one PostgreSQL transaction.

use crate::codec::encode;
use crate::error::{db, is_unique_violation, pool as pool_err};
use chamado::{Commit, StoreError, StoreResult, TicketWrite};
use deadpool_postgres::{Pool, Transaction};

const INSERT_TICKET: &str = "INSERT INTO tickets (id, number, version, changed_at, queue, state_type, customer_user, \
     customer_id, pending_due, title, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING";
const UPDATE_TICKET: &str = "UPDATE tickets SET number = $2, version = $3, changed_at = $4, queue = $5, state_type = $6, \
     customer_user = $7, customer_id = $8, pending_due = $9, title = $10, data = $11 WHERE id = $1 AND version = $12";
const UPSERT_ARTICLE: &str = "INSERT INTO articles (id, ticket_id, body, data) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (id) DO UPDATE SET ticket_id = EXCLUDED.ticket_id, body = EXCLUDED.body, data = EXCLUDED.data";
const UPSERT_EXTERNAL_ID: &str = "INSERT INTO external_ids (external_id, article_id) VALUES ($1, $2) \
     ON CONFLICT (external_id) DO UPDATE SET article_id = EXCLUDED.article_id";
/// Each article's words join its ticket's search document (title words come from the title column).
const ADD_SEARCH_TEXT: &str = "UPDATE tickets SET body_tsv = COALESCE(body_tsv, ''::tsvector) || \
     to_tsvector('simple', left($2, 100000)) WHERE id = $1";
const INSERT_HISTORY: &str = "INSERT INTO history (ticket_id, data) VALUES ($1, $2)";
const UPSERT_OUTBOX: &str = "INSERT INTO outbox (id, ticket_id, due, data) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (id) DO UPDATE SET ticket_id = EXCLUDED.ticket_id, due = EXCLUDED.due, data = EXCLUDED.data";
const INSERT_IDEMPOTENCY: &str = "INSERT INTO idempotency (key, data) VALUES ($1, $2) ON CONFLICT DO NOTHING";

fn id(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Applies the commit atomically; any error rolls everything back (the transaction is dropped).
pub(crate) async fn commit(pool: &Pool, c: Commit) -> StoreResult<()> {
    let mut client = pool.get().await.map_err(pool_err)?;
    let tx = client.transaction().await.map_err(db)?;
    for w in &c.tickets {
        write_ticket(&tx, w).await?;
    }
    if !c.articles.is_empty() {
        let stmt = tx.prepare_cached(UPSERT_ARTICLE).await.map_err(db)?;
        let ext = tx.prepare_cached(UPSERT_EXTERNAL_ID).await.map_err(db)?;
        let text = tx.prepare_cached(ADD_SEARCH_TEXT).await.map_err(db)?;
        for a in &c.articles {
            tx.execute(&stmt, &[&id(a.id.0), &id(a.ticket_id.0), &a.body, &encode(a)?]).await.map_err(db)?;
            tx.execute(&text, &[&id(a.ticket_id.0), &a.body]).await.map_err(db)?;
            if let Some(e) = &a.external_id {
                tx.execute(&ext, &[e, &id(a.id.0)]).await.map_err(db)?;
            }
        }
    }
    if !c.history.is_empty() {
        let stmt = tx.prepare_cached(INSERT_HISTORY).await.map_err(db)?;
        for h in &c.history {
            tx.execute(&stmt, &[&id(h.ticket_id.0), &encode(h)?]).await.map_err(db)?;
        }
    }
    if !c.outbox.is_empty() {
        let stmt = tx.prepare_cached(UPSERT_OUTBOX).await.map_err(db)?;
        for o in &c.outbox {
            let due = o.due_at().map(|t| t.0);
            tx.execute(&stmt, &[&id(o.id.0), &id(o.ticket_id.0), &due, &encode(o)?]).await.map_err(db)?;
        }
    }
    if let Some(i) = &c.idempotency {
        let stmt = tx.prepare_cached(INSERT_IDEMPOTENCY).await.map_err(db)?;
        if tx.execute(&stmt, &[&i.key, &encode(i)?]).await.map_err(db)? == 0 {
            return Err(StoreError::Duplicate { what: format!("idempotency key {}", i.key) });
        }
    }
    tx.commit().await.map_err(db)
}

async fn write_ticket(tx: &Transaction<'_>, w: &TicketWrite) -> StoreResult<()> {
    let t = &w.ticket;
    let data = encode(t)?;
    let st = i16::from(t.state_type.code());
    let pending = t.pending_due().map(|p| p.0);
    let version = id(t.version);
    if w.expected_version == 0 {
        let stmt = tx.prepare_cached(INSERT_TICKET).await.map_err(db)?;
        let n = tx
            .execute(
                &stmt,
                &[
                    &id(t.id.0),
                    &t.number,
                    &version,
                    &t.changed_at.0,
                    &t.queue,
                    &st,
                    &t.customer_user,
                    &t.customer_id,
                    &pending,
                    &t.title,
                    &data,
                ],
            )
            .await
            .map_err(db)?;
        if n == 0 {
            return Err(StoreError::Duplicate { what: format!("ticket id {} or number {}", t.id, t.number) });
        }
        return Ok(());
    }
    let stmt = tx.prepare_cached(UPDATE_TICKET).await.map_err(db)?;
    let n = tx
        .execute(
            &stmt,
            &[
                &id(t.id.0),
                &t.number,
                &version,
                &t.changed_at.0,
                &t.queue,
                &st,
                &t.customer_user,
                &t.customer_id,
                &pending,
                &t.title,
                &data,
                &id(w.expected_version),
            ],
        )
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Duplicate { what: format!("ticket number {}", t.number) }
            } else {
                db(e)
            }
        })?;
    if n == 0 {
        let found = tx.query_opt("SELECT version FROM tickets WHERE id = $1", &[&id(t.id.0)]).await.map_err(db)?;
        let found = found.map_or(0, |r| u64::try_from(r.get::<_, i64>(0)).unwrap_or(0));
        return Err(StoreError::Conflict { ticket: t.id.0, expected: w.expected_version, found });
    }
    Ok(())
}
