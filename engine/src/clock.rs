//! The host's clock. The engine asks it for "now" and never reads system time on its own.

use crate::time::Timestamp;
use std::sync::atomic::{AtomicI64, Ordering};

/// Where the engine gets the current time from.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> Timestamp;
}

/// The operating system's wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        Timestamp(ms)
    }
}

/// A clock that only moves when told to; for tests and simulations.
///
/// ```
/// use chamado::{Clock, FixedClock, Timestamp};
/// let clock = FixedClock::new(Timestamp(1_000));
/// clock.advance(std::time::Duration::from_secs(1));
/// assert_eq!(clock.now(), Timestamp(2_000));
/// ```
#[derive(Debug, Default)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    /// A clock standing at `at`.
    pub fn new(at: Timestamp) -> Self {
        FixedClock(AtomicI64::new(at.0))
    }

    /// Sets the time.
    pub fn set(&self, at: Timestamp) {
        self.0.store(at.0, Ordering::SeqCst);
    }

    /// Moves the time forward.
    pub fn advance(&self, by: std::time::Duration) {
        let now = Timestamp(self.0.load(Ordering::SeqCst)).plus(by);
        self.set(now);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.0.load(Ordering::SeqCst))
    }
}
