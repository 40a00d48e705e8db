//! Parse, route, hand to the engine, and say what the sender should hear.

use crate::auth::MailAuth;
use crate::parse::parse_message;
use crate::routing::{QueueMap, addresses};
use chamado::{Attachment, Engine, Error, IntakeOutcome};

/// Attachments kept per message unless configured otherwise.
pub(crate) const DEFAULT_MAX_ATTACHMENTS: usize = 1000;

/// What the MTA said about a message besides its bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Envelope {
    /// `MAIL FROM` (empty for bounces), used when the header names no sender.
    pub mail_from: Option<String>,
    /// `RCPT TO` addresses, used for queue routing (the header's To/Cc when empty).
    pub recipients: Vec<String>,
    /// The client that handed the message straight to our SMTP listener, whose sender we verify
    /// ourselves; `None` behind an MTA (LMTP, pipe, Maildir).
    pub client: Option<SmtpClient>,
}

/// The SMTP client a message came from, as sender verification needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpClient {
    /// Its IP address (SPF).
    pub ip: std::net::IpAddr,
    /// The name it gave in `HELO`/`EHLO` (SPF for bounces).
    pub helo: String,
}

impl Envelope {
    /// An envelope with this sender and recipients.
    pub fn new(mail_from: Option<String>, recipients: Vec<String>) -> Self {
        Envelope { mail_from, recipients, client: None }
    }
}

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disposition {
    /// Committed (new ticket, follow-up) or taken before (duplicate): acknowledge it.
    Accepted(Box<IntakeOutcome>),
    /// Refused for good (unparseable, no sender, refused by the engine); the reason is for the sender.
    Refused(String),
    /// Nothing was committed and a later attempt may succeed (store unavailable, conflict, a
    /// configuration problem an administrator can fix): the MTA should keep it and retry.
    TryLater(String),
}

impl Disposition {
    /// True for [`Disposition::Accepted`].
    pub fn is_accepted(&self) -> bool {
        matches!(self, Disposition::Accepted(_))
    }

    /// The ticket number the message went to, if it was accepted into one.
    pub fn ticket_number(&self) -> Option<&str> {
        match self {
            Disposition::Accepted(o) => match o.as_ref() {
                IntakeOutcome::NewTicket { ticket, .. } | IntakeOutcome::FollowUp { ticket, .. } => {
                    Some(&ticket.number)
                }
                IntakeOutcome::Duplicate { ticket_number, .. } => ticket_number.as_deref(),
                // A bounce's sender is a machine: it is not told which ticket its report was about.
                IntakeOutcome::Rejected { .. } | IntakeOutcome::Bounce { .. } => None,
            },
            _ => None,
        }
    }
}

/// Where a message pulled from a mailbox goes and where it was read ([`MailIntake::deliver_pulled`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulled {
    /// The queue of the account's new tickets.
    pub queue: String,
    /// The mailbox position after this message, saved with it.
    pub checkpoint: chamado::Checkpoint,
}

/// What [`MailIntake::deliver_checked`] did with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    /// What became of it.
    pub disposition: Disposition,
    /// Whether its sender authenticated (SPF, DKIM, DMARC, or a trusted `Authentication-Results`).
    pub sender_authenticated: bool,
}

/// The intake every path (SMTP, LMTP, pipe, Maildir) shares: raw bytes in, a [`Disposition`] out.
#[derive(Clone)]
pub struct MailIntake {
    engine: Engine,
    queues: QueueMap,
    max_attachments: usize,
    auth: MailAuth,
}

impl MailIntake {
    /// Intake into `engine`, routing by `queues`, keeping at most 1,000 attachments per message.
    /// Nothing about senders is verified until [`MailIntake::with_auth`]: every mail counts as from an
    /// unauthenticated sender.
    pub fn new(engine: Engine, queues: QueueMap) -> Self {
        MailIntake { engine, queues, max_attachments: DEFAULT_MAX_ATTACHMENTS, auth: MailAuth::default() }
    }

    /// Keeps at most `max` attachments per message: the first ones, in the message's order. The rest
    /// are left out and the body says how many; the mail itself is never refused for them.
    pub fn with_max_attachments(mut self, max: usize) -> Self {
        self.max_attachments = max;
        self
    }

