//! Waiting for something to happen, with a deadline instead of a fixed sleep.

use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

/// How long anything may take on a loaded machine. Generous on purpose: a passing run never waits it
/// out, a failing one only reports later.
pub const PATIENCE: Duration = Duration::from_secs(120);

/// Between two looks.
const INTERVAL: Duration = Duration::from_millis(100);

/// Calls `look` until it gives `Some`, failing with `what` after [`PATIENCE`].
pub async fn eventually<T, F, Fut>(what: &str, mut look: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(found) = look().await {
            return found;
        }
        assert!(Instant::now() < deadline, "timed out after {PATIENCE:?} waiting for {what}");
        tokio::time::sleep(INTERVAL).await;
    }
}
