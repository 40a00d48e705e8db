//! SPF, DKIM and DMARC for mail taken over SMTP, with mail-auth and a DNS resolver with timeouts and
//! a cache.

use super::align::{aligned, from_domain};
use super::cache::DnsCache;
use chamado::{AuthResult, SenderAuth};
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::common::verify::DomainKey;
use mail_auth::dmarc::Dmarc;
use mail_auth::dmarc::verify::DmarcParameters;
use mail_auth::hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use mail_auth::spf::Spf;
use mail_auth::spf::verify::SpfParameters;
use mail_auth::{
    AuthenticatedMessage, DkimResult, DmarcResult, MX, MessageAuthenticator, Parameters, RecordSet, SpfResult, Txt,
};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::{Duration, Instant};
use thiserror::Error;

/// Who verified, as recorded on the article.
const VERIFIED_BY: &str = "smtp";

/// The resolver could not be set up, or a record given to [`SenderVerifier::publish`] is not one.
#[derive(Debug, Error)]
#[error("{0}")]
pub struct VerifierError(String);

/// mail-auth's parameters with our caches of every record type.
type Cached<'x, P> = Parameters<
    'x,
    P,
    DnsCache<Box<str>, Txt>,
    DnsCache<Box<str>, RecordSet<MX>>,
    DnsCache<Box<str>, RecordSet<Ipv4Addr>>,
    DnsCache<Box<str>, RecordSet<Ipv6Addr>>,
    DnsCache<IpAddr, RecordSet<Box<str>>>,
>;

/// The answer caches of each record type mail-auth looks up.
struct Caches {
    txt: DnsCache<Box<str>, Txt>,
    mx: DnsCache<Box<str>, RecordSet<MX>>,
    ptr: DnsCache<IpAddr, RecordSet<Box<str>>>,
    ipv4: DnsCache<Box<str>, RecordSet<Ipv4Addr>>,
    ipv6: DnsCache<Box<str>, RecordSet<Ipv6Addr>>,
}

/// Verifies the sender of mail taken over SMTP: SPF for the client's address and `MAIL FROM` (or
/// `HELO` for bounces), every DKIM signature, and DMARC for the `From` domain. Shared by all sessions.
pub struct SenderVerifier {
    authenticator: MessageAuthenticator,
    caches: Caches,
    hostname: String,
    deadline: Duration,
}

impl std::fmt::Debug for SenderVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SenderVerifier").field("hostname", &self.hostname).finish_non_exhaustive()
    }
}

impl SenderVerifier {
    /// A verifier asking `servers` (empty: the system's resolv.conf), each query given up after
    /// `timeout`, the whole verification of one message after four times that; at most
    /// `cache_entries` answers per record type are kept. `hostname` is ours, for SPF's `%{r}` macro.
    pub fn new(
        servers: &[SocketAddr],
        timeout: Duration,
        cache_entries: usize,
        hostname: &str,
    ) -> Result<Self, VerifierError> {
        let mut opts = ResolverOpts::default();
        opts.timeout = timeout;
        opts.attempts = 1;
        // mail-auth caches only answers that exist; most senders' domains have no DMARC (and many no
        // SPF) record, so without this every mail asks the resolver again, and one lost UDP answer
        // stalls a message for the whole timeout. Keep "no such record" for a minute, at most an hour.
        opts.negative_min_ttl = Some(Duration::from_secs(60));
        opts.negative_max_ttl = Some(Duration::from_secs(3600));
        let config = if servers.is_empty() {
            let (config, system) = mail_auth::hickory_resolver::system_conf::read_system_conf()
                .map_err(|e| VerifierError(format!("cannot read the system's DNS settings: {e}")))?;
            opts.ndots = system.ndots;
            config
        } else {
            let servers = servers
                .iter()
                .map(|s| {
                    let mut ns = NameServerConfig::udp_and_tcp(s.ip());
                    for c in &mut ns.connections {
                        c.port = s.port();
                    }
                    ns
                })
                .collect();
            ResolverConfig::from_name_servers(servers)
        };
        let authenticator = MessageAuthenticator::new(config, opts)
            .map_err(|e| VerifierError(format!("cannot set up the DNS resolver: {e}")))?;
        Ok(SenderVerifier {
            authenticator,
            caches: Caches {
                txt: DnsCache::new(cache_entries),
                mx: DnsCache::new(cache_entries),
                ptr: DnsCache::new(cache_entries),
                ipv4: DnsCache::new(cache_entries),
                ipv6: DnsCache::new(cache_entries),
            },
            hostname: hostname.to_string(),
            deadline: timeout.saturating_mul(4),
        })
    }

