//! Recipient address to queue: which queue a new ticket from mail to an address opens in.

use std::collections::HashMap;

/// Maps recipient addresses (or whole domains, written `@example.com`) to queue names. Addresses are
/// compared case-insensitively. Unmapped mail goes to the engine's default queue. Deserializes from
/// its text form (see [`QueueMap::parse`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct QueueMap {
    by_address: HashMap<String, String>,
}

impl QueueMap {
    /// An empty map: everything goes to the engine's default queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `address` (or `@domain`) -> `queue`.
    pub fn with(mut self, address: &str, queue: &str) -> Self {
        self.insert(address, queue);
        self
    }

    /// Adds `address` (or `@domain`) -> `queue`.
    pub fn insert(&mut self, address: &str, queue: &str) {
        self.by_address.insert(address.trim().to_lowercase(), queue.trim().to_string());
    }

    /// Parses `addr=Queue, addr2=Queue2` (the `CHAMADO_MAIL_QUEUES` format); malformed entries are
    /// returned as errors naming them.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut map = QueueMap::new();
        for entry in spec.split([',', ';']).map(str::trim).filter(|e| !e.is_empty()) {
            match entry.split_once('=') {
                Some((a, q)) if !a.trim().is_empty() && !q.trim().is_empty() => map.insert(a, q),
                _ => return Err(format!("queue mapping {entry:?} is not of the form address=Queue")),
            }
        }
        Ok(map)
    }

    /// True when nothing is mapped.
    pub fn is_empty(&self) -> bool {
        self.by_address.is_empty()
    }

    /// The mapped addresses and `@domains`, lowercased: the recipients this system answers for.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.by_address.keys().map(String::as_str)
    }

    /// The queue of the first recipient that is mapped (exact address before domain).
    pub fn queue_for<'a>(&self, recipients: impl IntoIterator<Item = &'a str>) -> Option<String> {
        let recipients: Vec<String> =
            recipients.into_iter().map(|r| r.trim().trim_matches(['<', '>']).to_lowercase()).collect();
        recipients
            .iter()
            .find_map(|r| self.by_address.get(r))
            .or_else(|| {
                recipients
                    .iter()
                    .find_map(|r| r.rsplit_once('@').and_then(|(_, d)| self.by_address.get(&format!("@{d}"))))
            })
            .cloned()
    }
}

impl TryFrom<String> for QueueMap {
    type Error = String;

    fn try_from(spec: String) -> Result<Self, String> {
        QueueMap::parse(&spec)
    }
}

/// The addresses in a shown recipient list (`Name <a@x>, b@y`).
pub(crate) fn addresses(shown: &str) -> Vec<&str> {
    shown
        .split(',')
        .filter_map(|item| {
            let item = item.trim();
            match (item.rfind('<'), item.rfind('>')) {
                (Some(s), Some(e)) if s < e => Some(&item[s + 1..e]),
                _ if item.contains('@') => Some(item),
                _ => None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_address_wins_over_domain() {
        let map = QueueMap::parse("sales@example.com=Sales, @example.com=Misc").unwrap_or_default();
        assert_eq!(map.queue_for(["<SALES@example.com>"]), Some("Sales".into()));
        assert_eq!(map.queue_for(["x@example.com", "sales@example.com"]), Some("Sales".into()));
        assert_eq!(map.queue_for(["x@example.com"]), Some("Misc".into()));
        assert_eq!(map.queue_for(["x@other.org"]), None);
        assert!(QueueMap::parse("nonsense").is_err());
    }

    #[test]
    fn addresses_are_found_in_shown_lists() {
        assert_eq!(addresses("Ann <a@x>, b@y, Group:"), vec!["a@x", "b@y"]);
    }
}
