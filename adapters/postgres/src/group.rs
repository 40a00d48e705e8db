//! Group commit: commits that wait at the same time are applied together, as one statement in one
//! transaction, so a burst of commits pays for one round trip, one statement's fixed costs (planning,
//! opening each table and its indexes, the count triggers) and one WAL flush instead of one each.
//!
//! A commit joins a queue. While fewer than [`LEADERS`] leaders run, the commit starts one (a task of
//! its own, so a caller that gives up waiting cannot strand the others); a leader takes the commits
//! waiting, applies them as a batch ([`Columns::of_batch`], one `chamado_append_events` for all their
//! events), answers them, and goes on until the queue is empty. Two leaders keep the database busy while
//! one waits for its flush, and the queue fills behind them, which makes the batches.
//!
//! The acknowledgement rule is the one of a commit alone: nobody is answered before the transaction that
//! holds their commit has committed (durable: `synchronous_commit` stays on), and a refused commit fails
//! alone. When the batch statement refuses (a version check, a taken ticket number or idempotency key),
//! nothing of the batch is applied; the rows are read back to find which commits are at fault
//! ([`Found`]), those are answered with their errors and the rest is applied again without them. A
//! refusal no commit can be blamed for, a unique key the statement does not check (a renumbered
//! ticket) or a deadlock with another node's batch sends each commit of the batch alone, as without
//! group commit, so each gets its own answer.
//!
//! A batch never holds two commits that write the same ticket, ticket number, article, outbox entry,
//! webhook delivery, adapter-state key or idempotency key: one statement sees each row once, and their
//! order would matter. Such a commit waits for a later batch (commits that wait at the same time were
//! never ordered among themselves, so any order is one they could have had). Events keep their
//! guarantees: a batch draws one block of seqs, commit after commit, so each commit's events are
//! consecutive and above those of every commit that finished before it began.
//!
//! Commits with directory records (rare: admin changes) take the path of a commit alone, since their
//! statements are not batched.

use crate::commit;
use crate::commit_columns::{Columns, fold};
use crate::commit_refused::Found;
use crate::commit_sql::{PARAM_TYPES, REFUSED, statement};
use crate::counters::CounterAdds;
use crate::error::{db, pool as pool_err};
use crate::events::Appended;
use crate::pipeline::{self, Request};
use chamado::{Commit, StoreError, StoreResult, Ticket};
use deadpool_postgres::Pool;
use std::collections::{HashSet, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;
use tokio_postgres::error::SqlState;

/// Leaders at a time: one applies a batch while the other waits for its flush.
const LEADERS: usize = 2;
/// At most this many commits in one batch, so one batch's statement stays short and its rows locked
/// briefly.
const MAX_COMMITS: usize = 128;
/// At most about this many bytes of bodies and files in one batch (a larger commit goes alone).
const MAX_BYTES: usize = 8 << 20;

type Reply = oneshot::Sender<StoreResult<()>>;

/// A commit waiting for its batch.
struct Pending {
    commit: Commit,
    /// What it writes that no batch-mate may write too, hashed (a collision only delays a commit).
    keys: Vec<u64>,
    bytes: usize,
    reply: Reply,
}

#[derive(Default)]
struct State {
    waiting: VecDeque<Pending>,
    leaders: usize,
}

/// The group-commit queue of one store (shared by its clones).
#[derive(Default)]
pub(crate) struct Group {
    state: Mutex<State>,
}

impl std::fmt::Debug for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Group")
    }
}

fn key(kind: u8, value: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    kind.hash(&mut h);
    value.hash(&mut h);
    h.finish()
}

