//! Sender authentication: what the adapter verified about who sent a mail, handed to the engine as a
//! [`chamado::SenderAuth`] (the engine decides what follows from it).
//!
//! Over SMTP the listener verifies SPF, DKIM and DMARC itself ([`SenderVerifier`]). Behind an MTA
//! (LMTP, pipe, Maildir) the MTA has checked: the `Authentication-Results` header of one configured
//! `authserv-id` is read and every other one ignored. The MTA must add its own header on top (and
//! should remove incoming ones with its id, RFC 8601 section 5).

mod align;
mod cache;
mod results;
mod verify;

pub use verify::{SenderVerifier, VerifierError};

use crate::intake::Envelope;
use chamado::SenderAuth;
use std::sync::Arc;

/// How [`crate::MailIntake`] finds out who sent a mail.
#[derive(Debug, Clone, Default)]
pub struct MailAuth {
    /// Verifies mail taken over SMTP (an envelope with [`Envelope::client`]); `None`: such mail counts
    /// as unauthenticated.
    pub verifier: Option<Arc<SenderVerifier>>,
    /// The `authserv-id` whose `Authentication-Results` are trusted for mail from an MTA (LMTP, pipe,
    /// Maildir); `None`: such mail counts as unauthenticated.
    pub trusted_authserv_id: Option<String>,
}

impl MailAuth {
    /// What is known about the sender of `raw`; `None` when nothing was verified.
    pub(crate) async fn sender_auth(&self, raw: &[u8], envelope: &Envelope) -> Option<SenderAuth> {
        match &envelope.client {
            // Straight from the sender: only our own checks count, whatever headers it wrote.
            Some(client) => match &self.verifier {
                Some(v) => Some(
                    v.verify(raw, client.ip, &client.helo, envelope.mail_from.as_deref().unwrap_or_default()).await,
                ),
                None => None,
            },
            None => {
                let id = self.trusted_authserv_id.as_deref().map(str::trim).filter(|id| !id.is_empty())?;
                results::trusted_results(raw, id)
            }
        }
    }
}
