//! The threads that run Argon2. Each hash or check needs ~19 MiB of working memory; run on tokio's
//! blocking pool (up to 512 threads), every thread's allocator arena kept its own copy and a server
//! grew by gigabytes after a few hundred logins. A fixed set of threads bounds both that memory and the
//! CPU that password checks can take from request handling.

use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// At most this many password hashes run at once.
const THREADS: usize = 2;

fn sender() -> Option<&'static Mutex<mpsc::Sender<Job>>> {
    static POOL: OnceLock<Option<Mutex<mpsc::Sender<Job>>>> = OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = std::sync::Arc::new(Mutex::new(rx));
        for i in 0..THREADS {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new().name(format!("chamado-argon2-{i}")).spawn(move || {
                loop {
                    let job = match rx.lock().unwrap_or_else(|e| e.into_inner()).recv() {
                        Ok(job) => job,
                        Err(_) => return,
                    };
                    job();
                }
            });
            if spawned.is_err() {
                return None;
            }
        }
        Some(Mutex::new(tx))
    })
    .as_ref()
}

/// Runs `f` on the hashing threads and waits for its result; `None` when the threads are gone.
pub async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (tx, rx) = oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(f());
    });
    match sender() {
        Some(s) => s.lock().unwrap_or_else(|e| e.into_inner()).send(job).ok()?,
        // Threads could not be started: fall back to the blocking pool rather than refusing logins.
        None => {
            tokio::task::spawn_blocking(job);
        }
    }
    rx.await.ok()
}
