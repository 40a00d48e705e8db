//! Which ticket or key made the commit statement refuse, for the engine's typed errors.

use crate::error::db;
use chamado::{DuplicateKind, StoreError, Ticket};
use tokio_postgres::Client;

fn id(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The error for a refused commit. `part` is what the statement refused (`insert`, `update`,
/// `idempotency`). The rows it reads were there when the statement ran: tickets are never deleted, and
/// versions only grow, so the first ticket in commit order that fails its check now failed it then.
pub(crate) async fn diagnose(
    client: &Client,
    part: &str,
    tickets: &[(u64, &Ticket)],
    idempotency_key: Option<&str>,
) -> StoreError {
    if part == "idempotency" {
        let key = idempotency_key.unwrap_or_default();
        return StoreError::duplicate(DuplicateKind::IdempotencyKey, format!("idempotency key {key}"));
    }
    let ids: Vec<i64> = tickets.iter().map(|(_, t)| id(t.id.0)).collect();
    let numbers: Vec<&str> = tickets.iter().map(|(_, t)| t.number.as_str()).collect();
    let rows = match client
        .query(
            "SELECT id, number, version FROM tickets WHERE id = ANY($1::bigint[]) OR number = ANY($2::text[])",
            &[&ids, &numbers],
        )
        .await
    {
        Ok(rows) => rows,
        Err(e) => return db(e),
    };
    let found: Vec<(i64, String, i64)> = rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
    for (i, (expected, t)) in tickets.iter().enumerate() {
        if *expected == 0 {
            let earlier = &tickets[..i];
            if found.iter().any(|(fid, _, _)| *fid == id(t.id.0)) || earlier.iter().any(|(_, o)| o.id == t.id) {
                return StoreError::duplicate(DuplicateKind::TicketId, format!("ticket id {}", t.id));
            }
            if found.iter().any(|(_, num, _)| *num == t.number) || earlier.iter().any(|(_, o)| o.number == t.number) {
                return StoreError::duplicate(DuplicateKind::TicketNumber, format!("ticket number {}", t.number));
            }
        } else {
            let now = found.iter().find(|(fid, _, _)| *fid == id(t.id.0)).map_or(0, |f| f.2);
            let now = u64::try_from(now).unwrap_or(0);
            if now != *expected {
                return StoreError::Conflict { ticket: t.id.0, expected: *expected, found: now };
            }
        }
    }
    // Not reproducible afterwards (it cannot happen with rows that only grow): say what was refused.
    StoreError::Unavailable(format!("PostgreSQL refused the commit's ticket {part}; retry"))
}
