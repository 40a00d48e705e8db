//! Group commit: one thread owns every redb write transaction. Callers queue operations; the writer
//! drains whatever is queued into one transaction, runs each operation (a rejected one fails alone),
//! commits once, and only then answers every caller. Between batches it folds the commits' pending
//! search words into the word index ([`crate::search_index`]): when no write has come for a moment,
//! or right after a batch once many tickets wait.

use crate::error::{Error, Result};
use crate::ops::{Op, OpError, Reply, execute};
use crate::options::RedbOptions;
use crate::space::SpaceGuard;
use crate::tables::WriteTables;
use chamado::StoreError;
use redb::{Database, Durability, ReadableTableMetadata};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// The answer a caller gets.
pub(crate) type Answer = std::result::Result<Reply, StoreError>;

/// A queued operation and where to send its answer.
pub(crate) struct Request {
    op: Op,
    /// The answer goes back with the operation itself, so that the caller's task, not the writer
    /// thread, frees what it holds (a commit's texts and files: measured 4% of the writer's time).
    reply: oneshot::Sender<(Answer, Op)>,
}

enum Msg {
    Request(Request),
    Shutdown,
}

/// Counters of the writer's work, for tests and monitoring.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub transactions: AtomicU64,
    pub operations: AtomicU64,
    pub largest_batch: AtomicU64,
    pub apply_nanos: AtomicU64,
    pub commit_nanos: AtomicU64,
    pub index_transactions: AtomicU64,
    pub index_nanos: AtomicU64,
    /// The last event `seq` known durable: readers hand out no event past it, since a crash could lose it
    /// and give its `seq` to another event (non-durable mode; in durable mode it follows every commit).
    pub durable_event_seq: AtomicU64,
}

/// A snapshot of the writer's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriterStats {
    /// Write transactions committed.
    pub transactions: u64,
    /// Operations answered (committed or rejected).
    pub operations: u64,
    /// The most operations in one batch so far.
    pub largest_batch: u64,
    /// Time spent running operations inside write transactions (validation, B-tree updates).
    pub apply_time: Duration,
    /// Time spent committing (writing pages, fsync).
    pub commit_time: Duration,
    /// Transactions that folded pending search words into the word index.
    pub index_transactions: u64,
    /// Time spent in them.
    pub index_time: Duration,
}

impl Counters {
    pub(crate) fn snapshot(&self) -> WriterStats {
        WriterStats {
            transactions: self.transactions.load(Ordering::Relaxed),
            operations: self.operations.load(Ordering::Relaxed),
            largest_batch: self.largest_batch.load(Ordering::Relaxed),
            apply_time: Duration::from_nanos(self.apply_nanos.load(Ordering::Relaxed)),
            commit_time: Duration::from_nanos(self.commit_nanos.load(Ordering::Relaxed)),
            index_transactions: self.index_transactions.load(Ordering::Relaxed),
            index_time: Duration::from_nanos(self.index_nanos.load(Ordering::Relaxed)),
        }
    }
}

/// The handle to the writer thread.
pub(crate) struct Writer {
    tx: Sender<Msg>,
    pub(crate) counters: Arc<Counters>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Writer {
    /// Starts the writer thread for the database in file `path`.
    pub(crate) fn start(db: Arc<Database>, path: &Path, options: RedbOptions) -> Result<Self> {
        let (tx, rx) = channel();
        let counters = Arc::new(Counters::default());
        let c = Arc::clone(&counters);
        let mut space = SpaceGuard::new(path.to_path_buf(), options.min_free_space);
        let thread = std::thread::Builder::new()
            .name("chamado-redb-writer".into())
            .spawn(move || run(&db, &rx, &options, &c, &mut space))?;
        Ok(Writer { tx, counters, thread: Mutex::new(Some(thread)) })
    }

    /// Queues an operation; the answer arrives after its batch is durable.
    pub(crate) async fn submit(&self, op: Op) -> Answer {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Msg::Request(Request { op, reply })).map_err(|_| StoreError::from(Error::Closed))?;
        let (answer, op) = rx.await.map_err(|_| StoreError::from(Error::Closed))?;
        drop(op);
        answer
    }

