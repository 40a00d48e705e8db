//! Raw RFC 5322 bytes to the engine's [`InboundMessage`].
//!
//! mail-parser does the MIME work (encoded words, RFC 2231 parameters, transfer encodings, charsets);
//! this module picks what the engine needs and repairs what real mail gets wrong: 8-bit header bytes
//! with no declared charset, text parts without a charset, HTML-only mail.

mod attachments;
mod body;
mod bounce;
mod charset;
mod encoded_words;
mod headers;
mod html;

pub use html::html_to_text;

use crate::error::ParseError;
use chamado::{ChannelKind, InboundMessage};
use mail_parser::{Message, MessageParser};

/// mail-parser's parser, built once (it holds a table of header parsers).
static PARSER: std::sync::LazyLock<MessageParser> = std::sync::LazyLock::new(MessageParser::default);

/// Parses one message into an [`InboundMessage`] for the email channel, without a queue (routing is
/// the caller's business).
///
/// `envelope_sender` (SMTP `MAIL FROM`, the pipe's `-f`) is the sender when the From header is missing
/// or no address (then `sender_fallback` says so); an empty one (`<>`) marks the message
/// auto-generated. Bounces (delivery status reports, mailer-daemon senders) carry their report in
/// `bounce`.
///
/// Never panics. A message mail-parser cannot structure at all becomes a message whose body is the raw
/// text; the only refusal is [`ParseError::Empty`]: no message is refused for what its headers look
/// like.
pub fn parse_message(raw: &[u8], envelope_sender: Option<&str>) -> Result<InboundMessage, ParseError> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    let repaired = charset::repair_header_block(raw);
    let merged = encoded_words::merge_split_words(repaired.as_ref());
    let input: &[u8] = merged.as_deref().unwrap_or(repaired.as_ref());
    let continued = encoded_words::merge_rfc2231(input);
    let input: &[u8] = continued.as_deref().unwrap_or(input);
    let parsed = PARSER.parse(input);
    let null_sender = envelope_sender.is_some_and(|s| s.trim().trim_matches(['<', '>']).is_empty());
    let envelope = envelope_sender.map(|s| s.trim().trim_matches(['<', '>']).to_string()).filter(|s| !s.is_empty());
    let Some(msg) = parsed.filter(|m| !m.parts.is_empty()) else {
        return raw_fallback(raw, envelope, null_sender);
    };
    let (sender, fallback) = headers::sender(&msg, envelope.as_deref());
    let mut out = InboundMessage::new(ChannelKind::Email, sender, headers::subject(&msg), body::text(&msg, raw));
    out.bounce = bounce::report(&msg, null_sender, fallback.is_some(), &out.body);
    out.sender_fallback = fallback;
    out.to = headers::recipients(&msg);
    out.attachments = attachments::collect(&msg);
    out.external_id = msg.message_id().and_then(headers::normalize_id);
    out.references = headers::references(&msg);
    out.auto_generated = null_sender || out.bounce.is_some() || headers::is_auto_generated(&msg);
    Ok(out)
}

/// A message with no usable structure: the raw text becomes the body, the envelope (or a placeholder)
/// the sender.
fn raw_fallback(raw: &[u8], envelope: Option<String>, null_sender: bool) -> Result<InboundMessage, ParseError> {
    let (sender, fallback) = headers::sender_without_header(envelope.as_deref());
    let body = charset::decode_fallback(raw, None);
    let mut out = InboundMessage::new(ChannelKind::Email, sender, "", body);
    out.sender_fallback = Some(fallback);
    out.auto_generated = null_sender;
    Ok(out)
}

