//! Group commit: one thread owns every redb write transaction. Callers queue operations; the writer
//! drains whatever is queued into one transaction, runs each operation (a rejected one fails alone),
//! commits once, and only then answers every caller.

use crate::error::{Error, Result};
use crate::ops::{Op, OpError, Reply, execute};
use crate::options::RedbOptions;
use crate::space::SpaceGuard;
use crate::tables::WriteTables;
use chamado::StoreError;
use redb::{Database, Durability};
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
    reply: oneshot::Sender<Answer>,
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
}

impl Counters {
    pub(crate) fn snapshot(&self) -> WriterStats {
        WriterStats {
            transactions: self.transactions.load(Ordering::Relaxed),
            operations: self.operations.load(Ordering::Relaxed),
            largest_batch: self.largest_batch.load(Ordering::Relaxed),
            apply_time: Duration::from_nanos(self.apply_nanos.load(Ordering::Relaxed)),
            commit_time: Duration::from_nanos(self.commit_nanos.load(Ordering::Relaxed)),
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
        rx.await.map_err(|_| StoreError::from(Error::Closed))?
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

fn run(db: &Database, rx: &Receiver<Msg>, options: &RedbOptions, counters: &Counters, space: &mut SpaceGuard) {
    let mut batch: Vec<Request> = Vec::with_capacity(options.max_batch);
    // Non-durable mode only: a durable commit is owed for batches committed without fsync.
    let mut unsynced = false;
    let mut last_sync = Instant::now();
    loop {
        let first = if unsynced {
            match rx.recv_timeout(options.flush_interval) {
                Ok(m) => Ok(m),
                Err(RecvTimeoutError::Timeout) => {
                    unsynced = space.check().is_err() || sync(db, options, counters).is_err();
                    last_sync = Instant::now();
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => Err(()),
            }
        } else {
            rx.recv().map_err(|_| ())
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
                let _ = req.reply.send(Err(answer.clone()));
            }
        }
        if !batch.is_empty() {
            let durable = !options.durable && batch.iter().any(|r| matches!(r.op, Op::Sync));
            counters.operations.fetch_add(batch.len() as u64, Ordering::Relaxed);
            counters.largest_batch.fetch_max(batch.len() as u64, Ordering::Relaxed);
            if process(db, &mut batch, options, durable, counters) {
                counters.transactions.fetch_add(1, Ordering::Relaxed);
            }
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

fn sync(db: &Database, options: &RedbOptions, counters: &Counters) -> Result<()> {
    let mut batch = Vec::new();
    let (reply, _rx) = oneshot::channel();
    batch.push(Request { op: Op::Sync, reply });
    run_batch(db, &batch, options, true, counters).map(|_| ())
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
) -> bool {
    let mut ok = false;
    let answers = match run_batch(db, batch, options, force_durable, counters) {
        Ok(answers) => {
            ok = true;
            answers
        }
        Err(_) if batch.len() > 1 => batch
            .iter()
            .map(|r| match run_batch(db, std::slice::from_ref(r), options, force_durable, counters) {
                Ok(mut a) => a.pop().unwrap_or_else(|| Err(Error::Closed.into())),
                Err(e) => Err(e.into()),
            })
            .collect(),
        Err(e) => vec![Err(e.into())],
    };
    for (req, answer) in batch.drain(..).zip(answers) {
        let _ = req.reply.send(answer);
    }
    ok
}

/// One write transaction for the whole batch; commits unless every operation was rejected.
fn run_batch(
    db: &Database,
    batch: &[Request],
    options: &RedbOptions,
    force_durable: bool,
    counters: &Counters,
) -> Result<Vec<Answer>> {
    let started = Instant::now();
    let mut txn = db.begin_write()?;
    let durable = options.durable || force_durable;
    txn.set_durability(if durable { Durability::Immediate } else { Durability::None })?;
    txn.set_quick_repair(options.quick_repair);
    let mut answers = Vec::with_capacity(batch.len());
    let mut changed = false;
    {
        let mut tables = WriteTables::open(&txn)?;
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
    }
    let applied = Instant::now();
    counters.apply_nanos.fetch_add(nanos(applied - started), Ordering::Relaxed);
    if changed {
        txn.commit()?;
    } else {
        txn.abort()?;
    }
    counters.commit_nanos.fetch_add(nanos(applied.elapsed()), Ordering::Relaxed);
    Ok(answers)
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// In non-durable mode, the longest the writer lets commits stay non-durable.
pub(crate) const DEFAULT_FLUSH_INTERVAL: Duration = Duration::from_millis(200);
