//! The sender-authentication policy at intake: who may join a ticket, where replies go.

use super::Engine;
use super::intake::Author;
use crate::channel_kind::ChannelKind;
use crate::inbound::{InboundMessage, Sender};
use crate::sender_auth::SenderAuthPolicy;

/// The domain of an address, lower-cased; empty when it has none.
fn domain_of(address: &str) -> String {
    address.trim().trim_end_matches('>').rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase()).unwrap_or_default()
}

impl Engine {
    /// True when the message's sender counts as authenticated: every non-email channel (its own login
    /// authenticated it), email only with a verified pass, and everyone when the policy is `off`.
    pub(super) fn sender_authenticated(&self, msg: &InboundMessage) -> bool {
        if self.config().sender_auth == SenderAuthPolicy::Off || msg.channel != ChannelKind::Email {
            return true;
        }
        msg.sender_auth.as_ref().is_some_and(|a| a.authenticated())
    }

    /// The history line recording what was verified about a mail's sender; `None` for other channels.
    pub(super) fn sender_auth_note(&self, msg: &InboundMessage) -> Option<String> {
        if msg.channel != ChannelKind::Email {
            return None;
        }
        Some(match &msg.sender_auth {
            Some(a) if a.verified_by.is_empty() => a.summary(),
            Some(a) => format!("{} (verified by {})", a.summary(), a.verified_by),
            None => "unauthenticated sender (nothing verified)".to_string(),
        })
    }

    /// Settles where replies to this mail go and says why: a `Reply-To` in the sender's own domain,
    /// or from an authenticated sender in a queue that allows it; otherwise the known customer user's
    /// registered address, else the sender's address. A forged `From` with a foreign `Reply-To` never
    /// redirects answers about someone else's ticket.
    pub(super) fn settle_reply_to(
        &self,
        msg: &InboundMessage,
        author: &mut Author,
        queue: &str,
        authenticated: bool,
    ) -> Option<String> {
        let Sender::Email { address, reply_to, .. } = &msg.sender else { return None };
        let address = address.trim();
        let registered = author.user.email.trim();
        let fallback = if registered.is_empty() { address } else { registered };
        let why_fallback =
            if registered.is_empty() { "the sender's address" } else { "the customer user's registered address" };
        let (target, why) = match reply_to.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) if r.eq_ignore_ascii_case(address) => (fallback.to_string(), why_fallback.to_string()),
            Some(r) if !domain_of(r).is_empty() && domain_of(r) == domain_of(address) => {
                (r.to_string(), "Reply-To in the sender's own domain".to_string())
            }
            Some(r) if authenticated && self.config().reply_to_queues.iter().any(|q| q == queue) => {
                (r.to_string(), format!("Reply-To of an authenticated sender, allowed in queue {queue}"))
            }
            Some(r) => (fallback.to_string(), format!("{why_fallback}; Reply-To {r} ignored")),
            None => (fallback.to_string(), why_fallback.to_string()),
        };
        let note = format!("replies go to {target}: {why}");
        author.reply_to = Some(target);
        Some(note)
    }
}
