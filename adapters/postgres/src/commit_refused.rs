//! Which ticket or key made the commit statement refuse, for the engine's typed errors.

use crate::error::db;
use chamado::{DuplicateKind, StoreError, StoreResult, Ticket};
use tokio_postgres::Client;

fn id(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// What the database holds now of the tickets and keys of refused commits.
///
/// The rows read were there when the statement ran, or came after: tickets are never deleted, versions
/// only grow and idempotency keys stay, so a commit whose check fails against them now failed it then,
/// or would fail it on any retry.
pub(crate) struct Found {
    tickets: Vec<(i64, String, i64)>,
    keys: Vec<String>,
}

impl Found {
    /// Reads the rows of `tickets` (by id or number) and which of `keys` are taken.
    pub(crate) async fn read<'a>(
        client: &Client,
        tickets: impl IntoIterator<Item = &'a Ticket>,
        keys: impl IntoIterator<Item = &'a str>,
    ) -> StoreResult<Found> {
        let (ids, numbers): (Vec<i64>, Vec<&str>) =
            tickets.into_iter().map(|t| (id(t.id.0), t.number.as_str())).unzip();
        let keys: Vec<&str> = keys.into_iter().collect();
        let rows = client
            .query(
                "SELECT id, number, version FROM tickets WHERE id = ANY($1::bigint[]) OR number = ANY($2::text[])",
                &[&ids, &numbers],
            )
            .await
            .map_err(db)?;
        let tickets = rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
        let keys = if keys.is_empty() {
            Vec::new()
        } else {
            let rows =
                client.query("SELECT key FROM idempotency WHERE key = ANY($1::text[])", &[&keys]).await.map_err(db)?;
            rows.iter().map(|r| r.get(0)).collect()
        };
        Ok(Found { tickets, keys })
    }

    /// Why one commit (its folded `tickets` and idempotency key) is refused, if it is: the first ticket
    /// in commit order that fails its check, or its key.
    pub(crate) fn judge(&self, tickets: &[(u64, &Ticket)], idempotency_key: Option<&str>) -> Option<StoreError> {
        for (i, (expected, t)) in tickets.iter().enumerate() {
            if *expected == 0 {
                let earlier = &tickets[..i];
                if self.tickets.iter().any(|(fid, _, _)| *fid == id(t.id.0))
                    || earlier.iter().any(|(_, o)| o.id == t.id)
                {
                    return Some(StoreError::duplicate(DuplicateKind::TicketId, format!("ticket id {}", t.id)));
                }
                if self.tickets.iter().any(|(_, num, _)| *num == t.number)
                    || earlier.iter().any(|(_, o)| o.number == t.number)
                {
                    return Some(StoreError::duplicate(
                        DuplicateKind::TicketNumber,
                        format!("ticket number {}", t.number),
                    ));
                }
            } else {
                let now = self.tickets.iter().find(|(fid, _, _)| *fid == id(t.id.0)).map_or(0, |f| f.2);
                let now = u64::try_from(now).unwrap_or(0);
                if now != *expected {
                    return Some(StoreError::Conflict { ticket: t.id.0, expected: *expected, found: now });
                }
            }
        }
        let key = idempotency_key?;
        self.keys
            .iter()
            .any(|k| k == key)
            .then(|| StoreError::duplicate(DuplicateKind::IdempotencyKey, format!("idempotency key {key}")))
    }
}

/// The error for a refused commit. `part` is what the statement refused (`insert`, `update`,
/// `idempotency`).
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
    let found = match Found::read(client, tickets.iter().map(|(_, t)| *t), None).await {
        Ok(found) => found,
        Err(e) => return e,
    };
    // Not reproducible afterwards (it cannot happen with rows that only grow): say what was refused.
    found
        .judge(tickets, None)
        .unwrap_or_else(|| StoreError::Unavailable(format!("PostgreSQL refused the commit's ticket {part}; retry")))
}
