//! The SSRF guard at connect time: a name resolver for the HTTP client that drops the private,
//! loopback and link-local addresses a name resolves to ([`chamado::webhooks::is_private_address`]).
//! The client connects only to the addresses it hands back, so a name that resolves to a public address
//! when the subscription is saved and to an internal one later (DNS rebinding) still cannot reach the
//! inside of the network.

use chamado::webhooks::is_private_address;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

/// The addresses of a host name.
pub type LookupFuture = Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>;

/// Where names are looked up: the system's resolver ([`SystemLookup`]), or a fixed table in tests.
pub trait Lookup: Send + Sync {
    /// Every address `host` resolves to.
    fn lookup(&self, host: &str) -> LookupFuture;
}

/// The operating system's resolver (`getaddrinfo`, on a blocking thread).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemLookup;

impl Lookup for SystemLookup {
    fn lookup(&self, host: &str) -> LookupFuture {
        let host = host.to_string();
        Box::pin(async move {
            let found = tokio::net::lookup_host((host.as_str(), 0)).await?;
            Ok(found.map(|a| a.ip()).collect())
        })
    }
}

/// Every address a name resolved to was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{host} resolves only to private, loopback or link-local addresses ({addresses}); refused")]
pub struct PrivateTarget {
    /// The name.
    pub host: String,
    /// What it resolved to.
    pub addresses: String,
}

/// A resolver that keeps only the addresses a webhook may reach.
#[derive(Clone)]
pub struct GuardedResolver {
    lookup: Arc<dyn Lookup>,
    allow_private: bool,
}

impl std::fmt::Debug for GuardedResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GuardedResolver").field("allow_private", &self.allow_private).finish_non_exhaustive()
    }
}

impl GuardedResolver {
    /// Resolves with `lookup`; `allow_private` (the `webhooks.allow_private_targets` setting) keeps
    /// every address.
    pub fn new(lookup: Arc<dyn Lookup>, allow_private: bool) -> Self {
        GuardedResolver { lookup, allow_private }
    }

    /// The addresses of `host` a webhook may connect to, or why there are none.
    pub async fn allowed(&self, host: &str) -> Result<Vec<IpAddr>, Box<dyn std::error::Error + Send + Sync>> {
        let found = self.lookup.lookup(host).await?;
        if self.allow_private {
            return Ok(found);
        }
        let (kept, refused): (Vec<IpAddr>, Vec<IpAddr>) = found.into_iter().partition(|ip| !is_private_address(*ip));
        if kept.is_empty() && !refused.is_empty() {
            let addresses = refused.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
            return Err(Box::new(PrivateTarget { host: host.to_string(), addresses }));
        }
        Ok(kept)
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let this = self.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let kept = this.allowed(&host).await?;
            // Port 0: the client puts the URL's port (or the scheme's) in.
            let addrs: Addrs = Box::new(kept.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Table(Vec<IpAddr>);

    impl Lookup for Table {
        fn lookup(&self, _host: &str) -> LookupFuture {
            let found = self.0.clone();
            Box::pin(async move { Ok(found) })
        }
    }

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[tokio::test]
    async fn private_addresses_are_dropped_unless_allowed() {
        let mixed = Arc::new(Table(ips(&["10.0.0.5", "93.184.216.34", "::1"])));
        let guarded = GuardedResolver::new(mixed.clone(), false);
        assert_eq!(guarded.allowed("hooks.example.com").await.unwrap(), ips(&["93.184.216.34"]));
        let open = GuardedResolver::new(mixed, true);
        assert_eq!(open.allowed("hooks.example.com").await.unwrap().len(), 3);

        let inside = GuardedResolver::new(Arc::new(Table(ips(&["127.0.0.1", "169.254.169.254"]))), false);
        let e = inside.allowed("rebind.example.com").await.unwrap_err();
        let refused = e.downcast_ref::<PrivateTarget>().unwrap();
        assert_eq!(refused.host, "rebind.example.com");
        assert_eq!(refused.addresses, "127.0.0.1, 169.254.169.254");
    }
}