/// The rows `c` writes that two commits of one batch must not share.
fn keys_of(c: &Commit) -> Vec<u64> {
    let mut keys = Vec::with_capacity(c.tickets.len() * 2 + c.articles.len() * 2 + 1);
    for w in &c.tickets {
        keys.push(key(0, w.ticket.id.0));
        keys.push(key(1, &w.ticket.number));
    }
    for a in &c.articles {
        // The article's ticket takes its words: a ticket written or worded by two commits waits.
        keys.push(key(0, a.ticket_id.0));
        keys.push(key(2, a.id.0));
    }
    keys.extend(c.outbox.iter().map(|o| key(3, o.id.0)));
    keys.extend(c.webhooks.iter().map(|w| key(4, w.id)));
    keys.extend(c.meta.iter().map(|m| key(5, &m.key)));
    keys.extend(c.idempotency.iter().map(|i| key(6, &i.key)));
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn bytes_of(c: &Commit) -> usize {
    c.articles.iter().map(|a| a.body.len()).sum::<usize>() + c.blobs.iter().map(|b| b.data.len()).sum::<usize>()
}

impl Group {
    /// Applies `c` in a batch with whatever else waits; returns once it is durable or refused.
    pub(crate) async fn commit(self: &Arc<Self>, pool: &Pool, c: Commit) -> StoreResult<()> {
        if !c.records.is_empty() {
            return commit::commit(pool, c).await;
        }
        // Refusals a commit makes on its own are answered before it waits.
        fold(&c.tickets)?;
        let (reply, answer) = oneshot::channel();
        let pending = Pending { keys: keys_of(&c), bytes: bytes_of(&c), commit: c, reply };
        let lead = {
            let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
            s.waiting.push_back(pending);
            let lead = s.leaders < LEADERS;
            if lead {
                s.leaders += 1;
            }
            lead
        };
        if lead {
            let leader = Leader { group: self.clone(), counted: true };
            match tokio::runtime::Handle::try_current() {
                Ok(rt) => drop(rt.spawn(leader.run(pool.clone()))),
                // Not on a runtime's thread (a caller polling by hand): lead here.
                Err(_) => leader.run(pool.clone()).await,
            }
        }
        answer.await.unwrap_or_else(|_| Err(StoreError::Unavailable("the group commit was interrupted; retry".into())))
    }
}

/// A running leader. It leaves in the same locked step that finds the queue empty, so a commit that
/// arrives just after either is taken by it or finds room to start a leader; a leader dropped on the
/// way (its task aborted) makes room too.
struct Leader {
    group: Arc<Group>,
    counted: bool,
}

impl Drop for Leader {
    fn drop(&mut self) {
        if self.counted {
            let mut s = self.group.state.lock().unwrap_or_else(|e| e.into_inner());
            s.leaders = s.leaders.saturating_sub(1);
        }
    }
}

impl Leader {
    async fn run(mut self, pool: Pool) {
        loop {
            let batch = {
                let mut s = self.group.state.lock().unwrap_or_else(|e| e.into_inner());
                let batch = take_batch(&mut s.waiting);
                if batch.is_empty() {
                    s.leaders = s.leaders.saturating_sub(1);
                    self.counted = false;
                    return;
                }
                batch
            };
            apply(&pool, batch).await;
        }
    }
}

/// The next batch: waiting commits in order, skipping (leaving queued) those that share a key with one
/// taken, up to the batch's limits.
fn take_batch(waiting: &mut VecDeque<Pending>) -> Vec<Pending> {
    let mut batch: Vec<Pending> = Vec::new();
    let mut taken: HashSet<u64> = HashSet::new();
    let mut bytes = 0usize;
    let mut i = 0;
    while i < waiting.len() && batch.len() < MAX_COMMITS {
        let p = &waiting[i];
        let fits = batch.is_empty() || bytes + p.bytes <= MAX_BYTES;
        if fits && p.keys.iter().all(|k| !taken.contains(k)) {
            taken.extend(p.keys.iter().copied());
            bytes += p.bytes;
            if let Some(p) = waiting.remove(i) {
                batch.push(p);
            }
        } else {
            i += 1;
        }
    }
    batch
}

/// How a batch's attempt ended.
enum Outcome {
    Applied,
    /// The statement refused: some commit's check failed.
    Refused,
    /// Each commit alone will tell.
    Split,
    Failed(StoreError),
}

/// Applies `batch`, answering every commit in it.
async fn apply(pool: &Pool, mut batch: Vec<Pending>) {
    loop {
        if batch.len() <= 1 {
            for p in batch {
                let result = commit::commit(pool, p.commit).await;
                let _ = p.reply.send(result);
            }
            return;
        }
        match attempt(pool, &batch).await {
            Outcome::Applied => {
                for p in batch {
                    let _ = p.reply.send(Ok(()));
                }
                return;
            }
            Outcome::Failed(e) => {
                for p in batch {
                    let _ = p.reply.send(Err(e.clone()));
                }
                return;
            }
            Outcome::Split => return alone(pool, batch).await,
            Outcome::Refused => match blame(pool, &batch).await {
                Ok(blamed) if blamed.iter().any(Option::is_some) => {
                    let mut kept = Vec::with_capacity(batch.len());
                    for (p, why) in batch.into_iter().zip(blamed) {
                        match why {
                            Some(e) => drop(p.reply.send(Err(e))),
                            None => kept.push(p),
                        }
                    }
                    batch = kept;
                }
                Ok(_) => return alone(pool, batch).await,
                Err(e) => {
                    for p in batch {
                        let _ = p.reply.send(Err(e.clone()));
                    }
                    return;
                }
            },
        }
    }
}

/// Each commit of `batch` on its own, at the same time (one after another off a runtime), as without
/// group commit.
async fn alone(pool: &Pool, batch: Vec<Pending>) {
    if tokio::runtime::Handle::try_current().is_err() {
        for p in batch {
            let result = commit::commit(pool, p.commit).await;
            let _ = p.reply.send(result);
        }
        return;
    }
    let mut set = tokio::task::JoinSet::new();
    for p in batch {
        let pool = pool.clone();
        set.spawn(async move {
            let result = commit::commit(&pool, p.commit).await;
            let _ = p.reply.send(result);
        });
    }
    while set.join_next().await.is_some() {}
}

/// The folded tickets of each commit of `batch` (checked when they joined the queue).
fn folded(batch: &[Pending]) -> Vec<Vec<(u64, &Ticket)>> {
    batch.iter().map(|p| fold(&p.commit.tickets).unwrap_or_default()).collect()
}

/// One try at the whole batch: its statement, its counters' additions, and its events last, in one
/// transaction.
async fn attempt(pool: &Pool, batch: &[Pending]) -> Outcome {
    let client = match pool.get().await {
        Ok(c) => c,
        Err(e) => return Outcome::Failed(pool_err(e)),
    };
    let tickets = folded(batch);
    let parts: Vec<(&[(u64, &Ticket)], &Commit)> =
        tickets.iter().zip(batch).map(|(t, p)| (t.as_slice(), &p.commit)).collect();
    let columns = Columns::of_batch(&parts);
    let stmt = match client.prepare_typed_cached(statement(columns.shape()), &PARAM_TYPES).await {
        Ok(s) => s,
        Err(e) => return Outcome::Failed(db(e)),
    };
    let params = columns.params();
    let has_events = batch.iter().any(|p| !p.commit.events.is_empty());
    let counters = CounterAdds::of(batch.iter().map(|p| &p.commit));
    let result = if has_events || !counters.is_empty() {
        let (append, add) = match (Appended::prepare(&client).await, CounterAdds::prepare(&client).await) {
            (Ok(a), Ok(c)) => (a, c),
            (Err(e), _) | (_, Err(e)) => return Outcome::Failed(e),
        };
        let events = Appended::of(batch.iter().flat_map(|p| &p.commit.events));
        let event_params = events.params();
        let counter_params = counters.params();
        let mut requests: Vec<Request<'_>> =
            vec![pipeline::simple(&client, "BEGIN"), Box::pin(client.execute(&stmt, &params))];
        if !counters.is_empty() {
            requests.push(Box::pin(client.execute(&add, &counter_params)));
        }
        // The events' append comes last (see crate::events).
        if has_events {
            requests.push(Box::pin(client.execute(&append, &event_params)));
        }
        requests.push(pipeline::simple(&client, "COMMIT"));
        pipeline::first_error(pipeline::run(requests).await)
    } else {
        client.execute(&stmt, &params).await.map(drop)
    };
    let Err(e) = result else { return Outcome::Applied };
    let code = e.code();
    if e.as_db_error().is_some_and(|d| d.code().code() == REFUSED) {
        Outcome::Refused
    } else if code == Some(&SqlState::UNIQUE_VIOLATION)
        || code == Some(&SqlState::T_R_DEADLOCK_DETECTED)
        || code == Some(&SqlState::T_R_SERIALIZATION_FAILURE)
    {
        Outcome::Split
    } else {
        Outcome::Failed(db(e))
    }
}

/// Why each commit of a refused batch is refused (`None`: not at fault).
async fn blame(pool: &Pool, batch: &[Pending]) -> StoreResult<Vec<Option<StoreError>>> {
    let client = pool.get().await.map_err(pool_err)?;
    let tickets = folded(batch);
    let found = Found::read(
        &client,
        tickets.iter().flatten().map(|(_, t)| *t),
        batch.iter().filter_map(|p| p.commit.idempotency.as_ref().map(|i| i.key.as_str())),
    )
    .await?;
    Ok(tickets
        .iter()
        .zip(batch)
        .map(|(t, p)| found.judge(t, p.commit.idempotency.as_ref().map(|i| i.key.as_str())))
        .collect())
}
