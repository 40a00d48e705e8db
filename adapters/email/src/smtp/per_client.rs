//! Sessions per client: one address (or one IPv6 /64, which anyone with IPv6 holds whole) may hold
//! only so many of the listener's sessions, so that it can never take them all.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Who a connection counts against: an IPv4 address (also when written IPv4-mapped in IPv6), or the
/// first 64 bits of an IPv6 address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum ClientKey {
    V4(u32),
    V6Net(u64),
}

impl ClientKey {
    pub(super) fn of(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => ClientKey::V4(u32::from(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey::V4(u32::from(v4)),
                None => ClientKey::V6Net((u128::from(v6) >> 64) as u64),
            },
        }
    }
}

/// Counts of open sessions per client.
#[derive(Debug)]
pub(super) struct ClientSlots {
    max: usize,
    open: Arc<Mutex<HashMap<ClientKey, usize>>>,
}

/// One session's place in its client's count, given back when dropped.
#[derive(Debug)]
pub(super) struct ClientSlot {
    key: ClientKey,
    open: Arc<Mutex<HashMap<ClientKey, usize>>>,
}

impl ClientSlots {
    /// At most `max` (at least 1) sessions per client.
    pub(super) fn new(max: usize) -> Self {
        ClientSlots { max: max.max(1), open: Arc::default() }
    }

    /// A place for one more session of `ip`'s client; `None` when it holds its share already.
    pub(super) fn try_acquire(&self, ip: IpAddr) -> Option<ClientSlot> {
        let key = ClientKey::of(ip);
        // The map is only ever changed under the lock by whole operations: a panic elsewhere cannot
        // leave it half-written, so a poisoned lock is still good to use.
        let mut open = self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = open.entry(key).or_insert(0);
        if *count >= self.max {
            return None;
        }
        *count += 1;
        Some(ClientSlot { key, open: self.open.clone() })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                // Gone clients leave no entry behind: the map stays as small as the open sessions.
                open.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn each_client_gets_its_share_and_gives_it_back() {
        let slots = ClientSlots::new(2);
        let a = [slots.try_acquire(ip("127.0.0.1")), slots.try_acquire(ip("127.0.0.1"))];
        assert!(a.iter().all(Option::is_some));
        assert!(slots.try_acquire(ip("127.0.0.1")).is_none(), "third from the same address");
        assert!(slots.try_acquire(ip("::ffff:127.0.0.1")).is_none(), "the same address written in IPv6");
        assert!(slots.try_acquire(ip("127.0.0.2")).is_some(), "another address");
        drop(a);
        assert!(slots.try_acquire(ip("127.0.0.1")).is_some(), "given back");
        let open = slots.open.lock().map(|m| m.len()).unwrap_or(usize::MAX);
        assert_eq!(open, 0, "no entries left for gone clients");
    }

    #[test]
    fn an_ipv6_client_is_its_64_network() {
        assert_eq!(ClientKey::of(ip("2001:db8:1:2::1")), ClientKey::of(ip("2001:db8:1:2:ffff::9")));
        assert_ne!(ClientKey::of(ip("2001:db8:1:2::1")), ClientKey::of(ip("2001:db8:1:3::1")));
    }
}