    /// Stops the writer after the operations already queued, and waits for it.
    pub(crate) fn stop(&self) {
        let _ = self.tx.send(Msg::Shutdown);
        let thread = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(t) = thread {
            let _ = t.join();
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// How long the writer waits without a write before it indexes pending search words.
const INDEX_WHEN_IDLE_FOR: Duration = Duration::from_millis(20);
/// Tickets indexed per transaction when idle: small, so a write that arrives waits little.
const INDEX_CHUNK_IDLE: usize = 256;
/// Pending tickets after a batch that make the writer index before the next batch (a search reads
/// every pending row, so they must not pile up under a steady load).
const INDEX_BACKLOG: u64 = 4_096;
/// Tickets indexed per transaction under a backlog: many, so tickets that share words share pages.
const INDEX_CHUNK_BACKLOG: usize = 4_096;

fn run(db: &Database, rx: &Receiver<Msg>, options: &RedbOptions, counters: &Counters, space: &mut SpaceGuard) {
    let mut batch: Vec<Request> = Vec::with_capacity(options.max_batch);
    // Non-durable mode only: a durable commit is owed for batches committed without fsync.
    let mut unsynced = false;
    let mut last_sync = Instant::now();
    // Search words may wait to be indexed (unknown at start: a crash or an import may have left some).
    let mut index_due = true;
    loop {
        let wait = match (unsynced, index_due) {
            (false, false) => None,
            (true, false) => Some(options.flush_interval),
            (_, true) => Some(INDEX_WHEN_IDLE_FOR.min(options.flush_interval)),
        };
        let first = match wait {
            None => rx.recv().map_err(|_| ()),
            Some(wait) => match rx.recv_timeout(wait) {
                Ok(m) => Ok(m),
                Err(RecvTimeoutError::Timeout) => {
                    if index_due {
                        // A failure (a full disk) waits for the next batch before it is tried again.
                        index_due = index(db, options, counters, space, INDEX_CHUNK_IDLE).is_ok_and(|left| left > 0);
                    }
                    if unsynced {
                        unsynced = space.check().is_err() || sync(db, options, counters).is_err();
                        last_sync = Instant::now();
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => Err(()),
            },
        };
        let mut stop = false;
        match first {
            Ok(Msg::Request(r)) => batch.push(r),
            Ok(Msg::Shutdown) | Err(()) => stop = true,
        }
        while !stop && batch.len() < options.max_batch {
            match rx.try_recv() {
                Ok(Msg::Request(r)) => batch.push(r),
                Ok(Msg::Shutdown) | Err(TryRecvError::Disconnected) => stop = true,
                Err(TryRecvError::Empty) => break,
            }
        }
        if !batch.is_empty()
            && let Err(full) = space.check()
        {
            let answer = StoreError::from(full);
            for req in batch.drain(..) {
                let _ = req.reply.send((Err(answer.clone()), req.op));
            }
        }
        if !batch.is_empty() {
            let durable = !options.durable && batch.iter().any(|r| matches!(r.op, Op::Sync));
            counters.operations.fetch_add(batch.len() as u64, Ordering::Relaxed);
            counters.largest_batch.fetch_max(batch.len() as u64, Ordering::Relaxed);
            let mut pending_words = 0;
            process(db, &mut batch, options, durable, counters, &mut pending_words);
            if pending_words >= INDEX_BACKLOG {
                pending_words = index(db, options, counters, space, INDEX_CHUNK_BACKLOG).unwrap_or(pending_words);
            }
            index_due = pending_words > 0;
            if options.durable || durable {
                unsynced = false;
                last_sync = Instant::now();
            } else {
                unsynced = true;
                if last_sync.elapsed() >= options.flush_interval {
                    unsynced = sync(db, options, counters).is_err();
                    last_sync = Instant::now();
                }
            }
        }
        if stop {
            break;
        }
    }
    if unsynced {
        let _ = sync(db, options, counters);
    }
}

/// One transaction folding the pending search words of up to `max` tickets into the word index.
/// Returns how many tickets still wait.
fn index(db: &Database, options: &RedbOptions, counters: &Counters, space: &mut SpaceGuard, max: usize) -> Result<u64> {
    space.check()?;
    let started = Instant::now();
    let mut txn = db.begin_write()?;
    txn.set_durability(if options.durable { Durability::Immediate } else { Durability::None })?;
    txn.set_quick_repair(options.quick_repair);
    let left = WriteTables::open(&txn)?.index_pending(max)?;
    txn.commit()?;
    counters.index_transactions.fetch_add(1, Ordering::Relaxed);
    counters.index_nanos.fetch_add(nanos(started.elapsed()), Ordering::Relaxed);
    Ok(left)
}

fn sync(db: &Database, options: &RedbOptions, counters: &Counters) -> Result<()> {
    let mut batch = Vec::new();
    let (reply, _rx) = oneshot::channel();
    batch.push(Request { op: Op::Sync, reply });
    run_batch(db, &batch, options, true, counters, &mut 0).map(|_| ())
}

/// Runs a batch and answers its callers. If the batch's transaction fails as a whole (I/O error, a
/// corrupt row met half-way), every operation is retried in its own transaction so that each caller
/// gets its own answer.
fn process(
    db: &Database,
    batch: &mut Vec<Request>,
    options: &RedbOptions,
    force_durable: bool,
    counters: &Counters,
    pending_words: &mut u64,
) {
    let answers = match run_batch(db, batch, options, force_durable, counters, pending_words) {
        Ok(answers) => answers,
        Err(_) if batch.len() > 1 => batch
            .iter()
            .map(|r| match run_batch(db, std::slice::from_ref(r), options, force_durable, counters, pending_words) {
                Ok(mut a) => a.pop().unwrap_or_else(|| Err(Error::Closed.into())),
                Err(e) => Err(e.into()),
            })
            .collect(),
        Err(e) => vec![Err(e.into())],
    };
    for (req, answer) in batch.drain(..).zip(answers) {
        let _ = req.reply.send((answer, req.op));
    }
}

/// One write transaction for the whole batch; commits unless every operation was rejected. Sets
/// `pending_words` to the tickets whose search words wait to be indexed.
fn run_batch(
    db: &Database,
    batch: &[Request],
    options: &RedbOptions,
    force_durable: bool,
    counters: &Counters,
    pending_words: &mut u64,
) -> Result<Vec<Answer>> {
    let started = Instant::now();
    let mut txn = db.begin_write()?;
    let durable = options.durable || force_durable;
    txn.set_durability(if durable { Durability::Immediate } else { Durability::None })?;
    txn.set_quick_repair(options.quick_repair);
    let mut answers = Vec::with_capacity(batch.len());
    let mut changed = false;
    let mut event_seq = None;
    {
        let mut tables = WriteTables::open(&txn)?;
        tables.search = options.full_text_search == Some(true);
        for r in batch {
            match execute(&mut tables, &r.op) {
                Ok(reply) => {
                    changed = true;
                    answers.push(Ok(reply));
                }
                Err(OpError::Rejected(e)) => answers.push(Err(e)),
                Err(OpError::Failed(e)) => return Err(e),
            }
        }
        tables.flush_batch()?;
        *pending_words = tables.search_pending.len()?;
        if durable {
            event_seq = Some(tables.event_seq()?);
        }
    }
    let applied = Instant::now();
    counters.apply_nanos.fetch_add(nanos(applied - started), Ordering::Relaxed);
    if changed {
        txn.commit()?;
        // Counted before anyone is answered, so that a caller reading the counters after its answer
        // sees its own transaction.
        counters.transactions.fetch_add(1, Ordering::Relaxed);
        if let Some(seq) = event_seq {
            // A durable commit makes every earlier one durable too.
            counters.durable_event_seq.fetch_max(seq, Ordering::SeqCst);
        }
    } else {
        txn.abort()?;
    }
    counters.commit_nanos.fetch_add(nanos(applied.elapsed()), Ordering::Relaxed);
    Ok(answers)
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}
