//! The reader threads: a few dedicated threads that run read transactions for async callers.
//!
//! Reads must not run on the async executor's threads (a read that misses redb's cache waits for the
//! disk), but handing every read to tokio's blocking pool costs a thread wake-up per read: under load
//! the profile of the helpdesk's ticket view was half futex wake-ups and context switches. Here a
//! reader that finishes a read takes the next one from the queue without sleeping, and a sleeping
//! reader is woken only when more reads are queued than readers are awake. Under load the readers stay
//! awake and the queue hands reads over without a system call; when idle, they sleep.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// One read, with its reply channel inside.
pub(crate) type Job = Box<dyn FnOnce() + Send + 'static>;

/// The reader threads of one store. Dropping it lets the threads finish the queued reads and exit.
pub(crate) struct Readers {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<Queue>,
    wake: Condvar,
    threads: usize,
}

struct Queue {
    jobs: VecDeque<Job>,
    sleeping: usize,
    stopping: bool,
}

impl Readers {
    /// Starts `threads` reader threads (at least one).
    pub(crate) fn start(threads: usize) -> std::io::Result<Readers> {
        let threads = threads.max(1);
        let shared = Arc::new(Shared {
            state: Mutex::new(Queue { jobs: VecDeque::new(), sleeping: 0, stopping: false }),
            wake: Condvar::new(),
            threads,
        });
        for i in 0..threads {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new().name(format!("chamado-redb-read-{i}")).spawn(move || work(&shared))?;
        }
        Ok(Readers { shared })
    }

    /// Queues `job`; it runs on a reader thread.
    pub(crate) fn submit(&self, job: Job) {
        let mut queue = lock(&self.shared.state);
        queue.jobs.push_back(job);
        let awake = self.shared.threads - queue.sleeping;
        // An awake reader takes the job when it finishes its current one, without a wake-up. Another
        // is woken once the queue holds as many reads as there are readers awake: the awake ones may
        // all be waiting for the disk, and a read should not queue behind more than one of them.
        if queue.sleeping > 0 && queue.jobs.len() >= awake {
            self.shared.wake.notify_one();
        }
    }
}

impl Drop for Readers {
    fn drop(&mut self) {
        lock(&self.shared.state).stopping = true;
        self.shared.wake.notify_all();
    }
}

fn work(shared: &Shared) {
    loop {
        let job = {
            let mut queue = lock(&shared.state);
            loop {
                if let Some(job) = queue.jobs.pop_front() {
                    break job;
                }
                if queue.stopping {
                    return;
                }
                queue.sleeping += 1;
                queue = shared.wake.wait(queue).unwrap_or_else(|e| e.into_inner());
                queue.sleeping -= 1;
            }
        };
        // A panicking read drops its reply sender, so its caller gets an error; the thread lives on.
        let _ = catch_unwind(AssertUnwindSafe(job));
    }
}

fn lock(state: &Mutex<Queue>) -> MutexGuard<'_, Queue> {
    // The queue holds no invariant a panic could break half-way (jobs run outside the lock).
    state.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn runs_every_job_and_survives_a_panic() {
        let readers = Readers::start(2).unwrap();
        let (tx, rx) = mpsc::channel();
        readers.submit(Box::new(|| panic!("a read that panics")));
        for i in 0..1000 {
            let tx = tx.clone();
            readers.submit(Box::new(move || tx.send(i).unwrap()));
        }
        drop(tx);
        let mut got: Vec<i32> = rx.iter().collect();
        got.sort_unstable();
        assert_eq!(got, (0..1000).collect::<Vec<_>>());
    }

    #[test]
    fn drains_queued_jobs_after_drop() {
        let readers = Readers::start(1).unwrap();
        let (tx, rx) = mpsc::channel();
        for i in 0..100 {
            let tx = tx.clone();
            readers.submit(Box::new(move || tx.send(i).unwrap()));
        }
        drop(readers);
        drop(tx);
        assert_eq!(rx.iter().count(), 100);
    }
}