    /// The same intake, finding out who sent each mail as `auth` says.
    pub fn with_auth(mut self, auth: MailAuth) -> Self {
        self.auth = auth;
        self
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Parses `raw`, picks the queue, and takes it into the engine. [`Disposition::Accepted`] is
    /// returned only after the engine's commit returned, so the caller may acknowledge then.
    pub async fn deliver(&self, raw: &[u8], envelope: &Envelope) -> Disposition {
        self.deliver_checked(raw, envelope).await.disposition
    }

    /// [`MailIntake::deliver`], also saying whether the sender authenticated: a reply to the sender
    /// names the ticket only then (a forger must not learn which ticket a guessed number matched).
    pub async fn deliver_checked(&self, raw: &[u8], envelope: &Envelope) -> Delivered {
        self.take(raw, envelope, None).await
    }

    /// Takes a message pulled from a mailbox: a new ticket goes to `pulled.queue` (whatever the
    /// message's recipients), and `pulled.checkpoint` is saved in the same commit as the ticket or
    /// article it becomes, or on its own when the message is refused or was taken before. So once this
    /// returns anything but [`Disposition::TryLater`], the mailbox's position is past the message
    /// (with the checkpoint's `refused` value when it was refused); after `TryLater` it is where it was.
    pub async fn deliver_pulled(&self, raw: &[u8], pulled: Pulled) -> Delivered {
        let checkpoint = pulled.checkpoint.clone();
        let delivered = self.take(raw, &Envelope::default(), Some(pulled)).await;
        // A message refused before the engine saw it (unparseable) moved no cursor yet.
        if let Disposition::Refused(_) = &delivered.disposition
            && let Err(e) = self
                .engine
                .set_cursor(
                    &checkpoint.adapter,
                    &checkpoint.name,
                    Some(checkpoint.refused.as_ref().unwrap_or(&checkpoint.value)),
                )
                .await
        {
            tracing::warn!(error = %e, "the mailbox position of a refused message was not saved; it will be read again");
            return Delivered { disposition: Disposition::TryLater(e.to_string()), ..delivered };
        }
        delivered
    }

    async fn take(&self, raw: &[u8], envelope: &Envelope, pulled: Option<Pulled>) -> Delivered {
        let mut msg = match parse_message(raw, envelope.mail_from.as_deref()) {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(bytes = raw.len(), reason = %e, "mail refused");
                return Delivered { disposition: Disposition::Refused(e.to_string()), sender_authenticated: false };
            }
        };
        msg.queue = if let Some(p) = &pulled {
            Some(p.queue.clone())
        } else if envelope.recipients.is_empty() {
            self.queues.queue_for(addresses(&msg.to))
        } else {
            self.queues.queue_for(envelope.recipients.iter().map(String::as_str))
        };
        msg.checkpoint = pulled.map(|p| p.checkpoint);
        if msg.external_id.is_none() {
            msg.external_id = Some(content_id(raw));
        }
        cap_attachments(&mut msg.body, &mut msg.attachments, self.max_attachments);
        fit_body(&mut msg.body, &mut msg.attachments, self.engine.config().max_body_bytes);
        msg.sender_auth = self.auth.sender_auth(raw, envelope).await;
        let sender_authenticated = msg.sender_auth.as_ref().is_some_and(chamado::SenderAuth::authenticated);
        if let Some(a) = &msg.sender_auth {
            tracing::debug!(summary = %a.summary(), "sender verified");
        }
        let id = msg.external_id.clone().unwrap_or_default();
        let d = match self.engine.intake(msg).await {
            // Refused, but the queue's auto-reject answers the sender: taken, as OTRS does, so that
            // the sender does not also get the MTA's bounce.
            Ok(outcome @ IntakeOutcome::Rejected { answered: true, .. }) => Disposition::Accepted(Box::new(outcome)),
            Ok(IntakeOutcome::Rejected { reason, .. }) => Disposition::Refused(reason.to_string()),
            Ok(outcome) => Disposition::Accepted(Box::new(outcome)),
            Err(e) => classify(e),
        };
        match &d {
            Disposition::Accepted(_) => {
                tracing::debug!(message_id = %id, ticket = d.ticket_number().unwrap_or_default(), "mail taken")
            }
            Disposition::Refused(reason) => tracing::warn!(message_id = %id, %reason, "mail refused"),
            Disposition::TryLater(reason) => {
                tracing::warn!(message_id = %id, %reason, "mail deferred, the sender should retry")
            }
        }
        Delivered { disposition: d, sender_authenticated }
    }
}

