//! One engine commit as one PostgreSQL statement (see [`crate::commit_sql`]): one round trip, atomic and
//! durable on its own, with the same refusals as a transaction of one statement per row.
//!
//! A commit with events, directory records or counters is one transaction of a few statements instead,
//! still one round trip ([`crate::pipeline`]): `BEGIN`, the commit statement, each record's statements
//! (as [`crate::records::put`] runs them), the counters' additions, the events' append, which must come last ([`crate::events`]), and
//! `COMMIT`. A refusal of the commit statement aborts the transaction, so neither records nor events are
//! written, and no seq is drawn.

use crate::commit_columns::{Columns, fold};
use crate::commit_refused::diagnose;
use crate::commit_sql::{PARAM_TYPES, REFUSED, Shape, statement};
use crate::counters::CounterAdds;
use crate::error::{db, is_unique_violation, pool as pool_err};
use crate::events::Appended;
use crate::pipeline::{self, Request};
use crate::records::{RecordStatements, RecordWrite};
use chamado::{Commit, DuplicateKind, StoreError, StoreResult};
use deadpool_postgres::Pool;

/// Applies the commit atomically; any error leaves nothing behind (the statement is undone).
pub(crate) async fn commit(pool: &Pool, c: Commit) -> StoreResult<()> {
    let tickets = fold(&c.tickets)?;
    let columns = Columns::of(&tickets, &c);
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client.prepare_typed_cached(statement(columns.shape()), &PARAM_TYPES).await.map_err(db)?;
    let result = if c.events.is_empty() && c.records.is_empty() && c.counters.is_empty() {
        client.execute(&stmt, &columns.params()).await.map(drop)
    } else {
        let records = c.records.iter().map(RecordWrite::of).collect::<StoreResult<Vec<_>>>()?;
        let record_statements = RecordStatements::prepare(&client).await?;
        let append = Appended::prepare(&client).await?;
        let events = Appended::of(&c.events);
        let counters = CounterAdds::of([&c]);
        let add = CounterAdds::prepare(&client).await?;
        let params = columns.params();
        let event_params = events.params();
        let counter_params = counters.params();
        let mut requests: Vec<Request<'_>> = vec![pipeline::simple(&client, "BEGIN")];
        if columns.shape() != Shape::default() {
            requests.push(Box::pin(client.execute(&stmt, &params)));
        }
        for r in &records {
            requests.extend(r.requests(&client, &record_statements));
        }
        if !counters.is_empty() {
            requests.push(Box::pin(client.execute(&add, &counter_params)));
        }
        if !c.events.is_empty() {
            requests.push(Box::pin(client.execute(&append, &event_params)));
        }
        requests.push(pipeline::simple(&client, "COMMIT"));
        pipeline::first_error(pipeline::run(requests).await)
    };
    let Err(e) = result else { return Ok(()) };
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
