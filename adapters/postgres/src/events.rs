//! The event log, and why its feed never skips an event that becomes visible later.
//!
//! The feed hands out events in `seq` order, and a reader resumes after the last `seq` it saw. With seqs
//! drawn from a plain sequence inside the writing transactions that is not enough: transaction A draws
//! 10, B draws 11, B commits first, a reader reads 11 and moves past 10, which A then commits.
//!
//! Two schemes close the gap; this store uses the second.
//! - **Seq in commit order**: each writer takes a row lock on one counter row (`UPDATE .. SET n = n + k
//!   RETURNING n`) as its last statement and holds it through `COMMIT`, so seq order is commit order.
//!   But the lock is then held through the commit's WAL flush, so commits with events (every commit that
//!   writes a ticket) flush one after another instead of together in PostgreSQL's group commit: at most
//!   one per `fdatasync` (2.6 ms on the benchmark machine). Measured with the `create-1node` benchmark
//!   (64 tasks, a busy 2-core machine) by making the append take its lock exclusively, which serialises
//!   commits the same way: 482 and 347 tickets/s, against 1,093 and 971 with this scheme and 1,092 and
//!   1,054 with no events written at all.
//! - **Readers wait for writers in flight** (used): a writer appends its events as the last statement
//!   before `COMMIT` (`chamado_append_events`, migration 8), which takes a shared transaction advisory
//!   lock, then draws its block of seqs from `event_seq` and inserts the rows; the lock goes when its
//!   transaction ends, after it became visible. Writers share the lock, so their commits still flush
//!   together. A reader first takes the lock exclusively for an instant (`chamado_event_horizon`) and
//!   reads the sequence's last value `h` under it. Every seq up to `h` was drawn by a writer that held the
//!   shared lock from before it drew until its transaction ended; the exclusive lock was granted only
//!   once none held it, so all of them have committed (and are visible to any later snapshot) or rolled
//!   back. The reader then reads, in a new statement and so a new snapshot, events with
//!   `after < seq <= h`: none of them can appear later, and every event that appears later has a seq
//!   above `h`. The sequence has `CACHE 1`, so no node draws a lower value later from a cache of its own.
//!
//! A commit's events get consecutive seqs: the block (`nextval`, then `setval` to its end) is drawn under
//! a session advisory lock held for those two calls only, released by an exception handler whatever
//! fails (a transaction lock would be held until `COMMIT`, which is what the scheme avoids).
//!
//! The price is on the feed's side: a reader waits for the writers in flight (one commit), and writers
//! that arrive meanwhile queue behind it, for a horizon read that is itself instant. A horizon is valid
//! forever once read, so a node remembers the highest it has seen and a reader still behind it reads
//! without waiting. Seqs are strictly increasing; a gap appears only where a commit failed after drawing
//! (its events are gone with it), and seqs of commits that overlapped in time may be in either order,
//! which no reader can tell (a commit that returned before another began has the lower seqs).
//! `event_seq` is never reset, so seqs keep growing after pruning.

use crate::codec::decode;
use crate::error::{db, pool as pool_err};
use chamado::{EventRecord, StoreResult, Timestamp};
use deadpool_postgres::Pool;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio_postgres::Statement;
use tokio_postgres::types::{Json, Type};

/// The statement that appends a commit's events ([`Appended::params`]).
const APPEND: &str = "SELECT chamado_append_events($1, $2)";

/// A commit's events as the append statement takes them.
pub(crate) struct Appended<'a> {
    at: Vec<i64>,
    data: Vec<Json<&'a EventRecord>>,
}

impl<'a> Appended<'a> {
    /// The events in the order given: one commit's, or a batch's commit after commit (each commit's
    /// events then take consecutive seqs, in order).
    pub(crate) fn of(events: impl IntoIterator<Item = &'a EventRecord>) -> Self {
        let (at, data) = events.into_iter().map(|e| (e.at.0, Json(e))).unzip();
        Appended { at, data }
    }

    pub(crate) async fn prepare(client: &deadpool_postgres::Client) -> StoreResult<Statement> {
        client.prepare_typed_cached(APPEND, &[Type::INT8_ARRAY, Type::JSONB_ARRAY]).await.map_err(db)
    }

    pub(crate) fn params(&self) -> [&(dyn tokio_postgres::types::ToSql + Sync); 2] {
        [&self.at, &self.data]
    }
}

/// The highest feed horizon this node has read: every event up to it that will ever be visible is.
#[derive(Debug, Default)]
pub(crate) struct Horizon(AtomicU64);

impl Horizon {
    /// Waits for the writers in flight and returns the horizon (module docs).
    async fn read(&self, client: &deadpool_postgres::Client) -> StoreResult<u64> {
        let stmt = client.prepare_cached("SELECT chamado_event_horizon()").await.map_err(db)?;
        let row = client.query_one(&stmt, &[]).await.map_err(db)?;
        let h = u64::try_from(row.get::<_, i64>(0)).unwrap_or(0);
        Ok(self.0.fetch_max(h, Ordering::AcqRel).max(h))
    }

    fn known(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }
}

fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

pub(crate) async fn after(pool: &Pool, horizon: &Horizon, after: u64, limit: usize) -> StoreResult<Vec<EventRecord>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client
        .prepare_cached("SELECT seq, data FROM events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3")
        .await
        .map_err(db)?;
    let read = |from: u64, upto: u64, limit: usize| {
        let (client, stmt) = (&client, &stmt);
        async move {
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let rows = client.query(stmt, &[&int(from), &int(upto), &limit]).await.map_err(db)?;
            rows.into_iter()
                .map(|r| {
                    let mut e: EventRecord = decode(r.get(1))?;
                    e.seq = u64::try_from(r.get::<_, i64>(0)).unwrap_or(0);
                    Ok(e)
                })
                .collect::<StoreResult<Vec<EventRecord>>>()
        }
    };
    // Behind the horizon already read, no need to wait: everything up to it that will ever be is there.
    let known = horizon.known();
    let mut page = Vec::new();
    let mut from = after;
    if after < known {
        page = read(after, known, limit).await?;
        if page.len() == limit {
            return Ok(page);
        }
        from = known;
    }
    let upto = horizon.read(&client).await?;
    if upto > from {
        page.extend(read(from, upto, limit - page.len()).await?);
    }
    Ok(page)
}

pub(crate) async fn last_seq(pool: &Pool, horizon: &Horizon) -> StoreResult<u64> {
    let client = pool.get().await.map_err(pool_err)?;
    horizon.read(&client).await
}

/// Removes the oldest events, in seq order, up to the first one not before `before` (at most `limit`):
/// it reads at most `limit` rows of the primary key, however long the log.
pub(crate) async fn prune(pool: &Pool, before: Timestamp, limit: usize) -> StoreResult<u64> {
    if limit == 0 {
        return Ok(0);
    }
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client
        .prepare_cached(
            "WITH head AS MATERIALIZED (SELECT seq, at FROM events ORDER BY seq LIMIT $2),
                  stop AS (SELECT min(seq) AS seq FROM head WHERE at >= $1)
             DELETE FROM events WHERE seq IN (
                 SELECT seq FROM head WHERE seq < COALESCE((SELECT seq FROM stop), 9223372036854775807))",
        )
        .await
        .map_err(db)?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    client.execute(&stmt, &[&before.0, &limit]).await.map_err(db)
}
