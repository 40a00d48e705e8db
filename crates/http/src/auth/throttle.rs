//! Slowing down repeated failed logins.

use crate::config::ThrottleConfig;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most keys tracked at once; the oldest are forgotten beyond this.
const MAX_KEYS: usize = 10_000;

/// Counts recent failures per key (a login) and says how long the next attempt must wait.
#[derive(Debug)]
pub struct Throttle {
    config: ThrottleConfig,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Throttle {
    /// A throttle with these settings.
    pub fn new(config: ThrottleConfig) -> Self {
        Throttle { config, failures: Mutex::new(HashMap::new()) }
    }

    /// How long the next attempt for `key` waits before it is checked.
    pub fn delay_for(&self, key: &str) -> Duration {
        let now = Instant::now();
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(key) {
            Some((n, last)) if now.duration_since(*last) < self.config.window && *n >= self.config.free_failures => {
                let extra = (*n - self.config.free_failures).min(16);
                self.config.base_delay.saturating_mul(1u32 << extra).min(self.config.max_delay)
            }
            _ => Duration::ZERO,
        }
    }

    /// Records a failure for `key`.
    pub fn failed(&self, key: &str) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_KEYS {
            let window = self.config.window;
            map.retain(|_, (_, last)| now.duration_since(*last) < window);
            if map.len() >= MAX_KEYS {
                map.clear();
            }
        }
        let e = map.entry(key.to_string()).or_insert((0, now));
        if now.duration_since(e.1) >= self.config.window {
            e.0 = 0;
        }
        e.0 = e.0.saturating_add(1);
        e.1 = now;
    }

    /// Forgets the failures of `key` after a successful login.
    pub fn succeeded(&self, key: &str) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_after_the_free_failures_and_reset_on_success() {
        let t = Throttle::new(ThrottleConfig {
            free_failures: 2,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
            window: Duration::from_secs(60),
        });
        assert_eq!(t.delay_for("a"), Duration::ZERO);
        t.failed("a");
        t.failed("a");
        assert_eq!(t.delay_for("a"), Duration::from_millis(100));
        t.failed("a");
        assert_eq!(t.delay_for("a"), Duration::from_millis(200));
        t.failed("a");
        assert_eq!(t.delay_for("a"), Duration::from_millis(350));
        assert_eq!(t.delay_for("b"), Duration::ZERO);
        t.succeeded("a");
        assert_eq!(t.delay_for("a"), Duration::ZERO);
    }
}