    /// Puts a TXT record into the cache as if DNS had answered it for `ttl`: a DKIM key (`v=DKIM1`,
    /// `k=`, `p=`), a DMARC (`v=DMARC1`) or an SPF (`v=spf1`) record. For tests and benchmarks that must
    /// not touch the network, and for pinning records an operator wants answered locally.
    pub fn publish(&self, name: &str, record: &str, ttl: Duration) -> Result<(), VerifierError> {
        use mail_auth::ResolverCache;
        let bad = |e: mail_auth::Error| VerifierError(format!("{name}: not a usable record: {e}"));
        let r = record.trim();
        let txt: Txt = if r.starts_with("v=DMARC1") {
            Dmarc::parse(r.as_bytes()).map_err(bad)?.into()
        } else if r.starts_with("v=spf1") {
            Spf::parse(r.as_bytes()).map_err(bad)?.into()
        } else {
            DomainKey::parse(r.as_bytes()).map_err(bad)?.into()
        };
        let mut key = name.trim().trim_end_matches('.').to_ascii_lowercase();
        key.push('.');
        self.caches.txt.insert(key.into_boxed_str(), txt, Instant::now() + ttl);
        Ok(())
    }

    /// Verifies `raw` as sent from `ip` after `HELO helo` with `MAIL FROM:<mail_from>`. A DNS timeout or
    /// a message mail-auth cannot read gives a result that does not authenticate, never an error.
    pub async fn verify(&self, raw: &[u8], ip: IpAddr, helo: &str, mail_from: &str) -> SenderAuth {
        match tokio::time::timeout(self.deadline, self.check(raw, ip, helo, mail_from)).await {
            Ok(auth) => auth,
            Err(_) => {
                tracing::info!(%ip, "sender verification timed out; the sender counts as unauthenticated");
                SenderAuth {
                    dmarc: AuthResult::TempError,
                    spf: AuthResult::TempError,
                    dkim: AuthResult::TempError,
                    arc: AuthResult::TempError,
                    aligned_pass: false,
                    verified_by: VERIFIED_BY.into(),
                }
            }
        }
    }

    fn params<P>(&self, p: P) -> Cached<'_, P> {
        Parameters::new(p)
            .with_txt_cache(&self.caches.txt)
            .with_mx_cache(&self.caches.mx)
            .with_ptr_cache(&self.caches.ptr)
            .with_ipv4_cache(&self.caches.ipv4)
            .with_ipv6_cache(&self.caches.ipv6)
    }

    async fn check(&self, raw: &[u8], ip: IpAddr, helo: &str, mail_from: &str) -> SenderAuth {
        let mut auth = SenderAuth { verified_by: VERIFIED_BY.into(), ..SenderAuth::default() };
        let Some(message) = AuthenticatedMessage::parse(raw) else { return auth };
        // Without a usable From the engine takes the envelope sender as the author (RFC 5321 sender,
        // which SPF verifies): align with that domain then.
        let from = from_domain(&message.from).or_else(|| {
            mail_from.trim().rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase()).filter(|d| !d.is_empty())
        });
        let dkim = self.authenticator.verify_dkim(self.params(&message)).await;
        let helo = helo.trim();
        let mail_from = mail_from.trim();
        let spf = if mail_from.contains('@') {
            self.authenticator
                .verify_spf(self.params(SpfParameters::verify_mail_from(ip, helo, &self.hostname, mail_from)))
                .await
        } else {
            self.authenticator.verify_spf(self.params(SpfParameters::verify_ehlo(ip, helo, &self.hostname))).await
        };
        let spf_domain = mail_from.rsplit_once('@').map_or(helo, |(_, d)| d);
        let dmarc =
            self.authenticator.verify_dmarc(self.params(DmarcParameters::new(&message, &dkim, spf_domain, &spf))).await;
        auth.dkim = if dkim.iter().any(|d| d.result() == &DkimResult::Pass) {
            AuthResult::Pass
        } else {
            dkim.first().map_or(AuthResult::None, |d| dkim_result(d.result()))
        };
        auth.spf = spf_result(spf.result());
        auth.arc = dkim_result(self.authenticator.verify_arc(self.params(&message)).await.result());
        auth.dmarc = if dmarc.spf_result() == &DmarcResult::Pass || dmarc.dkim_result() == &DmarcResult::Pass {
            AuthResult::Pass
        } else if dmarc.dmarc_record().is_some() {
            AuthResult::Fail
        } else {
            match (dmarc.spf_result(), dmarc.dkim_result()) {
                (DmarcResult::TempError(_), _) | (_, DmarcResult::TempError(_)) => AuthResult::TempError,
                (DmarcResult::PermError(_), _) | (_, DmarcResult::PermError(_)) => AuthResult::PermError,
                _ => AuthResult::None,
            }
        };
        if let Some(from) = &from {
            let dkim_aligned = dkim
                .iter()
                .any(|d| d.result() == &DkimResult::Pass && d.signature().is_some_and(|s| aligned(&s.d, from)));
            let spf_aligned = spf.result() == SpfResult::Pass && aligned(spf.domain(), from);
            auth.aligned_pass = dkim_aligned || spf_aligned;
        }
        auth
    }
}

