//! Slowing down login attempts, in a way parallel requests cannot race: an attempt takes its time slot
//! (and is counted) before its password is checked, so thirty guesses sent at once are spread out or
//! refused like thirty sent one after the other. See [`ThrottleConfig`] for the schedule.

use crate::config::ThrottleConfig;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most keys tracked at once; beyond it, keys past their window are forgotten (then all).
const MAX_KEYS: usize = 10_000;

/// Whose attempts are counted together.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThrottleKey {
    /// One login of one kind of user (`agent` or `customer`), compared case-insensitively.
    Login(&'static str, String),
    /// One client address (IPv6: its /64, see [`crate::client_addr`]).
    Client(IpAddr),
}

/// The attempts of one key within the window.
#[derive(Debug, Clone, Copy)]
struct Count {
    attempts: u32,
    /// When the next attempt beyond the free ones may run.
    next_slot: Instant,
    /// The slot of the latest attempt; the count is forgotten a window after it.
    last: Instant,
}

/// An attempt refused without being checked: the client may try again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyAttempts {
    /// Until a new attempt would be held back no longer than the longest delay.
    pub retry_after: Duration,
}

/// An admitted attempt: wait until its slot, check the password, then report a success with
/// [`Throttle::succeeded`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admitted {
    /// When the password may be checked (now, or later when throttled).
    pub at: Instant,
}

impl Admitted {
    /// Sleeps until the attempt's slot.
    pub async fn wait(self) {
        tokio::time::sleep_until(self.at.into()).await;
    }
}

/// Counts login attempts per [`ThrottleKey`] and hands out their time slots.
#[derive(Debug)]
pub struct Throttle {
    config: ThrottleConfig,
    counts: Mutex<HashMap<ThrottleKey, Count>>,
}

impl Throttle {
    /// A throttle with these settings.
    pub fn new(config: ThrottleConfig) -> Self {
        Throttle { config, counts: Mutex::new(HashMap::new()) }
    }

    fn free(&self, key: &ThrottleKey) -> u32 {
        match key {
            ThrottleKey::Login(..) => self.config.free_attempts,
            ThrottleKey::Client(_) => self.config.client_free_attempts,
        }
    }

    /// The gap after the `n`th attempt beyond the free ones (0: the last free one).
    fn gap(&self, n: u32) -> Duration {
        self.config.base_delay.saturating_mul(1u32 << n.min(16)).min(self.config.max_delay)
    }

    /// Records an attempt for every key and gives its slot, the latest any key asks for; or refuses it
    /// (recording nothing) when that slot is more than the longest delay away.
    pub fn attempt(&self, keys: &[ThrottleKey]) -> Result<Admitted, TooManyAttempts> {
        self.attempt_at(keys, Instant::now())
    }

    fn attempt_at(&self, keys: &[ThrottleKey], now: Instant) -> Result<Admitted, TooManyAttempts> {
        let mut map = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        self.make_room(&mut map, now);
        let window = self.config.window;
        let live = |c: &Count| now.saturating_duration_since(c.last) < window;
        let mut slot = now;
        for key in keys {
            if let Some(c) = map.get(key).filter(|c| live(c) && c.attempts >= self.free(key)) {
                slot = slot.max(c.next_slot);
            }
        }
        let wait = slot.saturating_duration_since(now);
        if wait > self.config.max_delay {
            return Err(TooManyAttempts { retry_after: wait - self.config.max_delay });
        }
        for key in keys {
            let free = self.free(key);
            let c = map.entry(key.clone()).or_insert(Count { attempts: 0, next_slot: now, last: now });
            if !live(c) {
                *c = Count { attempts: 0, next_slot: now, last: now };
            }
            c.attempts = c.attempts.saturating_add(1);
            c.last = c.last.max(slot);
            if c.attempts >= free {
                c.next_slot = c.next_slot.max(slot) + self.gap(c.attempts - free);
            }
        }
        Ok(Admitted { at: slot })
    }

    /// An admitted attempt succeeded: the login's count is forgotten; a client's loses this attempt
    /// only, so signing in to one's own account does not clear a client's guesses at others.
    pub fn succeeded(&self, keys: &[ThrottleKey]) {
        let mut map = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        for key in keys {
            match key {
                ThrottleKey::Login(..) => {
                    map.remove(key);
                }
                ThrottleKey::Client(_) => {
                    if let Some(c) = map.get_mut(key) {
                        c.attempts = c.attempts.saturating_sub(1);
                    }
                }
            }
        }
    }

    fn make_room(&self, map: &mut HashMap<ThrottleKey, Count>, now: Instant) {
        if map.len() < MAX_KEYS {
            return;
        }
        let window = self.config.window;
        map.retain(|_, c| now.saturating_duration_since(c.last) < window);
        if map.len() >= MAX_KEYS {
            map.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> Throttle {
        Throttle::new(ThrottleConfig {
            free_attempts: 2,
            client_free_attempts: 4,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
            window: Duration::from_secs(60),
        })
    }

    fn login(name: &str) -> ThrottleKey {
        ThrottleKey::Login("customer", name.into())
    }

    fn ms(t0: Instant, r: Result<Admitted, TooManyAttempts>) -> Result<u128, Duration> {
        r.map(|a| a.at.duration_since(t0).as_millis()).map_err(|e| e.retry_after)
    }

    #[test]
    fn attempts_at_once_get_growing_slots_then_refusals() {
        let t = throttle();
        let t0 = Instant::now();
        let a = [login("a")];
        let slots: Vec<_> = (0..6).map(|_| ms(t0, t.attempt_at(&a, t0))).collect();
        // Two free, then gaps of 100 and 200; the next gap (400) is capped at 350: its slot, 650, is
        // more than 350 away, so it is refused until 300 ms from now.
        assert_eq!(slots[..4], [Ok(0), Ok(0), Ok(100), Ok(300)]);
        assert_eq!(slots[4], Err(Duration::from_millis(300)));
        assert!(slots[5].is_err(), "refusals record nothing and stay refused");
        assert_eq!(ms(t0, t.attempt_at(&[login("b")], t0)), Ok(0), "other logins are apart");
        // Later, the slot is near enough again.
        let later = t0 + Duration::from_millis(400);
        assert_eq!(ms(t0, t.attempt_at(&a, later)), Ok(650));
        t.succeeded(&a);
        assert_eq!(ms(t0, t.attempt_at(&a, later)), Ok(400), "a success forgets the login");
    }

    #[test]
    fn a_client_is_counted_over_all_logins_and_keeps_its_count_on_success() {
        let t = throttle();
        let t0 = Instant::now();
        let client = ThrottleKey::Client(IpAddr::from([192, 0, 2, 1]));
        for i in 0..4 {
            let keys = [login(&format!("u{i}")), client.clone()];
            assert_eq!(ms(t0, t.attempt_at(&keys, t0)), Ok(0));
        }
        let keys = [login("u9"), client.clone()];
        assert_eq!(ms(t0, t.attempt_at(&keys, t0)), Ok(100), "the client's fifth attempt waits");
        t.succeeded(&keys);
        assert_eq!(ms(t0, t.attempt_at(&keys, t0)), Ok(100 + 200), "a success takes off only its own attempt");
        let window = t0 + Duration::from_secs(61);
        assert_eq!(ms(window, t.attempt_at(&keys, window)), Ok(0), "forgotten after the window");
    }
}
