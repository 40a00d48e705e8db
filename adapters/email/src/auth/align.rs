//! Domain alignment for senders whose domain publishes no DMARC record.

/// The one domain of the `From` addresses, lower-cased; `None` when there is none or several (RFC 7489
/// exempts those from DMARC, so they never authenticate).
pub(crate) fn from_domain(from: &[String]) -> Option<String> {
    let mut domains = from.iter().filter_map(|a| a.rsplit_once('@').map(|(_, d)| d.trim().to_ascii_lowercase()));
    let first = domains.next()?;
    (!first.is_empty() && domains.all(|d| d == first)).then_some(first)
}

/// Relaxed alignment, approximated without a public-suffix list: the same domain, or one a subdomain
/// of the other (`mail.acme.example` and `acme.example`). Never true for unrelated domains.
pub(crate) fn aligned(a: &str, b: &str) -> bool {
    let a = a.trim().trim_end_matches('.').to_ascii_lowercase();
    let b = b.trim().trim_end_matches('.').to_ascii_lowercase();
    if a.is_empty() || b.is_empty() {
        return false;
    }
    a == b || a.ends_with(&format!(".{b}")) || b.ends_with(&format!(".{a}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment() {
        assert!(aligned("mail.acme.example", "acme.example"));
        assert!(aligned("ACME.example.", "acme.example"));
        assert!(!aligned("evilacme.example", "acme.example"));
        assert!(!aligned("", "acme.example"));
        assert_eq!(from_domain(&["a@X.example".into()]).as_deref(), Some("x.example"));
        assert_eq!(from_domain(&["a@x.example".into(), "b@y.example".into()]), None);
    }
}