fn dkim_result(r: &DkimResult) -> AuthResult {
    match r {
        DkimResult::Pass => AuthResult::Pass,
        DkimResult::Neutral(_) => AuthResult::Neutral,
        DkimResult::Fail(_) => AuthResult::Fail,
        DkimResult::PermError(_) => AuthResult::PermError,
        DkimResult::TempError(_) => AuthResult::TempError,
        DkimResult::None => AuthResult::None,
    }
}

fn spf_result(r: SpfResult) -> AuthResult {
    match r {
        SpfResult::Pass => AuthResult::Pass,
        SpfResult::Fail => AuthResult::Fail,
        SpfResult::SoftFail => AuthResult::SoftFail,
        SpfResult::Neutral => AuthResult::Neutral,
        SpfResult::TempError => AuthResult::TempError,
        SpfResult::PermError => AuthResult::PermError,
        SpfResult::None => AuthResult::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No DNS answer (a closed port here; a dead resolver in production) is never a pass, and costs at
    /// most the deadline.
    #[tokio::test]
    async fn unreachable_dns_fails_closed_and_in_time() {
        let dead = [SocketAddr::from(([127, 0, 0, 1], 9))];
        let Ok(v) = SenderVerifier::new(&dead, Duration::from_millis(200), 10, "localhost") else {
            unreachable!("a resolver with explicit servers needs no system files")
        };
        let raw = b"From: alice@acme.example\r\nSubject: hi\r\n\r\nhello\r\n";
        let started = Instant::now();
        let auth = v.verify(raw, IpAddr::from([127, 0, 0, 1]), "client.example", "alice@acme.example").await;
        assert!(!auth.authenticated(), "{auth:?}");
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        assert!(v.publish("x._domainkey.acme.example", "v=DKIM1; p=!!", Duration::from_secs(1)).is_err());
    }

    /// A forwarder's ARC set is read: a chain without its seal is not a pass, and is shown as such.
    #[tokio::test]
    async fn an_arc_chain_is_read() {
        let dead = [SocketAddr::from(([127, 0, 0, 1], 9))];
        let Ok(v) = SenderVerifier::new(&dead, Duration::from_millis(200), 10, "localhost") else {
            unreachable!("a resolver with explicit servers needs no system files")
        };
        let ttl = Duration::from_secs(600);
        assert!(v.publish("acme.example", "v=spf1 -all", ttl).is_ok());
        assert!(v.publish("_dmarc.acme.example", "v=DMARC1; p=none", ttl).is_ok());
        let raw = b"ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=list.example; s=sel;\r\n h=from:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA\r\n\
From: alice@acme.example\r\nSubject: hi\r\n\r\nhello\r\n";
        let auth = v.verify(raw, IpAddr::from([127, 0, 0, 1]), "client.example", "alice@acme.example").await;
        assert!(matches!(auth.arc, AuthResult::Fail | AuthResult::Neutral | AuthResult::PermError), "{auth:?}");
        assert!(!auth.authenticated(), "{auth:?}");
        let plain = b"From: alice@acme.example\r\nSubject: hi\r\n\r\nhello\r\n";
        let auth = v.verify(plain, IpAddr::from([127, 0, 0, 1]), "client.example", "alice@acme.example").await;
        assert_eq!(auth.arc, AuthResult::None, "no chain, nothing to say");
    }
}
