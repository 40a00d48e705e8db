//! What a channel reports about a bounce: a delivery status notification (RFC 3464) or another
//! message from a mail system saying that one of our messages was not delivered.

use serde::{Deserialize, Serialize};

/// A bounce as the adapter read it. The engine decides what it does (see `Engine::intake`): matched
/// to one of our outbound messages it marks that delivery failed; otherwise it is filed quietly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BounceReport {
    /// Message-IDs (in `<id>` form) of the message that bounced, as the report names them: the
    /// returned message's `Message-ID`, an `Original-Message-ID` field, then the report's own
    /// `In-Reply-To` and `References`.
    pub original_ids: Vec<String>,
    /// The RFC 3464 `Status` code (`5.1.1`), when the report has one.
    pub status: Option<String>,
    /// The RFC 3464 `Action` (`failed`, `delayed`, `delivered`, `relayed`, `expanded`), lower case.
    pub action: Option<String>,
    /// The recipient the report is about (`Final-Recipient`, else `Original-Recipient`), bare address.
    pub recipient: Option<String>,
    /// The remote server's words (`Diagnostic-Code`), for agents.
    pub diagnostic: Option<String>,
}

impl BounceReport {
    /// True when the report says the message was not delivered and will not be: an `Action` of
    /// `failed`, or no action and no status that says otherwise (`2.x.x` delivered, `4.x.x` still
    /// trying). Reports of delays and successful deliveries are not failures.
    pub fn is_failure(&self) -> bool {
        match self.action.as_deref() {
            Some(a) => a.eq_ignore_ascii_case("failed"),
            None => !self.status.as_deref().is_some_and(|s| s.starts_with('2') || s.starts_with('4')),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_failed_actions_or_permanent_statuses() {
        let r = |action: Option<&str>, status: Option<&str>| BounceReport {
            action: action.map(str::to_string),
            status: status.map(str::to_string),
            ..Default::default()
        };
        assert!(r(Some("failed"), Some("5.1.1")).is_failure());
        assert!(r(None, Some("5.0.0")).is_failure());
        assert!(r(None, None).is_failure(), "a plain MAILER-DAEMON notice says the mail was lost");
        assert!(!r(Some("delayed"), Some("4.4.7")).is_failure());
        assert!(!r(None, Some("4.4.7")).is_failure());
        assert!(!r(Some("delivered"), Some("2.0.0")).is_failure());
    }
}
