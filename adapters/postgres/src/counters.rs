//! Counters moved by commits ([`chamado::Commit::counters`]) and read back ([`chamado::Store::counter`]).
//!
//! A commit's (or a batch's) additions go as one statement in its transaction, summed per scope and in
//! scope order: one row write per scope however many commits of the batch count it, and two batches
//! that move the same counters lock their rows in the same order, so they wait for each other instead
//! of deadlocking.

use crate::error::{db, pool as pool_err};
use chamado::{Commit, StoreResult};
use deadpool_postgres::Pool;
use std::collections::BTreeMap;
use tokio_postgres::Statement;
use tokio_postgres::types::{ToSql, Type};

const ADD: &str = "INSERT INTO counters (scope, value) SELECT * FROM unnest($1::text[], $2::bigint[]) \
                   ON CONFLICT (scope) DO UPDATE SET value = counters.value + EXCLUDED.value";

/// The counter additions of one commit or of a batch, summed per scope.
#[derive(Debug, Default)]
pub(crate) struct CounterAdds {
    scopes: Vec<String>,
    adds: Vec<i64>,
}

impl CounterAdds {
    /// The additions of `commits`, summed per scope, in scope order.
    pub(crate) fn of<'a>(commits: impl IntoIterator<Item = &'a Commit>) -> Self {
        let mut sums: BTreeMap<&str, i64> = BTreeMap::new();
        for c in commits.into_iter().flat_map(|c| &c.counters) {
            let add = i64::try_from(c.add).unwrap_or(i64::MAX);
            let sum = sums.entry(c.scope.as_str()).or_insert(0);
            *sum = sum.saturating_add(add);
        }
        let (scopes, adds) = sums.into_iter().map(|(s, n)| (s.to_string(), n)).unzip();
        CounterAdds { scopes, adds }
    }

    /// Whether there is nothing to add.
    pub(crate) fn is_empty(&self) -> bool {
        self.scopes.is_empty()
    }

    pub(crate) async fn prepare(client: &deadpool_postgres::Client) -> StoreResult<Statement> {
        client.prepare_typed_cached(ADD, &[Type::TEXT_ARRAY, Type::INT8_ARRAY]).await.map_err(db)
    }

    pub(crate) fn params(&self) -> [&(dyn ToSql + Sync); 2] {
        [&self.scopes, &self.adds]
    }
}

/// A counter's value; 0 when it was never moved.
pub(crate) async fn value(pool: &Pool, scope: &str) -> StoreResult<u64> {
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client.prepare_cached("SELECT value FROM counters WHERE scope = $1").await.map_err(db)?;
    let row = client.query_opt(&stmt, &[&scope]).await.map_err(db)?;
    Ok(row.map_or(0, |r| u64::try_from(r.get::<_, i64>(0)).unwrap_or(0)))
}
