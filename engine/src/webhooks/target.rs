//! Where a webhook may point: an `http(s)` URL, and (unless an admin allows it) not a private, loopback
//! or link-local address, so that subscriptions cannot be used to reach the inside of the network the
//! helpdesk runs in (server-side request forgery). The transport checks every address a name resolves
//! to with [`is_private_address`] before it connects.

use chamado_i18n::Message;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A parsed webhook URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    /// The URL.
    pub url: url::Url,
    /// The host as written, when it is an address rather than a name.
    pub address: Option<IpAddr>,
}

/// Why a URL cannot be a webhook target.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// Not a URL, not `http`/`https`, no host, or credentials in it.
    #[error("the webhook URL is not an http(s) URL with a host")]
    Malformed,
    /// A private, loopback, link-local or otherwise internal address.
    #[error("the webhook URL points at a private, loopback or link-local address ({0})")]
    Private(String),
}

impl TargetError {
    /// The message for people.
    pub fn message(&self) -> Message {
        match self {
            TargetError::Malformed => Message::new("error-webhook-url"),
            TargetError::Private(host) => Message::new("error-webhook-private-target").arg("host", host),
        }
    }
}

impl WebhookTarget {
    /// Parses `url`: `http` or `https`, a host, no user name or password, at most 2,000 bytes.
    pub fn parse(url: &str) -> Result<WebhookTarget, TargetError> {
        if url.len() > 2000 {
            return Err(TargetError::Malformed);
        }
        let parsed = url::Url::parse(url).map_err(|_| TargetError::Malformed)?;
        if !matches!(parsed.scheme(), "http" | "https") || !parsed.username().is_empty() || parsed.password().is_some()
        {
            return Err(TargetError::Malformed);
        }
        let address = match parsed.host() {
            None => return Err(TargetError::Malformed),
            Some(url::Host::Ipv4(a)) => Some(IpAddr::V4(a)),
            Some(url::Host::Ipv6(a)) => Some(IpAddr::V6(a)),
            Some(url::Host::Domain(_)) => None,
        };
        Ok(WebhookTarget { url: parsed, address })
    }

    /// Checks what can be checked without resolving names: an address host, and names that always mean
    /// this machine (`localhost`). `allow_private` (the `webhooks.allow_private_targets` setting) lets
    /// everything through.
    pub fn check(&self, allow_private: bool) -> Result<(), TargetError> {
        if allow_private {
            return Ok(());
        }
        let host = self.url.host_str().unwrap_or_default().to_ascii_lowercase();
        let local_name = host == "localhost" || host.ends_with(".localhost") || host.ends_with(".local");
        if local_name || self.address.is_some_and(is_private_address) {
            return Err(TargetError::Private(host));
        }
        Ok(())
    }
}

/// Whether `ip` is an address a webhook must not reach without an admin's leave: unspecified,
/// loopback, private (RFC 1918, unique local), link-local, shared (CGNAT), benchmarking, documentation,
/// multicast, broadcast or reserved, including IPv4 addresses written as IPv6 (mapped, compatible,
/// NAT64 of a private one).
pub fn is_private_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => private_v4(a),
        IpAddr::V6(a) => private_v6(a),
    }
}

fn private_v4(a: Ipv4Addr) -> bool {
    let [o0, o1, o2, _] = a.octets();
    a.is_unspecified()
        || a.is_loopback()
        || a.is_private()
        || a.is_link_local()
        || a.is_multicast()
        || a.is_broadcast()
        || a.is_documentation()
        || o0 == 0
        || (o0 == 100 && (64..128).contains(&o1)) // shared address space (CGNAT)
        || (o0 == 192 && o1 == 0 && o2 == 0) // IETF protocol assignments
        || (o0 == 198 && (18..20).contains(&o1)) // benchmarking
        || o0 >= 240 // reserved
}

fn private_v6(a: Ipv6Addr) -> bool {
    if let Some(v4) = a.to_ipv4_mapped() {
        return private_v4(v4);
    }
    let s = a.segments();
    // IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96) carry an IPv4 address.
    if s[..6] == [0, 0, 0, 0, 0, 0] || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let v4 = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
        if private_v4(v4) {
            return true;
        }
    }
    a.is_unspecified()
        || a.is_loopback()
        || a.is_multicast()
        || a.is_unique_local()
        || a.is_unicast_link_local()
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_private() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "255.255.255.255",
            "224.0.0.1",
        ] {
            assert!(is_private_address(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "64:ff9b::808:808"] {
            assert!(!is_private_address(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn urls_are_checked_unless_private_targets_are_allowed() {
        let t = WebhookTarget::parse("http://127.0.0.1:9000/hook").unwrap();
        assert!(matches!(t.check(false), Err(TargetError::Private(_))));
        t.check(true).unwrap();
        assert!(WebhookTarget::parse("http://localhost/x").unwrap().check(false).is_err());
        assert!(WebhookTarget::parse("http://[::ffff:10.0.0.1]/x").unwrap().check(false).is_err());
        WebhookTarget::parse("https://hooks.example.com/in").unwrap().check(false).unwrap();
        for bad in ["ftp://x.example/", "https://user:pw@x.example/", "not a url", "http://", "file:///etc"] {
            assert!(WebhookTarget::parse(bad).is_err(), "{bad}");
        }
    }
}
