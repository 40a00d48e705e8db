//! Outbound mail: the engine's [`Channel`] for email, sending through an SMTP relay with lettre.

use async_trait::async_trait;
use chamado::{Channel, ChannelKind, Delivery, DeliveryError, NotificationKind};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment as MimeAttachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How to reach the relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundConfig {
    /// The relay, as a URL: `smtp://host:port` (plain), `smtp://host:port?tls=required` (STARTTLS),
    /// `smtps://host:port` (TLS), with optional `user:password@`.
    pub relay_url: String,
    /// How long one SMTP exchange may take (default 60 s).
    pub timeout: Duration,
}

impl OutboundConfig {
    /// Sending through `relay_url` with the default timeout.
    pub fn new(relay_url: impl Into<String>) -> Self {
        OutboundConfig { relay_url: relay_url.into(), timeout: Duration::from_secs(60) }
    }
}

/// Delivers email articles through an SMTP relay. Register it with
/// [`chamado::Engine::deliver_due`]; the engine's outbox records each result and retries temporary
/// failures with backoff.
#[derive(Clone)]
pub struct SmtpChannel {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpChannel {
    /// A channel sending through the relay of `config`. Fails when the URL is malformed.
    pub fn new(config: &OutboundConfig) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.relay_url)
            .map_err(|e| format!("invalid SMTP relay URL {:?}: {e}", config.relay_url))?
            .timeout(Some(config.timeout))
            .build();
        Ok(SmtpChannel { transport })
    }
}

#[async_trait]
impl Channel for SmtpChannel {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }

    async fn deliver(&self, delivery: &Delivery) -> Result<Option<String>, DeliveryError> {
        let message = build_message(delivery)?;
        match self.transport.send(message).await {
            Ok(response) => Ok(Some(response.message().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty())),
            Err(e) if e.is_permanent() => Err(DeliveryError::Permanent(format!("the relay refused the message: {e}"))),
            Err(e) => Err(DeliveryError::Temporary {
                message: format!("sending through the relay failed: {e}"),
                retry_after: None,
            }),
        }
    }
}

/// The RFC 5322 message for a delivery: From the system address with the author's name, the tagged
/// subject, our Message-ID verbatim, In-Reply-To and References for threading, the RFC 3834 headers on
/// auto-responses, attachments as a multipart/mixed. Address errors are permanent failures.
///
/// An agent notification ([`Delivery::notification`] set) is no part of the customer's conversation:
/// it goes to the agent's address with a fresh Message-ID of the system address's domain, no
/// In-Reply-To or References, `Auto-Submitted: auto-generated` (RFC 3834: made by a program, not an
/// answer), `X-Loop` and `X-Chamado-Notification: <kind>` for the agent's mail filters.
pub fn build_message(d: &Delivery) -> Result<Message, DeliveryError> {
    if let Some(kind) = d.notification {
        return build_notification(d, kind);
    }
    let permanent = |what: &str, e: &dyn std::fmt::Display| DeliveryError::Permanent(format!("{what}: {e}"));
    let (from, to) = addresses(d)?;
    let mut b = Message::builder().from(from).to(to).subject(d.subject.clone()).date_now();
    b = b.message_id(d.message_id.clone());
    if let Some(irt) = &d.in_reply_to {
        b = b.in_reply_to(irt.clone());
    }
    if !d.references.is_empty() {
        b = b.references(d.references.join(" "));
    }
    if d.auto_response {
        b = b
            .raw_header(header("Auto-Submitted", "auto-replied")?)
            .raw_header(header("Precedence", "bulk")?)
            .raw_header(header("X-Loop", d.from.trim())?);
    }
    b = b.raw_header(header("X-Chamado-Ticket", &d.ticket_number)?);
    let text = SinglePart::builder().header(ContentType::TEXT_PLAIN).body(d.body.clone());
    let built = if d.attachments.is_empty() {
        b.singlepart(text)
    } else {
        let mut mixed = MultiPart::mixed().singlepart(text);
        for a in &d.attachments {
            let ct = ContentType::parse(&a.content_type)
                .unwrap_or_else(|_| ContentType::parse("application/octet-stream").unwrap_or(ContentType::TEXT_PLAIN));
            let part = if a.inline {
                MimeAttachment::new_inline_with_name(a.name.clone(), a.name.clone()).body(a.data.clone(), ct)
            } else {
                MimeAttachment::new(a.name.clone()).body(a.data.clone(), ct)
            };
            mixed = mixed.singlepart(part);
        }
        b.multipart(mixed)
    };
    built.map_err(|e| permanent("the message cannot be built", &e))
}

/// The mail of an agent notification: plain text, no thread headers, marked as made by a program.
fn build_notification(d: &Delivery, kind: NotificationKind) -> Result<Message, DeliveryError> {
    let (from, to) = addresses(d)?;
    let b = Message::builder()
        .from(from)
        .to(to)
        .subject(d.subject.clone())
        .date_now()
        .message_id(Some(fresh_message_id(d)))
        .raw_header(header("Auto-Submitted", "auto-generated")?)
        .raw_header(header("X-Loop", d.from.trim())?)
        .raw_header(header("X-Chamado-Notification", kind.as_str())?)
        .raw_header(header("X-Chamado-Ticket", &d.ticket_number)?);
    b.singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(d.body.clone()))
        .map_err(|e| DeliveryError::Permanent(format!("the message cannot be built: {e}")))
}

/// A Message-ID of our own for a notification, never one of the ticket's articles: `<notify.` outbox
/// id `.` attempt `.` random `@` the system address's domain `>`.
fn fresh_message_id(d: &Delivery) -> String {
    let domain = d.from.trim().rsplit_once('@').map(|(_, domain)| domain).filter(|h| !h.is_empty());
    format!("<notify.{}.{}.{:016x}@{}>", d.outbox_id.0, d.attempt, fastrand::u64(..), domain.unwrap_or("localhost"))
}

/// From the system address with the display name of the delivery, to the recipient with theirs.
fn addresses(d: &Delivery) -> Result<(Mailbox, Mailbox), DeliveryError> {
    let permanent = |what: &str, e: &dyn std::fmt::Display| DeliveryError::Permanent(format!("{what}: {e}"));
    let from_addr =
        d.from.trim().parse().map_err(|e| permanent(&format!("invalid sender address {:?}", d.from), &e))?;
    let to_addr = d
        .recipient
        .trim()
        .parse()
        .map_err(|e| permanent(&format!("invalid recipient address {:?}", d.recipient), &e))?;
    let to = Mailbox::new(Some(d.recipient_name.trim().to_string()).filter(|n| !n.is_empty()), to_addr);
    let name = d.from_name.trim();
    let from = Mailbox::new(Some(name.to_string()).filter(|n| !n.is_empty()), from_addr);
    Ok((from, to))
}

fn header(name: &str, value: &str) -> Result<HeaderValue, DeliveryError> {
    let n = HeaderName::new_from_ascii(name.to_string())
        .map_err(|_| DeliveryError::Permanent(format!("invalid header name {name}")))?;
    let v: String = value.chars().filter(|c| !c.is_control()).collect();
    Ok(HeaderValue::new(n, v))
}
