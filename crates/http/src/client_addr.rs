//! The client address of a request, as the server saw the connection ([`crate::server`] puts axum's
//! `ConnectInfo<SocketAddr>` on every request). Limits count per client with IPv6 addresses cut to their
//! /64, which one host usually holds whole.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

/// The client of a request, counted as [`client_key`] says; `None` when the router is driven without a
/// connection (tests, an embedder's own server without connect info).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        let addr = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| client_key(c.0.ip()));
        Ok(ClientAddr(addr))
    }
}

/// The address limits count by: IPv4 as is (also when mapped into IPv6), IPv6 cut to its /64.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(v6.to_bits() & !u128::from(u64::MAX))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_counts_by_its_64_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap_or_else(|e| unreachable!("{e}"));
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap_or_else(|e| unreachable!("{e}"));
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(client_key(mapped), IpAddr::from([192, 0, 2, 7]));
    }
}
