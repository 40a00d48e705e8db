//! Connections per client address: one address (IPv6: its /64) may hold only so many at once, so one
//! client cannot take every connection the server serves.

use crate::client_addr::client_key;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// The open connections of every client address.
#[derive(Debug, Clone)]
pub(super) struct PerClient {
    max: usize,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One counted connection; dropping it gives its place back.
#[derive(Debug)]
pub(super) struct Slot {
    key: IpAddr,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl PerClient {
    /// At most `max` connections per address.
    pub(super) fn new(max: usize) -> Self {
        PerClient { max, open: Arc::default() }
    }

    /// A place for one more connection of `ip`, or `None` when it holds `max` already.
    pub(super) fn admit(&self, ip: IpAddr) -> Option<Slot> {
        let key = client_key(ip);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(key).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(Slot { key, open: self.open.clone() })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.key) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_holds_at_most_max_and_gets_places_back() {
        let limit = PerClient::new(2);
        let a = IpAddr::from([192, 0, 2, 1]);
        let (s1, s2) = (limit.admit(a), limit.admit(a));
        assert!(s1.is_some() && s2.is_some());
        assert!(limit.admit(a).is_none(), "the third is refused");
        assert!(limit.admit(IpAddr::from([192, 0, 2, 2])).is_some(), "other addresses are apart");
        drop(s1);
        assert!(limit.admit(a).is_some(), "a closed connection gives its place back");
        drop(s2);
        assert_eq!(limit.open.lock().map(|m| m.len()).unwrap_or(9), 0, "empty entries are removed");
    }
}
