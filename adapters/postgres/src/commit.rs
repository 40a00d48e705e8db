//! One engine commit as one PostgreSQL statement (see [`crate::commit_sql`]): one round trip, atomic and
//! durable on its own, with the same refusals as a transaction of one statement per row.

use crate::commit_columns::{Columns, fold};
use crate::commit_refused::diagnose;
use crate::commit_sql::{PARAM_TYPES, REFUSED, statement};
use crate::error::{db, is_unique_violation, pool as pool_err};
use chamado::{Commit, DuplicateKind, StoreError, StoreResult};
use deadpool_postgres::Pool;

/// Applies the commit atomically; any error leaves nothing behind (the statement is undone).
pub(crate) async fn commit(pool: &Pool, c: Commit) -> StoreResult<()> {
    let tickets = fold(&c.tickets)?;
    let columns = Columns::of(&tickets, &c);
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client.prepare_typed_cached(statement(columns.shape()), &PARAM_TYPES).await.map_err(db)?;
    let Err(e) = client.execute(&stmt, &columns.params()).await else { return Ok(()) };
    if let Some(part) = e.as_db_error().filter(|d| d.code().code() == REFUSED).and_then(|d| d.detail()) {
        let key = c.idempotency.as_ref().map(|i| i.key.as_str());
        return Err(diagnose(&client, part, &tickets, key).await);
    }
    if is_unique_violation(&e) {
        // Inserts skip taken ids and numbers; only an update that renumbers a ticket can collide.
        let what = e.as_db_error().and_then(|d| d.constraint()).unwrap_or("a unique key").to_string();
        return Err(StoreError::duplicate(DuplicateKind::TicketNumber, format!("ticket number ({what})")));
    }
    Err(db(e))
}
