//! Shared by the storage benchmarks: the agent queue view's counts over a store loaded with the
//! benchmark's tickets in `Queue0..QueueN`.

use chamado::{Actor, Engine, FollowUpPolicy, Queue, Store};
use std::time::{Duration, Instant};

/// Seeds the directory (the 4 default queues) and `queues` benchmark queues on `store`, then times
/// `rounds` calls of `Engine::queue_overview` as the system (every queue). Returns the engine, the
/// sorted latencies and the tickets the last overview counted.
pub async fn time_queue_overview<S: Store + 'static>(
    store: S,
    queues: u64,
    rounds: usize,
) -> (Engine, Vec<Duration>, u64) {
    let engine = Engine::builder(store).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    let admin = engine.admin(&Actor::System).await.unwrap();
    for q in 0..queues {
        admin.put_queue(Queue::new(format!("Queue{q}"), "users", FollowUpPolicy::Possible)).await.unwrap();
    }
    let mut lat = Vec::with_capacity(rounds);
    let mut counted = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let o = engine.queue_overview(&Actor::System).await.unwrap();
        lat.push(t.elapsed());
        counted = o.total(&chamado::COUNTED_STATE_TYPES);
    }
    lat.sort();
    (engine, lat, counted)
}
