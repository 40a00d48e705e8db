//! Counter allocation with group reservation.
//!
//! A counter is one row, and an allocation holds its row lock until the allocation is durable (its commit's
//! WAL flush), so allocations of one scope are strictly one after another, each paying a flush. When a
//! block of ticket numbers runs out, every task that wanted a number asks at once (the engine's allocator
//! keeps all their blocks), and with 64 tasks that is a queue of 64 flushes on one row: it was most of the
//! tail latency of ticket creation. Here concurrent requests of one scope are served together: whoever
//! finds the scope idle reserves the sum of every request waiting and hands each its own consecutive
//! sub-range, so a burst costs one or two flushes. Every handed-out value was reserved durably first, and
//! a value is never handed out twice (a reservation whose requester went away is a gap, which is allowed).

use crate::error::{db, pool as pool_err};
use chamado::{StoreError, StoreResult};
use deadpool_postgres::Pool;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

type Reply = oneshot::Sender<StoreResult<u64>>;

/// One scope's waiting requests, and the lock whose holder reserves for all of them.
#[derive(Default)]
struct Scope {
    waiting: Mutex<Vec<(u64, Reply)>>,
    reserving: tokio::sync::Mutex<()>,
}

/// Counter reservations of one store (shared by its clones).
#[derive(Default)]
pub(crate) struct Allocator {
    scopes: Mutex<HashMap<String, Arc<Scope>>>,
}

impl std::fmt::Debug for Allocator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Allocator")
    }
}

impl Allocator {
    fn scope(&self, scope: &str) -> Arc<Scope> {
        let mut scopes = self.scopes.lock().unwrap_or_else(|e| e.into_inner());
        scopes.entry(scope.to_string()).or_default().clone()
    }

    /// Reserves `count` consecutive values of `scope` and returns the first.
    pub(crate) async fn allocate(&self, pool: &Pool, scope: &str, count: u64) -> StoreResult<u64> {
        let count = count.max(1);
        let slot = self.scope(scope);
        loop {
            let (tx, mut rx) = oneshot::channel();
            slot.waiting.lock().unwrap_or_else(|e| e.into_inner()).push((count, tx));
            let _turn = slot.reserving.lock().await;
            match rx.try_recv() {
                Ok(result) => return result,
                // A reserver took the request and went away before answering (its future was dropped):
                // its reservation is a gap; ask again.
                Err(oneshot::error::TryRecvError::Closed) => continue,
                Err(oneshot::error::TryRecvError::Empty) => {}
            }
            let batch = std::mem::take(&mut *slot.waiting.lock().unwrap_or_else(|e| e.into_inner()));
            let total: u64 = batch.iter().map(|(n, _)| *n).sum();
            match reserve(pool, scope, total).await {
                Ok(first) => {
                    let mut next = first;
                    for (n, reply) in batch {
                        let _ = reply.send(Ok(next));
                        next += n;
                    }
                }
                Err(e) => {
                    for (_, reply) in batch {
                        let _ = reply.send(Err(e.clone()));
                    }
                }
            }
            // Our own request was in the batch (it was queued before we took the lock).
            match rx.await {
                Ok(result) => return result,
                Err(_) => return Err(StoreError::Unavailable("counter reservation lost; retry".into())),
            }
        }
    }
}

/// One durable reservation of `total` values; returns the first.
async fn reserve(pool: &Pool, scope: &str, total: u64) -> StoreResult<u64> {
    let client = pool.get().await.map_err(pool_err)?;
    let n = i64::try_from(total).unwrap_or(i64::MAX);
    let stmt = client
        .prepare_cached(
            "INSERT INTO counters (scope, value) VALUES ($1, $2) \
             ON CONFLICT (scope) DO UPDATE SET value = counters.value + EXCLUDED.value RETURNING value",
        )
        .await
        .map_err(db)?;
    let row = client.query_one(&stmt, &[&scope, &n]).await.map_err(db)?;
    let last: i64 = row.get(0);
    Ok(u64::try_from(last - n + 1).unwrap_or(1))
}