/// An id for a message without a Message-ID, from its bytes: an MTA that redelivers it after a lost
/// reply (same bytes, same Received lines) gets `Duplicate` instead of a second ticket. Two FNV-1a
/// hashes with different offsets and the length make accidental equality of different mails
/// practically impossible.
fn content_id(raw: &[u8]) -> String {
    let fnv = |seed: u64| raw.iter().fold(seed, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01B3));
    format!(
        "<nomsgid.{:016x}{:016x}.{}@chamado.invalid>",
        fnv(0xcbf2_9ce4_8422_2325),
        fnv(0x6c62_272e_07bb_0142),
        raw.len()
    )
}

/// Engine errors: input errors are refusals, everything else (store, conflicts, configuration) is
/// worth a later attempt, so no mail is bounced for a problem on our side.
fn classify(e: Error) -> Disposition {
    match e {
        Error::Validation(m) | Error::Rejected(m) => Disposition::Refused(m.into()),
        other => Disposition::TryLater(other.to_string()),
    }
}

/// A body over the engine's limit is cut to fit, the full text kept as an attachment: no mail is
/// refused for being long.
fn fit_body(body: &mut String, attachments: &mut Vec<Attachment>, max: usize) {
    if body.len() <= max {
        return;
    }
    const NOTE: &str = crate::notes::BODY_SHORTENED;
    let mut cut = max.saturating_sub(NOTE.len());
    while cut > 0 && !body.is_char_boundary(cut) {
        cut -= 1;
    }
    let full = std::mem::take(body);
    *body = format!("{}{NOTE}", &full[..cut]);
    attachments.push(Attachment {
        name: "message.txt".into(),
        content_type: "text/plain; charset=utf-8".into(),
        inline: false,
        data: full.into_bytes(),
    });
}

/// More than `max` attachments: the first `max` are kept and the body says how many were left out
/// (a message with thousands of parts is taken, not refused, but cannot fill the store).
fn cap_attachments(body: &mut String, attachments: &mut Vec<Attachment>, max: usize) {
    if attachments.len() <= max {
        return;
    }
    let left_out = attachments.len() - max;
    attachments.truncate(max);
    body.push_str(&crate::notes::attachments_left_out(left_out, max));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ids_are_stable_and_distinct() {
        assert_eq!(content_id(b"a"), content_id(b"a"));
        assert_ne!(content_id(b"a"), content_id(b"b"));
        assert!(content_id(b"").starts_with("<nomsgid.") && content_id(b"").ends_with("@chamado.invalid>"));
    }

    #[test]
    fn attachments_over_the_cap_are_left_out_and_counted() {
        let one = |i: usize| Attachment {
            name: format!("{i}.txt"),
            content_type: "text/plain".into(),
            inline: false,
            data: vec![b'x'],
        };
        let (mut body, mut att) = ("hi".to_string(), (0..5).map(one).collect::<Vec<_>>());
        cap_attachments(&mut body, &mut att, 3);
        assert_eq!(att.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["0.txt", "1.txt", "2.txt"]);
        assert!(body.starts_with("hi") && body.contains("2 more attachments"), "{body}");
        let (mut body, mut att) = ("hi".to_string(), vec![one(0)]);
        cap_attachments(&mut body, &mut att, 1);
        assert_eq!((body.as_str(), att.len()), ("hi", 1), "at the cap nothing changes");
    }

    #[test]
    fn long_bodies_are_cut_at_char_boundaries_and_kept_whole() {
        let mut body = "ä".repeat(200);
        let mut att = Vec::new();
        fit_body(&mut body, &mut att, 150);
        assert!(body.len() <= 150, "{}", body.len());
        assert_eq!(att.len(), 1);
        assert_eq!(att[0].data.len(), 400);
    }
}
