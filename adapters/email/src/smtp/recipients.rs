//! Which `RCPT TO` addresses are ours. Taking mail for anyone would make the listener an open door for
//! forged mail to third parties: every auto-response to such a message is backscatter.

use crate::routing::QueueMap;
use std::collections::HashSet;

/// The addresses and domains the listener takes mail for.
#[derive(Debug, Clone, Default)]
pub(super) struct LocalRecipients {
    addresses: HashSet<String>,
    domains: HashSet<String>,
}

impl LocalRecipients {
    /// The queue map's addresses and `@domains`, and the system addresses (exact).
    pub(super) fn new<'a>(queues: &'a QueueMap, system: impl IntoIterator<Item = &'a str>) -> Self {
        let mut out = LocalRecipients::default();
        for key in queues.keys().chain(system) {
            let key = key.trim().to_lowercase();
            match key.strip_prefix('@') {
                Some(domain) if !domain.is_empty() => {
                    out.domains.insert(domain.to_string());
                }
                Some(_) => {}
                None if !key.is_empty() => {
                    out.addresses.insert(key);
                }
                None => {}
            }
        }
        out
    }

    /// Whether mail to `address` is ours. `postmaster` (bare, RFC 5321 section 4.5.1) and postmaster at
    /// any of our domains always are.
    pub(super) fn accepts(&self, address: &str) -> bool {
        let address = address.trim().trim_matches(['<', '>']).to_lowercase();
        if address == "postmaster" || self.addresses.contains(&address) {
            return true;
        }
        let Some((local, domain)) = address.rsplit_once('@') else { return false };
        self.domains.contains(domain) || (local == "postmaster" && self.is_our_domain(domain))
    }

    fn is_our_domain(&self, domain: &str) -> bool {
        self.domains.contains(domain)
            || self.addresses.iter().any(|a| a.rsplit_once('@').is_some_and(|(_, d)| d == domain))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_addresses_and_domains() {
        let map = QueueMap::parse("Sales@Acme.example=Sales, @help.example=Raw").unwrap_or_default();
        let ours = LocalRecipients::new(&map, ["support@localhost"]);
        for yes in ["sales@acme.example", "<SALES@acme.example>", "x@help.example", "support@localhost", "postmaster"] {
            assert!(ours.accepts(yes), "{yes}");
        }
        assert!(ours.accepts("postmaster@acme.example"), "postmaster at a domain we have an address in");
        for no in ["anyone@gmail.com", "other@acme.example", "x@sub.help.example", "support", "", "@help.example."] {
            assert!(!ours.accepts(no), "{no}");
        }
    }
}
