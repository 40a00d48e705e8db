//! `Authentication-Results` (RFC 8601) from the MTA in front of us: only the header of the one
//! configured `authserv-id` is read; everyone else's (a sender can write any header) is ignored.

use super::align::aligned;
use chamado::{AuthResult, SenderAuth};

/// What the trusted MTA verified, from the topmost `Authentication-Results` header whose
/// `authserv-id` is `trusted` (the one the MTA added last); `None` when there is none.
pub(crate) fn trusted_results(raw: &[u8], trusted: &str) -> Option<SenderAuth> {
    let parsed = mail_auth::AuthenticatedMessage::parse(raw)?;
    let from_domain = super::align::from_domain(&parsed.from);
    parsed
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case(b"Authentication-Results"))
        .find_map(|(_, value)| parse(&String::from_utf8_lossy(value), trusted, from_domain.as_deref()))
}

/// One header's value when its `authserv-id` is `trusted`.
fn parse(value: &str, trusted: &str, from_domain: Option<&str>) -> Option<SenderAuth> {
    let value = strip_comments(value);
    let mut parts = value.split(';');
    let id = parts.next()?.split_whitespace().next()?;
    if !id.eq_ignore_ascii_case(trusted.trim()) {
        return None;
    }
    let mut auth = SenderAuth { verified_by: id.to_string(), ..SenderAuth::default() };
    for resinfo in parts {
        let mut words = resinfo.split_whitespace();
        let Some((method, result)) = words.next().and_then(|w| w.split_once('=')) else { continue };
        let result = AuthResult::from_keyword(result);
        let props: Vec<(&str, &str)> = words.filter_map(|w| w.split_once('=')).collect();
        let prop = |name: &str| props.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| *v);
        match method.to_ascii_lowercase().as_str() {
            "dmarc" => auth.dmarc = result,
            "arc" => auth.arc = result,
            "spf" => {
                // A pass wins over other results for the same method (several signatures, HELO and MAIL FROM).
                if auth.spf != AuthResult::Pass {
                    auth.spf = result;
                }
                let domain = prop("smtp.mailfrom").or(prop("smtp.helo")).map(|d| d.rsplit('@').next().unwrap_or(d));
                if result == AuthResult::Pass && domain.zip(from_domain).is_some_and(|(d, f)| aligned(d, f)) {
                    auth.aligned_pass = true;
                }
            }
            "dkim" => {
                if auth.dkim != AuthResult::Pass {
                    auth.dkim = result;
                }
                let domain = prop("header.d").or(prop("header.i").map(|i| i.rsplit('@').next().unwrap_or(i)));
                if result == AuthResult::Pass && domain.zip(from_domain).is_some_and(|(d, f)| aligned(d, f)) {
                    auth.aligned_pass = true;
                }
            }
            _ => {}
        }
    }
    Some(auth)
}

/// The text without RFC 5322 comments (`(...)`, nested).
fn strip_comments(s: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_trusted_id_counts() {
        let v = "mx.example.net (comment; dmarc=fail); spf=pass smtp.mailfrom=a@acme.example; dkim=pass header.d=acme.example; dmarc=pass header.from=acme.example; arc=pass";
        let a = parse(v, "mx.example.net", Some("acme.example")).unwrap_or_default();
        assert_eq!(a.dmarc, AuthResult::Pass);
        assert_eq!(a.arc, AuthResult::Pass);
        assert!(a.aligned_pass && a.authenticated());
        assert_eq!(a.verified_by, "mx.example.net");
        assert!(parse(v, "other.example", Some("acme.example")).is_none());
        let none = parse("mx.example.net; none", "MX.example.net", Some("acme.example")).unwrap_or_default();
        assert!(!none.authenticated());
    }
}