/// True when the part or message is a delivery status report (a bounce).
fn is_report(msg: &Message<'_>) -> bool {
    use mail_parser::MimeHeaders;
    msg.root_part().content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart") && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("report"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chamado::Sender;

    fn parse(raw: &str) -> InboundMessage {
        parse_message(raw.as_bytes(), None).unwrap_or_else(|e| unreachable!("{e}"))
    }

    #[test]
    fn auto_generated_headers_any_case() {
        for h in [
            "auto-submitted: auto-generated",
            "AUTO-SUBMITTED: auto-replied; owner=x",
            "PRECEDENCE: Bulk",
            "precedence: junk",
            "x-loop: support@example.com",
            "List-ID: <news.example.com>",
            "X-Autoreply: yes",
        ] {
            assert!(parse(&format!("From: a@b.example\r\n{h}\r\n\r\nx")).auto_generated, "{h}");
        }
        for h in ["Auto-Submitted: no", "Precedence: first-class", "X-Other: 1"] {
            assert!(!parse(&format!("From: a@b.example\r\n{h}\r\n\r\nx")).auto_generated, "{h}");
        }
        assert!(parse("From: MAILER-DAEMON@mx.example\r\n\r\nx").auto_generated);
        // A null sender and no From: taken (never refused), as a bounce with a made-up sender.
        let bounce = parse_message(b"Subject: x\r\n\r\nx", Some("<>")).unwrap_or_else(|e| unreachable!("{e}"));
        assert!(bounce.auto_generated && bounce.bounce.is_some());
        assert!(matches!(bounce.sender, Sender::Email { ref address, .. } if address.ends_with(".invalid")));
        assert!(parse_message(b"From: a@b.example\r\n\r\nx", Some("")).is_ok_and(|m| m.auto_generated));
    }

    #[test]
    fn sender_reply_to_and_thread_ids() {
        let m = parse(
            "From: \"Doe, Jane\" <jane@x.example>\r\nReply-To: desk@x.example\r\nMessage-ID: abc@x.example\r\n\
             In-Reply-To: <p@y>\r\nReferences: <r1@y>\r\n <p@y> <r2@y>\r\nSubject: hi\r\n\r\nbody",
        );
        assert_eq!(
            m.sender,
            Sender::Email {
                address: "jane@x.example".into(),
                name: Some("Doe, Jane".into()),
                reply_to: Some("desk@x.example".into())
            }
        );
        assert_eq!(m.external_id.as_deref(), Some("<abc@x.example>"));
        assert_eq!(m.references, vec!["<p@y>", "<r1@y>", "<r2@y>"]);
    }

    #[test]
    fn envelope_sender_is_the_fallback_and_garbage_is_kept() {
        let m =
            parse_message(b"Subject: x\r\n\r\nbody", Some("<env@z.example>")).unwrap_or_else(|e| unreachable!("{e}"));
        assert!(matches!(m.sender, Sender::Email { ref address, .. } if address == "env@z.example"));
        assert!(m.sender_fallback.is_some_and(|f| f.source == chamado::SenderSource::Envelope && f.header.is_empty()));
        assert_eq!(parse_message(b"  \r\n ", Some("a@b")), Err(ParseError::Empty));
        let nobody = parse_message(b"Subject: x\r\n\r\nbody", None).unwrap_or_else(|e| unreachable!("{e}"));
        assert!(matches!(nobody.sender, Sender::Email { ref address, .. } if address == "unknown@unknown.invalid"));
        let junk =
            parse_message(b"\x00\x01 not a mail \xff", Some("a@b.example")).unwrap_or_else(|e| unreachable!("{e}"));
        assert!(!junk.body.is_empty() || !junk.subject.is_empty() || junk.attachments.is_empty());
    }

    /// Malformed From headers seen in real mail: never refused, the sender taken from the envelope,
    /// then `Sender:`, then made from the header, and flagged.
    #[test]
    fn malformed_from_falls_back_and_is_flagged() {
        use chamado::SenderSource;
        let address = |m: &InboundMessage| match &m.sender {
            Sender::Email { address, .. } => address.clone(),
            other => unreachable!("{other:?}"),
        };
        for from in ["MAILER-DAEMON", "Name name@example.com", "@example.com", "<>", "\"\" <@>"] {
            let raw = format!("From: {from}\r\nSender: list@lists.example\r\nSubject: x\r\n\r\nbody");
            let m = parse_message(raw.as_bytes(), Some("<env@z.example>")).unwrap_or_else(|e| unreachable!("{e}"));
            assert_eq!(address(&m), "env@z.example", "{from}");
            let f = m.sender_fallback.clone().unwrap_or_else(|| unreachable!("{from}: not flagged"));
            assert_eq!((f.header.as_str(), f.source), (from, SenderSource::Envelope));
            let m = parse_message(raw.as_bytes(), None).unwrap_or_else(|e| unreachable!("{e}"));
            assert_eq!(address(&m), "list@lists.example", "{from}");
            assert_eq!(m.sender_fallback.map(|f| f.source), Some(SenderSource::OtherHeader));
        }
        let made = |from: &str| {
            let raw = format!("From: {from}\r\nSubject: x\r\n\r\nbody");
            let m = parse_message(raw.as_bytes(), None).unwrap_or_else(|e| unreachable!("{e}"));
            assert_eq!(m.sender_fallback.as_ref().map(|f| f.source), Some(SenderSource::Sanitised), "{from}");
            address(&m)
        };
        assert_eq!(made("Name name@example.com"), "name@example.com");
        assert_eq!(made("@example.com"), "unknown@example.com.invalid");
        assert_eq!(made("MAILER-DAEMON"), "mailer-daemon@unknown.invalid");
        // A good From is not flagged.
        assert!(parse("From: Jane <jane@x.example>\r\n\r\nx").sender_fallback.is_none());
    }

    #[test]
    fn html_only_mail_becomes_text() {
        let m = parse(
            "From: a@b.example\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><head><style>x{}</style></head><body><p>Hallo&nbsp;Welt</p><p>Zeile&lt;2&gt;</p></body></html>",
        );
        assert_eq!(m.body, "Hallo Welt\n\nZeile<2>");
    }
}
