//! What a channel verified about who sent a message (SPF, DKIM, DMARC), and the policy that acts on it.
//!
//! The adapter only reports; [`crate::Engine::intake`] decides what an unauthenticated sender may do
//! (join a ticket, get an auto-response, have a foreign `Reply-To` honoured).

use serde::{Deserialize, Serialize};

/// The outcome of one check, in the words of RFC 8601 (`Authentication-Results`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthResult {
    /// Not checked, or nothing to check (no signature, no record).
    #[default]
    None,
    /// Passed.
    Pass,
    /// Failed.
    Fail,
    /// SPF soft fail.
    SoftFail,
    /// Neither pass nor fail (SPF `?all`, an unverifiable DKIM signature).
    Neutral,
    /// A temporary failure (DNS timeout): not a pass.
    TempError,
    /// A permanent error (a broken record or signature): not a pass.
    PermError,
}

impl AuthResult {
    /// The RFC 8601 keyword, e.g. `pass`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthResult::None => "none",
            AuthResult::Pass => "pass",
            AuthResult::Fail => "fail",
            AuthResult::SoftFail => "softfail",
            AuthResult::Neutral => "neutral",
            AuthResult::TempError => "temperror",
            AuthResult::PermError => "permerror",
        }
    }

    /// The result for an RFC 8601 keyword; unknown keywords are [`AuthResult::None`], never a pass.
    pub fn from_keyword(s: &str) -> AuthResult {
        match s.trim().to_ascii_lowercase().as_str() {
            "pass" => AuthResult::Pass,
            "fail" | "hardfail" => AuthResult::Fail,
            "softfail" => AuthResult::SoftFail,
            "neutral" | "policy" => AuthResult::Neutral,
            "temperror" => AuthResult::TempError,
            "permerror" => AuthResult::PermError,
            _ => AuthResult::None,
        }
    }
}

/// What the channel verified about a mail's sender.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SenderAuth {
    /// DMARC for the `From` domain.
    pub dmarc: AuthResult,
    /// SPF for the envelope sender (or HELO).
    pub spf: AuthResult,
    /// DKIM: `pass` when at least one signature verified.
    pub dkim: AuthResult,
    /// ARC (RFC 8617): `pass` when the chain of seals added by the hops before us verified, `none`
    /// without one. Shown to agents (a forwarder or mailing list that broke DKIM vouches for what it
    /// saw); no sealer is trusted, so it never authenticates a sender by itself.
    pub arc: AuthResult,
    /// An SPF or DKIM pass aligned with the `From` domain (relaxed alignment). Counts only where the
    /// domain publishes no DMARC record (`dmarc` is `none`); with a record, DMARC itself decides.
    pub aligned_pass: bool,
    /// Who verified: `smtp` for our own listener, else the trusted `authserv-id` of the MTA.
    pub verified_by: String,
}

impl SenderAuth {
    /// True when the sender authenticated: DMARC pass, or an aligned SPF or DKIM pass where the
    /// domain publishes no DMARC record.
    pub fn authenticated(&self) -> bool {
        self.dmarc == AuthResult::Pass || (self.dmarc == AuthResult::None && self.aligned_pass)
    }

    /// A short line for agents, e.g. `DMARC pass` or `unauthenticated sender (DMARC fail, SPF none, DKIM none)`.
    pub fn summary(&self) -> String {
        let mut detail =
            format!("DMARC {}, SPF {}, DKIM {}", self.dmarc.as_str(), self.spf.as_str(), self.dkim.as_str());
        if self.arc != AuthResult::None {
            detail.push_str(&format!(", ARC {}", self.arc.as_str()));
        }
        match (self.authenticated(), self.dmarc) {
            (true, AuthResult::Pass) => "DMARC pass".to_string(),
            (true, _) => format!("authenticated sender ({detail})"),
            (false, _) => format!("unauthenticated sender ({detail})"),
        }
    }
}

/// What the engine does with mail whose sender did not authenticate (default `enforce`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SenderAuthPolicy {
    /// Ignore the verification: every sender is treated as authenticated (the behaviour before it).
    Off,
    /// Record the result and flag unauthenticated senders, but let them follow up as before.
    Flag,
    /// Flag, and an unauthenticated follow-up opens a new flagged ticket instead of joining one; no
    /// auto-response and no foreign `Reply-To` for unauthenticated senders.
    #[default]
    Enforce,
}

impl SenderAuthPolicy {
    /// The policy for a setting value (`off`, `flag`, `enforce`), `None` for anything else.
    pub fn parse(s: &str) -> Option<SenderAuthPolicy> {
        match s.trim().to_ascii_lowercase().as_str() {
            "off" => Some(SenderAuthPolicy::Off),
            "flag" => Some(SenderAuthPolicy::Flag),
            "enforce" => Some(SenderAuthPolicy::Enforce),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_dmarc_pass_or_aligned_pass_without_dmarc_authenticates() {
        let mut a = SenderAuth { dmarc: AuthResult::Pass, ..Default::default() };
        assert!(a.authenticated());
        a.dmarc = AuthResult::Fail;
        a.aligned_pass = true;
        assert!(!a.authenticated(), "a published DMARC policy decides");
        a.dmarc = AuthResult::None;
        assert!(a.authenticated());
        a.aligned_pass = false;
        assert!(!a.authenticated());
        assert_eq!(AuthResult::from_keyword("PASS"), AuthResult::Pass);
        a.arc = AuthResult::Pass;
        assert!(!a.authenticated(), "an ARC pass alone does not authenticate");
        assert_eq!(a.summary(), "unauthenticated sender (DMARC none, SPF none, DKIM none, ARC pass)");
        assert_eq!(AuthResult::from_keyword("bogus"), AuthResult::None);
    }
}
