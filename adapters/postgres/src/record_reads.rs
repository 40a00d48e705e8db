//! Grouped point reads of directory records: reads by key that wait at the same time go as one
//! statement.
//!
//! Creating a ticket reads the customer user by key, so 64 tasks creating at once send a stream of
//! one-row `SELECT`s, each paying a round trip and PostgreSQL's per-statement costs (parse, bind,
//! executor start, a `sendto`): most of the requests a creation makes besides its commit. Here at most
//! [`LEADERS`] read statements of a store are in flight at a time. A read that finds room sends at once
//! (alone it waits for nothing: no timer, no batching window); a read that finds them all busy queues,
//! and when a statement returns, its sender hands its place to the first read queued, which takes every
//! read then waiting into one statement (`unnest` of the keys joined to `records`, each distinct key
//! once) and answers them all.
//!
//! Everything runs on the callers' own tasks (no task spawned, so it works off a runtime too). Each read
//! gets what a read of its own would have: a read is only ever answered by a statement sent after it
//! began (the queue is taken just before sending), so it sees every write that finished before it; a
//! key is absent or present as alone; a row that does not decode fails the reads of that key only; a
//! statement that fails fails every read it carried with that error. A leader whose caller gives up
//! (its future dropped) hands its place on as it goes, and the reads it had taken, finding their answer
//! gone, queue again, so nobody waits for an answer that will not come.

use crate::codec::decode;
use crate::error::{db, pool as pool_err};
use crate::records;
use chamado::{Record, RecordKey, StoreError, StoreResult};
use deadpool_postgres::Pool;
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::oneshot;

/// Read statements of one store in flight at a time: one can be on the wire while the next's reads
/// gather; more would mostly split the same reads into smaller statements.
const LEADERS: usize = 2;
/// At most this many reads in one statement (the rest wait for the next), so one statement's array and
/// answer stay small.
const MAX_READS: usize = 256;

/// What a queued read is told.
enum Told {
    /// Its answer (boxed: a record is large beside [`Told::Lead`]).
    Answer(Box<StoreResult<Option<Record>>>),
    /// A statement's place is free: lead the next one.
    Lead,
}

/// A queued read.
struct Waiting {
    key: RecordKey,
    tell: oneshot::Sender<Told>,
}

#[derive(Default)]
struct State {
    waiting: Vec<Waiting>,
    leaders: usize,
}

/// The grouped record reads of one store (shared by its clones).
#[derive(Default)]
pub(crate) struct RecordReads {
    state: Mutex<State>,
}

impl std::fmt::Debug for RecordReads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecordReads")
    }
}

/// A statement's place, held by the read leading it; given on (or given back) when dropped, however
/// the leader ends.
struct Place<'a> {
    reads: &'a RecordReads,
}

impl Drop for Place<'_> {
    fn drop(&mut self) {
        self.reads.hand_on();
    }
}

/// A queued read's receiver. Dropped with the place handed to it not taken up (its caller gave up just
/// as it was told to lead), it hands the place on, so the place is not lost.
struct Queued<'a> {
    reads: &'a RecordReads,
    told: oneshot::Receiver<Told>,
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.told.close();
        if let Ok(Told::Lead) = self.told.try_recv() {
            self.reads.hand_on();
        }
    }
}

impl RecordReads {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Gives a finished leader's place to the first queued read still waiting, or back when none waits.
    fn hand_on(&self) {
        let mut s = self.state();
        while !s.waiting.is_empty() {
            let next = s.waiting.remove(0);
            if next.tell.send(Told::Lead).is_ok() {
                return;
            }
        }
        s.leaders = s.leaders.saturating_sub(1);
    }

    /// The record under `key`, read in one statement with the other reads waiting at the same time.
    pub(crate) async fn record(&self, pool: &Pool, key: &RecordKey) -> StoreResult<Option<Record>> {
        loop {
            let (tell, told) = oneshot::channel();
            let place = {
                let mut s = self.state();
                if s.leaders < LEADERS {
                    s.leaders += 1;
                    Some(Place { reads: self })
                } else {
                    s.waiting.push(Waiting { key: key.clone(), tell });
                    None
                }
            };
            let place = match place {
                Some(place) => place,
                None => {
                    let mut queued = Queued { reads: self, told };
                    match (&mut queued.told).await {
                        Ok(Told::Answer(result)) => return *result,
                        // Taken up here, with no await in between, so the place is never lost.
                        Ok(Told::Lead) => Place { reads: self },
                        // The leader that took this read gave up before answering: queue again.
                        Err(_) => continue,
                    }
                }
            };
            let others = {
                let mut s = self.state();
                let n = s.waiting.len().min(MAX_READS - 1);
                s.waiting.drain(..n).collect::<Vec<_>>()
            };
            let result = lead(pool, key, others).await;
            drop(place);
            return result;
        }
    }
}

/// Reads `key` and the keys of `others` in one statement (just `key`'s when nobody else waits) and
/// answers the others; `key`'s answer is returned.
async fn lead(pool: &Pool, key: &RecordKey, others: Vec<Waiting>) -> StoreResult<Option<Record>> {
    if others.is_empty() {
        return records::get(pool, key).await;
    }
    // Each distinct key once; `slot[i]` is the position of the i-th read's key in `keys`.
    let mut keys: Vec<&RecordKey> = vec![key];
    let mut position: HashMap<&RecordKey, usize> = HashMap::from([(key, 0)]);
    let mut slot = Vec::with_capacity(others.len());
    for w in &others {
        let i = *position.entry(&w.key).or_insert_with(|| {
            keys.push(&w.key);
            keys.len() - 1
        });
        slot.push(i);
    }
    match read_many(pool, &keys).await {
        Ok(mut found) => {
            for (w, i) in others.into_iter().zip(slot) {
                let _ = w.tell.send(Told::Answer(Box::new(found[i].clone())));
            }
            std::mem::replace(&mut found[0], Ok(None))
        }
        Err(e) => {
            for w in others {
                let _ = w.tell.send(Told::Answer(Box::new(Err(e.clone()))));
            }
            Err(e)
        }
    }
}

/// The records under `keys` (distinct), in their order: one statement, each key's row decoded on its own
/// so a row that does not decode fails only the reads of its key.
async fn read_many(pool: &Pool, keys: &[&RecordKey]) -> StoreResult<Vec<StoreResult<Option<Record>>>> {
    let kinds: Vec<&str> = keys.iter().map(|k| k.kind.as_str()).collect();
    let names: Vec<&str> = keys.iter().map(|k| k.key.as_str()).collect();
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client
        .prepare_cached(
            "SELECT k.i, r.data FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k (kind, key, i) \
             JOIN records r ON r.kind = k.kind AND r.key = k.key",
        )
        .await
        .map_err(db)?;
    let rows = client.query(&stmt, &[&kinds, &names]).await.map_err(db)?;
    let mut found: Vec<StoreResult<Option<Record>>> = keys.iter().map(|_| Ok(None)).collect();
    for row in rows {
        let i: i64 = row.try_get(0).map_err(db)?;
        let data: serde_json::Value = row.try_get(1).map_err(db)?;
        let at = usize::try_from(i - 1).ok().and_then(|at| found.get_mut(at)).ok_or_else(|| {
            StoreError::Corrupt(format!("grouped record read answered for key {i} of {}", keys.len()))
        })?;
        *at = decode(data).map(Some);
    }
    Ok(found)
}
